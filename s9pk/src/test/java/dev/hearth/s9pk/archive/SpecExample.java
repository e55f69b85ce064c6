package dev.hearth.s9pk.archive;

import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/** The worked example of s9pk.md §13, as bytes and as the tree and key it was built from. */
final class SpecExample {
  static final byte[] MAGIC = {0x3b, 0x3b, 0x02};
  static final String CONTEXT = "s9pk";
  static final DeveloperKey RFC8032_TEST1 =
      DeveloperKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  private SpecExample() {}

  static byte[] bytes() {
    try (InputStream in = SpecExample.class.getResourceAsStream("spec-example.hex")) {
      StringBuilder hex = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (!line.startsWith("#")) {
          hex.append(line.strip());
        }
      }
      return HexFormat.of().parseHex(hex);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Directory tree() {
    Directory d =
        Directory.of(Map.of("b.txt", Entry.file("hello".getBytes(StandardCharsets.UTF_8))));
    return Directory.of(
        Map.of(
            "a.txt", Entry.file("hi".getBytes(StandardCharsets.UTF_8)), "d", Entry.directory(d)));
  }

  static byte[] write(Directory root, Signing signing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ArchiveWriter(MAGIC).write(root, signing, out);
    return out.toByteArray();
  }

  static MerkleArchive open(byte[] bytes) {
    return MerkleArchive.open(
        ArchiveSource.of(bytes), MAGIC, CONTEXT, java.util.Optional.empty(), Limits.DEFAULT);
  }
}
