package dev.hearth.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.JsonTree;
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
      JsonNode tree = JsonTree.parse(Files.readAllBytes(file));
      if (!tree.isObject()) {
        throw new IOException("not a JSON object");
      }
      Map<String, String> all = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : tree.properties()) {
        if (!e.getValue().isTextual()) {
          throw new IOException("the cookie of " + e.getKey() + " is not a string");
        }
        all.put(e.getKey(), e.getValue().textValue());
      }
      return all;
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
      ObjectNode tree = JsonNodeFactory.instance.objectNode();
      all.forEach(tree::put);
      Files.writeString(temp, JsonTree.pretty(tree));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write the cookie jar " + file, e);
    }
  }
}
