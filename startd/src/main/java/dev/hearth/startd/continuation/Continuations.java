package dev.hearth.startd.continuation;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.base32.Base32;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The pending and open continuations. A guid is 20 random bytes in base32 (32 characters of {@code
 * A-Z2-7}); a claim takes it out, so it works once, and only within its window. At most {@link
 * #MAX_PENDING} may wait to be claimed, so handing out guids cannot grow memory without bound.
 *
 * <p>Thread-safe.
 */
public final class Continuations {
  /** The usual claim window (rpc.md §3.4). */
  public static final Duration WINDOW = Duration.ofSeconds(30);

  static final int MAX_PENDING = 10_000;
  private static final Pattern GUID = Pattern.compile("[A-Z2-7]{32}");

  private record Pending(Object job, Instant expires, @Nullable String session) {}

  private final SecureRandom random;
  private final InstantSource clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private static final String NO_SESSION = ""; // never a session id
  private final Map<Socket, String> openBySession = new ConcurrentHashMap<>();

  public Continuations(SecureRandom random, InstantSource clock) {
    this.random = random;
    this.clock = clock;
  }

  /**
   * Registers a WebSocket job.
   *
   * @param session the session it belongs to, or null if it outlives sessions
   * @return the guid the client connects with
   */
  public String socket(SocketJob job, Duration window, @Nullable String session) {
    return register(job, window, session);
  }

  /** Registers an upload job; see {@link #socket}. */
  public String upload(UploadJob job, Duration window, @Nullable String session) {
    return register(job, window, session);
  }

  private String register(Object job, Duration window, @Nullable String session) {
    if (pending.size() >= MAX_PENDING) {
      dropExpired();
      if (pending.size() >= MAX_PENDING) {
        throw new StartException(
            ErrorKind.RATE_LIMITED, "too many continuations wait to be claimed; try again later");
      }
    }
    String guid = newGuid();
    pending.put(guid, new Pending(job, clock.instant().plus(window), session));
    return guid;
  }

  /** Takes the socket job of a guid, if it is pending, unexpired and a socket job. */
  public Optional<Claimed<SocketJob>> claimSocket(String guid) {
    return claim(guid, SocketJob.class);
  }

  /** Takes the upload job of a guid, if it is pending, unexpired and an upload job. */
  public Optional<Claimed<UploadJob>> claimUpload(String guid) {
    return claim(guid, UploadJob.class);
  }

  /** A claimed job and the session it belongs to. */
  public record Claimed<J>(J job, @Nullable String session) {}

  private <J> Optional<Claimed<J>> claim(String guid, Class<J> kind) {
    if (!GUID.matcher(guid).matches()) {
      return Optional.empty();
    }
    Pending p = pending.get(guid);
    if (p == null || !kind.isInstance(p.job())) {
      return Optional.empty();
    }
    if (!pending.remove(guid, p) || clock.instant().isAfter(p.expires())) {
      return Optional.empty();
    }
    return Optional.of(new Claimed<>(kind.cast(p.job()), p.session()));
  }

  /** Records an open socket, so that it closes when its session ends or the server stops. */
  public void opened(Socket socket, @Nullable String session) {
    openBySession.put(socket, session == null ? NO_SESSION : session);
  }

  public void closed(Socket socket) {
    openBySession.remove(socket);
  }

  /** Drops the pending jobs of an ended session and closes its open sockets. */
  public void sessionEnded(String session) {
    pending.values().removeIf(p -> session.equals(p.session()));
    for (var e : Set.copyOf(openBySession.entrySet())) {
      if (e.getValue().equals(session)) {
        e.getKey().close(1000, "session ended");
        openBySession.remove(e.getKey());
      }
    }
  }

  /** Closes every open socket (server shutdown). */
  public void closeAll() {
    pending.clear();
    for (Socket s : Set.copyOf(openBySession.keySet())) {
      s.close(1001, "server shutting down");
    }
    openBySession.clear();
  }

  int pendingCount() {
    return pending.size();
  }

  private void dropExpired() {
    Instant now = clock.instant();
    pending.values().removeIf(p -> now.isAfter(p.expires()));
  }

  private String newGuid() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return Base32.encode(bytes);
  }
}
