package dev.hearth.registry.os;

import dev.hearth.api.RegistryApi;
import dev.hearth.api.RegistryApi.Blake3Commitment;
import dev.hearth.api.RegistryApi.OsAsset;
import dev.hearth.api.RegistryApi.OsImage;
import dev.hearth.api.RegistryApi.OsVersionInfo;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.Version;
import dev.hearth.exver.VersionRange;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.db.RegistryDb;
import dev.hearth.registry.pkg.DeviceInfo;
import dev.hearth.s9pk.sign.SignaturePem;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS releases of the registry: an admin adds versions and authorizes signers per version; an
 * authorized signer (or an admin) publishes each version's images by kind and platform.
 *
 * <p>An image is an entry in the index, not a file of the registry's: the URL, the BLAKE3
 * commitment and the signatures over it. The registry checks each signature over the commitment
 * with the key the request was signed with, before anything is stored; it does not download the
 * image. Unlike a package, whose index entry is read out of the file and whose copy the registry
 * serves, nothing here comes from the image, and a check when it is added would prove nothing later
 * (the URL may serve other bytes tomorrow): what protects a server is the signed commitment, which
 * every download is verified against. Fetching would also hold an RPC call open for the minutes a
 * multi-GB image takes, past the callers' timeouts. {@code start-cli registry os asset add} checks
 * the URL against the file before it calls, as upstream's CLI does.
 *
 * <p>Every change is one {@code db.mutate}; handlers may call from any thread.
 */
public final class OsReleases {
  private static final Logger log = LoggerFactory.getLogger(OsReleases.class);

  /** Platforms are short names such as {@code x86_64}, {@code x86_64-nonfree}, {@code aarch64}. */
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  private static final VersionRange ANY = VersionRange.parse("*");

  private final RegistryDb db;
  private final Authenticator auth;
  private final Clock clock;

  public OsReleases(RegistryDb db, Authenticator auth, Clock clock) {
    this.db = db;
    this.auth = auth;
    this.clock = clock;
  }

  public RegistryApi.OsIndex index() {
    return db.read(RegistryDb.OS, new RegistryApi.OsIndex(Map.of()));
  }

  /** Adds a release, or changes an existing one's headline, notes and source range. */
  public void addVersion(RegistryApi.OsVersionAddParams p) {
    String key = versionKey(p.version());
    required(p.headline(), "headline");
    required(p.releaseNotes(), "releaseNotes");
    range(required(p.sourceVersion(), "sourceVersion"), "sourceVersion");
    db.mutate(tx -> {
      OsVersionInfo info =
          tx.get(RegistryDb.osVersion(key))
              .map(old ->
                  new OsVersionInfo(
                      p.headline(),
                      p.releaseNotes(),
                      p.sourceVersion(),
                      old.authorized(),
                      old.iso(),
                      old.squashfs(),
                      old.img()))
              .orElseGet(() ->
                  new OsVersionInfo(
                      p.headline(),
                      p.releaseNotes(),
                      p.sourceVersion(),
                      List.of(),
                      Map.of(),
                      Map.of(),
                      Map.of()));
      tx.put(RegistryDb.osVersion(key), info);
    });
    log.info("OS release {} added", key);
  }

  public void removeVersion(String version) {
    String key = versionKey(version);
    db.mutate(tx -> {
      if (!tx.remove(RegistryDb.osVersion(key).pointer())) {
        throw noVersion(key);
      }
    });
    log.info("OS release {} removed", key);
  }

  /**
   * The releases in {@code targetVersion} that a server at {@code sourceVersion} may update to and
   * that have an update image (squashfs) for {@code platform}, oldest first. Source and platform
   * default to the ones the device says it has; absent, they filter nothing.
   */
  public Map<String, OsVersionInfo> versions(
      RegistryApi.OsVersionGetParams p, Optional<DeviceInfo> device) {
    String source =
        p.sourceVersion() != null
            ? p.sourceVersion()
            : device.map(DeviceInfo::osVersion).orElse(null);
    String platform =
        p.platform() != null ? p.platform() : device.map(DeviceInfo::platform).orElse(null);
    @Nullable ExtendedVersion from =
        source == null ? null : extended(version(source, "sourceVersion"));
    VersionRange target =
        p.targetVersion() == null ? ANY : range(p.targetVersion(), "targetVersion");
    TreeMap<Version, Map.Entry<String, OsVersionInfo>> found = new TreeMap<>();
    index()
        .versions()
        .forEach((v, info) -> {
          Version version;
          try {
            version = Version.parse(v);
          } catch (RuntimeException e) {
            return; // only db.apply could have written it, and no server can update to it
          }
          if ((platform == null || info.squashfs().containsKey(platform))
              && extended(version).satisfies(target)
              && (from == null || satisfies(from, info.sourceVersion()))) {
            found.put(version, Map.entry(v, info));
          }
        });
    Map<String, OsVersionInfo> out = new LinkedHashMap<>();
    found.values().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Authorizes a signer to publish the images of a release. */
  public void addSigner(String version, String signer) {
    String key = versionKey(version);
    required(signer, "signer");
    db.mutate(tx -> {
      if (tx.get(RegistryDb.signer(signer)).isEmpty()) {
        throw new StartException(ErrorKind.NOT_FOUND, "no signer " + signer);
      }
      OsVersionInfo info = tx.get(RegistryDb.osVersion(key)).orElseThrow(() -> noVersion(key));
      var ids = new LinkedHashSet<>(info.authorized());
      ids.add(signer);
      tx.put(RegistryDb.osVersion(key), info.withAuthorized(List.copyOf(ids)));
    });
  }

  public void removeSigner(String version, String signer) {
    String key = versionKey(version);
    required(signer, "signer");
    db.mutate(tx -> {
      OsVersionInfo info = tx.get(RegistryDb.osVersion(key)).orElseThrow(() -> noVersion(key));
      if (!info.authorized().contains(signer)) {
        throw new StartException(
            ErrorKind.NOT_FOUND, signer + " is not authorized for OS release " + key);
      }
      tx.put(
          RegistryDb.osVersion(key),
          info.withAuthorized(info.authorized().stream().filter(s -> !s.equals(signer)).toList()));
    });
  }

  /** The signers authorized for a release, by id (ids of signers since removed are left out). */
  public Map<String, RegistryApi.SignerInfo> signers(String version) {
    String key = versionKey(version);
    OsVersionInfo info = db.read(RegistryDb.osVersion(key), null);
    if (info == null) {
      throw noVersion(key);
    }
    Map<String, RegistryApi.SignerInfo> all = db.read(RegistryDb.SIGNERS, Map.of());
    Map<String, RegistryApi.SignerInfo> out = new LinkedHashMap<>();
    for (String id : info.authorized()) {
      if (all.containsKey(id)) out.put(id, all.get(id));
    }
    return out;
  }

  /**
   * Publishes an image: the sender must be authorized for the release, and the signature must
   * verify over the commitment with the key the request was signed with. The same commitment
   * published again adds the URL and the signature; another one for the same kind and platform is
   * refused (remove the old one first).
   *
   * @throws StartException AUTHORIZATION, INVALID_SIGNATURE, NOT_FOUND, DUPLICATE; nothing is
   *     stored then
   */
  public void addAsset(OsImage kind, Authenticator.Sender sender, RegistryApi.OsAssetAddParams p) {
    String key = versionKey(p.version());
    String platform = platform(p.platform());
    String url = url(required(p.url(), "url"));
    Blake3Commitment commitment = required(p.commitment(), "commitment");
    checkMayPublish(sender.id(), key, release(key));
    String signature = verified(sender, commitment, required(p.signature(), "signature"));
    db.mutate(tx -> {
      OsVersionInfo info = tx.get(RegistryDb.osVersion(key)).orElseThrow(() -> noVersion(key));
      checkMayPublish(sender.id(), key, info);
      Map<String, OsAsset> assets = new HashMap<>(info.assets(kind));
      OsAsset old = assets.get(platform);
      if (old != null && !old.commitment().equals(commitment)) {
        throw new StartException(
            ErrorKind.DUPLICATE,
            "OS release "
                + key
                + " has another "
                + kind.wire
                + " for "
                + platform
                + "; remove it first");
      }
      List<String> urls = new ArrayList<>(old == null ? List.of() : old.urls());
      if (!urls.contains(url)) urls.add(url);
      Map<String, String> signatures = new HashMap<>(old == null ? Map.of() : old.signatures());
      signatures.put(sender.key().pem(), signature);
      assets.put(
          platform,
          new OsAsset(
              old == null ? clock.instant().toString() : old.publishedAt(),
              urls,
              commitment,
              signatures));
      tx.put(RegistryDb.osVersion(key), info.withAssets(kind, assets));
    });
    log.info("OS {} {} for {} published by signer {}", kind.wire, key, platform, sender.id());
  }

  /** Adds the sender's signature over a published image's commitment. */
  public void signAsset(
      OsImage kind, Authenticator.Sender sender, RegistryApi.OsAssetSignParams p) {
    String key = versionKey(p.version());
    String platform = platform(p.platform());
    OsVersionInfo current = release(key);
    checkMayPublish(sender.id(), key, current);
    Blake3Commitment commitment = assetOf(current, kind, key, platform).commitment();
    String signature = verified(sender, commitment, required(p.signature(), "signature"));
    db.mutate(tx -> {
      OsVersionInfo info = tx.get(RegistryDb.osVersion(key)).orElseThrow(() -> noVersion(key));
      checkMayPublish(sender.id(), key, info);
      OsAsset asset = assetOf(info, kind, key, platform);
      if (!asset.commitment().equals(commitment)) {
        throw new StartException(
            ErrorKind.INVALID_SIGNATURE,
            "the " + kind.wire + " was replaced while it was being signed; sign the new one");
      }
      Map<String, String> signatures = new HashMap<>(asset.signatures());
      signatures.put(sender.key().pem(), signature);
      Map<String, OsAsset> assets = new HashMap<>(info.assets(kind));
      assets.put(platform, new OsAsset(asset.publishedAt(), asset.urls(), commitment, signatures));
      tx.put(RegistryDb.osVersion(key), info.withAssets(kind, assets));
    });
  }

  public void removeAsset(OsImage kind, Authenticator.Sender sender, RegistryApi.OsAssetParams p) {
    String key = versionKey(p.version());
    String platform = platform(p.platform());
    db.mutate(tx -> {
      OsVersionInfo info = tx.get(RegistryDb.osVersion(key)).orElseThrow(() -> noVersion(key));
      checkMayPublish(sender.id(), key, info);
      Map<String, OsAsset> assets = new HashMap<>(info.assets(kind));
      if (assets.remove(platform) == null) {
        throw noAsset(kind, key, platform);
      }
      tx.put(RegistryDb.osVersion(key), info.withAssets(kind, assets));
    });
    log.info("OS {} {} for {} removed by signer {}", kind.wire, key, platform, sender.id());
  }

  public OsAsset asset(OsImage kind, RegistryApi.OsAssetParams p) {
    String key = versionKey(p.version());
    return assetOf(release(key), kind, key, platform(p.platform()));
  }

  // ---- checks ----

  private OsVersionInfo release(String key) {
    OsVersionInfo info = db.read(RegistryDb.osVersion(key), null);
    if (info == null) {
      throw noVersion(key);
    }
    return info;
  }

  /** An admin may publish any release's images; another signer those it is authorized for. */
  private void checkMayPublish(String signer, String key, OsVersionInfo info) {
    if (!info.authorized().contains(signer) && !auth.isAdmin(signer)) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          "this signer is not authorized for OS release " + key + " (an admin authorizes it)");
    }
  }

  /**
   * The signature in PEM form, once it verifies over {@code commitment} with the sender's key.
   *
   * @throws StartException INVALID_SIGNATURE if it does not
   */
  private static String verified(
      Authenticator.Sender sender, Blake3Commitment commitment, String signaturePem) {
    byte[] signature = SignaturePem.decode(signaturePem);
    if (!sender
        .key()
        .verifiesPrehashed(
            signature, commitment.signedMessage(), RegistryApi.OS_SIGNATURE_CONTEXT)) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE,
          "the signature is not over this commitment by the key that signed the request"
              + " (context "
              + RegistryApi.OS_SIGNATURE_CONTEXT
              + ")");
    }
    return SignaturePem.encode(signature);
  }

  private static OsAsset assetOf(OsVersionInfo info, OsImage kind, String key, String platform) {
    OsAsset asset = info.assets(kind).get(platform);
    if (asset == null) {
      throw noAsset(kind, key, platform);
    }
    return asset;
  }

  /** A release's key in the index: its version as {@link Version#toString()} prints it. */
  static String versionKey(@Nullable String text) {
    return version(required(text, "version"), "version").toString();
  }

  private static Version version(String text, String field) {
    try {
      return Version.parse(text);
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, field + " is not an OS version: " + text, e);
    }
  }

  private static VersionRange range(String text, String field) {
    try {
      return VersionRange.parse(text);
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, field + " is not a version range: " + text, e);
    }
  }

  private static ExtendedVersion extended(Version v) {
    return ExtendedVersion.of(v, Version.of(0));
  }

  /** A stored range that no longer parses (db.apply) lets nothing update to its release. */
  private static boolean satisfies(ExtendedVersion v, String range) {
    try {
      return v.satisfies(VersionRange.parse(range));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String platform(@Nullable String text) {
    if (text == null || !PLATFORM.matcher(text).matches()) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "a platform is 1 to 64 of a-z, 0-9, '_', '.', '-' (such as x86_64), not " + text);
    }
    return text;
  }

  private static String url(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a URL: " + text, e);
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "an image's URL is http(s): " + text);
    }
    return text;
  }

  private static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new StartException(ErrorKind.INVALID_REQUEST, field + " is required");
    }
    return value;
  }

  private static StartException noVersion(String key) {
    return new StartException(ErrorKind.NOT_FOUND, "this registry has no OS release " + key);
  }

  private static StartException noAsset(OsImage kind, String key, String platform) {
    return new StartException(
        ErrorKind.NOT_FOUND, "OS release " + key + " has no " + kind.wire + " for " + platform);
  }
}
