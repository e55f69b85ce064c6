package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.exver.Version;
import dev.hearth.exver.VersionRange;
import dev.hearth.exver.VersionString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code manifest.json} (s9pk.md §11.1). Fields are in upstream's serialization order; sets are
 * written sorted and maps by key, as upstream's {@code BTreeSet}/{@code BTreeMap} are; absent
 * optional fields get upstream's defaults. Unknown fields are kept in {@link #extra()} and written
 * after the known ones. Change it with the {@code with…} copies.
 */
@JsonPropertyOrder({
  "id",
  "version",
  "canMigrateTo",
  "canMigrateFrom",
  "title",
  "description",
  "releaseNotes",
  "gitHash",
  "license",
  "packageRepo",
  "upstreamRepo",
  "marketingUrl",
  "donationUrl",
  "osVersion",
  "sdkVersion",
  "hardwareAcceleration",
  "userspaceFilesystems",
  "virtualNetworking",
  "plugins",
  "satisfies",
  "images",
  "volumes",
  "dependencies",
  "hardwareRequirements"
})
public record Manifest(
    String id,
    VersionString version,
    VersionRange canMigrateTo,
    VersionRange canMigrateFrom,
    String title,
    Description description,
    LocaleString releaseNotes,
    @Nullable String gitHash,
    String license,
    String packageRepo,
    String upstreamRepo,
    @Nullable String marketingUrl,
    @Nullable String donationUrl,
    Version osVersion,
    @Nullable Version sdkVersion,
    boolean hardwareAcceleration,
    boolean userspaceFilesystems,
    boolean virtualNetworking,
    List<String> plugins,
    List<VersionString> satisfies,
    SortedMap<String, ImageConfig> images,
    List<String> volumes,
    SortedMap<String, DepInfo> dependencies,
    HardwareRequirements hardwareRequirements,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
  /** Upstream's default {@code packageRepo}, as its URL type prints it. */
  public static final String DEFAULT_PACKAGE_REPO = "https://example.com/";

  /** Used when {@code osVersion} is absent: the OS version of SDK 2.0.9, which we follow. */
  public static final Version DEFAULT_OS_VERSION = Version.parse("0.4.0-beta.10");

  /** The literal volume id of the backup volume, allowed beside the id pattern. */
  public static final String BACKUP_VOLUME = "BACKUP";

  public Manifest {
    Ids.check("package id", Extra.required(id, "id"));
    Extra.required(version, "version");
    Extra.required(canMigrateTo, "canMigrateTo");
    Extra.required(canMigrateFrom, "canMigrateFrom");
    Extra.required(title, "title");
    Extra.required(description, "description");
    Extra.required(releaseNotes, "releaseNotes");
    Extra.required(license, "license");
    packageRepo =
        Urls.normalize(
            "packageRepo", Objects.requireNonNullElse(packageRepo, DEFAULT_PACKAGE_REPO));
    upstreamRepo = Urls.normalize("upstreamRepo", Extra.required(upstreamRepo, "upstreamRepo"));
    marketingUrl = marketingUrl == null ? null : Urls.normalize("marketingUrl", marketingUrl);
    donationUrl = donationUrl == null ? null : Urls.normalize("donationUrl", donationUrl);
    osVersion = Objects.requireNonNullElse(osVersion, DEFAULT_OS_VERSION);
    plugins = plugins == null ? List.of() : List.copyOf(new TreeSet<>(plugins));
    satisfies = satisfies == null ? List.of() : List.copyOf(new TreeSet<>(satisfies));
    TreeMap<String, ImageConfig> imageCopy = new TreeMap<>(Extra.required(images, "images"));
    imageCopy.keySet().forEach(k -> Ids.check("image id", k));
    images = Collections.unmodifiableSortedMap(imageCopy);
    volumes = sortedVolumes(Extra.required(volumes, "volumes"));
    TreeMap<String, DepInfo> depCopy =
        dependencies == null ? new TreeMap<>() : new TreeMap<>(dependencies);
    depCopy.keySet().forEach(k -> Ids.check("dependency id", k));
    dependencies = Collections.unmodifiableSortedMap(depCopy);
    hardwareRequirements =
        Objects.requireNonNullElse(hardwareRequirements, HardwareRequirements.NONE);
    extra = Extra.copy(extra);
  }

  // The backup volume sorts first, as upstream's VolumeId enum puts its Backup variant first.
  private static List<String> sortedVolumes(List<String> volumes) {
    List<String> sorted = new ArrayList<>(new LinkedHashSet<>(volumes));
    for (String v : sorted) {
      if (!v.equals(BACKUP_VOLUME)) {
        Ids.check("volume id", v);
      }
    }
    sorted.sort(
        Comparator.comparing((String v) -> !v.equals(BACKUP_VOLUME))
            .thenComparing(Comparator.naturalOrder()));
    return List.copyOf(sorted);
  }

  public Manifest withGitHash(@Nullable String hash) {
    return copy(hash, images, dependencies, hardwareRequirements);
  }

  public Manifest withImages(Map<String, ImageConfig> replacement) {
    return copy(gitHash, new TreeMap<>(replacement), dependencies, hardwareRequirements);
  }

  public Manifest withDependencies(Map<String, DepInfo> replacement) {
    return copy(gitHash, images, new TreeMap<>(replacement), hardwareRequirements);
  }

  public Manifest withHardwareRequirements(HardwareRequirements replacement) {
    return copy(gitHash, images, dependencies, replacement);
  }

  /** This manifest with the fields that packing and editing change replaced. */
  private Manifest copy(
      @Nullable String gitHash,
      SortedMap<String, ImageConfig> images,
      SortedMap<String, DepInfo> dependencies,
      HardwareRequirements hardwareRequirements) {
    return new Manifest(
        id,
        version,
        canMigrateTo,
        canMigrateFrom,
        title,
        description,
        releaseNotes,
        gitHash,
        license,
        packageRepo,
        upstreamRepo,
        marketingUrl,
        donationUrl,
        osVersion,
        sdkVersion,
        hardwareAcceleration,
        userspaceFilesystems,
        virtualNetworking,
        plugins,
        satisfies,
        images,
        volumes,
        dependencies,
        hardwareRequirements,
        extra);
  }
}
