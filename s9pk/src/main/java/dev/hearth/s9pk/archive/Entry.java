package dev.hearth.s9pk.archive;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One named thing in a directory: its signed hash and size, and its contents (s9pk.md §3). For a
 * file, hash and size are those of its bytes; for a directory, its sighash and its TOC size as
 * signed; a missing entry keeps what the entry had before it was stripped.
 */
public record Entry(Blake3Hash hash, long size, Contents contents) {
  public Entry {
    if (size < 0) {
      throw new IllegalArgumentException("an entry size is at most 2^63-1 bytes");
    }
  }

  /** A file held in memory. */
  public static Entry file(byte[] bytes) {
    return new Entry(
        Blake3.hash(bytes), bytes.length, new Contents.File(new FileData.Bytes(bytes)));
  }

  /**
   * A file on disk, hashed now; its bytes are read (and checked again) when the archive is written.
   *
   * @throws StartException FILESYSTEM if it cannot be read
   */
  public static Entry file(Path path) {
    // One channel for size and hash, so they describe the same bytes; positional reads rather than
    // a mapping, so a file truncated meanwhile is an error, not a SIGBUS in native code.
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      Blake3Hash hash = Blake3.hashRange(ch, 0, size, Blake3.FileRead.READ);
      return new Entry(hash, size, new Contents.File(new FileData.OnDisk(path)));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + path + ": " + e, e);
    }
  }

  /** A directory as it is now: its sighash and its current TOC size (what signing records). */
  public static Entry directory(Directory directory) {
    return new Entry(Toc.sighash(directory), Toc.size(directory), new Contents.Dir(directory));
  }

  /** The same entry stripped of its contents, keeping hash and size (the signature stays valid). */
  public Entry toMissing() {
    return new Entry(hash, size, new Contents.Missing());
  }

  /** The same hash and size with other contents: for filtering a directory's children. */
  Entry withContents(Contents replacement) {
    return new Entry(hash, size, replacement);
  }

  public boolean isFile() {
    return contents instanceof Contents.File;
  }

  public boolean isDirectory() {
    return contents instanceof Contents.Dir;
  }

  public boolean isMissing() {
    return contents instanceof Contents.Missing;
  }

  /** The directory, if this is one. */
  public java.util.Optional<Directory> directory() {
    return contents instanceof Contents.Dir(Directory d)
        ? java.util.Optional.of(d)
        : java.util.Optional.empty();
  }

  /**
   * The file's bytes, checked as they stream: more bytes than signed, fewer, or a different BLAKE3
   * hash fail the read that reveals it with INVALID_SIGNATURE, naming {@code what}.
   *
   * @throws StartException NOT_FOUND if this entry is not a file (missing or a directory)
   */
  public InputStream open(String what) {
    if (!(contents instanceof Contents.File(FileData data))) {
      throw new StartException(
          ErrorKind.NOT_FOUND,
          what + " is " + (isMissing() ? "missing from this archive" : "a directory, not a file"));
    }
    try {
      return new VerifyingInputStream(data.open(), hash, size, what);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + what + ": " + e, e);
    }
  }

  /**
   * All of the file's bytes, verified.
   *
   * @throws StartException PARSE_S9PK if the file is larger than {@code maxBytes} (checked before
   *     anything is read), INVALID_SIGNATURE if the bytes are not the signed ones
   */
  public byte[] readAll(String what, int maxBytes) {
    if (size > maxBytes) {
      throw new StartException(
          ErrorKind.PARSE_S9PK,
          what + " is " + size + " bytes; at most " + maxBytes + " are read into memory");
    }
    try (InputStream in = open(what)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
