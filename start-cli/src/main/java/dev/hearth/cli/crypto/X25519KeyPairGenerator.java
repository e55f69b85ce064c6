package dev.hearth.cli.crypto;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * X25519 key pairs: 32 random bytes from the caller's {@link SecureRandom}, as the JDK draws them,
 * and their public key from libcrypto. Any other curve is refused, and the JCA then asks the JDK's
 * provider.
 */
final class X25519KeyPairGenerator extends KeyPairGeneratorSpi {
  private @Nullable SecureRandom random;

  @Override
  public void initialize(int keysize, @Nullable SecureRandom random) {
    if (keysize != 255) {
      throw new InvalidParameterException("only X25519 (255 bits) here, not " + keysize);
    }
    this.random = random;
  }

  @Override
  public void initialize(@Nullable AlgorithmParameterSpec params, @Nullable SecureRandom random)
      throws InvalidAlgorithmParameterException {
    if (!isX25519(params)) {
      throw new InvalidAlgorithmParameterException("only X25519 here");
    }
    this.random = random;
  }

  @Override
  public KeyPair generateKeyPair() {
    SecureRandom source = random != null ? random : new SecureRandom();
    byte[] scalar = new byte[32];
    source.nextBytes(scalar);
    byte[] u = new byte[32];
    if (!Libcrypto.x25519(scalar, null, u)) {
      throw new ProviderException("libcrypto could not make an X25519 public key");
    }
    return new KeyPair(new X25519PublicKey(u), new X25519PrivateKey(scalar));
  }

  static boolean isX25519(@Nullable AlgorithmParameterSpec params) {
    return params instanceof NamedParameterSpec named && named.getName().equalsIgnoreCase("X25519");
  }
}
