package dev.hearth.startd.net.proxy;

import java.time.Instant;

/**
 * A private key (PKCS#8 PEM) and its certificate chain (PEM, leaf first). The proxy asks for a new
 * one once a third of the leaf's validity is left before {@code notAfter}.
 */
public record Certificate(String keyPem, String chainPem, Instant notAfter) {
  @Override
  public String toString() {
    return "Certificate[notAfter=" + notAfter + ", key redacted]";
  }
}
