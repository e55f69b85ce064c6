package dev.hearth.patchdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A database directory sorted by file name alone, before anything is read: which snapshot opening
 * loads, which segments it replays after it, and which files are left over. Knowing this first lets
 * opening refuse a database too large to load while nothing has been read or changed.
 *
 * @param snapshot the newest snapshot, or null if there is none
 * @param snapshotRevision the revision its name declares; 0 without a snapshot
 * @param replay the segments whose records may follow the snapshot, oldest first; the last is the
 *     newest segment, where a torn tail may be
 * @param obsolete older snapshots, and segments whose every record the snapshot covers
 * @param unfinished snapshots whose writing never finished
 */
record DbFiles(
    @Nullable Path snapshot,
    long snapshotRevision,
    List<Segment> replay,
    List<Path> obsolete,
    List<Path> unfinished) {

  /** A journal segment and the first revision its name declares. */
  record Segment(long first, Path file) {}

  DbFiles {
    replay = List.copyOf(replay);
    obsolete = List.copyOf(obsolete);
    unfinished = List.copyOf(unfinished);
  }

  static DbFiles list(Path dir) throws IOException {
    TreeMap<Long, Path> snapshots = new TreeMap<>();
    TreeMap<Long, Path> segments = new TreeMap<>();
    List<Path> unfinished = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        OptionalLong snap = DiskFormat.snapshotRevision(name);
        OptionalLong seg = DiskFormat.segmentFirst(name);
        if (snap.isPresent()) {
          snapshots.put(snap.getAsLong(), file);
        } else if (seg.isPresent()) {
          segments.put(seg.getAsLong(), file);
        } else if (DiskFormat.isUnfinishedSnapshot(name)) {
          unfinished.add(file);
        }
      }
    }
    List<Path> obsolete = new ArrayList<>();
    Path snapshot = null;
    long snapshotRevision = 0;
    if (!snapshots.isEmpty()) {
      Map.Entry<Long, Path> newest = snapshots.lastEntry();
      snapshot = newest.getValue();
      snapshotRevision = newest.getKey();
      obsolete.addAll(snapshots.headMap(snapshotRevision).values());
    }
    List<Segment> replay = new ArrayList<>();
    var entries = new ArrayList<>(segments.entrySet());
    for (int i = 0; i < entries.size(); i++) {
      // A segment is covered when the next one starts at or before the revision after the snapshot.
      boolean covered =
          i + 1 < entries.size() && entries.get(i + 1).getKey() <= snapshotRevision + 1;
      if (covered) {
        obsolete.add(entries.get(i).getValue());
      } else {
        replay.add(new Segment(entries.get(i).getKey(), entries.get(i).getValue()));
      }
    }
    return new DbFiles(snapshot, snapshotRevision, replay, obsolete, unfinished);
  }

  /** What opening reads into memory: the snapshot's size plus the segments', in bytes. */
  long loadBytes() throws IOException {
    long bytes = snapshot == null ? 0 : Files.size(snapshot);
    for (Segment segment : replay) {
      bytes += Files.size(segment.file());
    }
    return bytes;
  }
}
