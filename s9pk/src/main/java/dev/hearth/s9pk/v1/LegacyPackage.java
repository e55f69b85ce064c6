package dev.hearth.s9pk.v1;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.archive.ArchiveSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A v1 package: {@code 3B 3B 01}, the signer's key and signature, then a table of sections ({@code
 * u32be} length, then {@code u8 label_len, label, u64be position, u64be length} records). The v1
 * signature is not checked: converting re-signs with the developer key (s9pk.md §10).
 */
public final class LegacyPackage implements Closeable {
  static final byte[] MAGIC = {0x3b, 0x3b, 0x01};
  private static final int HEADER = 3 + 32 + 64;
  private static final int MAX_TOC = 64 << 10;

  /** A section's place in the file. */
  public record Section(long position, long length) {}

  private final ArchiveSource source;
  private final Map<String, Section> sections;

  private LegacyPackage(ArchiveSource source, Map<String, Section> sections) {
    this.source = source;
    this.sections = sections;
  }

  /**
   * @throws StartException PARSE_S9PK if it is not a well-formed v1 file
   */
  public static LegacyPackage open(ArchiveSource source) {
    try {
      long size = source.size();
      if (size < HEADER + 4) {
        throw malformed("the file is " + size + " bytes, too short for a v1 header");
      }
      byte[] head = source.readFully(0, HEADER + 4);
      if (!Arrays.equals(head, 0, 3, MAGIC, 0, 3)) {
        throw malformed("the file does not start with the v1 magic 3b3b01");
      }
      long tocLen = ByteBuffer.wrap(head, HEADER, 4).getInt() & 0xffffffffL;
      if (tocLen > MAX_TOC || HEADER + 4 + tocLen > size) {
        throw malformed("the v1 section table of " + tocLen + " bytes does not fit the file");
      }
      ByteBuffer toc = ByteBuffer.wrap(source.readFully(HEADER + 4, (int) tocLen));
      Map<String, Section> sections = new LinkedHashMap<>();
      while (toc.hasRemaining()) {
        int labelLen = toc.get() & 0xff;
        if (toc.remaining() < labelLen + 16) {
          throw malformed("the v1 section table ends inside a record");
        }
        byte[] label = new byte[labelLen];
        toc.get(label);
        long pos = toc.getLong();
        long len = toc.getLong();
        if (pos < 0 || len < 0 || pos > size || len > size - pos) {
          throw malformed(
              "v1 section " + new String(label, StandardCharsets.UTF_8) + " lies outside the file");
        }
        sections.put(new String(label, StandardCharsets.UTF_8), new Section(pos, len));
      }
      return new LegacyPackage(source, sections);
    } catch (IOException e) {
      StartException failure =
          new StartException(ErrorKind.FILESYSTEM, "cannot read " + source + ": " + e, e);
      try {
        source.close();
      } catch (IOException suppressed) {
        failure.addSuppressed(suppressed);
      }
      throw failure;
    } catch (StartException e) {
      try {
        source.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public Map<String, Section> sections() {
    return sections;
  }

  public Optional<InputStream> stream(String label) {
    Section s = sections.get(label);
    return s == null ? Optional.empty() : Optional.of(source.stream(s.position(), s.length()));
  }

  public Optional<byte[]> bytes(String label, int max) {
    Section s = sections.get(label);
    if (s == null) {
      return Optional.empty();
    }
    if (s.length() > max) {
      throw malformed(
          "v1 section "
              + label
              + " is "
              + s.length()
              + " bytes, over the "
              + max
              + " read into memory");
    }
    try {
      return Optional.of(source.readFully(s.position(), (int) s.length()));
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot read v1 section " + label + ": " + e, e);
    }
  }

  static StartException malformed(String message) {
    return new StartException(ErrorKind.PARSE_S9PK, message);
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
