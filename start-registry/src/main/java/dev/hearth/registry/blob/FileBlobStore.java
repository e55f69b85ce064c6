package dev.hearth.registry.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Package files in a directory: {@code <hex sighash>.s9pk}, moved into place atomically after they
 * were verified and synced, so a crash leaves either the whole file or only an incoming temporary
 * (which the next start removes).
 */
public final class FileBlobStore implements BlobStore {
  private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\.s9pk");

  private final Path dir;
  private final Path incoming;

  public FileBlobStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.incoming = emptyIncoming(dir.resolve("incoming"));
  }

  /** Makes {@code dir} and removes what a crash left in it: uploads that never finished. */
  static Path emptyIncoming(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> leftovers = Files.list(dir)) {
      for (Path p : (Iterable<Path>) leftovers::iterator) {
        Files.deleteIfExists(p);
      }
    }
    return dir;
  }

  /** Whether a name is one this store could hold (anything else is never a path). */
  public static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  @Override
  public Path incoming() throws IOException {
    return Files.createTempFile(incoming, "upload-", ".part");
  }

  @Override
  public Blob put(Path verified, String name) throws IOException {
    if (!isName(name)) {
      throw new IllegalArgumentException("not a blob name: " + name);
    }
    Path target = dir.resolve(name);
    try (FileChannel ch = FileChannel.open(verified, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    if (Files.exists(target)) {
      Files.delete(verified);
    } else {
      try {
        Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the blob store must be on one file system", e);
      }
    }
    return new OnDisk(name, target, Files.size(target));
  }

  @Override
  public Optional<Blob> get(String name) {
    if (!isName(name)) {
      return Optional.empty();
    }
    Path p = dir.resolve(name);
    try {
      return Optional.of(new OnDisk(name, p, Files.size(p)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void remove(String name) throws IOException {
    if (isName(name)) {
      Files.deleteIfExists(dir.resolve(name));
    }
  }

  @Override
  public Set<String> names() throws IOException {
    Set<String> out = new HashSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).filter(FileBlobStore::isName).forEach(out::add);
    }
    return out;
  }
}
