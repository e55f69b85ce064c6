package dev.hearth.startd.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Passwords encrypted by the client to the server's key (rpc.md §2.3): a JWE in JSON serialization
 * with {@code alg: ECDH-ES} (direct key agreement on P-256, Concat KDF) and {@code enc:
 * A128CBC-HS256} (RFC 7516, 7518). The key pair lives only in memory and is made once per process;
 * {@link #publicJwk} is what {@code auth.get-pubkey} and {@code setup.get-pubkey} return.
 *
 * <p>Thread-safe.
 */
public final class EncryptedWire {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder URL_DECODE = Base64.getUrlDecoder();
  private static final String ENC = "A128CBC-HS256";

  private final SecureRandom random;
  private @Nullable KeyPair keys; // guarded by this: made on first use, saving start-up time

  public EncryptedWire(SecureRandom random) {
    this.random = random;
  }

  private synchronized KeyPair keys() {
    if (keys == null) {
      try {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        keys = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("P-256 is part of every JDK", e);
      }
    }
    return keys;
  }

  /** The public key as a JWK: {@code {"kty":"EC","crv":"P-256","x":…,"y":…}}. */
  public JsonNode publicJwk(ObjectMapper mapper) {
    ECPoint w = ((ECPublicKey) keys().getPublic()).getW();
    ObjectNode jwk = mapper.createObjectNode();
    jwk.put("kty", "EC");
    jwk.put("crv", "P-256");
    jwk.put("x", URL.encodeToString(fixed(w.getAffineX())));
    jwk.put("y", URL.encodeToString(fixed(w.getAffineY())));
    return jwk;
  }

  /**
   * A password given as upstream's {@code PasswordType}: a plain string, or {@code {"encrypted":
   * <JWE>}}.
   *
   * @param allowPlain whether a plain string is accepted (setup takes only encrypted ones)
   * @throws StartException (INVALID_REQUEST) if it is neither, or does not decrypt
   */
  public String password(JsonNode value, boolean allowPlain, ObjectMapper mapper) {
    if (value.isTextual() && allowPlain) {
      return value.asText();
    }
    if (value.isObject() && value.has("encrypted")) {
      return decrypt(value.get("encrypted"), mapper);
    }
    throw new StartException(
        ErrorKind.INVALID_REQUEST,
        allowPlain
            ? "a password is a string or {\"encrypted\": <JWE>}"
            : "this password must be encrypted: {\"encrypted\": <JWE>} to the setup key");
  }

  /**
   * Decrypts a JWE in flattened JSON serialization (what upstream's clients send).
   *
   * @throws StartException (INVALID_REQUEST) if it is malformed, for another key, or tampered with
   */
  public String decrypt(JsonNode jwe, ObjectMapper mapper) {
    try {
      String protectedB64 = text(jwe, "protected");
      JsonNode header = mapper.readTree(URL_DECODE.decode(protectedB64));
      if (!"ECDH-ES".equals(header.path("alg").asText())
          || !ENC.equals(header.path("enc").asText())) {
        throw invalid("only alg ECDH-ES with enc A128CBC-HS256 is accepted");
      }
      JsonNode epk = header.path("epk");
      if (!"EC".equals(epk.path("kty").asText()) || !"P-256".equals(epk.path("crv").asText())) {
        throw invalid("the ephemeral key must be an EC P-256 JWK");
      }
      var ephemeral = publicKey(epk);
      byte[] cek = agree(keys().getPrivate(), ephemeral, header);
      byte[] iv = URL_DECODE.decode(text(jwe, "iv"));
      byte[] ciphertext = URL_DECODE.decode(text(jwe, "ciphertext"));
      byte[] tag = URL_DECODE.decode(text(jwe, "tag"));
      byte[] aad = protectedB64.getBytes(StandardCharsets.US_ASCII);
      byte[] expected = tag(cek, aad, iv, ciphertext);
      if (!MessageDigest.isEqual(expected, tag)) {
        throw invalid("the authentication tag does not match");
      }
      var cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(Arrays.copyOfRange(cek, 16, 32), "AES"),
          new IvParameterSpec(iv));
      return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw invalid("it does not decrypt with the server's key");
    }
  }

  /** Encrypts for the holder of {@code jwk}: what a client does. Used by tests and the CLI. */
  public static JsonNode encrypt(
      String plaintext, JsonNode jwk, SecureRandom random, ObjectMapper mapper) {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair ephemeral = generator.generateKeyPair();
      ECPoint w = ((ECPublicKey) ephemeral.getPublic()).getW();
      ObjectNode header = mapper.createObjectNode();
      header.put("alg", "ECDH-ES");
      header.put("enc", ENC);
      ObjectNode epk = header.putObject("epk");
      epk.put("kty", "EC");
      epk.put("crv", "P-256");
      epk.put("x", URL.encodeToString(fixed(w.getAffineX())));
      epk.put("y", URL.encodeToString(fixed(w.getAffineY())));
      String protectedB64 = URL.encodeToString(mapper.writeValueAsBytes(header));
      byte[] cek = agree(ephemeral.getPrivate(), publicKey(jwk), header);
      byte[] iv = new byte[16];
      random.nextBytes(iv);
      var cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(Arrays.copyOfRange(cek, 16, 32), "AES"),
          new IvParameterSpec(iv));
      byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] tag = tag(cek, protectedB64.getBytes(StandardCharsets.US_ASCII), iv, ciphertext);
      ObjectNode jwe = mapper.createObjectNode();
      jwe.put("protected", protectedB64);
      jwe.put("encrypted_key", "");
      jwe.put("iv", URL.encodeToString(iv));
      jwe.put("ciphertext", URL.encodeToString(ciphertext));
      jwe.put("tag", URL.encodeToString(tag));
      return jwe;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("encryption with JDK algorithms failed", e);
    }
  }

  /** ECDH, then the Concat KDF of RFC 7518 §4.6 for a 256-bit A128CBC-HS256 key. */
  private static byte[] agree(PrivateKey mine, ECPublicKey theirs, JsonNode header)
      throws GeneralSecurityException {
    var agreement = KeyAgreement.getInstance("ECDH");
    agreement.init(mine);
    agreement.doPhase(theirs, true);
    byte[] z = agreement.generateSecret();
    byte[] apu = header.has("apu") ? URL_DECODE.decode(header.get("apu").asText()) : new byte[0];
    byte[] apv = header.has("apv") ? URL_DECODE.decode(header.get("apv").asText()) : new byte[0];
    var info = new ByteArrayOutputStream();
    lengthPrefixed(info, ENC.getBytes(StandardCharsets.US_ASCII));
    lengthPrefixed(info, apu);
    lengthPrefixed(info, apv);
    info.writeBytes(ByteBuffer.allocate(4).putInt(256).array());
    var sha = MessageDigest.getInstance("SHA-256");
    sha.update(ByteBuffer.allocate(4).putInt(1).array());
    sha.update(z);
    sha.update(info.toByteArray());
    return sha.digest();
  }

  /** The first 16 bytes of HMAC-SHA-256 over AAD ‖ IV ‖ ciphertext ‖ AAD length in bits. */
  private static byte[] tag(byte[] cek, byte[] aad, byte[] iv, byte[] ciphertext)
      throws GeneralSecurityException {
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Arrays.copyOfRange(cek, 0, 16), "HmacSHA256"));
    mac.update(aad);
    mac.update(iv);
    mac.update(ciphertext);
    mac.update(ByteBuffer.allocate(8).putLong((long) aad.length * 8).array());
    return Arrays.copyOf(mac.doFinal(), 16);
  }

  private static void lengthPrefixed(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
    out.writeBytes(value);
  }

  private static ECPublicKey publicKey(JsonNode jwk) throws GeneralSecurityException {
    var x = new BigInteger(1, URL_DECODE.decode(jwk.path("x").asText()));
    var y = new BigInteger(1, URL_DECODE.decode(jwk.path("y").asText()));
    var parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    return (ECPublicKey)
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
  }

  /** A coordinate as exactly 32 big-endian bytes. */
  private static byte[] fixed(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static String text(JsonNode jwe, String field) {
    JsonNode v = jwe.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid("the JWE has no " + field);
    }
    return v.asText();
  }

  private static StartException invalid(String why) {
    return new StartException(
        ErrorKind.INVALID_REQUEST, "the encrypted password is invalid: " + why);
  }
}
