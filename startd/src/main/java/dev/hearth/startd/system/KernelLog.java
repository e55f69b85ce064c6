package dev.hearth.startd.system;

import dev.hearth.api.ServerApi.LogEntry;
import dev.hearth.api.ServerApi.LogPage;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's log, read from {@code /dev/kmsg} (which keeps each record's sequence number, the
 * cursor here). The device blocks at its end, so it is opened non-blocking through the FFM API and
 * read until {@code EAGAIN}; a record the ring buffer overwrote while reading ({@code EPIPE}) is
 * skipped. Reading it needs root. Only the current boot is in the ring buffer.
 */
public final class KernelLog {
  private static final Path DEVICE = Path.of("/dev/kmsg");
  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 0x800; // Linux, x86-64 and aarch64
  private static final int EAGAIN = 11;
  private static final int EPIPE = 32;
  private static final int RECORD_BYTES = 8192; // the kernel's maximum record size

  /** A record as read. */
  public record Record(long seq, Instant time, String message) {}

  private final String bootId;

  public KernelLog(String bootId) {
    this.bootId = bootId;
  }

  /**
   * The downcalls, linked when the kernel log is first read: linking them takes tens of
   * milliseconds that the daemon's start need not wait for.
   */
  private static final class Libc {
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO =
        CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle OPEN;
    static final MethodHandle READ;
    static final MethodHandle CLOSE;

    static {
      Linker linker = Linker.nativeLinker();
      var lookup = linker.defaultLookup();
      Linker.Option ccs = Linker.Option.captureCallState("errno");
      OPEN =
          linker.downcallHandle(
              lookup.find("open").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
              ccs);
      READ =
          linker.downcallHandle(
              lookup.find("read").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_INT,
                  ValueLayout.ADDRESS,
                  ValueLayout.JAVA_LONG),
              ccs);
      CLOSE =
          linker.downcallHandle(
              lookup.find("close").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
  }

  /**
   * Every record now in the ring buffer with a sequence number above {@code after}.
   *
   * @throws StartException (JOURNALD) if the kernel log cannot be read, with why
   */
  public List<Record> readAfter(long after) {
    Instant booted = bootTime();
    List<Record> out = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Libc.CALL_STATE);
      int fd =
          (int)
              Libc.OPEN.invokeExact(
                  state, arena.allocateFrom(DEVICE.toString()), O_RDONLY | O_NONBLOCK);
      if (fd < 0) {
        int e = (int) Libc.ERRNO.get(state, 0L);
        throw new StartException(
            ErrorKind.JOURNALD,
            "the kernel log " + DEVICE + " cannot be read (errno " + e + "; it needs root)");
      }
      try {
        MemorySegment buffer = arena.allocate(RECORD_BYTES);
        while (true) {
          long n = (long) Libc.READ.invokeExact(state, fd, buffer, (long) RECORD_BYTES);
          if (n < 0) {
            int e = (int) Libc.ERRNO.get(state, 0L);
            if (e == EPIPE) {
              continue; // overwritten while we read: the next read gets the next record
            }
            if (e == EAGAIN) {
              break;
            }
            throw new StartException(
                ErrorKind.JOURNALD, "reading " + DEVICE + " failed: errno " + e);
          }
          if (n == 0) {
            break;
          }
          String text =
              new String(
                  buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
          Record r = parse(text, booted);
          if (r != null && r.seq() > after) {
            out.add(r);
          }
        }
      } finally {
        int ignored = (int) Libc.CLOSE.invokeExact(fd);
      }
    } catch (StartException e) {
      throw e;
    } catch (Throwable t) {
      throw new StartException(ErrorKind.JOURNALD, "reading " + DEVICE + " failed", t);
    }
    return out;
  }

  /**
   * A page of records in time order, like {@link LogStore#read}. The kernel keeps only this boot,
   * so any other boot is empty.
   */
  public LogPage read(
      @Nullable Integer limit, @Nullable String cursor, @Nullable String boot, boolean before) {
    int n = limit == null ? LogStore.DEFAULT_LIMIT : Math.clamp(limit, 1, LogStore.MAX_LIMIT);
    if (boot != null && !boot.isEmpty() && !boot.equals("0") && !boot.equals(bootId)) {
      return new LogPage(List.of(), cursor, cursor);
    }
    Long at = cursor == null || cursor.isEmpty() ? null : parse(cursor);
    List<Record> all = readAfter(-1);
    List<Record> page;
    if (before || at == null) {
      List<Record> older = at == null ? all : all.stream().filter(r -> r.seq() < at).toList();
      page = older.subList(Math.max(0, older.size() - n), older.size());
    } else {
      page = all.stream().filter(r -> r.seq() > at).limit(n).toList();
    }
    return new LogPage(
        page.stream().map(r -> new LogEntry(r.time().toString(), r.message(), bootId)).toList(),
        page.isEmpty() ? cursor : Long.toString(page.getFirst().seq()),
        page.isEmpty() ? cursor : Long.toString(page.getLast().seq()));
  }

  public String bootId() {
    return bootId;
  }

  private static long parse(String cursor) {
    try {
      return Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a log cursor: \"" + cursor + "\"");
    }
  }

  /** {@code prio,seq,usec,flags[,…];message} followed by continuation lines. */
  static @Nullable Record parse(String text, Instant booted) {
    int semi = text.indexOf(';');
    if (semi < 0) {
      return null;
    }
    String[] fields = text.substring(0, semi).split(",");
    if (fields.length < 3) {
      return null;
    }
    try {
      long seq = Long.parseLong(fields[1]);
      long micros = Long.parseLong(fields[2]);
      String message = text.substring(semi + 1).lines().findFirst().orElse("");
      return new Record(seq, booted.plus(Duration.ofNanos(micros * 1000)), message);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Wall-clock time of boot: now minus {@code /proc/uptime}. */
  static Instant bootTime() {
    try {
      String uptime = Files.readString(Path.of("/proc/uptime")).split("\\s+")[0];
      long millis = (long) (Double.parseDouble(uptime) * 1000);
      return Instant.now().minusMillis(millis);
    } catch (java.io.IOException | RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
