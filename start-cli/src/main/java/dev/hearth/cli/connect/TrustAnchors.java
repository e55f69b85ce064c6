package dev.hearth.cli.connect;

import dev.hearth.cli.crypto.LibcryptoProvider;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.sign.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS context that trusts exactly the certificates of one PEM file: the server's Root CA (the
 * {@code ca} config key or {@code --ca}), which a personal server's own certificates chain to and
 * no public authority vouches for. The host name is checked by {@link OwnCaTrust}.
 */
final class TrustAnchors {
  private TrustAnchors() {}

  /** {@link #trusting} made on the first call only; TLS contexts are costly to make. */
  static Supplier<SSLContext> once(Path pem) {
    var made = new AtomicReference<SSLContext>();
    return () -> made.updateAndGet(ctx -> ctx != null ? ctx : trusting(pem));
  }

  static SSLContext trusting(Path pem) {
    try {
      List<Certificate> certs = certificates(Files.readAllBytes(pem));
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
      X509ExtendedTrustManager chains = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          chains = x509;
        }
      }
      if (chains == null) {
        throw new NoSuchAlgorithmException("no X.509 trust manager in this Java runtime");
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new OwnCaTrust(chains)}, null);
      // The chain's and the handshake's curves, by libcrypto if it loads. Last, so that a thread
      // making this context need not wait while another puts the provider in (HeadStart).
      LibcryptoProvider.install();
      return ctx;
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot read the CA file " + pem + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, pem + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The certificates of a file: those of its {@code CERTIFICATE} blocks if it is PEM (other blocks
   * and text skipped, {@link Pem#decodeAll}), else whatever the certificate factory reads (DER,
   * PKCS#7). PEM is not left to the factory, whose PEM reader costs a fresh process about 30 ms of
   * regular expressions before the TLS handshake can start; the factory parses the DER.
   *
   * @throws CertificateException if a block is cut or not base64, or not a certificate
   */
  static List<Certificate> certificates(byte[] file) throws CertificateException {
    var factory = CertificateFactory.getInstance("X.509");
    String text = new String(file, StandardCharsets.ISO_8859_1);
    if (!text.contains("-----BEGIN ")) {
      return List.copyOf(factory.generateCertificates(new ByteArrayInputStream(file)));
    }
    List<Certificate> out = new ArrayList<>();
    List<byte[]> blocks;
    try {
      blocks = Pem.decodeAll("CERTIFICATE", text);
    } catch (StartException e) {
      throw new CertificateException(e.getMessage(), e);
    }
    for (byte[] der : blocks) {
      out.add(factory.generateCertificate(new ByteArrayInputStream(der)));
    }
    return out;
  }
}
