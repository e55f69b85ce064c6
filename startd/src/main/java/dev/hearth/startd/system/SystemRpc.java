package dev.hearth.startd.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.RootApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.PublicPaths;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Binds {@code echo}, {@code state} and the {@code server.*} methods. */
public final class SystemRpc {
  /** How often {@code server.metrics.follow} sends metrics. */
  static final Duration METRICS_INTERVAL = Duration.ofSeconds(3);

  /** How many log entries a follower may fall behind before it is cut off. */
  static final int FOLLOW_BUFFER = 10_000;

  private final Database db;
  private final Machine machine;
  private final LogStore logs;
  private final KernelLog kernel;
  private final Power power;
  private final ServerNames names;
  private final Continuations continuations;
  private final InstantSource clock;
  private final ObjectMapper mapper;
  private final long startedNanos = System.nanoTime();

  public SystemRpc(
      Database db,
      Machine machine,
      LogStore logs,
      KernelLog kernel,
      Power power,
      ServerNames names,
      Continuations continuations,
      InstantSource clock,
      ObjectMapper mapper) {
    this.db = db;
    this.machine = machine;
    this.logs = logs;
    this.kernel = kernel;
    this.power = power;
    this.names = names;
    this.continuations = continuations;
    this.clock = clock;
    this.mapper = mapper;
  }

  public void bind(RpcTree.Builder tree) {
    tree.bind(RootApi.ECHO, (ctx, p) -> p.message())
        .bind(RootApi.STATE, (ctx, p) -> "running")
        .bind(
            ServerApi.TIME,
            (ctx, p) ->
                new ServerApi.Time(
                    clock.instant().toString(),
                    Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds()))
        .bind(ServerApi.DEVICE_INFO, (ctx, p) -> deviceInfo())
        .bind(ServerApi.METRICS, (ctx, p) -> machine.metrics())
        .bind(ServerApi.METRICS_FOLLOW, (ctx, p) -> followMetrics(ctx.sessionId().orElse(null)))
        .bind(
            ServerApi.LOGS,
            (ctx, p) -> logs.read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before())))
        .bind(ServerApi.LOGS_FOLLOW, (ctx, p) -> followLogs(logs, p, ctx.sessionId().orElse(null)))
        .bind(
            ServerApi.KERNEL_LOGS,
            (ctx, p) ->
                kernel.read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before())))
        .bind(ServerApi.KERNEL_LOGS_FOLLOW, (ctx, p) -> followKernel(ctx.sessionId().orElse(null)))
        .bind(
            ServerApi.SET_HOSTNAME,
            (ctx, p) -> {
              names.rename(p.name(), p.hostname());
              return null;
            })
        .bind(
            ServerApi.RESTART,
            (ctx, p) -> {
              power.restart();
              return null;
            })
        .bind(
            ServerApi.SHUTDOWN,
            (ctx, p) -> {
              power.shutdown();
              return null;
            });
  }

  ServerApi.DeviceInfo deviceInfo() {
    String language = db.snapshot().get(PublicPaths.LANGUAGE).orElse(null);
    return new ServerApi.DeviceInfo(
        new ServerApi.Os(OsRelease.VERSION, OsRelease.COMPAT, OsRelease.arch(), language),
        new ServerApi.Hardware(OsRelease.arch(), machine.ram(), machine.devices()));
  }

  private ServerApi.MetricsFollow followMetrics(@Nullable String session) {
    String guid =
        continuations.socket(
            socket -> {
              while (socket.isOpen()) {
                socket.send(mapper.writeValueAsString(machine.metrics()));
                Thread.sleep(METRICS_INTERVAL);
              }
            },
            Continuations.WINDOW,
            session);
    return new ServerApi.MetricsFollow(guid, machine.metrics());
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

  private ServerApi.LogFollow followKernel(@Nullable String session) {
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
