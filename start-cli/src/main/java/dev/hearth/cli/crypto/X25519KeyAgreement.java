package dev.hearth.cli.crypto;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * X25519 key agreement by libcrypto, for keys of any provider. A private key of another curve is
 * refused at {@code init}, and the JCA then asks the JDK's provider. A peer key of small order,
 * whose shared secret is all zeros, is refused as the JDK refuses it.
 */
final class X25519KeyAgreement extends KeyAgreementSpi {
  private byte @Nullable [] scalar;
  private byte @Nullable [] secret;

  @Override
  protected void engineInit(Key key, @Nullable SecureRandom random) throws InvalidKeyException {
    if (!(key instanceof XECPrivateKey mine)
        || !X25519KeyPairGenerator.isX25519(mine.getParams())) {
      throw new InvalidKeyException("only X25519 private keys here");
    }
    byte[] bytes = mine.getScalar().orElseThrow(() -> new InvalidKeyException("no scalar"));
    if (bytes.length != 32) {
      throw new InvalidKeyException("an X25519 scalar has 32 bytes, not " + bytes.length);
    }
    wipe();
    scalar = bytes;
  }

  @Override
  protected void engineInit(
      Key key, @Nullable AlgorithmParameterSpec params, @Nullable SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (params != null && !X25519KeyPairGenerator.isX25519(params)) {
      throw new InvalidAlgorithmParameterException("only X25519 here");
    }
    engineInit(key, random);
  }

  @Override
  protected @Nullable Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
    byte[] mine = scalar;
    if (mine == null) {
      throw new IllegalStateException("not initialized");
    }
    if (!lastPhase) {
      throw new IllegalStateException("X25519 has a single phase");
    }
    if (!(key instanceof XECPublicKey theirs)
        || !X25519KeyPairGenerator.isX25519(theirs.getParams())) {
      throw new InvalidKeyException("only X25519 public keys here");
    }
    byte[] out = new byte[32];
    if (!Libcrypto.x25519(mine, X25519PublicKey.bytesOf(theirs), out)) {
      throw new InvalidKeyException("the peer's X25519 key is of small order");
    }
    secret = out;
    return null;
  }

  @Override
  protected byte[] engineGenerateSecret() {
    byte[] s = secret;
    if (s == null) {
      throw new IllegalStateException("no phase done");
    }
    secret = null; // a second secret needs another phase, as the JCA's contract says
    return s;
  }

  @Override
  protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
    if (sharedSecret.length - offset < 32) {
      throw new ShortBufferException("32 bytes needed");
    }
    byte[] s = engineGenerateSecret();
    System.arraycopy(s, 0, sharedSecret, offset, 32);
    Arrays.fill(s, (byte) 0);
    return 32;
  }

  @Override
  protected SecretKey engineGenerateSecret(String algorithm) throws NoSuchAlgorithmException {
    if (!algorithm.equalsIgnoreCase("TlsPremasterSecret")
        && !algorithm.equalsIgnoreCase("Generic")) {
      throw new NoSuchAlgorithmException("X25519 secrets are TlsPremasterSecret or Generic");
    }
    byte[] s = engineGenerateSecret();
    try {
      return new SecretKeySpec(s, algorithm);
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }

  private void wipe() {
    if (scalar != null) {
      Arrays.fill(scalar, (byte) 0);
    }
    if (secret != null) {
      Arrays.fill(secret, (byte) 0);
    }
    scalar = null;
    secret = null;
  }
}
