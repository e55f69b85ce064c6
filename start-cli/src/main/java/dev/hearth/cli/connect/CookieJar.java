package dev.hearth.cli.connect;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Session cookies of remote logins, by server URL, in a file only its owner can read (default
 * {@code ~/.startos/.cookies.json}). Written atomically.
 */
public final class CookieJar {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public CookieJar(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  public Optional<String> session(String server) {
    return Optional.ofNullable(read().get(server));
  }

  public void store(String server, String token) {
    Map<String, String> all = read();
    all.put(server, token);
    write(all);
  }

  public void forget(String server) {
    Map<String, String> all = read();
    if (all.remove(server) != null) {
      write(all);
    }
  }

  private Map<String, String> read() {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(
          JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      throw new StartException(ErrorKind.DESERIALIZATION, "cannot read the cookie jar " + file, e);
    }
  }

  private void write(Map<String, String> all) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write the cookie jar " + file, e);
    }
  }
}
