package dev.hearth.startd.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ServerApi;
import dev.hearth.startd.continuation.Continuations;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code *.logs.follow} and {@code *.kernel-logs.follow} streams, for every mode that serves
 * logs: normal, setup and diagnostic.
 */
public final class LogStreams {
  /** How many log entries a follower may fall behind before it is cut off. */
  static final int FOLLOW_BUFFER = 10_000;

  private final KernelLog kernel;
  private final Continuations continuations;
  private final ObjectMapper mapper;

  public LogStreams(KernelLog kernel, Continuations continuations, ObjectMapper mapper) {
    this.kernel = kernel;
    this.continuations = continuations;
    this.mapper = mapper;
  }

  /**
   * {@code *.logs.follow}: first the entries {@link LogStore#backlog} selects from {@code window}
   * (the last 10 by default, or all after its cursor), then every entry written after the call, one
   * JSON frame each; {@code startCursor} is the first frame's entry, so a page read {@code before}
   * it joins the stream without a gap. The follower is registered by the call itself, so entries
   * written before the socket opens are kept. A stream opened by a session ends with it (upstream
   * leaves these streams open after a logout).
   */
  public ServerApi.LogFollow followLogs(
      LogStore store, ServerApi.LogsParams window, @Nullable String session) {
    var queue = new LinkedBlockingQueue<LogStore.Stored>(FOLLOW_BUFFER);
    var overflowed = new java.util.concurrent.atomic.AtomicBoolean();
    Consumer<LogStore.Stored> follower =
        s -> {
          if (!queue.offer(s)) {
            overflowed.set(true);
          }
        };
    long upTo = store.followFrom(follower);
    List<LogStore.Stored> backlog;
    try {
      backlog = store.backlog(window.limit(), window.cursor(), window.boot(), upTo);
    } catch (RuntimeException e) {
      store.unfollow(follower);
      throw e;
    }
    String start =
        !backlog.isEmpty()
            ? Long.toString(backlog.getFirst().seq())
            : window.cursor() != null ? window.cursor() : Long.toString(upTo);
    String guid =
        continuations.socket(
            socket -> {
              for (LogStore.Stored s : backlog) {
                socket.send(mapper.writeValueAsString(s.entry()));
              }
              while (socket.isOpen()) {
                if (overflowed.get()) {
                  throw new IllegalStateException("the reader fell too far behind");
                }
                LogStore.Stored s = queue.poll(1, TimeUnit.SECONDS);
                if (s != null && s.seq() > upTo) {
                  socket.send(mapper.writeValueAsString(s.entry()));
                }
              }
            },
            () -> store.unfollow(follower),
            Continuations.WINDOW,
            session);
    return new ServerApi.LogFollow(start, guid);
  }

  /** {@code *.kernel-logs.follow}: every kernel record from now on. */
  public ServerApi.LogFollow followKernel(@Nullable String session) {
    long start = kernel.readAfter(-1).stream().mapToLong(KernelLog.Record::seq).max().orElse(-1);
    String guid =
        continuations.socket(
            socket -> {
              long last = start;
              while (socket.isOpen()) {
                for (KernelLog.Record r : kernel.readAfter(last)) {
                  socket.send(
                      mapper.writeValueAsString(
                          new ServerApi.LogEntry(
                              r.time().toString(), r.message(), kernel.bootId())));
                  last = r.seq();
                }
                Thread.sleep(1000); // the device cannot be waited on without pinning a thread
              }
            },
            Continuations.WINDOW,
            session);
    return new ServerApi.LogFollow(start < 0 ? null : Long.toString(start), guid);
  }
}
