package dev.hearth.s9pk.sign;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code X-StartOS-Auth-Sig} header of a signed request (rpc.md §2.4): who signed, when, a
 * nonce, and the body's size and BLAKE3, signed Ed25519ph with the host name the client addressed
 * as context. Parsing checks the form; {@link #verify} checks the signature and the body. Time
 * windows and nonces are the server's business (it alone can remember them).
 */
public record RequestSignature(
    long timestamp, long nonce, long size, byte[] blake3, SignerKey signer, byte[] signature) {
  public static final String HEADER = "X-StartOS-Auth-Sig";

  public RequestSignature {
    if (blake3.length != 32 || signature.length != 64) {
      throw new IllegalArgumentException("a BLAKE3 hash is 32 bytes and a signature 64");
    }
    blake3 = blake3.clone();
    signature = signature.clone();
  }

  /** Signs a request body for a server addressed as {@code host}. */
  public static RequestSignature sign(
      DeveloperKey key, String host, byte[] body, long timestamp, long nonce) {
    byte[] hash = Blake3.hash(body).bytes();
    byte[] message = message(timestamp, nonce, body.length, hash);
    return new RequestSignature(
        timestamp, nonce, body.length, hash, key.publicKey(), key.signPrehashed(message, host));
  }

  /** The header's value: a form-encoded query string (the PEM values hold newlines). */
  public String header() {
    return "timestamp="
        + timestamp
        + "&nonce="
        + Long.toUnsignedString(nonce)
        + "&size="
        + size
        + "&blake3="
        + enc(Base64.getEncoder().withoutPadding().encodeToString(blake3))
        + "&signer="
        + enc(signer.pem())
        + "&signature="
        + enc(SignaturePem.encode(signature));
  }

  /**
   * Reads a header value.
   *
   * @throws StartException INVALID_SIGNATURE naming what is missing or malformed
   */
  public static RequestSignature parse(String header) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : header.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    try {
      return new RequestSignature(
          Long.parseLong(required(fields, "timestamp")),
          Long.parseUnsignedLong(required(fields, "nonce")),
          Long.parseLong(required(fields, "size")),
          Base64.getDecoder().decode(required(fields, "blake3")),
          SignerKey.parsePem(required(fields, "signer")),
          SignaturePem.decode(required(fields, "signature")));
    } catch (IllegalArgumentException | StartException e) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE, HEADER + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Whether it signs {@code body} for one of {@code hosts}. */
  public boolean verify(byte[] body, Iterable<String> hosts) {
    if (body.length != size || !MessageDigest.isEqual(Blake3.hash(body).bytes(), blake3)) {
      return false;
    }
    byte[] message = message(timestamp, nonce, size, blake3);
    for (String host : hosts) {
      if (signer.verifiesPrehashed(signature, message, host)) {
        return true;
      }
    }
    return false;
  }

  /** i64be(timestamp) ‖ u64be(nonce) ‖ u64be(size) ‖ blake3, pre-hashed by Ed25519ph. */
  static byte[] message(long timestamp, long nonce, long size, byte[] blake3) {
    byte[] m = new byte[56];
    long[] words = {timestamp, nonce, size};
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < 8; i++) {
        m[8 * w + i] = (byte) (words[w] >>> (56 - 8 * i));
      }
    }
    System.arraycopy(blake3, 0, m, 24, 32);
    return m;
  }

  private static String required(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no " + name);
    }
    return v;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "RequestSignature[" + signer.hex() + ", nonce " + Long.toUnsignedString(nonce) + "]";
  }
}
