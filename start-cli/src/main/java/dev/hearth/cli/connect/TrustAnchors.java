package dev.hearth.cli.connect;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that trusts exactly the certificates of one PEM file: the server's Root CA (the
 * {@code ca} config key or {@code --ca}), which a personal server's own certificates chain to and
 * no public authority vouches for.
 */
final class TrustAnchors {
  private TrustAnchors() {}

  /** {@link #trusting} made on the first call only; TLS contexts are costly to make. */
  static Supplier<SSLContext> once(Path pem) {
    var made = new AtomicReference<SSLContext>();
    return () -> made.updateAndGet(ctx -> ctx != null ? ctx : trusting(pem));
  }

  static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new StartException(ErrorKind.INVALID_REQUEST, pem + " holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot read the CA file " + pem + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, pem + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }
}
