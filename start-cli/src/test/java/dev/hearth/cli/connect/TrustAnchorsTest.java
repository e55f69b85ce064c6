package dev.hearth.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust anchors of a CA file: PEM blocks read by us, anything else by the JDK. */
class TrustAnchorsTest {
  @TempDir static Path dir;
  static String one;
  static String two;
  static byte[] oneDer;

  /** Two self-signed certificates made by keytool, as PEM, and the first as DER. */
  @BeforeAll
  static void certificates() throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path store = dir.resolve("store.p12");
    for (String alias : List.of("one", "two")) {
      run(
          keytool,
          "-genkeypair",
          "-alias",
          alias,
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=" + alias,
          "-validity",
          "2",
          "-keystore",
          store.toString(),
          "-storepass",
          "password");
      run(
          keytool,
          "-exportcert",
          "-rfc",
          "-alias",
          alias,
          "-keystore",
          store.toString(),
          "-storepass",
          "password",
          "-file",
          dir.resolve(alias + ".pem").toString());
    }
    run(
        keytool,
        "-exportcert",
        "-alias",
        "one",
        "-keystore",
        store.toString(),
        "-storepass",
        "password",
        "-file",
        dir.resolve("one.der").toString());
    one = Files.readString(dir.resolve("one.pem"));
    two = Files.readString(dir.resolve("two.pem"));
    oneDer = Files.readAllBytes(dir.resolve("one.der"));
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(said).isZero();
  }

  private static List<String> subjects(byte[] file) throws Exception {
    return TrustAnchors.certificates(file).stream()
        .map(c -> ((X509Certificate) c).getSubjectX500Principal().getName())
        .toList();
  }

  @Test
  void everyCertificateBlockOfAPemFileIsAnAnchorWhateverSurroundsIt() throws Exception {
    String file =
        "Root CA of my server\n"
            + one
            + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
            + two.replace("\n", "\r\n");
    assertThat(subjects(file.getBytes(StandardCharsets.US_ASCII)))
        .containsExactly("CN=one", "CN=two");
  }

  @Test
  void aDerFileIsReadByTheJdk() throws Exception {
    assertThat(subjects(oneDer)).containsExactly("CN=one");
  }

  @Test
  void aFileThatHoldsNoCertificateIsRefusedClearly() throws Exception {
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TrustAnchors.trusting(empty))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
        .hasMessageContaining("holds no certificate");
    Path broken = dir.resolve("broken.pem");
    Files.writeString(broken, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TrustAnchors.trusting(broken))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST))
        .hasMessageContaining("is not a PEM certificate");
    Path cut = dir.resolve("cut.pem");
    Files.writeString(cut, one.substring(0, one.indexOf("-----END")));
    assertThatThrownBy(() -> TrustAnchors.trusting(cut))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("no end line");
    assertThatThrownBy(() -> TrustAnchors.trusting(dir.resolve("missing.pem")))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FILESYSTEM));
  }
}
