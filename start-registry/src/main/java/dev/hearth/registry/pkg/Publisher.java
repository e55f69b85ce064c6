package dev.hearth.registry.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.VersionRange;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.blob.BlobStore;
import dev.hearth.registry.db.RegistryDb;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.ArchiveSource;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.DepInfo;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.sign.SignaturePem;
import dev.hearth.s9pk.sign.SignerKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishing ({@code package.add}): the publisher's signature over the commitment, the file against
 * the commitment and its own signature, every hash, the manifest's rules, and the signer's right to
 * that package and version — all before anything is stored. A refused file is deleted; a published
 * one is in the store and in the index together (a file the index does not name is swept at start).
 */
public final class Publisher {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);

  /** Where the registry serves its own copy of a package, relative to its base URL. */
  public static final String BLOB_PATH = "/blob/";

  private final RegistryDb db;
  private final BlobStore blobs;
  private final Authenticator auth;
  private final Fetcher fetcher;
  private final Clock clock;

  public Publisher(RegistryDb db, BlobStore blobs, Authenticator auth, long maxBytes, Clock clock) {
    this.db = db;
    this.blobs = blobs;
    this.auth = auth;
    this.fetcher = new Fetcher(maxBytes);
    this.clock = clock;
  }

  /** What a publisher promised, checked before any byte is fetched or accepted. */
  public record Claim(String signerId, Commitment commitment, SignerKey key, String signaturePem) {}

  /**
   * Checks that {@code signaturePem} signs the commitment with a key of the signer.
   *
   * @throws StartException INVALID_SIGNATURE if it does not
   */
  public Claim claim(String signerId, RegistryApi.Commitment c, String signaturePem) {
    Commitment commitment;
    try {
      commitment = Commitment.fromJson(c.rootSighash(), c.rootMaxsize());
    } catch (IllegalArgumentException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "the commitment is malformed", e);
    }
    byte[] signature = SignaturePem.decode(signaturePem);
    var signer = db.read(RegistryDb.signer(signerId), null);
    if (signer != null) {
      for (String pem : signer.keys()) {
        SignerKey key = SignerKey.parsePem(pem);
        if (key.verifiesPrehashed(signature, commitment.signedMessage(), S9pk.CONTEXT)) {
          return new Claim(signerId, commitment, key, SignaturePem.encode(signature));
        }
      }
    }
    throw new StartException(
        ErrorKind.INVALID_SIGNATURE,
        "the package signature is not by a key of the signer who sent the request");
  }

  /** {@code package.add} with URLs: fetches the file, then publishes it. */
  public void addFromUrls(Claim claim, List<String> urls) {
    Path file = incoming();
    try {
      fetcher.fetch(urls, file);
      publish(claim, file, urls);
    } finally {
      deleteQuietly(file);
    }
  }

  /** A new file for an upload. */
  public Path incoming() {
    try {
      return blobs.incoming();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot make an incoming file: " + e, e);
    }
  }

  public void fetchCapped(java.io.InputStream in, Path into) throws IOException {
    fetcher.copyCapped(in, into);
  }

  /**
   * Verifies an incoming file and publishes it; the file is moved into the store or deleted.
   *
   * @param mirrors other URLs the same file is served at
   * @return the id and version published
   */
  public String publish(Claim claim, Path file, List<String> mirrors) {
    try {
      Manifest manifest;
      RegistryApi.PackageVersionInfo info;
      try (S9pk pkg = S9pk.open(ArchiveSource.of(file), Optional.of(claim.commitment()))) {
        pkg.validateAndFilter(Optional.empty());
        pkg.archive().orElseThrow().verifyFiles();
        manifest = pkg.manifest();
        info = describe(pkg, claim, mirrors);
      } catch (IOException e) {
        throw new StartException(ErrorKind.FILESYSTEM, "cannot read the package: " + e, e);
      }
      String id = manifest.id();
      ExtendedVersion version = manifest.version().version();
      checkAuthorized(claim.signerId(), id, version);
      String name = blobName(claim.commitment());
      try {
        blobs.put(file, name);
      } catch (IOException e) {
        throw new StartException(ErrorKind.FILESYSTEM, "cannot store the package: " + e, e);
      }
      String versionText = manifest.version().toString();
      db.mutate(tx -> {
        var current = tx.get(RegistryDb.pkg(id)).orElse(null);
        Map<String, String> authorized =
            current == null ? Map.of(claim.signerId(), "*") : current.authorized();
        Map<String, RegistryApi.PackageVersionInfo> versions =
            new HashMap<>(current == null ? Map.of() : current.versions());
        versions.merge(versionText, info, Publisher::mergeFiles);
        tx.put(RegistryDb.pkg(id), new RegistryApi.PackageInfo(authorized, versions));
      });
      log.info("published {}@{} ({}) by signer {}", id, versionText, name, claim.signerId());
      return id + "@" + versionText;
    } finally {
      deleteQuietly(file);
    }
  }

  /** A re-published file for the same hardware replaces the old one; other hardware is added. */
  private static RegistryApi.PackageVersionInfo mergeFiles(
      RegistryApi.PackageVersionInfo old, RegistryApi.PackageVersionInfo added) {
    List<RegistryApi.HardwareAsset> files = new ArrayList<>();
    RegistryApi.HardwareAsset fresh = added.s9pks().getFirst();
    for (RegistryApi.HardwareAsset f : old.s9pks()) {
      if (!f.hardwareRequirements().equals(fresh.hardwareRequirements())) {
        files.add(f);
      }
    }
    files.add(fresh);
    return added.withS9pks(files);
  }

  /**
   * An admin may publish anything (a new package is then theirs to delegate); another signer only
   * the versions an admin authorized them for.
   */
  private void checkAuthorized(String signerId, String id, ExtendedVersion version) {
    if (auth.isAdmin(signerId)) {
      return;
    }
    var current = db.read(RegistryDb.pkg(id), null);
    String range = current == null ? null : current.authorized().get(signerId);
    if (range == null) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          "this signer is not authorized to publish "
              + id
              + (current == null ? " (a new package is added by an admin)" : ""));
    }
    if (!version.satisfies(VersionRange.parse(range))) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          "this signer may publish " + id + " only in the range " + range + ", not " + version);
    }
  }

  public static String blobName(Commitment c) {
    return HexFormat.of().formatHex(c.rootSighash().bytes()) + ".s9pk";
  }

  private RegistryApi.PackageVersionInfo describe(S9pk pkg, Claim claim, List<String> mirrors) {
    Manifest m = pkg.manifest();
    ObjectMapper json = db.json();
    List<String> urls = new ArrayList<>();
    urls.add(BLOB_PATH + blobName(claim.commitment()));
    urls.addAll(mirrors);
    var asset =
        new RegistryApi.Asset(
            clock.instant().toString(),
            urls,
            new RegistryApi.Commitment(
                claim.commitment().rootSighash().base64(), claim.commitment().rootMaxsize()),
            Map.of(claim.key().pem(), claim.signaturePem()));
    JsonNode hardware = json.valueToTree(m.hardwareRequirements());
    Map<String, RegistryApi.DependencyMetadata> deps = new LinkedHashMap<>();
    for (Map.Entry<String, DepInfo> d : m.dependencies().entrySet()) {
      deps.put(d.getKey(), dependency(pkg.contents(), d.getKey(), d.getValue(), json));
    }
    return new RegistryApi.PackageVersionInfo(
        m.title(),
        pkg.icon()
            .map(i -> S9pk.imageDataUrl(i.getKey(), i.getValue().readAll(i.getKey(), 1 << 20)))
            .orElse(null),
        json.valueToTree(m.description()),
        json.valueToTree(m.releaseNotes()),
        m.gitHash(),
        m.license(),
        m.packageRepo(),
        m.upstreamRepo(),
        m.marketingUrl(),
        m.donationUrl(),
        m.osVersion().toString(),
        m.sdkVersion() == null ? null : m.sdkVersion().toString(),
        m.canMigrateTo().toString(),
        m.canMigrateFrom().toString(),
        m.hardwareAcceleration(),
        deps,
        List.of(new RegistryApi.HardwareAsset(hardware, asset)));
  }

  /** A dependency's title and icon, from the files {@code pack} put in the package for it. */
  private static RegistryApi.DependencyMetadata dependency(
      Directory root, String id, DepInfo dep, ObjectMapper json) {
    String title = null;
    String icon = null;
    Optional<Entry> dir = root.find("dependencies/" + id);
    if (dir.isPresent() && dir.get().directory().isPresent()) {
      Directory d = dir.get().directory().get();
      Optional<Entry> meta = d.get("metadata.json");
      if (meta.isPresent() && meta.get().isFile()) {
        try {
          title =
              json.readTree(meta.get().readAll("metadata.json", 64 << 10))
                  .path("title")
                  .asText(null);
        } catch (IOException | RuntimeException e) {
          title = null;
        }
      }
      for (var e : d.entries().entrySet()) {
        if (e.getKey().startsWith("icon.")
            && e.getValue().isFile()
            && S9pk.isIconName(e.getKey())) {
          icon = S9pk.imageDataUrl(e.getKey(), e.getValue().readAll(e.getKey(), 1 << 20));
        }
      }
    }
    return new RegistryApi.DependencyMetadata(
        title,
        icon,
        dep.description() == null ? null : json.valueToTree(dep.description()),
        dep.optional());
  }

  private static void deleteQuietly(@Nullable Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // an incoming leftover is removed at the next start
      }
    }
  }
}
