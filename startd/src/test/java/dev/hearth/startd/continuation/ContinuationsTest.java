package dev.hearth.startd.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuationsTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Continuations continuations = new Continuations(new SecureRandom(), () -> now);
  private final SocketJob job = socket -> {};

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
  void anEndedSessionDropsItsPendingJobsAndClosesItsSockets() {
    String mine = continuations.socket(job, Continuations.WINDOW, "session-a");
    String theirs = continuations.socket(job, Continuations.WINDOW, "session-b");
    List<String> closed = new ArrayList<>();
    Socket open = new RecordingSocket("a", closed);
    Socket other = new RecordingSocket("b", closed);
    continuations.opened(open, "session-a");
    continuations.opened(other, "session-b");
    continuations.sessionEnded("session-a");
    assertThat(continuations.claimSocket(mine)).isEmpty();
    assertThat(continuations.claimSocket(theirs)).isPresent();
    assertThat(closed).containsExactly("a");
  }

  @Test
  void pendingJobsAreBounded() {
    for (int i = 0; i < Continuations.MAX_PENDING; i++) {
      continuations.socket(job, Continuations.WINDOW, null);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> continuations.socket(job, Continuations.WINDOW, null))
        .hasMessageContaining("too many");
    now = now.plusSeconds(60); // all expired: room again
    assertThat(continuations.socket(job, Continuations.WINDOW, null)).hasSize(32);
  }

  private record RecordingSocket(String name, List<String> closed) implements Socket {
    @Override
    public void send(String text) {}

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
