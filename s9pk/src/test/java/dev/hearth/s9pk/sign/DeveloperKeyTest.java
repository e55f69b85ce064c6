package dev.hearth.s9pk.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeveloperKeyTest {
  @TempDir Path dir;

  private static final byte[] MESSAGE = "sighash and max size".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aNewKeyFileIsOwnerOnlyAndReadsBackAsTheSameKey() throws Exception {
    DeveloperKey key = DeveloperKey.generate(new SecureRandom());
    Path file = dir.resolve("nested/.startos/developer.key.pem");
    key.writeNew(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(DeveloperKey.read(file).publicKey()).isEqualTo(key.publicKey());
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void anExistingKeyFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("developer.key.pem");
    DeveloperKey first = DeveloperKey.generate(new SecureRandom());
    first.writeNew(file);
    String before = Files.readString(file);
    assertThatThrownBy(() -> DeveloperKey.generate(new SecureRandom()).writeNew(file))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DUPLICATE))
        .hasMessageContaining("not overwriting");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void aPkcs8KeyWithItsPublicKeyInsideIsRead() {
    // RFC 8410 §10.3 OneAsymmetricKey v2 layout, as ed25519-dalek writes keys.
    byte[] seed =
        HexFormat.of().parseHex("d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842");
    DeveloperKey expected = DeveloperKey.fromSeed(seed);
    byte[] der =
        HexFormat.of()
            .parseHex(
                "3051020101300506032b657004220420"
                    + HexFormat.of().formatHex(seed)
                    + "812100"
                    + expected.publicKey().hex());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END PRIVATE KEY-----\n";
    assertThat(DeveloperKey.parsePem(pem).publicKey()).isEqualTo(expected.publicKey());
  }

  @Test
  void signaturesVerifyOnlyWithTheSameContextMessageAndKey() {
    DeveloperKey key = DeveloperKey.generate(new SecureRandom());
    byte[] sig = key.signPrehashed(MESSAGE, "s9pk");
    assertThat(key.publicKey().verifiesPrehashed(sig, MESSAGE, "s9pk")).isTrue();
    assertThat(key.publicKey().verifiesPrehashed(sig, MESSAGE, "startos")).isFalse();
    assertThat(
            key.publicKey()
                .verifiesPrehashed(sig, "other".getBytes(StandardCharsets.US_ASCII), "s9pk"))
        .isFalse();
    assertThat(
            DeveloperKey.generate(new SecureRandom())
                .publicKey()
                .verifiesPrehashed(sig, MESSAGE, "s9pk"))
        .isFalse();
  }

  @Test
  void aSignatureWithANonCanonicalScalarIsRefused() {
    DeveloperKey key = DeveloperKey.generate(new SecureRandom());
    byte[] sig = key.signPrehashed(MESSAGE, "s9pk");
    // S + L verifies under a lenient check; strict verification requires S < L.
    java.math.BigInteger l =
        java.math.BigInteger.TWO
            .pow(252)
            .add(new java.math.BigInteger("27742317777372353535851937790883648493"));
    byte[] s = java.util.Arrays.copyOfRange(sig, 32, 64);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) be[i] = s[31 - i];
    byte[] sum = new java.math.BigInteger(1, be).add(l).toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < sum.length; i++) le[i] = sum[sum.length - 1 - i];
    System.arraycopy(le, 0, sig, 32, 32);
    assertThat(key.publicKey().verifiesPrehashed(sig, MESSAGE, "s9pk")).isFalse();
  }

  @Test
  void secretsStayOutOfToStringAndThePublicPemRoundTrips() {
    DeveloperKey key = DeveloperKey.fromSeed(new byte[32]);
    assertThat(key.toString())
        .contains("secret redacted")
        .doesNotContain(key.toPem().substring(30, 60));
    assertThat(SignerKey.parsePem(key.publicKey().pem())).isEqualTo(key.publicKey());
    assertThat(key.publicKey().pem()).startsWith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA");
  }
}
