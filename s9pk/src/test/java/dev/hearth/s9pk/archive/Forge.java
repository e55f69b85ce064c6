package dev.hearth.s9pk.archive;

import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes archives byte by byte, including ones our writer never would, and signs them properly, so
 * tests reach the checks behind the signature: a forger with a key controls every TOC byte.
 */
final class Forge {
  static final int HEADER_END = 3 + ArchiveHeader.SIZE;

  /** One raw TOC entry. */
  record Raw(byte[] name, Blake3Hash hash, long size, int type, long position, long tocSize) {
    static Raw file(String name, byte[] body, long position) {
      return new Raw(utf8(name), Blake3.hash(body), body.length, 1, position, 0);
    }

    static Raw dir(String name, Blake3Hash sighash, long signedSize, long position, long tocSize) {
      return new Raw(utf8(name), sighash, signedSize, 2, position, tocSize);
    }
  }

  private Forge() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] toc(List<Raw> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, entries.size());
    for (Raw e : entries) {
      Varint.write(out, e.name().length);
      out.writeBytes(e.name());
      out.writeBytes(e.hash().bytes());
      Toc.writeU64(out, e.size());
      out.write(e.type());
      if (e.type() == 1) {
        Toc.writeU64(out, e.position());
      } else if (e.type() == 2) {
        Toc.writeU64(out, e.position());
        Toc.writeU64(out, e.tocSize());
      }
    }
    return out.toByteArray();
  }

  /** The sighash the rules give these entries (every entry as MISSING, sorted by name bytes). */
  static Blake3Hash sighash(List<Raw> entries) {
    List<Raw> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Raw::name, java.util.Arrays::compareUnsigned));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, sorted.size());
    for (Raw e : sorted) {
      Varint.write(out, e.name().length);
      out.writeBytes(e.name());
      out.writeBytes(e.hash().bytes());
      Toc.writeU64(out, e.size());
      out.write(0);
    }
    return Blake3.hash(out.toByteArray());
  }

  /** Header signed over (sighash, maxSize), then {@code body} (root TOC first, at 155). */
  static byte[] archive(
      DeveloperKey key,
      Blake3Hash sighash,
      long maxSize,
      long rootPos,
      long rootSize,
      byte[] body) {
    Commitment c = new Commitment(sighash, maxSize);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SpecExample.MAGIC);
    out.writeBytes(key.publicKey().bytes());
    out.writeBytes(key.signPrehashed(c.signedMessage(), SpecExample.CONTEXT));
    out.writeBytes(sighash.bytes());
    Toc.writeU64(out, maxSize);
    Toc.writeU64(out, rootPos);
    Toc.writeU64(out, rootSize);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** A signed archive whose root TOC is exactly these entries, followed by {@code rest}. */
  static byte[] rootOnly(List<Raw> entries, byte[] rest) {
    byte[] toc = toc(entries);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(toc);
    body.writeBytes(rest);
    return archive(
        SpecExample.RFC8032_TEST1,
        sighash(entries),
        toc.length,
        HEADER_END,
        toc.length,
        body.toByteArray());
  }
}
