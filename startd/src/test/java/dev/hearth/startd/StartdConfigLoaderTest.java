package dev.hearth.startd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.startd.auth.SessionExpiry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartdConfigLoaderTest {
  private static StartdConfig load(String... flags) {
    String[] args = new String[flags.length + 4];
    args[0] = "--data-dir";
    args[1] = "/tmp/hearth-config-test";
    args[2] = "--power";
    args[3] = "stop";
    System.arraycopy(flags, 0, args, 4, flags.length);
    return StartdConfigLoader.load(args, Map.of());
  }

  @Test
  void sessionsLastThirtyDaysIdleAndAYearAtMostByDefault() {
    assertThat(load().sessions())
        .isEqualTo(new SessionExpiry(Duration.ofDays(30), Duration.ofDays(365)))
        .isEqualTo(SessionExpiry.DEFAULT);
  }

  @Test
  void sessionLimitsTakeANumberAndAUnit() {
    assertThat(load("--session-idle", "12h", "--session-lifetime", "90d").sessions())
        .isEqualTo(new SessionExpiry(Duration.ofHours(12), Duration.ofDays(90)));
    assertThat(load("--session-idle=90m", "--session-lifetime=7200s").sessions())
        .isEqualTo(new SessionExpiry(Duration.ofMinutes(90), Duration.ofHours(2)));
  }

  @Test
  void aSessionLimitWithoutAUnitOrShorterThanAMinuteIsRefused() {
    assertThatThrownBy(() -> load("--session-idle", "30"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--session-idle is a number and a unit (d, h, m or s), such as 30d: \"30\"");
    assertThatThrownBy(() -> load("--session-lifetime", "30s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the session lifetime must be at least 1 minute: PT30S");
  }
}
