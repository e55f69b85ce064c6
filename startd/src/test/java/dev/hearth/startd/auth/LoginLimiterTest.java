package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;
  private final LoginLimiter limiter = new LoginLimiter(clock);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void aBurstOfFailuresFillsTheBucketWhichThenDrains() throws Exception {
    InetAddress guesser = ip("192.0.2.1");
    for (int i = 0; i < LoginLimiter.BURST; i++) {
      limiter.check(guesser);
      limiter.failed(guesser);
    }
    assertThatThrownBy(() -> limiter.check(guesser))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("try again in 20 s");
    now = now.plus(LoginLimiter.DRAIN);
    assertThatCode(() -> limiter.check(guesser)).doesNotThrowAnyException();
    limiter.failed(guesser);
    assertThatThrownBy(() -> limiter.check(guesser)).isInstanceOf(StartException.class);
  }

  @Test
  void anotherAddressIsNeverLockedOut() throws Exception {
    InetAddress guesser = ip("192.0.2.1");
    for (int i = 0; i < 50; i++) {
      limiter.failed(guesser);
    }
    assertThatCode(() -> limiter.check(ip("192.0.2.2"))).doesNotThrowAnyException();
  }

  @Test
  void successEmptiesTheBucket() throws Exception {
    InetAddress owner = ip("192.0.2.3");
    for (int i = 0; i < LoginLimiter.BURST - 1; i++) {
      limiter.failed(owner);
    }
    limiter.succeeded(owner);
    for (int i = 0; i < LoginLimiter.BURST - 1; i++) {
      limiter.failed(owner);
    }
    assertThatCode(() -> limiter.check(owner)).doesNotThrowAnyException();
  }

  @Test
  void aFloodOfAddressesForgetsTheOldestRatherThanGrowing() throws Exception {
    InetAddress first = ip("10.0.0.1");
    for (int i = 0; i < LoginLimiter.BURST; i++) {
      limiter.failed(first);
    }
    for (int i = 0; i < LoginLimiter.MAX_ADDRESSES; i++) {
      limiter.failed(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}));
    }
    // The first address was forgotten: it may try again (the map stayed bounded).
    assertThatCode(() -> limiter.check(first)).doesNotThrowAnyException();
    now = now.plus(Duration.ofDays(1));
  }
}
