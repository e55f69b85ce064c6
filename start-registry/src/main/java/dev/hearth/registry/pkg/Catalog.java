package dev.hearth.registry.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.VersionRange;
import dev.hearth.exver.VersionString;
import dev.hearth.registry.db.RegistryDb;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reading the package index: {@code package.index} and {@code package.get}, for a device when it
 * says what it is, with the registry's own download URLs made absolute for the caller.
 */
public final class Catalog {
  private final RegistryDb db;

  private record Cached(long revision, String base, String text, JsonNode index) {}

  private volatile @Nullable Cached cached;

  public Catalog(RegistryDb db) {
    this.db = db;
  }

  /** The whole package index, as a node that writes its cached text. */
  public JsonNode index(String base) {
    return cached(base).index();
  }

  /** The whole package index as JSON text. */
  public String indexText(String base) {
    return cached(base).text();
  }

  /** Made once per database revision and base URL. */
  private Cached cached(String base) {
    long revision = db.revision();
    Cached c = cached;
    if (c != null && c.revision() == revision && c.base().equals(base)) {
      return c;
    }
    var index = db.read(RegistryDb.PACKAGE_INDEX, new RegistryApi.PackageIndex(Map.of(), Map.of()));
    Map<String, RegistryApi.PackageInfo> packages = new TreeMap<>();
    index
        .packages()
        .forEach((id, info) -> {
          Map<String, RegistryApi.PackageVersionInfo> versions = new TreeMap<>();
          info.versions().forEach((v, i) -> versions.put(v, absolute(i, base)));
          packages.put(id, new RegistryApi.PackageInfo(info.authorized(), versions));
        });
    // Kept as its serialized text: the answer is large (an icon per version), and writing the
    // same tree again for every call was most of the call's time.
    String text;
    try {
      text =
          db.json().writeValueAsString(new RegistryApi.PackageIndex(index.categories(), packages));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the index cannot be written as JSON", e);
    }
    JsonNode json =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.rawValueNode(
            new com.fasterxml.jackson.databind.util.RawValue(text));
    Cached made = new Cached(revision, base, text, json);
    cached = made;
    return made;
  }

  /**
   * {@code package.get}.
   *
   * @throws StartException NOT_FOUND for an id the registry does not have; INVALID_REQUEST for a
   *     malformed range or version
   */
  public JsonNode get(RegistryApi.GetPackageParams p, Optional<DeviceInfo> device, String base) {
    ObjectMapper json = db.json();
    VersionRange target = range(p.targetVersion());
    ExtendedVersion source = p.sourceVersion() == null ? null : version(p.sourceVersion());
    String other = p.otherVersions() == null ? "none" : p.otherVersions();
    if (!List.of("none", "short", "full").contains(other)) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "otherVersions is none, short or full, not " + other);
    }
    Map<String, RegistryApi.PackageInfo> packages = db.read(RegistryDb.PACKAGES, Map.of());
    Map<String, List<String>> categories = db.read(RegistryDb.PACKAGE_CATEGORIES, Map.of());
    if (p.id() != null) {
      RegistryApi.PackageInfo info = packages.get(p.id());
      if (info == null) {
        throw new StartException(ErrorKind.NOT_FOUND, "this registry has no package " + p.id());
      }
      return json.valueToTree(
          answer(
              info,
              categories.getOrDefault(p.id(), List.of()),
              target,
              source,
              other,
              device,
              base));
    }
    ObjectNode all = json.createObjectNode();
    new TreeMap<>(packages)
        .forEach((id, info) -> {
          var one =
              answer(
                  info,
                  categories.getOrDefault(id, List.of()),
                  target,
                  source,
                  other,
                  device,
                  base);
          if (!one.best().isEmpty()) {
            all.set(id, json.valueToTree(one));
          }
        });
    return all;
  }

  private RegistryApi.GetPackageResponse answer(
      RegistryApi.PackageInfo info,
      List<String> categories,
      VersionRange target,
      @Nullable ExtendedVersion source,
      String other,
      Optional<DeviceInfo> device,
      String base) {
    // The candidates: in range, able to take over from the source, and with a file for the device.
    TreeMap<VersionString, RegistryApi.PackageVersionInfo> candidates = new TreeMap<>();
    info.versions()
        .forEach((text, v) -> {
          VersionString version;
          try {
            version = VersionString.parse(text);
          } catch (RuntimeException e) {
            return;
          }
          if (!version.version().satisfies(target)) {
            return;
          }
          if (source != null && !migratesFrom(v, source)) {
            return;
          }
          RegistryApi.PackageVersionInfo fitting =
              device.isPresent() ? forDevice(v, device.get()) : v;
          if (fitting != null) {
            candidates.put(version, absolute(fitting, base));
          }
        });
    // The best of each flavor: the highest version among those of its flavor.
    Map<Optional<String>, VersionString> bestOfFlavor = new LinkedHashMap<>();
    for (VersionString v : candidates.keySet()) {
      bestOfFlavor.merge(
          v.version().flavor(),
          v,
          (a, b) -> a.version().compareWithinFlavor(b.version()).orElse(0) >= 0 ? a : b);
    }
    Map<String, RegistryApi.PackageVersionInfo> best = new TreeMap<>();
    for (VersionString v : bestOfFlavor.values()) {
      best.put(v.toString(), candidates.get(v));
    }
    Map<String, JsonNode> others = null;
    if (!other.equals("none")) {
      others = new TreeMap<>();
      for (var e : candidates.entrySet()) {
        if (!best.containsKey(e.getKey().toString())) {
          others.put(
              e.getKey().toString(),
              other.equals("short")
                  ? db.json()
                      .valueToTree(new RegistryApi.PackageInfoShort(e.getValue().releaseNotes()))
                  : db.json().valueToTree(e.getValue()));
        }
      }
    }
    return new RegistryApi.GetPackageResponse(List.copyOf(categories), best, others);
  }

  private static boolean migratesFrom(RegistryApi.PackageVersionInfo v, ExtendedVersion source) {
    try {
      return source.satisfies(VersionRange.parse(v.canMigrateFrom()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The version with only the files this device can run; null when there is none. */
  static RegistryApi.@Nullable PackageVersionInfo forDevice(
      RegistryApi.PackageVersionInfo v, DeviceInfo device) {
    if (!device.runs(v.osVersion())) {
      return null;
    }
    List<RegistryApi.HardwareAsset> files = new ArrayList<>();
    for (RegistryApi.HardwareAsset f : v.s9pks()) {
      if (fits(f.hardwareRequirements(), device)) {
        files.add(f);
      }
    }
    return files.isEmpty() ? null : v.withS9pks(files);
  }

  private static boolean fits(JsonNode hardware, DeviceInfo device) {
    JsonNode arch = hardware.path("arch");
    if (device.arch() != null && arch.isArray()) {
      boolean found = false;
      for (JsonNode a : arch) {
        found |= device.arch().equals(a.asText());
      }
      if (!found) {
        return false;
      }
    }
    JsonNode ram = hardware.path("ram");
    return device.ram() == null || !ram.isNumber() || ram.asLong() <= device.ram();
  }

  /**
   * The version with the registry's own URLs (stored relative) made absolute under {@code base}.
   */
  static RegistryApi.PackageVersionInfo absolute(RegistryApi.PackageVersionInfo v, String base) {
    List<RegistryApi.HardwareAsset> files = new ArrayList<>();
    for (RegistryApi.HardwareAsset f : v.s9pks()) {
      RegistryApi.Asset a = f.asset();
      List<String> urls = new ArrayList<>();
      for (String u : a.urls()) {
        urls.add(u.startsWith("/") ? URI.create(base).resolve(u).toString() : u);
      }
      files.add(
          new RegistryApi.HardwareAsset(
              f.hardwareRequirements(),
              new RegistryApi.Asset(a.publishedAt(), urls, a.commitment(), a.signatures())));
    }
    return v.withS9pks(files);
  }

  static VersionRange range(@Nullable String text) {
    try {
      return VersionRange.parse(Objects.requireNonNullElse(text, "*"));
    } catch (RuntimeException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a version range: " + text, e);
    }
  }

  static ExtendedVersion version(String text) {
    try {
      return ExtendedVersion.parse(text);
    } catch (RuntimeException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a version: " + text, e);
    }
  }
}
