package dev.hearth.s9pk;

import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

/** A small but complete package (s9pk.md §8) for tests: two architectures, one dependency. */
public final class TestPackages {
  public static final DeveloperKey KEY =
      DeveloperKey.fromSeed(
          HexFormat.of()
              .parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  public static final byte[] ICON_PNG =
      pseudoRandom(1, 700, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
  public static final String LICENSE = "MIT License\n\nCopyright (c) the authors\n";
  public static final String INSTRUCTIONS = "# Hello\n\nOpen the web UI. ✓ ünïcødé\n";

  private TestPackages() {}

  public static Manifest manifest() {
    try (InputStream in = TestPackages.class.getResourceAsStream("manifest.json")) {
      return ManifestJson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree of a valid package: a 3 MiB image squashfs so BLAKE3 spans many chunks. */
  public static Directory tree() {
    Directory root = Directory.empty();
    root = root.with("icon.png", Entry.file(ICON_PNG));
    root = root.with("LICENSE.md", Entry.file(LICENSE.getBytes(StandardCharsets.UTF_8)));
    root = root.with("instructions.md", Entry.file(INSTRUCTIONS.getBytes(StandardCharsets.UTF_8)));
    root = root.with("javascript.squashfs", Entry.file(pseudoRandom(2, 5000, new byte[0])));
    root = root.with("assets.squashfs", Entry.file(new byte[0]));
    root =
        root.withPath(
            "dependencies/bitcoind/metadata.json",
            Entry.file("{\"title\":\"Bitcoin\"}".getBytes(StandardCharsets.UTF_8)));
    root =
        root.withPath(
            "dependencies/bitcoind/icon.svg",
            Entry.file("<svg/>".getBytes(StandardCharsets.UTF_8)));
    for (String arch : new String[] {"x86_64", "aarch64"}) {
      root =
          root.withPath(
              "images/" + arch + "/main.squashfs",
              Entry.file(pseudoRandom(arch.length(), 3 << 20, new byte[0])));
      root =
          root.withPath(
              "images/" + arch + "/main.json",
              Entry.file(
                  "{\"workdir\":\"/\",\"user\":\"root\",\"entrypoint\":null,\"cmd\":null}"
                      .getBytes(StandardCharsets.UTF_8)));
      root =
          root.withPath(
              "images/" + arch + "/main.env",
              Entry.file("PATH=/bin".getBytes(StandardCharsets.UTF_8)));
    }
    root =
        root.with(
            "notes.txt", Entry.file("not part of a package".getBytes(StandardCharsets.UTF_8)));
    return root;
  }

  public static S9pk s9pk() {
    return S9pk.of(manifest(), tree());
  }

  static byte[] pseudoRandom(long seed, int size, byte[] prefix) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    System.arraycopy(prefix, 0, b, 0, Math.min(prefix.length, size));
    return b;
  }
}
