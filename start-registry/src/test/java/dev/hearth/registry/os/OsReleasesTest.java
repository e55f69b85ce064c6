package dev.hearth.registry.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.RegistryApi;
import dev.hearth.api.RegistryApi.Blake3Commitment;
import dev.hearth.api.RegistryApi.OsImage;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.registry.RegistryFixture;
import dev.hearth.registry.pkg.DeviceInfo;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.SignaturePem;
import dev.hearth.s9pk.sign.SignerKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code os.*} against a real registry: releases, who may publish them, and signed images. */
class OsReleasesTest {
  private static final String ISO_URL = "https://images.example.com/startos-0.4.0-x86_64.iso";

  @TempDir Path dir;
  RegistryFixture reg;
  RpcClient admin;
  RpcClient anyone;
  DeveloperKey dev;
  String devId;
  RpcClient signer;

  @BeforeEach
  void start() throws Exception {
    reg = new RegistryFixture(dir);
    admin = reg.client(reg.adminKey);
    anyone = reg.anonymous();
    dev = DeveloperKey.generate(new SecureRandom());
    devId =
        admin.call(
            RegistryApi.SIGNER_ADD,
            new RegistryApi.AddSignerParams("dev", List.of(), List.of(dev.publicKey().pem())));
    signer = reg.client(dev);
    addVersion("0.3.6", "*");
    addVersion("0.4.0", ">=0.3.5 <0.4.0");
    addVersion("0.4.1", ">=0.4.0 <0.4.1");
  }

  @AfterEach
  void stop() throws Exception {
    signer.close();
    anyone.close();
    admin.close();
    reg.close();
  }

  private void addVersion(String version, String source) {
    admin.call(
        RegistryApi.OS_VERSION_ADD,
        new RegistryApi.OsVersionAddParams(
            version, "StartOS " + version, "Notes for " + version, source));
  }

  static Blake3Commitment commitmentOf(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new Blake3Commitment(Blake3.hash(bytes).base64(), bytes.length);
  }

  static String sign(DeveloperKey key, Blake3Commitment c) {
    return SignaturePem.encode(
        key.signPrehashed(c.signedMessage(), RegistryApi.OS_SIGNATURE_CONTEXT));
  }

  private static RegistryApi.OsAssetAddParams asset(
      String version, String platform, Blake3Commitment c, String signature) {
    return new RegistryApi.OsAssetAddParams(version, platform, ISO_URL, signature, c);
  }

  private static void refused(ThrowingCallable call, ErrorKind kind, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(StartException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(kind);
  }

  private RegistryApi.OsIndex index() {
    return anyone.call(RegistryApi.OS_INDEX, new Empty());
  }

  @Test
  void anAdminAddsReleasesThatAnyoneLists() {
    var index = index();
    assertThat(index.versions()).containsOnlyKeys("0.3.6", "0.4.0", "0.4.1");
    var info = index.versions().get("0.4.0");
    assertThat(info.headline()).isEqualTo("StartOS 0.4.0");
    assertThat(info.releaseNotes()).isEqualTo("Notes for 0.4.0");
    assertThat(info.sourceVersion()).isEqualTo(">=0.3.5 <0.4.0");
    assertThat(info.authorized()).isEmpty();
    assertThat(info.iso()).isEmpty();

    // Added again: the text changes, what was published stays.
    Blake3Commitment c = commitmentOf("iso");
    admin.call(OsImage.ISO.add, asset("0.4.0", "x86_64", c, sign(reg.adminKey, c)));
    admin.call(
        RegistryApi.OS_VERSION_ADD,
        new RegistryApi.OsVersionAddParams("0.4.0", "Better", "More notes", ">=0.3.0 <0.4.0"));
    info = index().versions().get("0.4.0");
    assertThat(info.headline()).isEqualTo("Better");
    assertThat(info.sourceVersion()).isEqualTo(">=0.3.0 <0.4.0");
    assertThat(info.iso()).containsOnlyKeys("x86_64");

    // The whole index carries it too.
    assertThat(admin.call(RegistryApi.INDEX, new Empty()).os().versions())
        .containsOnlyKeys("0.3.6", "0.4.0", "0.4.1");

    admin.call(RegistryApi.OS_VERSION_REMOVE, new RegistryApi.OsVersionParams("0.3.6"));
    assertThat(index().versions()).containsOnlyKeys("0.4.0", "0.4.1");
    refused(
        () -> admin.call(RegistryApi.OS_VERSION_REMOVE, new RegistryApi.OsVersionParams("0.3.6")),
        ErrorKind.NOT_FOUND,
        "no OS release 0.3.6");
  }

  @Test
  void onlyAnAdminAddsReleasesAndBadVersionsAreRefused() {
    refused(
        () ->
            signer.call(
                RegistryApi.OS_VERSION_ADD,
                new RegistryApi.OsVersionAddParams("0.5.0", "h", "n", "*")),
        ErrorKind.AUTHORIZATION,
        "needs an admin");
    refused(
        () ->
            admin.call(
                RegistryApi.OS_VERSION_ADD,
                new RegistryApi.OsVersionAddParams("0.5.0", "h", "n", ">=>=")),
        ErrorKind.INVALID_REQUEST,
        "sourceVersion is not a version range");
    refused(
        () ->
            admin.call(
                RegistryApi.OS_VERSION_ADD,
                new RegistryApi.OsVersionAddParams("not a version", "h", "n", "*")),
        ErrorKind.INVALID_REQUEST,
        "version is not an OS version");
    assertThat(index().versions()).containsOnlyKeys("0.3.6", "0.4.0", "0.4.1");
  }

  @Test
  void versionGetListsWhatAServerMayUpdateToByRangeAndPlatform() {
    for (String v : List.of("0.4.0", "0.4.1")) {
      Blake3Commitment c = commitmentOf("squashfs " + v);
      admin.call(OsImage.SQUASHFS.add, asset(v, "x86_64", c, sign(reg.adminKey, c)));
    }
    Blake3Commitment arm = commitmentOf("arm squashfs");
    admin.call(OsImage.SQUASHFS.add, asset("0.4.1", "aarch64", arm, sign(reg.adminKey, arm)));

    assertThat(get(null, null, null).keySet()).containsExactly("0.3.6", "0.4.0", "0.4.1");
    assertThat(get("0.3.6", null, null).keySet()).containsExactly("0.3.6", "0.4.0");
    assertThat(get("0.4.0", null, null).keySet()).containsExactly("0.3.6", "0.4.1");
    assertThat(get("0.3.6", ">0.3.6", null).keySet()).containsExactly("0.4.0");
    assertThat(get(null, null, "x86_64").keySet()).containsExactly("0.4.0", "0.4.1");
    assertThat(get(null, null, "aarch64").keySet()).containsExactly("0.4.1");
    assertThat(get("0.3.6", null, "aarch64")).isEmpty();
    refused(
        () -> get("0.3.x", null, null),
        ErrorKind.INVALID_REQUEST,
        "sourceVersion is not an OS version");

    // Without params, the device's own version and platform are the source and platform.
    try (RpcClient device = reg.anonymous()) {
      device.addHeader(
          DeviceInfo.HEADER,
          new DeviceInfo("0.4.0", null, "x86_64", "en_US", "x86_64", null).header());
      assertThat(
              device
                  .call(
                      RegistryApi.OS_VERSION_GET,
                      new RegistryApi.OsVersionGetParams(null, null, "server-1", null))
                  .keySet())
          .containsExactly("0.4.1");
    }
  }

  private java.util.Map<String, RegistryApi.OsVersionInfo> get(
      String source, String target, String platform) {
    return anyone.call(
        RegistryApi.OS_VERSION_GET,
        new RegistryApi.OsVersionGetParams(source, target, null, platform));
  }

  @Test
  void aSignerPublishesImagesOnlyOfTheReleasesItIsAuthorizedFor() {
    admin.call(
        RegistryApi.OS_VERSION_SIGNER_ADD, new RegistryApi.OsVersionSignerParams("0.4.0", devId));
    assertThat(
            anyone.call(
                RegistryApi.OS_VERSION_SIGNER_LIST, new RegistryApi.OsVersionParams("0.4.0")))
        .containsOnlyKeys(devId);
    assertThat(
            anyone.call(
                RegistryApi.OS_VERSION_SIGNER_LIST, new RegistryApi.OsVersionParams("0.4.1")))
        .isEmpty();

    Blake3Commitment c = commitmentOf("an image");
    for (OsImage kind : OsImage.values()) {
      signer.call(kind.add, asset("0.4.0", "x86_64", c, sign(dev, c)));
      var got = anyone.call(kind.get, new RegistryApi.OsAssetParams("0.4.0", "x86_64"));
      assertThat(got.commitment()).isEqualTo(c);
      assertThat(got.urls()).containsExactly(ISO_URL);
      assertThat(got.signatures()).containsOnlyKeys(dev.publicKey().pem());
    }

    refused(
        () -> signer.call(OsImage.ISO.add, asset("0.4.1", "x86_64", c, sign(dev, c))),
        ErrorKind.AUTHORIZATION,
        "not authorized for OS release 0.4.1");
    assertThat(index().versions().get("0.4.1").iso()).isEmpty();

    // Withdrawn: no more changes, not even removing what it published.
    admin.call(
        RegistryApi.OS_VERSION_SIGNER_REMOVE,
        new RegistryApi.OsVersionSignerParams("0.4.0", devId));
    refused(
        () -> signer.call(OsImage.ISO.remove, new RegistryApi.OsAssetParams("0.4.0", "x86_64")),
        ErrorKind.AUTHORIZATION,
        "not authorized for OS release 0.4.0");
    refused(
        () ->
            signer.call(
                RegistryApi.OS_VERSION_SIGNER_ADD,
                new RegistryApi.OsVersionSignerParams("0.4.0", devId)),
        ErrorKind.AUTHORIZATION,
        "needs an admin");

    // An admin needs no authorization.
    admin.call(OsImage.ISO.remove, new RegistryApi.OsAssetParams("0.4.0", "x86_64"));
    refused(
        () -> anyone.call(OsImage.ISO.get, new RegistryApi.OsAssetParams("0.4.0", "x86_64")),
        ErrorKind.NOT_FOUND,
        "has no iso for x86_64");
    assertThat(index().versions().get("0.4.0").img()).containsOnlyKeys("x86_64");
  }

  @Test
  void anUnauthorizedSignersImageIsRefusedAndNothingIsStored() {
    Blake3Commitment c = commitmentOf("an image");
    refused(
        () -> signer.call(OsImage.IMG.add, asset("0.4.0", "raspberrypi", c, sign(dev, c))),
        ErrorKind.AUTHORIZATION,
        "not authorized for OS release 0.4.0");
    refused(
        () -> anyone.call(OsImage.IMG.add, asset("0.4.0", "raspberrypi", c, sign(dev, c))),
        ErrorKind.AUTHORIZATION,
        "signed by a signer of this registry");
    assertThat(index().versions().get("0.4.0").img()).isEmpty();
  }

  @Test
  void aSignatureOverAnotherCommitmentOrByAnotherKeyIsRefusedAndNothingIsStored() {
    admin.call(
        RegistryApi.OS_VERSION_SIGNER_ADD, new RegistryApi.OsVersionSignerParams("0.4.0", devId));
    Blake3Commitment c = commitmentOf("the image");
    Blake3Commitment other = commitmentOf("another image");
    refused(
        () -> signer.call(OsImage.ISO.add, asset("0.4.0", "x86_64", c, sign(dev, other))),
        ErrorKind.INVALID_SIGNATURE,
        "not over this commitment");
    // The same hash with another size is another commitment.
    Blake3Commitment resized = new Blake3Commitment(c.hash(), c.size() + 1);
    refused(
        () -> signer.call(OsImage.ISO.add, asset("0.4.0", "x86_64", resized, sign(dev, c))),
        ErrorKind.INVALID_SIGNATURE,
        "not over this commitment");
    // Signed by the admin's key, sent by the dev: not the sender's signature.
    refused(
        () -> signer.call(OsImage.ISO.add, asset("0.4.0", "x86_64", c, sign(reg.adminKey, c))),
        ErrorKind.INVALID_SIGNATURE,
        "by the key that signed the request");
    // A package signature (context s9pk) is not an OS image signature.
    String s9pkContext = SignaturePem.encode(dev.signPrehashed(c.signedMessage(), S9pk.CONTEXT));
    refused(
        () -> signer.call(OsImage.ISO.add, asset("0.4.0", "x86_64", c, s9pkContext)),
        ErrorKind.INVALID_SIGNATURE,
        "context startos");
    assertThat(index().versions().get("0.4.0").iso()).isEmpty();
  }

  @Test
  void anotherSignerAddsItsSignatureToAPublishedImage() {
    Blake3Commitment c = commitmentOf("the image");
    admin.call(OsImage.SQUASHFS.add, asset("0.4.1", "x86_64", c, sign(reg.adminKey, c)));
    var params = new RegistryApi.OsAssetParams("0.4.1", "x86_64");

    refused(
        () ->
            signer.call(
                OsImage.SQUASHFS.sign,
                new RegistryApi.OsAssetSignParams("0.4.1", "x86_64", sign(dev, c))),
        ErrorKind.AUTHORIZATION,
        "not authorized");
    admin.call(
        RegistryApi.OS_VERSION_SIGNER_ADD, new RegistryApi.OsVersionSignerParams("0.4.1", devId));
    refused(
        () ->
            signer.call(
                OsImage.SQUASHFS.sign,
                new RegistryApi.OsAssetSignParams(
                    "0.4.1", "x86_64", sign(dev, commitmentOf("other")))),
        ErrorKind.INVALID_SIGNATURE,
        "not over this commitment");
    assertThat(anyone.call(OsImage.SQUASHFS.get, params).signatures()).hasSize(1);

    signer.call(
        OsImage.SQUASHFS.sign, new RegistryApi.OsAssetSignParams("0.4.1", "x86_64", sign(dev, c)));
    var got = anyone.call(OsImage.SQUASHFS.get, params);
    assertThat(got.signatures())
        .containsOnlyKeys(reg.adminKey.publicKey().pem(), dev.publicKey().pem());
    for (var s : got.signatures().entrySet()) {
      assertThat(
              SignerKey.parsePem(s.getKey())
                  .verifiesPrehashed(
                      SignaturePem.decode(s.getValue()),
                      c.signedMessage(),
                      RegistryApi.OS_SIGNATURE_CONTEXT))
          .isTrue();
    }
  }

  @Test
  void theSameImageAgainAddsAMirrorAndAnotherImageIsRefused() {
    Blake3Commitment c = commitmentOf("the image");
    admin.call(OsImage.ISO.add, asset("0.4.0", "x86_64", c, sign(reg.adminKey, c)));
    admin.call(
        OsImage.ISO.add,
        new RegistryApi.OsAssetAddParams(
            "0.4.0", "x86_64", "https://mirror.example.org/a.iso", sign(reg.adminKey, c), c));
    assertThat(
            anyone.call(OsImage.ISO.get, new RegistryApi.OsAssetParams("0.4.0", "x86_64")).urls())
        .containsExactly(ISO_URL, "https://mirror.example.org/a.iso");

    Blake3Commitment other = commitmentOf("another image");
    refused(
        () ->
            admin.call(OsImage.ISO.add, asset("0.4.0", "x86_64", other, sign(reg.adminKey, other))),
        ErrorKind.DUPLICATE,
        "remove it first");
    refused(
        () ->
            admin.call(
                OsImage.ISO.add,
                new RegistryApi.OsAssetAddParams(
                    "0.4.0", "x86_64", "file:///etc/passwd", sign(reg.adminKey, c), c)),
        ErrorKind.INVALID_REQUEST,
        "http(s)");
    refused(
        () -> admin.call(OsImage.ISO.add, asset("0.4.0", "X 86", c, sign(reg.adminKey, c))),
        ErrorKind.INVALID_REQUEST,
        "a platform is");
    refused(
        () -> admin.call(OsImage.ISO.add, asset("0.9.0", "x86_64", c, sign(reg.adminKey, c))),
        ErrorKind.NOT_FOUND,
        "no OS release 0.9.0");
    assertThat(
            anyone
                .call(OsImage.ISO.get, new RegistryApi.OsAssetParams("0.4.0", "x86_64"))
                .commitment())
        .isEqualTo(c);
  }

  @Test
  void aMalformedCommitmentIsRefusedAsParams() {
    assertThatThrownBy(() -> new Blake3Commitment("AAAA", 1))
        .hasMessageContaining("32-byte BLAKE3 hash");
    var params =
        RegistryFixture.JSON
            .createObjectNode()
            .put("version", "0.4.0")
            .put("platform", "x86_64")
            .put("url", ISO_URL)
            .put("signature", "x");
    params.putObject("commitment").put("hash", "AAAA").put("size", 1);
    assertThatThrownBy(() -> admin.call(OsImage.ISO.add.name(), params))
        .isInstanceOf(StartException.class)
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(ErrorKind.DESERIALIZATION);
  }
}
