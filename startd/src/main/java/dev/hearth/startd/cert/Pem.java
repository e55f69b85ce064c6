package dev.hearth.startd.cert;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM text for keys and certificates (LF line endings, as upstream writes them). */
public final class Pem {
  private Pem() {}

  /**
   * PEM of a private key (PKCS#8, {@code PRIVATE KEY}), public key (SPKI, {@code PUBLIC KEY}) or
   * certificate ({@code CERTIFICATE}).
   */
  public static String of(Object keyOrCertificate) {
    PemObject object =
        switch (keyOrCertificate) {
          case PrivateKey k -> new PemObject("PRIVATE KEY", k.getEncoded());
          case PublicKey k -> new PemObject("PUBLIC KEY", k.getEncoded());
          case X509Certificate c -> {
            try {
              yield new PemObject("CERTIFICATE", c.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
              throw new IllegalArgumentException(e);
            }
          }
          default ->
              throw new IllegalArgumentException("no PEM form for " + keyOrCertificate.getClass());
        };
    var out = new StringWriter();
    try (var writer = new PemWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return out.toString().replace("\r\n", "\n");
  }

  /** A PKCS#8 private key ({@code PRIVATE KEY}) of the given algorithm ("EC", "Ed25519"). */
  public static PrivateKey privateKey(String pem, String algorithm) {
    try (var reader = new PemReader(new StringReader(pem))) {
      PemObject object = reader.readPemObject();
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(object.getContent()));
    } catch (IOException | java.security.GeneralSecurityException | NullPointerException e) {
      throw new IllegalArgumentException("not a PKCS#8 " + algorithm + " private key", e);
    }
  }

  /** Every certificate in a PEM chain, in order. */
  public static List<X509Certificate> certificates(String pem) {
    try {
      var factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : factory.generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes()))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not PEM certificates", e);
    }
  }
}
