package dev.hearth.startd.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.MarketplaceApi;
import dev.hearth.api.NotificationApi;
import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.s9pk.sign.SignaturePem;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.Services;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Marketplace: the registries in {@code /public/marketplace}, the {@code registry.*} proxy,
 * installs from a registry, and updates. A registry is hostile: what it lists is checked against
 * the signatures it carries and against the file, and the file against everything a sideload is.
 */
public final class Marketplace {
  private static final Logger log = LoggerFactory.getLogger(Marketplace.class);
  static final String DOWNLOADING = "Downloading";
  static final int MAX_NAME = 100;
  static final int MAX_ICON = 256 * 1024;

  private final Database db;
  private final Services services;
  private final Notifications notifications;
  private final RegistryCalls calls;
  private final Download download;
  private final ObjectMapper mapper;
  private final List<String> defaults;
  private final java.util.Set<String> named = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Marketplace(
      Database db,
      Services services,
      Notifications notifications,
      ObjectMapper mapper,
      InstantSource clock,
      List<String> defaults,
      Duration downloadPatience,
      String arch,
      long ramBytes) {
    this.db = db;
    this.services = services;
    this.notifications = notifications;
    this.mapper = mapper;
    this.calls = new RegistryCalls(db, mapper, clock, arch, ramBytes);
    this.download = new Download(downloadPatience, 64L << 30, clock);
    this.defaults = defaults.stream().map(RegistryUrl::normalize).toList();
  }

  /**
   * The Marketplace of a new server, written with setup's model (one record: a later write would
   * make setup's no longer the last): the default registries, nothing installing.
   */
  public static MarketplaceApi.Model initialModel(List<String> defaults) {
    Map<String, MarketplaceApi.Registry> registries = new LinkedHashMap<>();
    for (String d : defaults) {
      String url = RegistryUrl.normalize(d);
      registries.put(
          url, new MarketplaceApi.Registry(java.net.URI.create(url).getHost(), null, true));
    }
    return new MarketplaceApi.Model(registries, Map.of());
  }

  /**
   * Puts the configured default registries in the list (marking the others not default) and drops
   * installs a stop interrupted. No registry is called here: a registry is first asked for its name
   * and icon when the Marketplace uses it ({@link #named}), so a server that never browses never
   * calls out (and tests reach nothing beyond loopback).
   */
  public void start() {
    db.mutate(tx -> {
      Map<String, MarketplaceApi.Registry> before = tx.get(PublicPaths.REGISTRIES).orElse(Map.of());
      Map<String, MarketplaceApi.Registry> all = new LinkedHashMap<>(before);
      all.replaceAll(
          (url, r) -> new MarketplaceApi.Registry(r.name(), r.icon(), defaults.contains(url)));
      for (String url : defaults) {
        all.putIfAbsent(
            url, new MarketplaceApi.Registry(java.net.URI.create(url).getHost(), null, true));
      }
      if (!all.equals(before)) {
        tx.put(PublicPaths.REGISTRIES, all);
      }
      if (!tx.get(PublicPaths.MARKETPLACE_INSTALLS).orElse(Map.of()).isEmpty()) {
        tx.put(PublicPaths.MARKETPLACE_INSTALLS, Map.of());
      }
    });
    try {
      try (var stream = Files.list(services.downloads())) {
        stream
            .filter(p -> p.getFileName().toString().endsWith(".part"))
            .forEach(p -> p.toFile().delete());
      }
    } catch (java.io.IOException e) {
      log.debug("no downloads to clean: {}", e.toString());
    }
  }

  // ---- registries ----

  public MarketplaceApi.Registry addRegistry(String url) {
    String u = RegistryUrl.normalize(url);
    MarketplaceApi.Registry r = refresh(u);
    named.add(u);
    return r;
  }

  /** Asks a registry for its name and icon the first time this process uses it. */
  private void named(String url) {
    if (named.add(url)) {
      try {
        refresh(url);
      } catch (RuntimeException e) {
        named.remove(url);
        log.info("registry {} did not say its name: {}", url, e.getMessage());
      }
    }
  }

  private MarketplaceApi.Registry refresh(String url) {
    JsonNode info = calls.call(url, "info", mapper.createObjectNode());
    var r = entry(url, info, defaults.contains(url));
    db.mutate(tx -> tx.put(PublicPaths.registry(url), r));
    return r;
  }

  /** What a registry's {@code info} puts in the list: a short name, and an icon only if safe. */
  static MarketplaceApi.Registry entry(String url, JsonNode info, boolean isDefault) {
    String name = info.path("name").asText("").strip();
    if (name.length() > MAX_NAME) {
      name = name.substring(0, MAX_NAME); // it is shown in every page's registry switcher
    }
    String icon = info.path("icon").isTextual() ? info.path("icon").asText() : null;
    if (icon != null && (!icon.startsWith("data:image/") || icon.length() > MAX_ICON)) {
      // Only an image, inline (nothing the registry could track or script), and small: it is kept
      // in the public model every page downloads.
      icon = null;
    }
    return new MarketplaceApi.Registry(
        name.isBlank() ? java.net.URI.create(url).getHost() : name, icon, isDefault);
  }

  public void removeRegistry(String url) {
    String u = RegistryUrl.normalize(url);
    if (defaults.contains(u)) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, u + " is a default registry of this server; it stays");
    }
    db.mutate(tx -> {
      if (!tx.remove(PublicPaths.registry(u).pointer())) {
        throw new StartException(ErrorKind.NOT_FOUND, "no registry " + u + " in the list");
      }
    });
    calls.forget(u);
  }

  // ---- the proxy ----

  /**
   * {@code registry.<method>}: forwards the call to the registry its {@code registry} param names.
   */
  public JsonNode proxy(String method, JsonNode params) {
    if (!params.path("registry").isTextual()) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "registry." + method + " needs `registry`, a URL");
    }
    String url = RegistryUrl.normalize(params.path("registry").asText());
    ObjectNode forwarded = params.deepCopy();
    forwarded.remove("registry");
    return calls.call(url, method, forwarded);
  }

  // ---- a package and its versions ----

  public MarketplaceApi.PackageView view(String registry, String id) {
    String url = RegistryUrl.normalize(registry);
    named(url);
    PackageId pid = PackageId.of(id);
    ObjectNode params = mapper.createObjectNode().put("id", id).put("otherVersions", "full");
    JsonNode listing = calls.call(url, "package.get", params);
    String installed = services.installedVersion(pid);
    Map<String, MarketplaceApi.Action> actions = new LinkedHashMap<>();
    for (String group : List.of("best", "otherVersions")) {
      listing.path(group).fieldNames().forEachRemaining(v -> actions.put(v, action(installed, v)));
    }
    return new MarketplaceApi.PackageView(listing, installed, installedFrom(pid), actions);
  }

  static MarketplaceApi.Action action(@Nullable String installed, String listed) {
    if (installed == null) {
      return MarketplaceApi.Action.install;
    }
    ExtendedVersion have = ExtendedVersion.parse(installed);
    ExtendedVersion offered = ExtendedVersion.parse(listed);
    var order = offered.compareWithinFlavor(have);
    if (order.isEmpty()) {
      return MarketplaceApi.Action.switchFlavor;
    }
    int c = order.getAsInt();
    return c > 0
        ? MarketplaceApi.Action.update
        : c < 0 ? MarketplaceApi.Action.downgrade : MarketplaceApi.Action.reinstall;
  }

  private @Nullable String installedFrom(PackageId id) {
    return db.snapshot().get(PackagePaths.registry(id)).orElse(null);
  }

  // ---- updates ----

  /** For each registry, the best newer version of each installed package of the same flavor. */
  public Map<String, MarketplaceApi.RegistryUpdates> updates() {
    Map<String, String> installed = new LinkedHashMap<>();
    for (PackageApi.Listed l : services.list()) {
      if (l.status().equals("installed")) {
        installed.put(l.id(), l.version());
      }
    }
    Map<String, MarketplaceApi.Registry> registries =
        db.snapshot().get(PublicPaths.REGISTRIES).orElse(Map.of());
    Map<String, Future<MarketplaceApi.RegistryUpdates>> asked = new LinkedHashMap<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      registries.forEach(
          (url, r) -> asked.put(url, pool.submit(() -> updatesOf(url, r, installed))));
    }
    Map<String, MarketplaceApi.RegistryUpdates> out = new LinkedHashMap<>();
    asked.forEach((url, f) -> {
      try {
        out.put(url, f.get());
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        out.put(
            url,
            new MarketplaceApi.RegistryUpdates(
                registries.get(url).name(), Map.of(), cause.getMessage()));
      }
    });
    return out;
  }

  private MarketplaceApi.RegistryUpdates updatesOf(
      String url, MarketplaceApi.Registry r, Map<String, String> installed) {
    named(url);
    Map<String, MarketplaceApi.Update> found = new LinkedHashMap<>();
    if (!installed.isEmpty()) {
      JsonNode all =
          calls.call(url, "package.get", mapper.createObjectNode().put("otherVersions", "none"));
      installed.forEach((id, version) -> {
        ExtendedVersion have = ExtendedVersion.parse(version);
        JsonNode best = all.path(id).path("best");
        best.fieldNames()
            .forEachRemaining(v -> {
              ExtendedVersion offered = ExtendedVersion.parse(v);
              if (offered.compareWithinFlavor(have).orElse(0) > 0) {
                JsonNode info = best.get(v);
                found.put(
                    id,
                    new MarketplaceApi.Update(
                        version,
                        v,
                        info.path("title").asText(id),
                        info.path("icon").isTextual() ? info.path("icon").asText() : null,
                        info.path("releaseNotes"),
                        installedFrom(PackageId.of(id))));
              }
            });
      });
    }
    return new MarketplaceApi.RegistryUpdates(r.name(), found, null);
  }

  // ---- install from a registry ----

  /**
   * {@code package.install}: checks the listing and its signatures now, then downloads, verifies
   * and installs in the background; the download's progress is in {@code
   * /public/marketplace/installs}.
   */
  public void install(PackageApi.InstallParams p) {
    String url = RegistryUrl.normalize(p.registry());
    PackageId id = PackageId.of(p.id());
    ExtendedVersion wanted;
    try {
      wanted = ExtendedVersion.parse(p.version());
    } catch (RuntimeException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a version: " + p.version());
    }
    String installed = services.installedVersion(id);
    if (installed != null
        && !ExtendedVersion.parse(installed).isComparableTo(wanted)
        && !Boolean.TRUE.equals(p.switchFlavor())) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          id.value()
              + " "
              + installed
              + " is installed; "
              + p.version()
              + " is another flavor, and only one flavor is installed at a time: confirm the switch"
              + " (switchFlavor)");
    }
    SignerKey accepted =
        p.acceptKeyChange() == null ? null : SignerKey.parsePem(p.acceptKeyChange());
    ObjectNode params =
        mapper
            .createObjectNode()
            .put("id", id.value())
            .put("targetVersion", "=" + p.version())
            .put("otherVersions", "none");
    calls.forget(url);
    JsonNode listing = calls.call(url, "package.get", params);
    JsonNode info = null;
    for (var it = listing.path("best").fields(); it.hasNext(); ) {
      var e = it.next();
      if (ExtendedVersion.parse(e.getKey()).equals(wanted)) {
        info = e.getValue();
      }
    }
    if (info == null || !info.path("s9pks").isArray() || info.path("s9pks").isEmpty()) {
      throw new StartException(
          ErrorKind.NOT_FOUND,
          url + " has no " + id.value() + " " + p.version() + " that this machine can run");
    }
    JsonNode asset = info.path("s9pks").get(0).get(1);
    Commitment commitment = signedCommitment(asset);
    List<String> urls = new ArrayList<>();
    asset.path("urls").forEach(u -> urls.add(u.asText()));
    var progress =
        new ProgressTracker(
            FullProgress.of(DOWNLOADING, "Validating Headers", "Unpacking", "Installing"));
    boolean started =
        db.transact(
                tx -> {
                  if (tx.get(PublicPaths.pendingInstall(id.value())).isPresent()) {
                    return false;
                  }
                  tx.put(
                      PublicPaths.pendingInstall(id.value()),
                      new MarketplaceApi.PendingInstall(url, p.version(), progress.current()));
                  return true;
                })
            .value();
    if (!started) {
      throw new StartException(ErrorKind.DUPLICATE, id.value() + " is being installed already");
    }
    Thread.ofVirtual()
        .name("install-" + id.value())
        .start(() -> fetchAndInstall(id, url, p.version(), urls, commitment, progress, accepted));
  }

  /**
   * The commitment of a listed file, once every signature the registry lists for it verifies
   * (context {@code s9pk}); a listing with none is refused.
   */
  static Commitment signedCommitment(JsonNode asset) {
    Commitment c;
    try {
      c =
          Commitment.fromJson(
              asset.path("commitment").path("rootSighash").asText(),
              asset.path("commitment").path("rootMaxsize").asLong());
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.REGISTRY, "the registry's listing has no valid commitment");
    }
    int verified = 0;
    for (var it = asset.path("signatures").fields(); it.hasNext(); ) {
      var e = it.next();
      boolean ok;
      try {
        ok =
            SignerKey.parsePem(e.getKey())
                .verifiesPrehashed(
                    SignaturePem.decode(e.getValue().asText()), c.signedMessage(), S9pk.CONTEXT);
      } catch (RuntimeException ex) {
        ok = false;
      }
      if (!ok) {
        throw new StartException(
            ErrorKind.INVALID_SIGNATURE,
            "a signature the registry lists for the package does not verify");
      }
      verified++;
    }
    if (verified == 0) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE, "the registry lists no signature for the package");
    }
    return c;
  }

  private void fetchAndInstall(
      PackageId id,
      String registry,
      String version,
      List<String> urls,
      Commitment commitment,
      ProgressTracker progress,
      @Nullable SignerKey accepted) {
    Path file = services.downloads().resolve(id.value() + "-" + UUID.randomUUID() + ".s9pk.part");
    long[] shown = {0, 0};
    boolean handed = false; // once handed to its actor, the file is the install's to delete
    try {
      download.fetch(
          urls,
          file,
          (bytes, total) -> {
            long now = System.nanoTime();
            if (bytes - shown[0] >= (8 << 20) && now - shown[1] >= 250_000_000L
                || Objects.equals(total, bytes)) {
              shown[0] = bytes;
              shown[1] = now;
              show(
                  id,
                  progress,
                  progress
                      .current()
                      .withPhase(DOWNLOADING, FullProgress.counted(bytes, total, "bytes")));
            }
          });
      show(
          id,
          progress,
          progress
              .current()
              .withPhase(DOWNLOADING, com.fasterxml.jackson.databind.node.BooleanNode.TRUE));
      var done = new CompletableFuture<Void>();
      handed = services.installDownloaded(file, commitment, registry, progress, accepted, done);
      if (!handed) {
        // Told first, then cleared: whoever sees the install gone finds the reason already there.
        failed(id, version, registry, progress.failure().orElse("the package was refused"));
        clear(id);
        return;
      }
      clear(id);
      calls.forget(registry);
      done.whenComplete((v, e) -> {
        if (e == null) {
          log.info("installed {} {} from {}", id.value(), version, registry);
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clear(id);
    } catch (RuntimeException e) {
      failed(id, version, registry, e.getMessage());
      clear(id);
    } finally {
      if (!handed) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
          log.warn("cannot remove {}: {}", file, e.toString());
        }
      }
    }
  }

  private void show(PackageId id, ProgressTracker progress, FullProgress next) {
    progress.update(next);
    db.mutate(tx ->
        tx.get(PublicPaths.pendingInstall(id.value()))
            .ifPresent(p ->
                tx.put(
                    PublicPaths.pendingInstall(id.value()),
                    new MarketplaceApi.PendingInstall(p.registry(), p.version(), next))));
  }

  private void clear(PackageId id) {
    db.mutate(tx -> tx.remove(PublicPaths.pendingInstall(id.value()).pointer()));
  }

  private void failed(PackageId id, String version, String registry, @Nullable String why) {
    log.warn("installing {} {} from {} failed: {}", id.value(), version, registry, why);
    notifications.create(
        id.value(),
        NotificationApi.Level.error,
        "Install failed",
        id.value() + " " + version + " from " + registry + ": " + why,
        Notifications.CODE_PLAIN,
        null);
  }
}
