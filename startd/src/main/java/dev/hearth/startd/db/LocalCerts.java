package dev.hearth.startd.db;

/**
 * The local certificate authority at {@code /private/keyStore/localCerts}: the root CA and the
 * server's certificate, PEM. Never leaves the private model except the two certificates.
 */
public record LocalCerts(String rootKey, String rootCert, String serverKey, String serverCert) {
  @Override
  public String toString() {
    return "LocalCerts[<keys redacted>]";
  }
}
