package dev.hearth.startd.net.proxy;

import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.db.LocalCerts;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A test root CA (LocalCa), certificates from it, and a client SSLContext trusting only it. */
final class TestPki implements CertificateSource {
  final LocalCerts ca = LocalCa.create("hearth-test", new SecureRandom(), Instant.now());
  final AtomicInteger issued = new AtomicInteger();

  @Override
  public Certificate certificate(Set<String> names) {
    issued.incrementAndGet();
    var i = LocalCa.issue(ca, List.copyOf(names), new SecureRandom(), Instant.now());
    return new Certificate(i.keyPem(), i.chainPem(), notAfter(i.chainPem()));
  }

  static Instant notAfter(String chainPem) {
    return leaf(chainPem).getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS);
  }

  static X509Certificate leaf(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("root", leaf(ca.rootCert()));
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, tmf.getTrustManagers(), new SecureRandom());
      return c;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
