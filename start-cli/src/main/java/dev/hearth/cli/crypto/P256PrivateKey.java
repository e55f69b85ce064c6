package dev.hearth.cli.crypto;

import java.io.Serial;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.util.HexFormat;

/**
 * A P-256 private key: its scalar, 32 bytes big-endian. The JDK's provider takes it for ECDH, by
 * its scalar or its PKCS#8 encoding, when a server chooses that group.
 */
final class P256PrivateKey extends ScalarKey implements ECPrivateKey {
  @Serial private static final long serialVersionUID = 1L;

  /** PKCS#8 PrivateKeyInfo v0 of id-ecPublicKey on prime256v1, with SEC1's ECPrivateKey v1. */
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of()
          .parseHex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420");

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
