package dev.hearth.patchdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.RandomJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots are streamed to and from disk; the checksums cover what was streamed. */
class SnapshotFileTest {
  private static final long SEED = 0x5AA95L;

  @TempDir Path dir;

  @Test
  void aSnapshotReadsBackAsTheDocumentWritten() throws IOException {
    var random = new RandomJson(new SplittableRandom(SEED));
    for (long revision = 1; revision <= 200; revision++) {
      Json document = random.document();
      long bytes = SnapshotFile.write(dir, revision, document, JsonCodec.standard());
      Path file = dir.resolve(DiskFormat.snapshotName(revision));
      assertThat(Files.size(file)).as("revision %d", revision).isEqualTo(bytes);
      SnapshotFile.Loaded loaded = SnapshotFile.read(file, revision, JsonCodec.standard());
      assertThat(loaded.document()).as("revision %d", revision).isEqualTo(document);
      assertThat(loaded.bytes()).isEqualTo(bytes);
      Files.delete(file);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).as("no temporary file stays").isEmpty();
    }
  }

  @Test
  void aDocumentThatIsNotJsonIsRefusedThoughItsChecksumMatches() throws IOException {
    byte[] payload = "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve(DiskFormat.snapshotName(7));
    Files.write(
        file,
        concat(
            DiskFormat.snapshotHeader(7, payload.length, DiskFormat.crc(payload, 0, payload.length))
                .array(),
            payload));
    assertThatThrownBy(() -> SnapshotFile.read(file, 7, JsonCodec.standard()))
        .isInstanceOf(StartException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("its document is not JSON");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
