package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.JsonString;
import dev.hearth.patchdb.json.PatchOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database larger than the heap is a diagnostic, not a crash loop: opening it in a JVM with a 16
 * MiB heap fails with a DATABASE error naming its size and the heap, instead of dying of {@link
 * OutOfMemoryError}, and leaves every file as it was.
 */
class TooBigForHeapIT {
  private static final String HEAP = "-Xmx16m";
  private static final int VALUE_CHARS = 256 * 1024;
  private static final int VALUES = 96; // 24 MiB of text: more than the whole heap

  @TempDir Path dir;

  @Test
  void aSnapshotLargerThanTheHeapIsRefusedWithItsSizeAndTheHeap() throws Exception {
    Map<String, Json> fields = new LinkedHashMap<>();
    for (int i = 0; i < VALUES; i++) {
      fields.put("k" + i, new JsonString(text(i)));
    }
    SnapshotFile.write(dir, 1, JsonObject.of(fields), JsonCodec.standard());
    assertRefusedAndUnchanged();
  }

  @Test
  void aJournalLargerThanTheHeapIsRefusedWithItsSizeAndTheHeap() throws Exception {
    // Segments of 4 records, each small enough to read, that together outgrow the heap.
    long revision = 0;
    for (int segment = 0; segment < VALUES / 4; segment++) {
      try (var journal = JournalWriter.create(dir, revision + 1)) {
        for (int i = 0; i < 4; i++) {
          revision++;
          var add = new PatchOp.Add(JsonPointer.of("k" + revision), new JsonString(text(i)));
          byte[] patch =
              JsonCodec.standard().mapper().writeValueAsBytes(new JsonPatch(List.of(add)));
          journal.append(DiskFormat.record(revision, patch));
        }
        journal.force();
      }
    }
    assertRefusedAndUnchanged();
  }

  private void assertRefusedAndUnchanged() throws Exception {
    long onDisk = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        onDisk += Files.size(file);
      }
    }
    Map<String, String> before = contents();

    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                HEAP,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                OpenChild.class.getName(),
                dir.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as("exit code; stderr:%n%s", stderr).isEqualTo(OpenChild.REFUSED);
    assertThat(stderr)
        .contains("DATABASE (29): the database at " + dir + " does not fit in memory")
        .contains(onDisk + " bytes (" + (onDisk >> 20) + " MiB) of snapshot and journal")
        .contains("the JVM's maximum heap of ")
        .contains("nothing was changed on disk")
        .doesNotContain("Exception in thread");
    Map<String, String> after = contents();
    after.remove("LOCK"); // opening takes the lock before it reads anything
    assertThat(after).isEqualTo(before);
  }

  private static String text(int i) {
    return Character.toString('a' + i % 26).repeat(VALUE_CHARS);
  }

  /** Every file's name and the SHA-256 of its content. */
  private Map<String, String> contents() throws IOException, NoSuchAlgorithmException {
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        contents.put(file.getFileName().toString(), HexFormat.of().formatHex(digest));
      }
    }
    return contents;
  }
}
