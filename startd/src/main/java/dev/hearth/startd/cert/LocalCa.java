package dev.hearth.startd.cert;

import dev.hearth.startd.db.LocalCerts;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the server's root CA and its TLS certificate (ECDSA P-256, SHA-256). The root is valid for
 * 20 years, the server certificate for 2 years; both are made at setup and the server certificate
 * again when the server is renamed.
 */
public final class LocalCa {
  static final Duration ROOT_VALIDITY = Duration.ofDays(365L * 20);
  static final Duration SERVER_VALIDITY = Duration.ofDays(365L * 2);
  static final Duration BACKDATE = Duration.ofDays(1); // clocks of new devices are often behind

  private LocalCa() {}

  /**
   * A new root CA and a server certificate for {@code <hostname>.local}, localhost and loopback.
   */
  public static LocalCerts create(String hostname, SecureRandom random, Instant now) {
    try {
      KeyPair root = ecKeyPair(random);
      X509Certificate rootCert = rootCertificate(hostname, root, random, now);
      KeyPair server = ecKeyPair(random);
      X509Certificate serverCert = serverCertificate(hostname, server, root, rootCert, random, now);
      return new LocalCerts(
          Pem.of(root.getPrivate()),
          Pem.of(rootCert),
          Pem.of(server.getPrivate()),
          Pem.of(serverCert) + Pem.of(rootCert));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("certificate generation with JDK algorithms failed", e);
    }
  }

  /** A new server certificate for another hostname, signed by the existing root. */
  public static LocalCerts reissue(
      LocalCerts certs, String hostname, SecureRandom random, Instant now) {
    try {
      var rootKey = Pem.privateKey(certs.rootKey(), "EC");
      X509Certificate rootCert = Pem.certificates(certs.rootCert()).getFirst();
      var rootPair = new KeyPair(rootCert.getPublicKey(), rootKey);
      KeyPair server = ecKeyPair(random);
      X509Certificate serverCert =
          serverCertificate(hostname, server, rootPair, rootCert, random, now);
      return new LocalCerts(
          certs.rootKey(),
          certs.rootCert(),
          Pem.of(server.getPrivate()),
          Pem.of(serverCert) + certs.rootCert());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("certificate generation with JDK algorithms failed", e);
    }
  }

  /** A key and its certificate chain (leaf first, then the root), as PEM. */
  public record Issued(String keyPem, String chainPem) {}

  /**
   * A certificate for a service's own names (the {@code get-ssl-certificate} effect), signed by the
   * root: each name is a DNS name, or an IP address when it parses as one.
   */
  public static Issued issue(
      LocalCerts certs, List<String> names, SecureRandom random, Instant now) {
    try {
      var rootKey = Pem.privateKey(certs.rootKey(), "EC");
      X509Certificate rootCert = Pem.certificates(certs.rootCert()).getFirst();
      KeyPair leaf = ecKeyPair(random);
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.matches("[0-9.]+") || n.contains(":");
        sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      }
      X509Certificate cert =
          leafCertificate(
              names.getFirst(),
              sans,
              leaf,
              new KeyPair(rootCert.getPublicKey(), rootKey),
              rootCert,
              random,
              now);
      return new Issued(Pem.of(leaf.getPrivate()), Pem.of(cert) + certs.rootCert());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("certificate generation with JDK algorithms failed", e);
    }
  }

  /** SHA-256 of the certificate's DER, as colon-separated upper-case hex. */
  public static String fingerprint(String certificatePem) {
    try {
      byte[] der = Pem.certificates(certificatePem).getFirst().getEncoded();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The server key and chain as an in-memory key store for the TLS listener. JKS, not PKCS#12: the
   * store never touches disk, and PKCS#12's password-based key derivation costs a quarter of a
   * second at every start.
   */
  public static KeyStore keyStore(LocalCerts certs, char[] password) {
    try {
      var store = KeyStore.getInstance("JKS");
      store.load(null, null);
      List<X509Certificate> chain = Pem.certificates(certs.serverCert());
      store.setKeyEntry(
          "server",
          Pem.privateKey(certs.serverKey(), "EC"),
          password,
          chain.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the TLS key store", e);
    }
  }

  private static KeyPair ecKeyPair(SecureRandom random) throws GeneralSecurityException {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private static X509Certificate rootCertificate(
      String hostname, KeyPair root, SecureRandom random, Instant now)
      throws GeneralSecurityException, OperatorCreationException {
    var name = new X500Name("CN=" + hostname + ".local Hearth Root CA,O=Hearth");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(random),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(ROOT_VALIDITY)),
            name,
            root.getPublic());
    var ext = new JcaX509ExtensionUtils();
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(root.getPublic()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return sign(builder, root);
  }

  private static X509Certificate serverCertificate(
      String hostname,
      KeyPair server,
      KeyPair root,
      X509Certificate rootCert,
      SecureRandom random,
      Instant now)
      throws GeneralSecurityException, OperatorCreationException {
    String fqdn = hostname.toLowerCase(Locale.ROOT) + ".local";
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, fqdn));
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(
        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    return leafCertificate(fqdn, names, server, root, rootCert, random, now);
  }

  private static X509Certificate leafCertificate(
      String commonName,
      List<GeneralName> names,
      KeyPair server,
      KeyPair root,
      X509Certificate rootCert,
      SecureRandom random,
      Instant now)
      throws GeneralSecurityException, OperatorCreationException {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            rootCert,
            serial(random),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(SERVER_VALIDITY)),
            new X500Name("CN=" + commonName),
            server.getPublic());
    var ext = new JcaX509ExtensionUtils();
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootCert));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(server.getPublic()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return sign(builder, root);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws GeneralSecurityException, OperatorCreationException {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }
}
