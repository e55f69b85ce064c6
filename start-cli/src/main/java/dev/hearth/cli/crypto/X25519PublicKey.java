package dev.hearth.cli.crypto;

import java.io.Serial;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

/** An X25519 public key: its u-coordinate, 32 bytes little-endian (RFC 7748). */
final class X25519PublicKey implements XECPublicKey {
  @Serial private static final long serialVersionUID = 1L;

  /** X.509 SubjectPublicKeyInfo, id-X25519 (1.3.101.110), up to the key's 32 bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

  private final byte[] u;

  X25519PublicKey(byte[] u) {
    if (u.length != 32) {
      throw new IllegalArgumentException("an X25519 public key has 32 bytes, not " + u.length);
    }
    this.u = u.clone();
  }

  /** The 32 bytes, little-endian, of an X25519 key's u-coordinate (as the JDK or we made it). */
  static byte[] bytesOf(XECPublicKey key) throws InvalidKeyException {
    if (key instanceof X25519PublicKey ours) {
      return ours.u.clone();
    }
    BigInteger value = key.getU();
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new InvalidKeyException("not an X25519 u-coordinate");
    }
    byte[] big = value.toByteArray(); // big-endian, maybe with a leading zero
    byte[] little = new byte[32];
    for (int i = 0; i < 32 && i < big.length; i++) {
      little[i] = big[big.length - 1 - i];
    }
    return little;
  }

  @Override
  public BigInteger getU() {
    byte[] big = new byte[32];
    for (int i = 0; i < 32; i++) {
      big[i] = u[31 - i];
    }
    return new BigInteger(1, big);
  }

  @Override
  public AlgorithmParameterSpec getParams() {
    return NamedParameterSpec.X25519;
  }

  @Override
  public String getAlgorithm() {
    return "XDH";
  }

  @Override
  public String getFormat() {
    return "X.509";
  }

  @Override
  public byte[] getEncoded() {
    byte[] encoded = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
    System.arraycopy(u, 0, encoded, SPKI_PREFIX.length, 32);
    return encoded;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof X25519PublicKey other && Arrays.equals(u, other.u);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(u);
  }
}
