package dev.hearth.startd.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ServerApi.LogEntry;
import dev.hearth.api.ServerApi.LogPage;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's own log, kept on disk so that {@code server.logs} can page back across restarts:
 * JSON lines with a sequence number (the cursor), time, boot id, level, logger and message, in
 * {@code startd.log}, rotated to {@code startd.log.1} at {@link #ROTATE_BYTES}. Followers are told
 * of each new entry.
 *
 * <p>This stands in for journald, which upstream reads: it works the same with or without systemd
 * and needs nothing outside the data directory. Thread-safe.
 */
public final class LogStore implements AutoCloseable {
  static final long ROTATE_BYTES = 8L << 20; // two files of 8 MiB: days of history at INFO
  static final int DEFAULT_LIMIT = 50;
  static final int FOLLOW_LIMIT = 10; // journalctl --follow's default
  static final int MAX_LIMIT = 10_000;
  private static final int TAIL_BYTES = 64 * 1024; // far more than one entry

  private final Path dir;
  private final String name;
  private final String bootId;
  private final ObjectMapper mapper;
  private final List<Consumer<Stored>> followers = new CopyOnWriteArrayList<>();
  private @Nullable BufferedWriter out; // guarded by this
  private long size; // guarded by this
  private long seq; // guarded by this: the last sequence number written

  /** An entry as stored. */
  public record Stored(long seq, Instant time, String bootId, String level, String message) {
    public LogEntry entry() {
      return new LogEntry(time.toString(), message, bootId);
    }
  }

  public LogStore(Path dir, String bootId, ObjectMapper mapper) {
    this(dir, "startd.log", bootId, mapper);
  }

  /** A log kept as {@code name} in {@code dir} (a service's log lives in its own directory). */
  public LogStore(Path dir, String name, String bootId, ObjectMapper mapper) {
    this.dir = dir;
    this.name = name;
    this.bootId = bootId;
    this.mapper = mapper;
    try {
      Files.createDirectories(dir);
      seq = lastSeq();
      size = Files.exists(current()) ? Files.size(current()) : 0;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot open the log in " + dir, e);
    }
  }

  private Path current() {
    return dir.resolve(name);
  }

  private Path previous() {
    return dir.resolve(name + ".1");
  }

  /** Appends an entry; failures to write are dropped (a log must not take the daemon down). */
  public void append(Instant time, String level, String message) {
    Stored stored;
    synchronized (this) {
      stored = new Stored(++seq, time, bootId, level, message);
      try {
        if (out == null || size >= ROTATE_BYTES) {
          rotateIfFull();
          out =
              Files.newBufferedWriter(
                  current(),
                  StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND);
        }
        ObjectNode line = mapper.createObjectNode();
        line.put("seq", stored.seq());
        line.put("time", time.toString());
        line.put("boot", bootId);
        line.put("level", level);
        line.put("message", message);
        String text = mapper.writeValueAsString(line) + "\n";
        out.write(text);
        out.flush();
        size += text.getBytes(StandardCharsets.UTF_8).length;
      } catch (IOException e) {
        // nowhere to report it: the log is the report channel
      }
    }
    for (Consumer<Stored> f : followers) {
      f.accept(stored);
    }
  }

  private void rotateIfFull() throws IOException {
    if (size >= ROTATE_BYTES) {
      if (out != null) {
        out.close();
        out = null;
      }
      Files.move(current(), previous(), StandardCopyOption.REPLACE_EXISTING);
      size = 0;
    }
  }

  /**
   * A page of entries in time order (rpc.md §4.3).
   *
   * @param cursor a sequence number: entries after it, or before it when {@code before}
   * @param boot a boot id, or an index (0 this boot, -1 the one before); null for all boots
   */
  public LogPage read(
      @Nullable Integer limit, @Nullable String cursor, @Nullable String boot, boolean before) {
    int n = limit == null ? DEFAULT_LIMIT : Math.clamp(limit, 1, MAX_LIMIT);
    Long at = cursor == null || cursor.isEmpty() ? null : parseCursor(cursor);
    List<Stored> selected = ofBoot(boot, Long.MAX_VALUE);
    List<Stored> page;
    if (before || at == null) {
      List<Stored> older =
          at == null ? selected : selected.stream().filter(s -> s.seq() < at).toList();
      page = older.subList(Math.max(0, older.size() - n), older.size());
    } else {
      page = selected.stream().filter(s -> s.seq() > at).limit(n).toList();
    }
    return new LogPage(
        page.stream().map(Stored::entry).toList(),
        page.isEmpty() ? cursor : Long.toString(page.getFirst().seq()),
        page.isEmpty() ? cursor : Long.toString(page.getLast().seq()));
  }

  /**
   * What a follow sends before the entries to come, as {@code journalctl --follow} does: every
   * entry after {@code cursor} when there is one (a reader resuming), else the last {@code limit}
   * ({@link #FOLLOW_LIMIT} by default); none newer than {@code upTo}, the newest entry when the
   * follower was registered ({@link #followFrom}).
   */
  public List<Stored> backlog(
      @Nullable Integer limit, @Nullable String cursor, @Nullable String boot, long upTo) {
    Long at = cursor == null || cursor.isEmpty() ? null : parseCursor(cursor);
    List<Stored> selected = ofBoot(boot, upTo);
    if (at != null) {
      return selected.stream().filter(s -> s.seq() > at).limit(MAX_LIMIT).toList();
    }
    int n = limit == null ? FOLLOW_LIMIT : Math.clamp(limit, 1, MAX_LIMIT);
    return selected.subList(Math.max(0, selected.size() - n), selected.size());
  }

  /** The stored entries of {@code boot} (all boots when null), up to sequence {@code upTo}. */
  private List<Stored> ofBoot(@Nullable String boot, long upTo) {
    List<Stored> all;
    try {
      all = readAll();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read the log in " + dir, e);
    }
    String bootFilter = resolveBoot(all, boot);
    return all.stream()
        .filter(s -> s.seq() <= upTo && (bootFilter == null || s.bootId().equals(bootFilter)))
        .toList();
  }

  /** The sequence number of the newest entry, as a cursor. */
  public synchronized String lastCursor() {
    return Long.toString(seq);
  }

  /** Calls {@code follower} with every later entry until {@link #unfollow}. */
  public void follow(Consumer<Stored> follower) {
    followers.add(follower);
  }

  /**
   * Calls {@code follower} with every entry appended from now on, and returns the sequence number
   * of the newest entry at this moment. The follower may also hear a few entries up to that number
   * (they are handed out after the lock): it skips them, {@link #backlog} has them.
   */
  public synchronized long followFrom(Consumer<Stored> follower) {
    followers.add(follower);
    return seq;
  }

  public void unfollow(Consumer<Stored> follower) {
    followers.remove(follower);
  }

  private static long parseCursor(String cursor) {
    try {
      return Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a log cursor: \"" + cursor + "\"");
    }
  }

  private @Nullable String resolveBoot(List<Stored> all, @Nullable String boot) {
    if (boot == null || boot.isEmpty()) {
      return null;
    }
    if (boot.matches("-?\\d+")) {
      Set<String> order = new LinkedHashSet<>();
      all.forEach(s -> order.add(s.bootId()));
      order.add(bootId);
      List<String> boots = new ArrayList<>(order);
      int index = boots.size() - 1 + Integer.parseInt(boot);
      if (index < 0 || index >= boots.size()) {
        throw new StartException(ErrorKind.NOT_FOUND, "no boot " + boot + " in the log");
      }
      return boots.get(index);
    }
    return boot;
  }

  /** The sequence number of the newest entry on disk, reading only the files' tails. */
  private long lastSeq() throws IOException {
    for (Path file : List.of(current(), previous())) {
      if (!Files.exists(file)) {
        continue;
      }
      try (var channel = java.nio.channels.FileChannel.open(file)) {
        long size = channel.size();
        long from = Math.max(0, size - TAIL_BYTES);
        var buffer = java.nio.ByteBuffer.allocate((int) (size - from));
        channel.read(buffer, from);
        List<String> lines = new String(buffer.array(), StandardCharsets.UTF_8).lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
          var stored = parse(lines.get(i));
          if (stored.isPresent()) {
            return stored.get().seq();
          }
        }
      }
    }
    return 0;
  }

  private List<Stored> readAll() throws IOException {
    List<Stored> out = new ArrayList<>();
    for (Path file : List.of(previous(), current())) {
      if (!Files.exists(file)) {
        continue;
      }
      try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
        lines.forEach(line -> parse(line).ifPresent(out::add));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return out;
  }

  private java.util.Optional<Stored> parse(String line) {
    try {
      JsonNode n = mapper.readTree(line);
      return java.util.Optional.of(
          new Stored(
              n.get("seq").asLong(),
              Instant.parse(n.get("time").asText()),
              n.get("boot").asText(),
              n.get("level").asText(),
              n.get("message").asText()));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty(); // a line cut short by a crash
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // closing at shutdown
      }
      out = null;
    }
  }
}
