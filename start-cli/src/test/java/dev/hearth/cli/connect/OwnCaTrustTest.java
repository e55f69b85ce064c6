package dev.hearth.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.cert.Pem;
import dev.hearth.startd.db.LocalCerts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes on loopback against servers whose certificates a server's Root CA signed, for
 * the right and the wrong names. The attack: the Root CA also signs every service's own certificate
 * (the {@code get-ssl-certificate} effect), so a hostile package holds a certificate the CLI's
 * trust anchor vouches for; only the host-name check keeps it from posing as the server.
 */
class OwnCaTrustTest {
  @TempDir static Path dir;
  static LocalCerts server;
  static Path caFile;

  @BeforeAll
  static void rootCa() throws Exception {
    server = LocalCa.create("box", new SecureRandom(), Instant.now());
    caFile = dir.resolve("root-ca.crt");
    Files.writeString(caFile, server.rootCert());
  }

  /** Serves one handshake on 127.0.0.1 with a certificate for {@code names}; returns its port. */
  private static int serveOnce(LocalCerts ca, List<String> names) throws Exception {
    LocalCa.Issued issued = LocalCa.issue(ca, names, new SecureRandom(), Instant.now());
    var store = KeyStore.getInstance("JKS");
    store.load(null, null);
    char[] password = "x".toCharArray();
    store.setKeyEntry(
        "leaf",
        Pem.privateKey(issued.keyPem(), "EC"),
        password,
        Pem.certificates(issued.chainPem()).toArray(new X509Certificate[0]));
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    var ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    var listener =
        (SSLServerSocket)
            ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture.runAsync(() -> {
      try (listener;
          var s = (SSLSocket) listener.accept()) {
        s.startHandshake();
      } catch (IOException e) {
        // the client refused it: what some tests expect
      }
    });
    return listener.getLocalPort();
  }

  /**
   * A handshake with the CLI's trust in {@link #caFile}, to 127.0.0.1 under the name {@code host}.
   */
  private static void handshake(String host, int port) throws Exception {
    SSLContext ctx = TrustAnchors.trusting(caFile);
    try (var plain = new Socket(InetAddress.getLoopbackAddress(), port);
        var ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true)) {
      ssl.startHandshake();
    }
  }

  @Test
  void theServersOwnCertificateIsAcceptedAtItsAddressAndNames() throws Exception {
    for (String host : List.of("127.0.0.1", "box.local", "BOX.Local.", "localhost")) {
      int port = serveOnce(server, List.of("box.local", "localhost", "127.0.0.1"));
      assertThatCode(() -> handshake(host, port)).as(host).doesNotThrowAnyException();
    }
  }

  @Test
  void aServicesCertificateFromTheSameRootCannotPoseAsTheServer() throws Exception {
    int port = serveOnce(server, List.of("hello-world.startos", "10.0.3.5"));
    assertThatThrownBy(() -> handshake("127.0.0.1", port))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("not for 127.0.0.1")
        .hasMessageContaining("hello-world.startos");
    int again = serveOnce(server, List.of("hello-world.startos", "10.0.3.5"));
    assertThatThrownBy(() -> handshake("box.local", again))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("not for box.local");
  }

  @Test
  void anAddressIsMatchedOnlyByAnAddressEntry() throws Exception {
    // A DNS entry spelling the address is not an address entry.
    int port = serveOnce(server, List.of("box.local"));
    assertThatThrownBy(() -> handshake("127.0.0.1", port))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("not for 127.0.0.1");
  }

  @Test
  void theRightNameFromAnotherRootCaIsStillRefused() throws Exception {
    LocalCerts other = LocalCa.create("box", new SecureRandom(), Instant.now());
    int port = serveOnce(other, List.of("box.local", "127.0.0.1"));
    assertThatThrownBy(() -> handshake("127.0.0.1", port))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageNotContaining("not for");
  }

  @Test
  void aCertificateWithoutNamesMatchesNoHostNotEvenItsCommonName() throws Exception {
    // The root has a CN and no subjectAltName.
    X509Certificate root = Pem.certificates(server.rootCert()).getFirst();
    assertThat(root.getSubjectAlternativeNames()).isNull();
    String cn = root.getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1");
    assertThatThrownBy(() -> OwnCaTrust.checkHost(cn, root))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("names no host");
  }

  @Test
  void withoutAConnectionThereIsNoHostAndTheChainIsRefused() throws Exception {
    var trust = new OwnCaTrust(jdkTrust());
    X509Certificate[] chain = Pem.certificates(server.serverCert()).toArray(new X509Certificate[0]);
    assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("no host name");
    assertThatThrownBy(() -> OwnCaTrust.checkHost(null, chain[0]))
        .hasMessageContaining("no host name");
  }

  private static X509ExtendedTrustManager jdkTrust() throws Exception {
    var store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", Pem.certificates(server.rootCert()).getFirst());
    var tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
  }

  @Test
  void aWildcardStandsForExactlyOneLeftmostLabel() {
    assertThat(OwnCaTrust.matches("a.box.local", "*.box.local")).isTrue();
    assertThat(OwnCaTrust.matches("a.box.local", "*.box.local.")).isTrue();
    assertThat(OwnCaTrust.matches("a.b.box.local", "*.box.local")).isFalse();
    assertThat(OwnCaTrust.matches("box.local", "*.box.local")).isFalse();
    assertThat(OwnCaTrust.matches("box.local", "*.local")).isFalse();
    assertThat(OwnCaTrust.matches("ab.box.local", "a*.box.local")).isFalse();
    assertThat(OwnCaTrust.matches("a.box.local", "*.*.local")).isFalse();
    assertThat(OwnCaTrust.matches("local", "*")).isFalse();
    assertThat(OwnCaTrust.matches("box.local", "box.local")).isTrue();
    assertThat(OwnCaTrust.matches("box.local", "box.locals")).isFalse();
  }
}
