package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.StartException;
import java.net.InetAddress;
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

  private void failTimes(InetAddress address, int n) {
    for (int i = 0; i < n; i++) {
      limiter.reserve(address);
    }
  }

  @Test
  void aBurstOfAttemptsFillsTheBucketWhichThenDrains() throws Exception {
    InetAddress guesser = ip("192.0.2.1");
    failTimes(guesser, LoginLimiter.BURST);
    assertThatThrownBy(() -> limiter.reserve(guesser))
        .isInstanceOf(StartException.class)
        .hasMessageContaining("try again in 20 s");
    now = now.plus(LoginLimiter.DRAIN);
    assertThatCode(() -> limiter.reserve(guesser)).doesNotThrowAnyException();
    assertThatThrownBy(() -> limiter.reserve(guesser)).isInstanceOf(StartException.class);
  }

  @Test
  void attemptsInFlightCountBeforeTheirPasswordIsChecked() throws Exception {
    // Concurrent logins reserve one by one; none waits for the others' verdicts.
    InetAddress guesser = ip("192.0.2.9");
    failTimes(guesser, LoginLimiter.BURST);
    assertThatThrownBy(() -> limiter.reserve(guesser)).isInstanceOf(StartException.class);
  }

  @Test
  void anotherAddressIsNeverLockedOut() throws Exception {
    failTimes(ip("192.0.2.1"), LoginLimiter.BURST);
    assertThatCode(() -> limiter.reserve(ip("192.0.2.2"))).doesNotThrowAnyException();
  }

  @Test
  void successEmptiesTheBucket() throws Exception {
    InetAddress owner = ip("192.0.2.3");
    failTimes(owner, LoginLimiter.BURST - 1);
    limiter.reserve(owner);
    limiter.succeeded(owner);
    failTimes(owner, LoginLimiter.BURST - 1);
    assertThatCode(() -> limiter.reserve(owner)).doesNotThrowAnyException();
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() throws Exception {
    failTimes(ip("2001:db8::1"), LoginLimiter.BURST);
    assertThatThrownBy(() -> limiter.reserve(ip("2001:db8::ffff:2")))
        .isInstanceOf(StartException.class);
    assertThatCode(() -> limiter.reserve(ip("2001:db8:0:1::1"))).doesNotThrowAnyException();
  }

  @Test
  void aFloodOfAddressesForgetsTheOldestRatherThanGrowing() throws Exception {
    InetAddress first = ip("10.0.0.1");
    failTimes(first, LoginLimiter.BURST);
    for (int i = 0; i < LoginLimiter.MAX_ADDRESSES; i++) {
      limiter.reserve(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}));
    }
    // The first address was forgotten: it may try again (the map stayed bounded).
    assertThatCode(() -> limiter.reserve(first)).doesNotThrowAnyException();
  }
}
