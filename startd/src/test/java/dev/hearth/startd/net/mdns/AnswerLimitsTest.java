package dev.hearth.startd.net.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.net.mdns.DnsWire.Answer;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing rules on a clock the test moves (STYLE.md §12: no sleeps). */
class AnswerLimitsTest {
  private static final StandardProtocolFamily V4 = StandardProtocolFamily.INET;
  private static final Answer A = new Answer("hearth.local", address("10.0.0.1"));
  private static final Answer AAAA = new Answer("hearth.local", address("fd00::1"));
  private static final InetAddress CLIENT = address("10.0.0.2");

  private final ManualClock clock = new ManualClock();
  private final AnswerLimits limits = new AnswerLimits(clock);

  @Test
  void aRecordIsMulticastAtMostOncePerSecond() {
    assertThat(limits.multicast(V4, List.of(A), false)).containsExactly(A);
    clock.advance(Duration.ofMillis(999));
    assertThat(limits.multicast(V4, List.of(A), false)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(limits.multicast(V4, List.of(A), false)).containsExactly(A);
  }

  @Test
  void onlyTheRecordsSentRecentlyAreHeldBack() {
    limits.multicast(V4, List.of(A), false);
    assertThat(limits.multicast(V4, List.of(A, AAAA), false)).containsExactly(AAAA);
  }

  @Test
  void eachAddressFamilyIsItsOwnLink() {
    limits.multicast(V4, List.of(A), false);
    assertThat(limits.multicast(StandardProtocolFamily.INET6, List.of(A), false))
        .containsExactly(A);
  }

  @Test
  void anAnnouncementCountsAsAMulticast() {
    limits.announced(V4, List.of(A));
    assertThat(limits.multicast(V4, List.of(A), false)).isEmpty();
  }

  @Test
  void aProbeMayBeAnsweredAfter250Ms() {
    limits.multicast(V4, List.of(A), false);
    clock.advance(Duration.ofMillis(249));
    assertThat(limits.multicast(V4, List.of(A), true)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(limits.multicast(V4, List.of(A), true)).containsExactly(A);
  }

  @Test
  void oneClientGetsABurstThenFiveUnicastAnswersASecond() {
    int sent = 0;
    for (int i = 0; i < 1000; i++) {
      sent += limits.unicast(CLIENT) ? 1 : 0;
    }
    assertThat(sent).isEqualTo(AnswerLimits.CLIENT_BURST);
    clock.advance(Duration.ofMillis(199));
    assertThat(limits.unicast(CLIENT)).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limits.unicast(CLIENT)).isTrue();
  }

  @Test
  void oneFloodingClientDoesNotStarveAnother() {
    for (int i = 0; i < 1000; i++) {
      limits.unicast(CLIENT);
    }
    assertThat(limits.unicast(address("10.0.0.3"))).isTrue();
  }

  @Test
  void manyClientsTogetherGetAtMostTheInterfaceBudget() {
    int sent = 0;
    for (int i = 0; i < 5000; i++) { // e.g. one host forging source addresses
      sent += limits.unicast(address("10.1." + (i >> 8 & 0xff) + "." + (i & 0xff))) ? 1 : 0;
    }
    assertThat(sent).isEqualTo(AnswerLimits.LINK_BURST);
    clock.advance(Duration.ofSeconds(1));
    sent = 0;
    for (int i = 0; i < 5000; i++) {
      sent += limits.unicast(address("10.2." + (i >> 8 & 0xff) + "." + (i & 0xff))) ? 1 : 0;
    }
    assertThat(sent).isEqualTo((int) AnswerLimits.LINK_RATE);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final class ManualClock implements InstantSource {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }
}
