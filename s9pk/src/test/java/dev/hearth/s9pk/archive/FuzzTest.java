package dev.hearth.s9pk.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid archives at random (seeded, so every failure reproduces from its case number): bit
 * flips, overwritten bytes, truncation, insertion, deletion and spliced-in copies of other parts.
 * The only outcomes allowed are our format error, or — when the mutation changed nothing that
 * matters, like the position of an empty file — an archive that reads back the original contents
 * exactly.
 */
class FuzzTest {
  private static final long SEED = 0x5395_2026L;
  private static final int CASES = 4000;

  @Test
  void mutatedArchivesGiveOnlyFormatErrorsOrTheOriginalContents() throws IOException {
    byte[] valid = sample();
    Map<String, byte[]> original = contents(valid);
    Random random = new Random(SEED);
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      int n = i;
      byte[] mutated = mutate(valid, random);
      try {
        Map<String, byte[]> read = contents(mutated);
        assertThat(read.keySet()).as("case %d", n).isEqualTo(original.keySet());
        read.forEach((path, bytes) ->
            assertThat(bytes).as("case %d: %s", n, path).isEqualTo(original.get(path)));
      } catch (StartException e) {
        assertThat(e.kind())
            .as("case %d: %s", n, e.getMessage())
            .isIn(ErrorKind.PARSE_S9PK, ErrorKind.INVALID_SIGNATURE);
        refused++;
      }
    }
    assertThat(refused).as("mutations that were refused").isGreaterThan(CASES * 9 / 10);
  }

  /** A small package-shaped archive: nested directories, an empty file, several bodies. */
  private static byte[] sample() {
    Directory images =
        Directory.of(
            Map.of(
                "main.squashfs", Entry.file(bytes("squash".repeat(40))),
                "main.json", Entry.file(bytes("{\"workdir\":\"/\"}")),
                "main.env", Entry.file(new byte[0])));
    Directory root =
        Directory.of(
            Map.of(
                "manifest.json", Entry.file(bytes("{\"id\":\"x\"}")),
                "LICENSE.md", Entry.file(bytes("MIT")),
                "images",
                    Entry.directory(Directory.of(Map.of("x86_64", Entry.directory(images))))));
    return SpecExample.write(
        root, new Signing.Sign(SpecExample.RFC8032_TEST1, SpecExample.CONTEXT));
  }

  private static byte[] mutate(byte[] valid, Random r) {
    byte[] b = valid.clone();
    switch (r.nextInt(6)) {
      case 0 -> {
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
      case 3 -> {
        int at = r.nextInt(b.length);
        byte[] ins = new byte[1 + r.nextInt(16)];
        r.nextBytes(ins);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        b = out;
      }
      case 4 -> {
        int at = r.nextInt(b.length);
        int len = Math.min(1 + r.nextInt(16), b.length - at);
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        b = out;
      }
      default -> {
        int len = 1 + r.nextInt(24);
        int from = r.nextInt(b.length - len);
        int to = r.nextInt(b.length - len);
        System.arraycopy(valid, from, b, to, len);
      }
    }
    return b;
  }

  private static Map<String, byte[]> contents(byte[] archiveBytes) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    try (MerkleArchive archive = SpecExample.open(archiveBytes)) {
      for (String path : archive.root().paths()) {
        Entry e = archive.root().find(path).orElseThrow();
        if (e.isFile()) {
          try (InputStream in = e.open(path)) {
            out.put(path, in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
