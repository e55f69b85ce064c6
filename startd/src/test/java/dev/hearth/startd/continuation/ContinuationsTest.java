package dev.hearth.startd.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContinuationsTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Continuations continuations = new Continuations(new SecureRandom(), () -> now);
  private final SocketJob job = socket -> {};
  private final AtomicInteger discarded = new AtomicInteger();
  private final Runnable discard = discarded::incrementAndGet;

  @AfterEach
  void close() {
    continuations.close();
  }

  @Test
  void aGuidIsThirtyTwoBase32CharactersAndWorksOnce() {
    String guid = continuations.socket(job, Continuations.WINDOW, null);
    assertThat(guid).matches("[A-Z2-7]{32}");
    assertThat(continuations.claimSocket(guid)).isPresent();
    assertThat(continuations.claimSocket(guid)).isEmpty();
  }

  @Test
  void aGuidExpiresAfterItsWindowAndFitsOnlyItsKind() {
    String socket = continuations.socket(job, Duration.ofSeconds(30), null);
    String upload = continuations.upload((body, length) -> {}, Duration.ofSeconds(30), null);
    assertThat(continuations.claimUpload(socket)).isEmpty();
    assertThat(continuations.claimSocket(upload)).isEmpty();
    now = now.plusSeconds(31);
    assertThat(continuations.claimSocket(socket)).isEmpty();
    assertThat(continuations.claimSocket("not a guid")).isEmpty();
  }

  @Test
  void aJobThatNeverRunsReleasesWhatItHoldsWhenItsWindowPasses() {
    continuations.socket(job, discard, Duration.ofSeconds(30), null);
    String claimedLater = continuations.socket(job, discard, Duration.ofSeconds(30), null);
    now = now.plusSeconds(31);
    continuations.dropExpired();
    assertThat(discarded).hasValue(2);
    assertThat(continuations.claimSocket(claimedLater)).isEmpty();
    assertThat(continuations.pendingCount()).isZero();
  }

  @Test
  void anEndedSessionDropsItsPendingJobsAndClosesItsSockets() {
    String mine = continuations.socket(job, discard, Continuations.WINDOW, "session-a");
    String theirs = continuations.socket(job, Continuations.WINDOW, "session-b");
    List<String> closed = new ArrayList<>();
    continuations.opened(new RecordingSocket("a", closed), "session-a");
    continuations.opened(new RecordingSocket("b", closed), "session-b");
    continuations.sessionEnded("session-a");
    assertThat(continuations.claimSocket(mine)).isEmpty();
    assertThat(discarded).hasValue(1);
    assertThat(continuations.claimSocket(theirs)).isPresent();
    assertThat(closed).containsExactly("a");
  }

  @Test
  void anEndedSessionCannotStartOrOpenAStreamAfterwards() {
    continuations.sessionEnded("gone");
    assertThatThrownBy(() -> continuations.socket(job, discard, Continuations.WINDOW, "gone"))
        .hasMessageContaining("session has ended");
    assertThat(discarded).hasValue(1);
    // A stream claimed just before the session ended, opened just after: closed at once.
    List<String> closed = new ArrayList<>();
    continuations.opened(new RecordingSocket("late", closed), "gone");
    assertThat(closed).containsExactly("late");
  }

  @Test
  void closingDiscardsPendingJobsAndClosesOpenSockets() {
    continuations.socket(job, discard, Continuations.WINDOW, null);
    List<String> closed = new ArrayList<>();
    continuations.opened(new RecordingSocket("open", closed), null);
    continuations.close();
    assertThat(discarded).hasValue(1);
    assertThat(closed).containsExactly("open");
  }

  @Test
  void pendingJobsAreBounded() {
    for (int i = 0; i < Continuations.MAX_PENDING; i++) {
      continuations.socket(job, Continuations.WINDOW, null);
    }
    assertThatThrownBy(() -> continuations.socket(job, discard, Continuations.WINDOW, null))
        .hasMessageContaining("too many");
    assertThat(discarded).hasValue(1);
    now = now.plusSeconds(60); // all expired: room again
    assertThat(continuations.socket(job, Continuations.WINDOW, null)).hasSize(32);
  }

  private record RecordingSocket(String name, List<String> closed) implements Socket {
    @Override
    public void send(String text) {}

    @Override
    public void sendBinary(byte[] data) {}

    @Override
    public Socket.Inbound receive() {
      return null;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close(int code, String reason) {
      closed.add(name);
    }
  }
}
