package dev.hearth.cli.crypto;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * P-256 key pairs (the client's ECDHE key share): a scalar drawn from the caller's {@link
 * SecureRandom} in [1, n - 1], its public point from libcrypto. Another curve is refused, and so is
 * a generator nobody initialized (the JDK's default curve is not P-256): the JCA then asks the
 * JDK's provider.
 */
final class P256KeyPairGenerator extends KeyPairGeneratorSpi {
  private boolean initialized;
  private @Nullable SecureRandom random;

  @Override
  public void initialize(int keysize, @Nullable SecureRandom random) {
    if (keysize != 256) {
      throw new InvalidParameterException("only P-256 here, not " + keysize + " bits");
    }
    this.random = random;
    initialized = true;
  }

  @Override
  public void initialize(@Nullable AlgorithmParameterSpec params, @Nullable SecureRandom random)
      throws InvalidAlgorithmParameterException {
    boolean p256 =
        (params instanceof ECGenParameterSpec named && P256.isName(named.getName()))
            || (params instanceof ECParameterSpec spec && P256.isSpec(spec));
    if (!p256) {
      throw new InvalidAlgorithmParameterException("only P-256 here");
    }
    this.random = random;
    initialized = true;
  }

  @Override
  public KeyPair generateKeyPair() {
    if (!initialized) {
      throw new ProviderException("not initialized: the JDK's default curve is not P-256");
    }
    SecureRandom source = random != null ? random : new SecureRandom();
    byte[] scalar = new byte[32];
    BigInteger s;
    do {
      source.nextBytes(scalar);
      s = new BigInteger(1, scalar);
    } while (s.signum() == 0 || s.compareTo(P256.ORDER) >= 0); // a redraw: about 2^-32 likely
    byte[] spki = new byte[P256.SPKI_LENGTH];
    if (!Libcrypto.p256PublicKey(scalar, spki) || !P256.isSpki(spki)) {
      throw new ProviderException("libcrypto could not make a P-256 public key");
    }
    return new KeyPair(new P256PublicKey(spki), new P256PrivateKey(scalar));
  }
}
