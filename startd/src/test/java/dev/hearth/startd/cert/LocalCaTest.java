package dev.hearth.startd.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.db.LocalCerts;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalCaTest {
  private final SecureRandom random = new SecureRandom();
  private final Instant now = Instant.now();

  @Test
  void theServerCertificateIsSignedByTheRootForTheServersNames() throws Exception {
    LocalCerts certs = LocalCa.create("my-box", random, now);
    X509Certificate root = Pem.certificates(certs.rootCert()).getFirst();
    List<X509Certificate> chain = Pem.certificates(certs.serverCert());
    assertThat(chain).hasSize(2);
    X509Certificate leaf = chain.getFirst();
    leaf.verify(root.getPublicKey());
    root.verify(root.getPublicKey());
    assertThat(root.getBasicConstraints()).isEqualTo(0);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(n -> n.get(1).toString())
        .contains("my-box.local", "localhost", "127.0.0.1");
    assertThat(certs.rootKey()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(LocalCa.fingerprint(certs.rootCert())).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
  }

  @Test
  void aRenameKeepsTheRootAndNamesTheNewHost() throws Exception {
    LocalCerts first = LocalCa.create("old", random, now);
    LocalCerts renamed = LocalCa.reissue(first, "new", random, now);
    assertThat(renamed.rootCert()).isEqualTo(first.rootCert());
    X509Certificate leaf = Pem.certificates(renamed.serverCert()).getFirst();
    leaf.verify(Pem.certificates(first.rootCert()).getFirst().getPublicKey());
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=new.local");
  }

  @Test
  void theKeyStoreHoldsTheServerKeyAndChain() throws Exception {
    LocalCerts certs = LocalCa.create("box", random, now);
    var store = LocalCa.keyStore(certs, "pw".toCharArray());
    assertThat(store.getCertificateChain("server")).hasSize(2);
    assertThat(store.getKey("server", "pw".toCharArray()).getAlgorithm()).isEqualTo("EC");
  }
}
