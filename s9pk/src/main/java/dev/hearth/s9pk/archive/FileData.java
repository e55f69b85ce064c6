package dev.hearth.s9pk.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a file's bytes come from: memory, a file on disk, or a range of an opened archive. */
public sealed interface FileData {
  /** A stream of exactly the bytes; the caller verifies them against the entry. */
  InputStream open() throws IOException;

  /** Bytes held in memory. */
  record Bytes(byte[] bytes) implements FileData {
    public Bytes {
      bytes = bytes.clone();
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }
  }

  /** A file on disk, hashed when its entry was made and verified again when it is read. */
  record OnDisk(Path path) implements FileData {
    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }
  }

  /** A file body inside an opened archive, at an absolute position. */
  record InArchive(ArchiveSource source, long position, long length) implements FileData {
    @Override
    public InputStream open() {
      return source.stream(position, length);
    }
  }
}
