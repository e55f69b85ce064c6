package dev.hearth.startd.auth;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local auth cookie (rpc.md §2.1, §2.5): a fresh secret written at every start to {@code <run
 * dir>/rpc.authcookie}, readable only by root (and the {@code startos} group in production), which
 * the CLI on the same machine sends as {@code Cookie: local=<contents>}. Whoever can read the file
 * already controls the machine, so it needs no login.
 */
public final class LocalCookie {
  public static final String FILE_NAME = "rpc.authcookie";

  private final byte[] value;
  private final Path file;

  private LocalCookie(byte[] value, Path file) {
    this.value = value;
    this.file = file;
  }

  /** Makes a new cookie and writes it atomically with mode 0640. */
  public static LocalCookie create(Path runDir, SecureRandom random) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String text = Base64.getEncoder().withoutPadding().encodeToString(secret);
    Path file = runDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(runDir);
      Path temp = runDir.resolve(FILE_NAME + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot write the local auth cookie " + file, e);
    }
    return new LocalCookie(text.getBytes(StandardCharsets.US_ASCII), file);
  }

  /** Whether a presented cookie is this one; constant time. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
  }

  public Path file() {
    return file;
  }

  @Override
  public String toString() {
    return "LocalCookie[" + file + "]";
  }
}
