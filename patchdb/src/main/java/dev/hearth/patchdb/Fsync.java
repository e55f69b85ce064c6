package dev.hearth.patchdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The fsync steps that durability depends on beyond a file's own data. */
final class Fsync {
  private Fsync() {}

  /** Makes creations, renames and deletions in {@code dir} durable. */
  static void directory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
