package dev.hearth.cli.crypto;

import java.io.ByteArrayOutputStream;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.interfaces.ECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * SHA256withECDSA verification by libcrypto, for P-256 keys in named-curve form (every TLS server
 * and CA key on that curve). Any other key, and signing, is refused at {@code init}, and the JCA
 * then asks the JDK's provider, which does them as before.
 */
final class P256Sha256Verifier extends SignatureSpi {
  private byte @Nullable [] spki;
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  @Override
  protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
    byte[] encoded = key instanceof ECPublicKey ? key.getEncoded() : null;
    if (encoded == null || !P256.isSpki(encoded)) {
      throw new InvalidKeyException("only P-256 keys in named-curve form here");
    }
    spki = encoded;
    data.reset();
  }

  @Override
  protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
    throw new InvalidKeyException("verification only here");
  }

  @Override
  protected void engineUpdate(byte b) throws SignatureException {
    verifying();
    data.write(b);
  }

  @Override
  protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
    verifying();
    data.write(b, off, len);
  }

  @Override
  protected byte[] engineSign() throws SignatureException {
    throw new SignatureException("verification only here");
  }

  @Override
  protected boolean engineVerify(byte[] sig) throws SignatureException {
    byte[] key = verifying();
    byte[] signed = data.toByteArray();
    data.reset(); // as the JCA's contract says: ready for the next signature by the same key
    return Libcrypto.verifyP256Sha256(key, signed, sig) == 1;
  }

  @Override
  protected void engineSetParameter(@Nullable AlgorithmParameterSpec params)
      throws InvalidAlgorithmParameterException {
    if (params != null) {
      throw new InvalidAlgorithmParameterException("no parameters here");
    }
  }

  @Override
  @Deprecated
  protected void engineSetParameter(String param, Object value) {
    throw new InvalidParameterException("no parameters here");
  }

  @Override
  @Deprecated
  protected Object engineGetParameter(String param) {
    throw new InvalidParameterException("no parameters here");
  }

  private byte[] verifying() throws SignatureException {
    byte[] key = spki;
    if (key == null) {
      throw new SignatureException("not initialized for verification");
    }
    return key;
  }
}
