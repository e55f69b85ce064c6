package dev.hearth.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The server itself: time, hardware, metrics, logs, name, power (rpc.md §4.3). */
public final class ServerApi {
  private ServerApi() {}

  public record Time(String now, long uptime) {}

  public record Os(String version, String compat, String platform, @Nullable String language) {}

  public record Device(
      String product, @Nullable String vendor, String deviceClass, List<String> capabilities) {}

  public record Hardware(String arch, long ram, List<Device> devices) {}

  public record DeviceInfo(Os os, Hardware hardware) {}

  /** A percentage and absolute figures; null where this machine has no such sensor. */
  public record General(@Nullable Double temperature) {}

  public record Memory(
      double percentageUsed,
      long total,
      long available,
      long used,
      long zramTotal,
      long zramAvailable,
      long zramUsed) {}

  /** Percentages of CPU time; {@code wait} is time waiting for I/O. */
  public record Cpu(
      double percentageUsed,
      double idle,
      double userSpace,
      double kernelSpace,
      @JsonProperty("wait") double ioWait) {}

  public record Disk(double percentageUsed, long used, long available, long capacity) {}

  public record Metrics(General general, Memory memory, Cpu cpu, Disk disk) {}

  public record MetricsFollow(String guid, Metrics metrics) {}

  /**
   * Which log entries to read (rpc.md §4.3): at most {@code limit}, starting at {@code cursor}
   * (exclusive), going back in time when {@code before}; {@code boot} selects a boot by id or by
   * index (0 = this boot, -1 = the one before).
   */
  public record LogsParams(
      @Nullable Integer limit,
      @Nullable String cursor,
      @Nullable String boot,
      @Nullable Boolean before) {}

  public record LogEntry(String timestamp, String message, String bootId) {}

  public record LogPage(
      List<LogEntry> entries, @Nullable String startCursor, @Nullable String endCursor) {}

  public record LogFollow(@Nullable String startCursor, String guid) {}

  public record SetHostnameParams(@Nullable String name, @Nullable String hostname) {}

  /** {@code wait}: answer only once the action is underway (upstream's flag). */
  public record PowerParams(@JsonProperty("wait") @Nullable Boolean waitForIt) {}

  public static final MethodSpec<Empty, Time> TIME =
      MethodSpec.of("server.time", Empty.class, Time.class, "The server's clock and uptime");

  public static final MethodSpec<Empty, DeviceInfo> DEVICE_INFO =
      MethodSpec.of("server.device-info", Empty.class, DeviceInfo.class, "OS and hardware");

  public static final MethodSpec<Empty, Metrics> METRICS =
      MethodSpec.of("server.metrics", Empty.class, Metrics.class, "CPU, memory, disk, temperature");

  public static final MethodSpec<Empty, MetricsFollow> METRICS_FOLLOW =
      MethodSpec.of(
          "server.metrics.follow",
          Empty.class,
          MetricsFollow.class,
          "Metrics now, and a WebSocket that sends them every few seconds");

  public static final MethodSpec<LogsParams, LogPage> LOGS =
      MethodSpec.of("server.logs", LogsParams.class, LogPage.class, "The daemon's log");

  public static final MethodSpec<LogsParams, LogFollow> LOGS_FOLLOW =
      MethodSpec.of(
          "server.logs.follow", LogsParams.class, LogFollow.class, "Follow the daemon's log");

  public static final MethodSpec<LogsParams, LogPage> KERNEL_LOGS =
      MethodSpec.of("server.kernel-logs", LogsParams.class, LogPage.class, "The kernel's log");

  public static final MethodSpec<LogsParams, LogFollow> KERNEL_LOGS_FOLLOW =
      MethodSpec.of(
          "server.kernel-logs.follow",
          LogsParams.class,
          LogFollow.class,
          "Follow the kernel's log");

  public static final MethodSpec<SetHostnameParams, Void> SET_HOSTNAME =
      MethodSpec.of(
              "server.set-hostname",
              SetHostnameParams.class,
              Void.class,
              "Rename the server; either name may be derived from the other")
          .syncingDb();

  public static final MethodSpec<PowerParams, Void> RESTART =
      MethodSpec.of("server.restart", PowerParams.class, Void.class, "Restart the server");

  public static final MethodSpec<Empty, Void> REBUILD =
      MethodSpec.of(
              "server.rebuild",
              Empty.class,
              Void.class,
              "Tear down every service's container and load it again")
          .syncingDb();

  public static final MethodSpec<PowerParams, Void> SHUTDOWN =
      MethodSpec.of("server.shutdown", PowerParams.class, Void.class, "Power the server off");
}
