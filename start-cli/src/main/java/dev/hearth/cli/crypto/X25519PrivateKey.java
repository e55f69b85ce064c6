package dev.hearth.cli.crypto;

import java.io.Serial;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/** An X25519 private key: its 32-byte scalar (RFC 7748; clamped where it is used). */
final class X25519PrivateKey implements XECPrivateKey {
  @Serial private static final long serialVersionUID = 1L;

  /** PKCS#8 PrivateKeyInfo v1, id-X25519 (1.3.101.110), up to the scalar's 32 bytes. */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20
  };

  private final byte[] scalar;
  private volatile boolean destroyed;

  /** Takes {@code scalar} as it is: the caller gives up its array. */
  X25519PrivateKey(byte[] scalar) {
    if (scalar.length != 32) {
      throw new IllegalArgumentException(
          "an X25519 private key has 32 bytes, not " + scalar.length);
    }
    this.scalar = scalar;
  }

  @Override
  public Optional<byte[]> getScalar() {
    checkNotDestroyed();
    return Optional.of(scalar.clone());
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
    return "PKCS#8";
  }

  @Override
  public byte[] getEncoded() {
    checkNotDestroyed();
    byte[] encoded = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
    System.arraycopy(scalar, 0, encoded, PKCS8_PREFIX.length, 32);
    return encoded;
  }

  @Override
  public void destroy() {
    Arrays.fill(scalar, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("the key was destroyed");
    }
  }
}
