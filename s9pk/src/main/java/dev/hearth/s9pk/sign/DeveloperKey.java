package dev.hearth.s9pk.sign;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A developer's Ed25519 signing key, stored as PEM PKCS#8 ({@code PRIVATE KEY}) like upstream's
 * {@code ~/.startos/developer.key.pem}. The secret never leaves this class except through {@link
 * #toPem()}; {@link #toString()} shows only the public key.
 */
public final class DeveloperKey {
  private final byte[] seed;
  private final SignerKey publicKey;

  private DeveloperKey(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 secret key is 32 bytes");
    }
    this.seed = seed.clone();
    byte[] pub = new byte[32];
    Ed25519.generatePublicKey(this.seed, 0, pub, 0);
    this.publicKey = new SignerKey(pub);
  }

  public static DeveloperKey generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return new DeveloperKey(seed);
  }

  /** From the 32-byte secret (RFC 8032's "secret key"); for tests and vectors. */
  public static DeveloperKey fromSeed(byte[] seed) {
    return new DeveloperKey(seed);
  }

  /** Reads a PKCS#8 {@code PRIVATE KEY} PEM (with or without the public key inside). */
  public static DeveloperKey parsePem(String pem) {
    byte[] der = Pem.decode("PRIVATE KEY", pem);
    try {
      PrivateKey key =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed =
          ((EdECPrivateKey) key)
              .getBytes()
              .orElseThrow(() -> new StartException(ErrorKind.PEM, "the PRIVATE KEY has no bytes"));
      return new DeveloperKey(seed);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new StartException(ErrorKind.PEM, "the PRIVATE KEY is not an Ed25519 PKCS#8 key", e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Reads the key file.
   *
   * @throws StartException NOT_FOUND when there is no file (with the command that makes one), PEM
   *     when it is not an Ed25519 key
   */
  public static DeveloperKey read(Path file) {
    if (!Files.exists(file)) {
      throw new StartException(
          ErrorKind.NOT_FOUND,
          "no developer key at " + file + ": create one with `start-cli init key`");
    }
    try {
      return parsePem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read developer key " + file, e);
    }
  }

  /**
   * Writes the key to a new file readable only by its owner (mode 0600), creating parent
   * directories. The file appears complete or not at all, and an existing file is never replaced.
   *
   * @throws StartException DUPLICATE if the file already exists
   */
  public void writeNew(Path file) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp =
          Files.createTempFile(
              target.getParent(),
              ".developer-key-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, toPem(), StandardCharsets.US_ASCII);
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      // link(2) fails if the name exists, so a key written meanwhile is never overwritten.
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException e) {
      throw new StartException(
          ErrorKind.DUPLICATE,
          "a developer key already exists at " + file + "; not overwriting it");
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot write developer key " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary copy is mode 0600 like the key itself
        }
      }
    }
  }

  /** PEM PKCS#8 {@code PRIVATE KEY}: contains the secret. */
  public String toPem() {
    try {
      byte[] der = jdkKey().getEncoded();
      try {
        return Pem.encode("PRIVATE KEY", der);
      } finally {
        Arrays.fill(der, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot encode an Ed25519 key", e);
    }
  }

  public SignerKey publicKey() {
    return publicKey;
  }

  /**
   * An Ed25519ph signature (RFC 8032 §5.1, PH = SHA-512) of {@code message} with {@code context}.
   */
  public byte[] signPrehashed(byte[] message, String context) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(jdkKey());
      signer.setParameter(
          new EdDSAParameterSpec(true, context.getBytes(StandardCharsets.US_ASCII)));
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot sign with Ed25519ph", e);
    }
  }

  private PrivateKey jdkKey() throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519")
        .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
  }

  @Override
  public String toString() {
    return "DeveloperKey[public "
        + HexFormat.of().formatHex(publicKey.bytes())
        + ", secret redacted]";
  }
}
