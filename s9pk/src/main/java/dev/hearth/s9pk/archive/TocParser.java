package dev.hearth.s9pk.archive;

import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses one table of contents (s9pk.md §3) from bytes already bounded by the caller. Stricter than
 * upstream where upstream's leniency only ever helps a forger: duplicate names, names that are not
 * single path segments (or are over 255 bytes, or hold control characters), invalid UTF-8 and bytes
 * after the last entry are refused.
 */
final class TocParser {
  /** One entry as written: positions are only meaningful for files and directories. */
  record Raw(Blake3Hash hash, long size, int type, long position, long tocSize) {}

  private final byte[] toc;
  private final String where;
  private int pos;

  private TocParser(byte[] toc, String where) {
    this.toc = toc;
    this.where = where;
  }

  /** Entries by name (UTF-8 order), in which the sighash is computed. */
  static TreeMap<String, Raw> parse(byte[] toc, String where) {
    return new TocParser(toc, where).entries();
  }

  /** The sighash of parsed entries: every entry rendered as MISSING, in name order (§4). */
  static Blake3Hash sighash(TreeMap<String, Raw> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, entries.size());
    for (Map.Entry<String, Raw> e : entries.entrySet()) {
      byte[] utf8 = e.getKey().getBytes(StandardCharsets.UTF_8);
      Varint.write(out, utf8.length);
      out.writeBytes(utf8);
      out.writeBytes(e.getValue().hash().bytes());
      Toc.writeU64(out, e.getValue().size());
      out.write(Toc.TYPE_MISSING);
    }
    return Blake3.hash(out.toByteArray());
  }

  private TreeMap<String, Raw> entries() {
    long count = varint("entry count");
    long room = (toc.length - pos) / Toc.MIN_ENTRY_BYTES;
    if (Long.compareUnsigned(count, room) > 0) {
      throw ArchiveError.malformed(
          where
              + " declares "
              + Long.toUnsignedString(count)
              + " entries, but its "
              + toc.length
              + "-byte TOC has room for at most "
              + room);
    }
    TreeMap<String, Raw> entries = new TreeMap<>(Names.ORDER);
    for (long i = 0; i < count; i++) {
      String name = name();
      Blake3Hash hash = new Blake3Hash(take(32, "hash of " + Names.quoted(name)));
      long size = u64("size of " + Names.quoted(name));
      int type = take(1, "type of " + Names.quoted(name))[0] & 0xff;
      long position = 0;
      long tocSize = 0;
      switch (type) {
        case Toc.TYPE_MISSING -> {}
        case Toc.TYPE_FILE -> position = u64("position of " + Names.quoted(name));
        case Toc.TYPE_DIRECTORY -> {
          position = u64("position of " + Names.quoted(name));
          tocSize = u64("TOC size of " + Names.quoted(name));
        }
        default ->
            throw ArchiveError.malformed(
                where
                    + ": entry "
                    + Names.quoted(name)
                    + " has unknown type id "
                    + type
                    + " (0 missing, 1 file, 2 directory)");
      }
      if (entries.put(name, new Raw(hash, size, type, position, tocSize)) != null) {
        throw ArchiveError.malformed(where + " has two entries named " + Names.quoted(name));
      }
    }
    if (pos != toc.length) {
      throw ArchiveError.malformed(
          where + " has " + (toc.length - pos) + " bytes after its last entry");
    }
    return entries;
  }

  private String name() {
    long len = varint("name length");
    if (Long.compareUnsigned(len, Math.min(Names.MAX_NAME_BYTES, toc.length - pos)) > 0) {
      throw ArchiveError.malformed(
          where
              + " has a name of "
              + Long.toUnsignedString(len)
              + " bytes, beyond the end of its TOC or the "
              + Names.MAX_NAME_BYTES
              + "-byte limit");
    }
    byte[] utf8 = take((int) len, "name");
    String name;
    try {
      name =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw ArchiveError.malformed(where + " has a name that is not valid UTF-8");
    }
    String problem = Names.problem(name);
    if (problem != null) {
      throw ArchiveError.malformed(where + ": entry name " + Names.quoted(name) + " " + problem);
    }
    return name;
  }

  private long varint(String what) {
    long value = 0;
    for (int i = 0; i < Varint.MAX_BYTES; i++) {
      int b = take(1, what)[0] & 0xff;
      if (i == 9 && b > 1) {
        throw ArchiveError.malformed(where + ": the " + what + " varint exceeds 64 bits");
      }
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw ArchiveError.malformed(where + ": unterminated varint for the " + what);
  }

  private long u64(String what) {
    byte[] b = take(8, what);
    long v = ByteBuffer.wrap(b).getLong();
    if (v < 0) {
      throw ArchiveError.malformed(
          where + ": the " + what + " is " + Long.toUnsignedString(v) + ", beyond 2^63-1");
    }
    return v;
  }

  private byte[] take(int n, String what) {
    if (n > toc.length - pos) {
      throw ArchiveError.malformed(where + " ends in the middle of the " + what);
    }
    byte[] out = Arrays.copyOfRange(toc, pos, pos + n);
    pos += n;
    return out;
  }
}
