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
import org.jspecify.annotations.Nullable;

/** Binds {@code echo}, {@code state} and the {@code server.*} methods. */
public final class SystemRpc {
  /** How often {@code server.metrics.follow} sends metrics. */
  static final Duration METRICS_INTERVAL = Duration.ofSeconds(3);

  private final Database db;
  private final Machine machine;
  private final LogStore logs;
  private final KernelLog kernel;
  private final Power power;
  private final ServerNames names;
  private final Continuations continuations;
  private final InstantSource clock;
  private final ObjectMapper mapper;
  private final LogStreams streams;
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
    this.streams = new LogStreams(kernel, continuations, mapper);
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
        .bind(
            ServerApi.KERNEL_LOGS_FOLLOW,
            (ctx, p) -> streams.followKernel(ctx.sessionId().orElse(null)))
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

  /** {@code *.logs.follow} of {@code store} (see {@link LogStreams#followLogs}). */
  public ServerApi.LogFollow followLogs(
      LogStore store, ServerApi.LogsParams window, @Nullable String session) {
    return streams.followLogs(store, window, session);
  }
}
