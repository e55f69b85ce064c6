package dev.hearth.startd.auth;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.system.HeapTrim;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the standard encoded form ({@code
 * $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>}), which upstream also stores (rpc.md §2.3), so hashes
 * carried over from StartOS verify here.
 *
 * <p>New hashes use the OWASP minimum (19 MiB, 2 passes, 1 lane) rather than upstream's 64 MiB:
 * about 30 ms on this class of machine and a third of the memory, which matters on a small box
 * whose JVM heap is capped. At most {@link #CONCURRENT} hashes run at once, so a burst of logins
 * cannot exhaust memory; verifying refuses parameters beyond {@link #MAX_MEMORY_KIB}, so a planted
 * hash cannot either.
 */
public final class PasswordHash {
  static final int MEMORY_KIB = 19 * 1024;
  static final int ITERATIONS = 2;
  static final int LANES = 1;
  static final int MAX_MEMORY_KIB = 256 * 1024;
  static final int CONCURRENT = 2;

  private static final Pattern ENCODED =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

  private final SecureRandom random;
  private final Semaphore slots = new Semaphore(CONCURRENT, true);

  public PasswordHash(SecureRandom random) {
    this.random = random;
  }

  /** A new encoded hash of {@code password}, with a fresh 16-byte salt. */
  public String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] tag = derive(password, salt, MEMORY_KIB, ITERATIONS, LANES, 32);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + LANES
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(tag);
  }

  /**
   * Whether {@code password} matches an encoded hash; compares in constant time.
   *
   * @throws StartException (PASSWORD_HASH_GENERATION) if the stored hash is malformed or asks for
   *     more than this server will spend
   */
  public boolean verify(String password, String encoded) {
    Matcher m = ENCODED.matcher(encoded);
    if (!m.matches()) {
      throw new StartException(
          ErrorKind.PASSWORD_HASH_GENERATION, "the stored password hash is not argon2id");
    }
    int memory = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int lanes = Integer.parseInt(m.group(3));
    if (memory > MAX_MEMORY_KIB
        || iterations < 1
        || lanes < 1
        || lanes > 16
        || memory < 8 * lanes) {
      throw new StartException(
          ErrorKind.PASSWORD_HASH_GENERATION,
          "the stored password hash has parameters this server refuses (m=" + memory + ")");
    }
    byte[] salt = B64_DECODE.decode(m.group(4));
    byte[] expected = B64_DECODE.decode(m.group(5));
    byte[] actual = derive(password, salt, memory, iterations, lanes, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
    var params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(lanes)
            .withSalt(salt)
            .build();
    var generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    slots.acquireUninterruptibly();
    try {
      generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    } finally {
      slots.release();
      HeapTrim.soon(); // the hash's memory is garbage now, most of it in the old generation
    }
    return out;
  }
}
