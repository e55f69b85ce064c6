package dev.hearth.cli.crypto;

import java.io.Serial;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;

/** A P-256 public key, held as its X.509 SubjectPublicKeyInfo (named curve, uncompressed). */
final class P256PublicKey implements ECPublicKey {
  @Serial private static final long serialVersionUID = 1L;

  private final byte[] spki;

  P256PublicKey(byte[] spki) {
    if (!P256.isSpki(spki)) {
      throw new IllegalArgumentException("not a P-256 SubjectPublicKeyInfo");
    }
    this.spki = spki.clone();
  }

  @Override
  public ECPoint getW() {
    int x = P256.SPKI_PREFIX.length + 1; // after the 0x04 of an uncompressed point
    return new ECPoint(
        new BigInteger(1, Arrays.copyOfRange(spki, x, x + 32)),
        new BigInteger(1, Arrays.copyOfRange(spki, x + 32, x + 64)));
  }

  @Override
  public ECParameterSpec getParams() {
    return P256.SPEC;
  }

  @Override
  public String getAlgorithm() {
    return "EC";
  }

  @Override
  public String getFormat() {
    return "X.509";
  }

  @Override
  public byte[] getEncoded() {
    return spki.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof P256PublicKey other && Arrays.equals(spki, other.spki);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(spki);
  }
}
