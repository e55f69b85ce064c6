package dev.hearth.cli.crypto;

import java.io.Serial;
import java.security.PrivateKey;
import java.util.Arrays;

/**
 * A private key that is a 32-byte scalar, encoded as PKCS#8 by a fixed prefix (the curve's
 * algorithm identifier) and the scalar: what P-256's and X25519's keys here share. It can be
 * destroyed, which zeroes the scalar.
 */
abstract class ScalarKey implements PrivateKey {
  @Serial private static final long serialVersionUID = 1L;

  private final byte[] scalar;
  private volatile boolean destroyed;

  /** Takes {@code scalar} as it is: the caller gives up its array. */
  ScalarKey(byte[] scalar) {
    if (scalar.length != 32) {
      throw new IllegalArgumentException("a scalar of 32 bytes, not " + scalar.length);
    }
    this.scalar = scalar;
  }

  /** A copy of the scalar. */
  final byte[] scalar() {
    checkNotDestroyed();
    return scalar.clone();
  }

  /** The PKCS#8 bytes that precede the scalar. */
  abstract byte[] pkcs8Prefix();

  @Override
  public final String getFormat() {
    return "PKCS#8";
  }

  @Override
  public final byte[] getEncoded() {
    checkNotDestroyed();
    byte[] prefix = pkcs8Prefix();
    byte[] encoded = Arrays.copyOf(prefix, prefix.length + scalar.length);
    System.arraycopy(scalar, 0, encoded, prefix.length, scalar.length);
    return encoded;
  }

  @Override
  public final void destroy() {
    Arrays.fill(scalar, (byte) 0);
    destroyed = true;
  }

  @Override
  public final boolean isDestroyed() {
    return destroyed;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("the key was destroyed");
    }
  }
}
