package dev.hearth.cli.crypto;

import dev.hearth.s9pk.hash.LibraryCopy;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The JNI entry points of {@code libhearth-libcrypto.so} (src/main/native/hearth_libcrypto.c),
 * which the build puts in the jar, and which opens the system's libcrypto at run time.
 */
final class Libcrypto {
  private Libcrypto() {}

  /** Loads the library and opens libcrypto; false if either is missing or will not load. */
  static boolean load() {
    try {
      return LibraryCopy.load(
              Libcrypto.class,
              "/dev/hearth/cli/crypto",
              "libhearth-libcrypto.so",
              file -> {
                System.load(file.toString());
                return open();
              })
          .orElse(false);
    } catch (IOException | RuntimeException | LinkageError e) {
      return false; // the JDK's providers serve instead, which is only slower
    }
  }

  /** Opens libcrypto and finds its functions; false if it cannot. */
  private static native boolean open();

  /**
   * Whether {@code sig} (DER) is a valid ECDSA signature by the P-256 key {@code spki} (an X.509
   * SubjectPublicKeyInfo) over the SHA-256 of {@code data}: 1 if so, 0 if not or if either does not
   * parse.
   */
  static native int verifyP256Sha256(byte[] spki, byte[] data, byte[] sig);

  /**
   * X25519 of the 32-byte {@code scalar} with the peer's 32-byte u-coordinate, or with the base
   * point if {@code peer} is null, into the 32-byte {@code out}; false if libcrypto refuses (the
   * shared secret would be all zeros: a peer key of small order).
   */
  static native boolean x25519(byte[] scalar, byte @Nullable [] peer, byte[] out);

  /**
   * The public key of the P-256 scalar {@code scalar} (32 bytes, big-endian, in [1, n - 1]) into
   * {@code spki}: its X.509 SubjectPublicKeyInfo, 91 bytes; false if libcrypto refuses.
   */
  static native boolean p256PublicKey(byte[] scalar, byte[] spki);
}
