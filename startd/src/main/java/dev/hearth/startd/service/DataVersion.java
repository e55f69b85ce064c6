package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The version a service's data is at (the {@code set/get-data-version} effects): one line in a file
 * on the host beside the volumes, out of the container's reach. Written atomically.
 */
public final class DataVersion {
  static final int MAX_LENGTH = 1024;

  private DataVersion() {}

  public static Optional<String> read(Path file) {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      String v = Files.readString(file, StandardCharsets.UTF_8).trim();
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file, e);
    }
  }

  public static void write(Path file, @Nullable String version) {
    try {
      if (version == null) {
        Files.deleteIfExists(file);
        return;
      }
      if (version.length() > MAX_LENGTH || version.contains("\n")) {
        throw new StartException(ErrorKind.INVALID_REQUEST, "not a data version");
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write " + file, e);
    }
  }
}
