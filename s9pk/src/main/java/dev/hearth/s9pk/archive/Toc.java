package dev.hearth.s9pk.archive;

import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A directory's table of contents: its byte size, its sighash, and its serialized form (§3, §4).
 */
final class Toc {
  static final int TYPE_MISSING = 0;
  static final int TYPE_FILE = 1;
  static final int TYPE_DIRECTORY = 2;

  /** name length varint (≥1) + hash + size + type: the smallest possible entry. */
  static final int MIN_ENTRY_BYTES = 1 + 32 + 8 + 1;

  private Toc() {}

  /** The TOC's length as it is written now (MISSING entries carry no position). */
  static long size(Directory dir) {
    long n = Varint.size(dir.entries().size());
    for (Map.Entry<String, Entry> e : dir.entries().entrySet()) {
      int nameBytes = e.getKey().getBytes(StandardCharsets.UTF_8).length;
      n += Varint.size(nameBytes) + nameBytes + 32 + 8 + 1 + bodyBytes(e.getValue().contents());
    }
    return n;
  }

  static int bodyBytes(Contents contents) {
    return switch (contents) {
      case Contents.File f -> 8;
      case Contents.Dir d -> 16;
      case Contents.Missing m -> 0;
    };
  }

  /** BLAKE3 of the TOC rendered with every entry MISSING, in name order (s9pk.md §4). */
  static Blake3Hash sighash(Directory dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, dir.entries().size());
    dir.entries().forEach((name, entry) -> writeHeader(out, name, entry, TYPE_MISSING));
    return Blake3.hash(out.toByteArray());
  }

  /** varstring(name) hash size type, without the position fields. */
  static void writeHeader(ByteArrayOutputStream out, String name, Entry entry, int type) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    Varint.write(out, utf8.length);
    out.writeBytes(utf8);
    out.writeBytes(entry.hash().bytes());
    writeU64(out, entry.size());
    out.write(type);
  }

  static void writeU64(ByteArrayOutputStream out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
  }

  static int type(Contents contents) {
    return switch (contents) {
      case Contents.File f -> TYPE_FILE;
      case Contents.Dir d -> TYPE_DIRECTORY;
      case Contents.Missing m -> TYPE_MISSING;
    };
  }
}
