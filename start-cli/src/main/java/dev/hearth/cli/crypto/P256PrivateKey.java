package dev.hearth.cli.crypto;

import java.io.Serial;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;

/**
 * A P-256 private key: its scalar, 32 bytes big-endian. The JDK's provider takes it for ECDH, by
 * its scalar or its PKCS#8 encoding, when a server chooses that group.
 */
final class P256PrivateKey extends ScalarKey implements ECPrivateKey {
  @Serial private static final long serialVersionUID = 1L;

  /** PKCS#8 PrivateKeyInfo v0 of id-ecPublicKey on prime256v1, with SEC1's ECPrivateKey v1. */
  private static final byte[] PKCS8_PREFIX = {
    0x30,
    0x41,
    0x02,
    0x01,
    0x00,
    0x30,
    0x13,
    0x06,
    0x07,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0xce,
    0x3d,
    0x02,
    0x01,
    0x06,
    0x08,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0xce,
    0x3d,
    0x03,
    0x01,
    0x07,
    0x04,
    0x27,
    0x30,
    0x25,
    0x02,
    0x01,
    0x01,
    0x04,
    0x20
  };

  /** Takes {@code scalar} as it is: the caller gives up its array. */
  P256PrivateKey(byte[] scalar) {
    super(scalar);
  }

  @Override
  public BigInteger getS() {
    return new BigInteger(1, scalar());
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
  byte[] pkcs8Prefix() {
    return PKCS8_PREFIX.clone();
  }
}
