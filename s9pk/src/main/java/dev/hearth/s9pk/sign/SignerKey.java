package dev.hearth.s9pk.sign;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 public key (32-byte compressed point) that verifies package signatures.
 *
 * <p>Verification is strict, as upstream's {@code verify_prehashed_strict}: besides the JDK's check
 * of the equation, it refuses a non-canonical {@code S}, non-canonical point encodings, and
 * small-order keys and {@code R} values, with which forged "signatures" verify for any message.
 */
public record SignerKey(byte[] bytes) {
  public static final int LENGTH = 32;
  // DER prefix of SubjectPublicKeyInfo { AlgorithmIdentifier(1.3.101.112), BIT STRING (32 bytes) }
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  // y coordinates (sign bit cleared) of the order-8 points; orders 1, 2 and 4 have y = 1, -1, 0.
  private static final BigInteger[] ORDER_8_Y = {
    littleEndian(
        HexFormat.of()
            .parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")),
    littleEndian(
        HexFormat.of()
            .parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")),
  };

  public SignerKey {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Whether {@code signature} is a strict Ed25519ph signature of {@code message} under this key
   * with {@code context}.
   */
  public boolean verifiesPrehashed(byte[] signature, byte[] message, String context) {
    if (signature.length != 64 || !isStrongPoint(bytes)) {
      return false;
    }
    byte[] r = Arrays.copyOfRange(signature, 0, 32);
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    if (!isStrongPoint(r) || littleEndian(s).compareTo(L) >= 0) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(toJdkKey());
      verifier.setParameter(
          new EdDSAParameterSpec(true, context.getBytes(StandardCharsets.US_ASCII)));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** PEM SubjectPublicKeyInfo, LF line endings (s9pk.md §12). */
  public String pem() {
    byte[] der = new byte[SPKI_PREFIX.length + LENGTH];
    System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
    System.arraycopy(bytes, 0, der, SPKI_PREFIX.length, LENGTH);
    return Pem.encode("PUBLIC KEY", der);
  }

  /** Reads a PEM SubjectPublicKeyInfo holding an Ed25519 key. */
  public static SignerKey parsePem(String pem) {
    byte[] der = Pem.decode("PUBLIC KEY", pem);
    if (der.length != SPKI_PREFIX.length + LENGTH
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new StartException(ErrorKind.PEM, "the PUBLIC KEY is not an Ed25519 key");
    }
    return new SignerKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  PublicKey toJdkKey() throws GeneralSecurityException {
    byte[] y = bytes.clone();
    boolean xOdd = (y[31] & 0x80) != 0;
    y[31] &= 0x7f;
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(
            new EdECPublicKeySpec(
                NamedParameterSpec.ED25519, new EdECPoint(xOdd, littleEndian(y))));
  }

  /** Canonical encoding (y < p) of a point that is not of small order. */
  private static boolean isStrongPoint(byte[] encoded) {
    byte[] y = encoded.clone();
    y[31] &= 0x7f;
    BigInteger value = littleEndian(y);
    if (value.compareTo(P) >= 0
        || value.signum() == 0
        || value.equals(BigInteger.ONE)
        || value.equals(P.subtract(BigInteger.ONE))) {
      return false;
    }
    for (BigInteger small : ORDER_8_Y) {
      if (value.equals(small.clearBit(255))) {
        return false;
      }
    }
    return true;
  }

  private static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignerKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SignerKey[" + hex() + "]";
  }
}
