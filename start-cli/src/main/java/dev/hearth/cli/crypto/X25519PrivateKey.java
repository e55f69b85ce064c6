package dev.hearth.cli.crypto;

import java.io.Serial;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import java.util.Optional;

/** An X25519 private key: its 32-byte scalar (RFC 7748; clamped where it is used). */
final class X25519PrivateKey extends ScalarKey implements XECPrivateKey {
  @Serial private static final long serialVersionUID = 1L;

  /** PKCS#8 PrivateKeyInfo v1, id-X25519 (1.3.101.110), up to the scalar's 32 bytes. */
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b656e04220420");

  /** Takes {@code scalar} as it is: the caller gives up its array. */
  X25519PrivateKey(byte[] scalar) {
    super(scalar);
  }

  @Override
  public Optional<byte[]> getScalar() {
    return Optional.of(scalar());
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
  byte[] pkcs8Prefix() {
    return PKCS8_PREFIX.clone();
  }
}
