package dev.hearth.cli.util;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.keys.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class B3sumCommandTest {
  @TempDir Path dir;

  @Test
  void b3sumPrintsWhatDebiansB3sumPrintsWithAndWithoutMmap() throws Exception {
    byte[] data = new byte[(3 << 20) + 5];
    new Random(11).nextBytes(data);
    Path file = dir.resolve("data.bin");
    Files.write(file, data);
    Process ref = new ProcessBuilder("b3sum", "--no-names", file.toString()).start();
    String expected =
        new String(ref.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertThat(ref.waitFor()).isZero();
    assertThat(Console.run("util", "b3sum", file.toString()).out().strip()).isEqualTo(expected);
    assertThat(Console.run("util", "b3sum", "--no-mmap", file.toString()).out().strip())
        .isEqualTo(expected);
  }

  @Test
  void b3sumOfAMissingFileIsAFilesystemError() {
    Console c = Console.run("util", "b3sum", dir.resolve("nope").toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).startsWith("Error: Filesystem I/O Error: cannot read");
  }
}
