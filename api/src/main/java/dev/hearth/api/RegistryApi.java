package dev.hearth.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.Access;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A registry's methods (rpc.md §4.8), as {@code start-registry} serves them on {@code /rpc/v0}
 * without the {@code registry.} prefix. Public methods are declared {@link Access#PUBLIC}; the
 * others need a request signed by a signer of the registry (rpc.md §2.4), and admin methods a
 * signer in the registry's admin list, which the handler checks.
 */
public final class RegistryApi {
  private RegistryApi() {}

  // ---- wire types ----

  /** {@code MerkleArchiveCommitment}: the root sighash (base64, no padding) and max TOC size. */
  public record Commitment(String rootSighash, long rootMaxsize) {
    public Commitment {
      Objects.requireNonNull(rootSighash, "rootSighash");
    }
  }

  /**
   * {@code RegistryAsset}: where a file can be fetched, what it must hash to, and who signed that
   * (PEM public key → PEM signature).
   */
  @JsonPropertyOrder({"publishedAt", "urls", "commitment", "signatures"})
  public record Asset(
      String publishedAt,
      List<String> urls,
      Commitment commitment,
      Map<String, String> signatures) {
    public Asset {
      urls = List.copyOf(urls);
      signatures = Map.copyOf(signatures);
    }
  }

  /** One package file of a version and the hardware it is for: a JSON pair, as upstream's tuple. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"hardwareRequirements", "asset"})
  public record HardwareAsset(JsonNode hardwareRequirements, Asset asset) {}

  /** What the Marketplace shows of a dependency before the package is installed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DependencyMetadata(
      @Nullable String title,
      @Nullable String icon,
      @Nullable JsonNode description,
      boolean optional) {}

  /** A published version: its manifest's public facts, and its files. */
  @JsonPropertyOrder({
    "title",
    "icon",
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
    "canMigrateTo",
    "canMigrateFrom",
    "hardwareAcceleration",
    "dependencyMetadata",
    "s9pks"
  })
  public record PackageVersionInfo(
      String title,
      @Nullable String icon,
      JsonNode description,
      JsonNode releaseNotes,
      @Nullable String gitHash,
      String license,
      String packageRepo,
      String upstreamRepo,
      @Nullable String marketingUrl,
      @Nullable String donationUrl,
      String osVersion,
      @Nullable String sdkVersion,
      String canMigrateTo,
      String canMigrateFrom,
      boolean hardwareAcceleration,
      Map<String, DependencyMetadata> dependencyMetadata,
      List<HardwareAsset> s9pks) {
    public PackageVersionInfo {
      dependencyMetadata = Map.copyOf(dependencyMetadata);
      s9pks = List.copyOf(s9pks);
    }

    public PackageVersionInfo withS9pks(List<HardwareAsset> replacement) {
      return new PackageVersionInfo(
          title,
          icon,
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
          canMigrateTo,
          canMigrateFrom,
          hardwareAcceleration,
          dependencyMetadata,
          replacement);
    }
  }

  /** A package: who may publish which versions (signer id → version range), and its versions. */
  public record PackageInfo(
      Map<String, String> authorized, Map<String, PackageVersionInfo> versions) {
    public PackageInfo {
      authorized = Map.copyOf(authorized);
      versions = Map.copyOf(versions);
    }
  }

  public record Category(JsonNode name) {}

  public record PackageIndex(Map<String, Category> categories, Map<String, PackageInfo> packages) {}

  /** A signer: a name, ways to reach them, and the public keys (PEM) they sign with. */
  public record SignerInfo(String name, List<String> contact, List<String> keys) {
    public SignerInfo {
      contact = List.copyOf(contact);
      keys = List.copyOf(keys);
    }
  }

  public record Info(
      @Nullable String name, @Nullable String icon, Map<String, Category> categories) {}

  /** The whole index: {@code {name, icon, package, os, signers}}. */
  public record FullIndex(
      @Nullable String name,
      @Nullable String icon,
      @JsonProperty("package") PackageIndex packageIndex,
      OsIndex os,
      Map<String, SignerInfo> signers) {}

  // ---- OS releases (rpc.md §4.8, registry.os.*) ----

  /** The signature context of OS image commitments (s9pk.md §5). */
  public static final String OS_SIGNATURE_CONTEXT = "startos";

  /**
   * {@code Blake3Commitment}: the BLAKE3 of a whole file (standard base64, padding optional on
   * input) and its size in bytes.
   */
  public record Blake3Commitment(String hash, long size) {
    private static final int HASH_BYTES = 32;

    public Blake3Commitment {
      Objects.requireNonNull(hash, "hash");
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(hash);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("commitment.hash is not base64: " + e.getMessage(), e);
      }
      if (bytes.length != HASH_BYTES) {
        throw new IllegalArgumentException(
            "commitment.hash is a " + HASH_BYTES + "-byte BLAKE3 hash, not " + bytes.length);
      }
      if (size < 0) {
        throw new IllegalArgumentException("commitment.size is negative: " + size);
      }
      hash = Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The 40 bytes that are pre-hashed and signed: hash ‖ u64be(size) (s9pk.md §5). */
    public byte[] signedMessage() {
      return ByteBuffer.allocate(HASH_BYTES + Long.BYTES)
          .put(Base64.getDecoder().decode(hash))
          .putLong(size)
          .array();
    }
  }

  /**
   * {@code RegistryAsset<Blake3Commitment>}: an OS image's URLs, what it hashes to, and who signed
   * that (PEM public key → PEM signature).
   */
  @JsonPropertyOrder({"publishedAt", "urls", "commitment", "signatures"})
  public record OsAsset(
      String publishedAt,
      List<String> urls,
      Blake3Commitment commitment,
      Map<String, String> signatures) {
    public OsAsset {
      Objects.requireNonNull(publishedAt, "publishedAt");
      Objects.requireNonNull(commitment, "commitment");
      urls = List.copyOf(urls);
      signatures = Map.copyOf(signatures);
    }
  }

  /**
   * {@code OsVersionInfo}: a release of the OS, the versions that may update to it ({@code
   * sourceVersion}, a range), the signers who may publish its images, and its images by platform.
   */
  @JsonPropertyOrder({
    "headline",
    "releaseNotes",
    "sourceVersion",
    "authorized",
    "iso",
    "squashfs",
    "img"
  })
  public record OsVersionInfo(
      String headline,
      String releaseNotes,
      String sourceVersion,
      List<String> authorized,
      Map<String, OsAsset> iso,
      Map<String, OsAsset> squashfs,
      Map<String, OsAsset> img) {
    public OsVersionInfo {
      Objects.requireNonNull(headline, "headline");
      Objects.requireNonNull(releaseNotes, "releaseNotes");
      Objects.requireNonNull(sourceVersion, "sourceVersion");
      authorized = List.copyOf(authorized);
      iso = Map.copyOf(iso);
      squashfs = Map.copyOf(squashfs);
      img = Map.copyOf(img);
    }

    /** The images of one kind, by platform. */
    public Map<String, OsAsset> assets(OsImage kind) {
      return switch (kind) {
        case ISO -> iso;
        case IMG -> img;
        case SQUASHFS -> squashfs;
      };
    }

    public OsVersionInfo withAssets(OsImage kind, Map<String, OsAsset> replacement) {
      return new OsVersionInfo(
          headline,
          releaseNotes,
          sourceVersion,
          authorized,
          kind == OsImage.ISO ? replacement : iso,
          kind == OsImage.SQUASHFS ? replacement : squashfs,
          kind == OsImage.IMG ? replacement : img);
    }

    public OsVersionInfo withAuthorized(List<String> replacement) {
      return new OsVersionInfo(
          headline, releaseNotes, sourceVersion, replacement, iso, squashfs, img);
    }
  }

  /** {@code OsIndex}: every release, by version. */
  public record OsIndex(Map<String, OsVersionInfo> versions) {
    public OsIndex {
      versions = Map.copyOf(versions);
    }
  }

  /** The short form of another version: its release notes. */
  public record PackageInfoShort(JsonNode releaseNotes) {}

  /**
   * {@code package.get} of one id: its categories, the best version of each flavor in the range,
   * and, when asked, the others.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GetPackageResponse(
      List<String> categories,
      Map<String, PackageVersionInfo> best,
      @Nullable Map<String, JsonNode> otherVersions) {}

  // ---- params ----

  public record NameParams(String name) {}

  public record IconParams(String icon) {}

  public record SignerIdParams(String signer) {}

  public record AddSignerParams(String name, @Nullable List<String> contact, List<String> keys) {}

  public record EditSignerParams(
      String id,
      @Nullable String setName,
      @Nullable List<String> addContact,
      @Nullable List<String> addKey,
      @Nullable List<String> removeContact,
      @Nullable List<String> removeKey) {}

  public record IdParams(String id) {
    public IdParams {
      java.util.Objects.requireNonNull(id, "id");
    }
  }

  /**
   * {@code otherVersions}: {@code none} (default), {@code short} (release notes) or {@code full}.
   */
  public record GetPackageParams(
      @Nullable String id,
      @Nullable String targetVersion,
      @Nullable String sourceVersion,
      @Nullable String otherVersions) {}

  /**
   * Adds a package version. With {@code urls}, the registry downloads the file from the first that
   * answers; with none (or {@code upload: true}), it answers with an upload continuation the file
   * is then posted to ({@code /rest/rpc/<guid>}). Either way the file must match {@code
   * commitment}, which {@code signature} (PEM, context {@code s9pk}) signs.
   */
  public record AddPackageParams(
      @Nullable List<String> urls,
      Commitment commitment,
      String signature,
      @Nullable Boolean upload) {}

  /** Where to post the file, when the registry asked for an upload. */
  public record AddPackageResult(@Nullable String upload) {}

  public record MirrorParams(String url, Commitment commitment, String signature) {}

  public record RemovePackageParams(
      String id, @Nullable String version, @Nullable String sighash, @Nullable Boolean force) {}

  public record RemoveMirrorParams(String id, String version, String url) {}

  /** {@code versions}: the range the signer may publish (default {@code *}). */
  public record PackageSignerParams(
      String id, String signer, @Nullable String versions, @Nullable Boolean merge) {}

  public record PackageSignerRemoveParams(String id, String signer) {}

  public record CategoryAddParams(String id, JsonNode name) {}

  public record CategoryPackageParams(String id, @JsonProperty("package") String packageId) {}

  public record DumpParams(@Nullable String pointer) {}

  /** An RFC 6902 patch with pointers from the registry database's root. */
  public record ApplyParams(JsonNode patch) {
    public ApplyParams {
      Objects.requireNonNull(patch, "patch");
    }
  }

  /** {@code sourceVersion}: the range of OS versions that may update to this one. */
  public record OsVersionAddParams(
      String version, String headline, String releaseNotes, String sourceVersion) {}

  public record OsVersionParams(String version) {}

  /**
   * Which releases a server may update to: those in {@code targetVersion} (default any) that a
   * server at {@code sourceVersion} may update to, with an update image for {@code platform}. The
   * source and platform default to the ones the device-info header names.
   */
  public record OsVersionGetParams(
      @Nullable String sourceVersion,
      @Nullable String targetVersion,
      @Nullable String serverId,
      @Nullable String platform) {}

  public record OsVersionSignerParams(String version, String signer) {}

  /** {@code signature}: PEM, over {@code commitment}, context {@value #OS_SIGNATURE_CONTEXT}. */
  public record OsAssetAddParams(
      String version, String platform, String url, String signature, Blake3Commitment commitment) {}

  public record OsAssetParams(String version, String platform) {}

  public record OsAssetSignParams(String version, String platform, String signature) {}

  public record MetricsParams(
      @Nullable String after,
      @Nullable String before,
      @Nullable String pkgId,
      @Nullable String version) {}

  /** Anonymous download counts: package → version → completed downloads. */
  public record Downloads(Map<String, Map<String, Long>> downloads) {}

  // ---- methods ----

  private static <P, R> MethodSpec<P, R> pub(
      String name, Class<P> params, Class<R> result, String description) {
    return MethodSpec.of(name, params, result, description).withAccess(Access.PUBLIC);
  }

  public static final MethodSpec<Empty, Info> INFO =
      pub("info", Empty.class, Info.class, "The registry's name, icon and categories");
  public static final MethodSpec<NameParams, Void> SET_NAME =
      MethodSpec.of("info.set-name", NameParams.class, Void.class, "Rename the registry (admin)");
  public static final MethodSpec<IconParams, Void> SET_ICON =
      MethodSpec.of(
          "info.set-icon", IconParams.class, Void.class, "Set the icon, a data URL (admin)");
  public static final MethodSpec<Empty, FullIndex> INDEX =
      MethodSpec.of("index", Empty.class, FullIndex.class, "The full index (signers)");

  public static final MethodSpec<SignerIdParams, Void> ADMIN_ADD =
      MethodSpec.of("admin.add", SignerIdParams.class, Void.class, "Make a signer an admin");
  public static final MethodSpec<SignerIdParams, Void> ADMIN_REMOVE =
      MethodSpec.of("admin.remove", SignerIdParams.class, Void.class, "Remove an admin");
  public static final MethodSpec<Empty, List<String>> ADMIN_LIST =
      MethodSpec.of(
          "admin.list", Empty.class, new TypeReference<List<String>>() {}, "The admins' ids");
  public static final MethodSpec<Empty, Map<String, SignerInfo>> SIGNER_LIST =
      MethodSpec.of(
          "admin.signer.list",
          Empty.class,
          new TypeReference<Map<String, SignerInfo>>() {},
          "Every signer, by id");
  public static final MethodSpec<AddSignerParams, String> SIGNER_ADD =
      MethodSpec.of(
          "admin.signer.add", AddSignerParams.class, String.class, "Register a signer; its new id");
  public static final MethodSpec<EditSignerParams, Void> SIGNER_EDIT =
      MethodSpec.of("admin.signer.edit", EditSignerParams.class, Void.class, "Edit a signer");
  public static final MethodSpec<IdParams, Void> SIGNER_REMOVE =
      MethodSpec.of("admin.signer.remove", IdParams.class, Void.class, "Remove a signer");

  /** Answers a {@link PackageIndex}; declared as JSON so the registry can send a cached tree. */
  public static final MethodSpec<Empty, JsonNode> PACKAGE_INDEX =
      pub("package.index", Empty.class, JsonNode.class, "Every package and version");

  public static final MethodSpec<GetPackageParams, JsonNode> PACKAGE_GET =
      pub(
          "package.get",
          GetPackageParams.class,
          JsonNode.class,
          "The best versions of a package (of every package without an id)");
  public static final MethodSpec<AddPackageParams, AddPackageResult> PACKAGE_ADD =
      MethodSpec.of(
          "package.add",
          AddPackageParams.class,
          AddPackageResult.class,
          "Publish a package version, from URLs or an upload");
  public static final MethodSpec<MirrorParams, Void> PACKAGE_ADD_MIRROR =
      MethodSpec.of(
          "package.add-mirror", MirrorParams.class, Void.class, "Add a URL a version is served at");
  public static final MethodSpec<RemovePackageParams, Void> PACKAGE_REMOVE =
      MethodSpec.of(
          "package.remove", RemovePackageParams.class, Void.class, "Remove a version or package");
  public static final MethodSpec<RemoveMirrorParams, Void> PACKAGE_REMOVE_MIRROR =
      MethodSpec.of(
          "package.remove-mirror", RemoveMirrorParams.class, Void.class, "Remove a mirror URL");
  public static final MethodSpec<PackageSignerParams, Void> PACKAGE_SIGNER_ADD =
      MethodSpec.of(
          "package.signer.add",
          PackageSignerParams.class,
          Void.class,
          "Authorize a signer for a package (admin)");
  public static final MethodSpec<PackageSignerRemoveParams, Void> PACKAGE_SIGNER_REMOVE =
      MethodSpec.of(
          "package.signer.remove",
          PackageSignerRemoveParams.class,
          Void.class,
          "Withdraw a signer's authorization (admin)");
  public static final MethodSpec<IdParams, Map<String, String>> PACKAGE_SIGNER_LIST =
      MethodSpec.of(
              "package.signer.list",
              IdParams.class,
              new TypeReference<Map<String, String>>() {},
              "Who may publish a package: signer id → version range")
          .withAccess(Access.PUBLIC);
  public static final MethodSpec<CategoryAddParams, Void> CATEGORY_ADD =
      MethodSpec.of("package.category.add", CategoryAddParams.class, Void.class, "Add a category");
  public static final MethodSpec<IdParams, Void> CATEGORY_REMOVE =
      MethodSpec.of("package.category.remove", IdParams.class, Void.class, "Remove a category");
  public static final MethodSpec<CategoryPackageParams, Void> CATEGORY_ADD_PACKAGE =
      MethodSpec.of(
          "package.category.add-package",
          CategoryPackageParams.class,
          Void.class,
          "Put a package in a category");
  public static final MethodSpec<CategoryPackageParams, Void> CATEGORY_REMOVE_PACKAGE =
      MethodSpec.of(
          "package.category.remove-package",
          CategoryPackageParams.class,
          Void.class,
          "Take a package out of a category");
  public static final MethodSpec<Empty, Map<String, Category>> CATEGORY_LIST =
      MethodSpec.of(
              "package.category.list",
              Empty.class,
              new TypeReference<Map<String, Category>>() {},
              "The categories")
          .withAccess(Access.PUBLIC);

  public static final MethodSpec<DumpParams, JsonNode> DB_DUMP =
      MethodSpec.of("db.dump", DumpParams.class, JsonNode.class, "The registry's database (admin)");
  public static final MethodSpec<MetricsParams, Downloads> METRICS_DOWNLOADS =
      MethodSpec.of(
          "metrics.downloads",
          MetricsParams.class,
          Downloads.class,
          "Completed downloads per package and version (admin)");

  public static final MethodSpec<ApplyParams, Void> DB_APPLY =
      MethodSpec.of(
          "db.apply",
          ApplyParams.class,
          Void.class,
          "Apply a JSON Patch to the registry's database; refused if the result is not a valid"
              + " model (admin)");

  public static final MethodSpec<Empty, OsIndex> OS_INDEX =
      pub("os.index", Empty.class, OsIndex.class, "Every OS release");
  public static final MethodSpec<OsVersionAddParams, Void> OS_VERSION_ADD =
      MethodSpec.of(
          "os.version.add",
          OsVersionAddParams.class,
          Void.class,
          "Add an OS release, or change its headline, notes and source range (admin)");
  public static final MethodSpec<OsVersionParams, Void> OS_VERSION_REMOVE =
      MethodSpec.of(
          "os.version.remove", OsVersionParams.class, Void.class, "Remove an OS release (admin)");
  public static final MethodSpec<OsVersionGetParams, Map<String, OsVersionInfo>> OS_VERSION_GET =
      MethodSpec.of(
              "os.version.get",
              OsVersionGetParams.class,
              new TypeReference<Map<String, OsVersionInfo>>() {},
              "The OS releases a server may update to")
          .withAccess(Access.PUBLIC);
  public static final MethodSpec<OsVersionSignerParams, Void> OS_VERSION_SIGNER_ADD =
      MethodSpec.of(
          "os.version.signer.add",
          OsVersionSignerParams.class,
          Void.class,
          "Authorize a signer to publish an OS release's images (admin)");
  public static final MethodSpec<OsVersionSignerParams, Void> OS_VERSION_SIGNER_REMOVE =
      MethodSpec.of(
          "os.version.signer.remove",
          OsVersionSignerParams.class,
          Void.class,
          "Withdraw a signer's authorization for an OS release (admin)");
  public static final MethodSpec<OsVersionParams, Map<String, SignerInfo>> OS_VERSION_SIGNER_LIST =
      MethodSpec.of(
              "os.version.signer.list",
              OsVersionParams.class,
              new TypeReference<Map<String, SignerInfo>>() {},
              "Who may publish an OS release's images, by signer id")
          .withAccess(Access.PUBLIC);

  /**
   * The kinds of OS image ({@code iso}, {@code img}, {@code squashfs}), each with its four {@code
   * os.asset.*.<kind>} methods.
   */
  public enum OsImage {
    ISO("iso"),
    IMG("img"),
    SQUASHFS("squashfs");

    public final String wire;
    public final MethodSpec<OsAssetAddParams, Void> add;
    public final MethodSpec<OsAssetParams, Void> remove;
    public final MethodSpec<OsAssetSignParams, Void> sign;
    public final MethodSpec<OsAssetParams, OsAsset> get;

    OsImage(String wire) {
      this.wire = wire;
      this.add =
          MethodSpec.of(
              "os.asset.add." + wire,
              OsAssetAddParams.class,
              Void.class,
              "Publish an OS release's " + wire + " for a platform (authorized signer)");
      this.remove =
          MethodSpec.of(
              "os.asset.remove." + wire,
              OsAssetParams.class,
              Void.class,
              "Remove an OS release's " + wire + " for a platform (authorized signer)");
      this.sign =
          MethodSpec.of(
              "os.asset.sign." + wire,
              OsAssetSignParams.class,
              Void.class,
              "Add the sender's signature to an OS release's " + wire + " (authorized signer)");
      this.get =
          pub(
              "os.asset.get." + wire,
              OsAssetParams.class,
              OsAsset.class,
              "An OS release's " + wire + " for a platform");
    }

    public static OsImage parse(String wire) {
      for (OsImage k : values()) {
        if (k.wire.equals(wire)) return k;
      }
      throw new IllegalArgumentException("an OS image is iso, img or squashfs, not " + wire);
    }
  }

  /** Every method, for the CLI's listing and the server's completeness test. */
  public static final List<MethodSpec<?, ?>> ALL =
      Stream.concat(
              Stream.of(
                  INFO,
                  SET_NAME,
                  SET_ICON,
                  INDEX,
                  ADMIN_ADD,
                  ADMIN_REMOVE,
                  ADMIN_LIST,
                  SIGNER_LIST,
                  SIGNER_ADD,
                  SIGNER_EDIT,
                  SIGNER_REMOVE,
                  PACKAGE_INDEX,
                  PACKAGE_GET,
                  PACKAGE_ADD,
                  PACKAGE_ADD_MIRROR,
                  PACKAGE_REMOVE,
                  PACKAGE_REMOVE_MIRROR,
                  PACKAGE_SIGNER_ADD,
                  PACKAGE_SIGNER_REMOVE,
                  PACKAGE_SIGNER_LIST,
                  CATEGORY_ADD,
                  CATEGORY_REMOVE,
                  CATEGORY_ADD_PACKAGE,
                  CATEGORY_REMOVE_PACKAGE,
                  CATEGORY_LIST,
                  DB_DUMP,
                  DB_APPLY,
                  METRICS_DOWNLOADS,
                  OS_INDEX,
                  OS_VERSION_ADD,
                  OS_VERSION_REMOVE,
                  OS_VERSION_GET,
                  OS_VERSION_SIGNER_ADD,
                  OS_VERSION_SIGNER_REMOVE,
                  OS_VERSION_SIGNER_LIST),
              Arrays.stream(OsImage.values())
                  .flatMap(k -> Stream.<MethodSpec<?, ?>>of(k.add, k.remove, k.sign, k.get)))
          .toList();
}
