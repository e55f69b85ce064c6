package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.*: logs, metrics, device info and power, against the real daemon. */
class SystemIT {
  @TempDir Path dir;

  @Test
  void logsMetricsAndDeviceInfoAndAShutdownThatStopsOnlyTheDaemon() throws Exception {
    var startd = StartdProcess.start(dir);
    try (RpcClient local = startd.localClient()) {
      Servers.setUp(startd, "System Box");

      ServerApi.LogPage page =
          local.call(ServerApi.LOGS, new ServerApi.LogsParams(100, null, "0", null));
      assertThat(page.entries()).anyMatch(e -> e.message().contains("setup complete"));
      ServerApi.LogPage older =
          local.call(ServerApi.LOGS, new ServerApi.LogsParams(1, page.endCursor(), null, true));
      assertThat(older.entries()).hasSize(1);

      // Following the log: first the last entries (here 2), the first being startCursor's, so a
      // page read after startCursor starts with the second; then an entry written after the call.
      ServerApi.LogFollow follow =
          local.call(ServerApi.LOGS_FOLLOW, new ServerApi.LogsParams(2, null, null, null));
      try (Continuation stream = local.continuation(follow.guid())) {
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          backlog.add(
              StartdProcess.MAPPER
                  .readTree(stream.next(Duration.ofSeconds(20)).orElseThrow())
                  .get("message")
                  .asText());
        }
        ServerApi.LogPage afterStart =
            local.call(
                ServerApi.LOGS, new ServerApi.LogsParams(1, follow.startCursor(), null, false));
        assertThat(afterStart.entries().getFirst().message()).isEqualTo(backlog.get(1));
        try (RpcClient other = startd.client()) {
          other.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
        }
        JsonNode entry = null;
        while (entry == null || !entry.get("message").asText().contains("login from")) {
          entry = StartdProcess.MAPPER.readTree(stream.next(Duration.ofSeconds(20)).orElseThrow());
        }
        assertThat(entry.get("bootId").asText()).isNotBlank();
      }

      ServerApi.LogPage kernel =
          local.call(ServerApi.KERNEL_LOGS, new ServerApi.LogsParams(5, null, null, null));
      assertThat(kernel.entries()).isNotEmpty().hasSizeLessThanOrEqualTo(5);

      ServerApi.MetricsFollow metrics = local.call(ServerApi.METRICS_FOLLOW, Empty.INSTANCE);
      assertThat(metrics.metrics().memory().total()).isPositive();
      try (Continuation stream = local.continuation(metrics.guid())) {
        JsonNode frame =
            StartdProcess.MAPPER.readTree(stream.next(Duration.ofSeconds(20)).orElseThrow());
        assertThat(frame.at("/cpu/percentageUsed").isNumber()).isTrue();
        assertThat(frame.at("/disk/capacity").asLong()).isPositive();
      }

      ServerApi.DeviceInfo device = local.call(ServerApi.DEVICE_INFO, Empty.INSTANCE);
      assertThat(device.hardware().arch()).isEqualTo("x86_64");
      assertThat(device.hardware().ram()).isPositive();
      assertThat(device.os().version()).isEqualTo("0.4.0");

      local.call(ServerApi.SHUTDOWN, new ServerApi.PowerParams(null));
    }
    // Started with --power stop (as by make run): only the daemon stops, and it says so.
    assertThat(startd.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(startd.stop()).isZero();
    assertThat(startd.output())
        .anyMatch(l -> l.contains("stops itself instead of touching the machine"));
  }
}
