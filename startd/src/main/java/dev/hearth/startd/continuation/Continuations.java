package dev.hearth.startd.continuation;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.base32.Base32;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
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
 * <p>A job may hold resources from the moment it is registered (a database subscription, a log
 * follower): its {@code discard} action releases them if it never runs, because its window passed,
 * its session ended or the server stopped. A claimed job's runner calls it when the job ends.
 *
 * <p>Owns one virtual thread that sweeps expired jobs. Thread-safe.
 */
public final class Continuations implements AutoCloseable {
  /** The usual claim window (rpc.md §3.4). */
  public static final Duration WINDOW = Duration.ofSeconds(30);

  static final int MAX_PENDING = 10_000;
  static final int REMEMBERED_ENDED_SESSIONS = 4096;
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
  private static final Pattern GUID = Pattern.compile("[A-Z2-7]{32}");
  private static final String NO_SESSION = ""; // never a session id
  private static final Runnable NOTHING = () -> {};

  private record Pending(Object job, Runnable discard, Instant expires, @Nullable String session) {}

  /** A claimed job, what releases its resources, and the session it belongs to. */
  public record Claimed<J>(J job, Runnable discard, @Nullable String session) {}

  private final SecureRandom random;
  private final InstantSource clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Socket, String> open = new ConcurrentHashMap<>();
  private final Set<String> ended; // sessions that ended, so late registrations of theirs fail
  private final Thread sweeper;
  private volatile boolean closed;

  public Continuations(SecureRandom random, InstantSource clock) {
    this.random = random;
    this.clock = clock;
    this.ended =
        java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(
                new LinkedHashMap<>() {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_ENDED_SESSIONS;
                  }
                }));
    this.sweeper = Thread.ofVirtual().name("continuation-sweeper").start(this::sweep);
  }

  /**
   * Registers a WebSocket job that holds nothing until it runs.
   *
   * @param session the session it belongs to, or null if it outlives sessions
   * @return the guid the client connects with
   */
  public String socket(SocketJob job, Duration window, @Nullable String session) {
    return register(job, NOTHING, window, session);
  }

  /** Registers a WebSocket job whose resources {@code discard} releases if it never runs. */
  public String socket(SocketJob job, Runnable discard, Duration window, @Nullable String session) {
    return register(job, discard, window, session);
  }

  /** Registers an upload job; see {@link #socket}. */
  public String upload(UploadJob job, Duration window, @Nullable String session) {
    return register(job, NOTHING, window, session);
  }

  /** Registers an upload job whose {@code discard} runs if the upload never comes. */
  public String upload(UploadJob job, Runnable discard, Duration window, @Nullable String session) {
    return register(job, discard, window, session);
  }

  private String register(Object job, Runnable discard, Duration window, @Nullable String session) {
    if (closed || (session != null && ended.contains(session))) {
      discard.run();
      throw new StartException(
          ErrorKind.AUTHORIZATION, closed ? "the server is stopping" : "the session has ended");
    }
    if (pending.size() >= MAX_PENDING) {
      dropExpired();
      if (pending.size() >= MAX_PENDING) {
        discard.run();
        throw new StartException(
            ErrorKind.RATE_LIMITED, "too many continuations wait to be claimed; try again later");
      }
    }
    String guid = newGuid();
    pending.put(guid, new Pending(job, discard, clock.instant().plus(window), session));
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

  private <J> Optional<Claimed<J>> claim(String guid, Class<J> kind) {
    if (!GUID.matcher(guid).matches()) {
      return Optional.empty();
    }
    Pending p = pending.get(guid);
    if (p == null || !kind.isInstance(p.job()) || !pending.remove(guid, p)) {
      return Optional.empty();
    }
    if (clock.instant().isAfter(p.expires())) {
      p.discard().run();
      return Optional.empty();
    }
    return Optional.of(new Claimed<>(kind.cast(p.job()), p.discard(), p.session()));
  }

  /**
   * Records an open socket, so that it closes when its session ends or the server stops. A socket
   * whose session ended while it was being opened is closed at once.
   */
  public void opened(Socket socket, @Nullable String session) {
    open.put(socket, session == null ? NO_SESSION : session);
    if (closed || (session != null && ended.contains(session))) {
      socket.close(1000, "session ended");
      open.remove(socket);
    }
  }

  public void closed(Socket socket) {
    open.remove(socket);
  }

  /** Drops the pending jobs of an ended session and closes its open sockets. */
  public void sessionEnded(String session) {
    ended.add(session);
    for (var e : Set.copyOf(pending.entrySet())) {
      if (session.equals(e.getValue().session()) && pending.remove(e.getKey(), e.getValue())) {
        e.getValue().discard().run();
      }
    }
    for (var e : Set.copyOf(open.entrySet())) {
      if (e.getValue().equals(session)) {
        e.getKey().close(1000, "session ended");
        open.remove(e.getKey());
      }
    }
  }

  /** Closes every open socket and discards every pending job (server shutdown). */
  @Override
  public void close() {
    closed = true;
    sweeper.interrupt();
    for (var e : Set.copyOf(pending.entrySet())) {
      if (pending.remove(e.getKey(), e.getValue())) {
        e.getValue().discard().run();
      }
    }
    for (Socket s : Set.copyOf(open.keySet())) {
      s.close(1001, "server shutting down");
    }
    open.clear();
  }

  int pendingCount() {
    return pending.size();
  }

  /** Discards every job whose window has passed. */
  void dropExpired() {
    Instant now = clock.instant();
    for (var e : Set.copyOf(pending.entrySet())) {
      if (now.isAfter(e.getValue().expires()) && pending.remove(e.getKey(), e.getValue())) {
        e.getValue().discard().run();
      }
    }
  }

  private void sweep() {
    while (!closed) {
      try {
        Thread.sleep(SWEEP_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      dropExpired();
    }
  }

  private String newGuid() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return Base32.encode(bytes);
  }
}
