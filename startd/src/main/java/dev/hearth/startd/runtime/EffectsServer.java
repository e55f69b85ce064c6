package dev.hearth.startd.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.jsonrpc.RpcEndpoint;
import dev.hearth.jsonrpc.RpcTree;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one package's effects on its {@code host.sock}. Accepts both styles a runtime may use (one
 * connection per call, or many calls on one). The tree is bound to the package the socket belongs
 * to: a package cannot speak for another.
 *
 * <p><b>Threads.</b> The server owns two executors, one virtual thread per task each: one reads
 * connections, one answers requests. Each request runs on its own thread, so a slow effect never
 * blocks another and an effect may wait on a call back into a runtime (§2.6). {@link #close} stops
 * intake, interrupts what is still being answered (the container is going away: no reply could be
 * delivered) and waits up to {@link #CLOSE_GRACE} for it to end.
 *
 * <p><b>Bounds.</b> The package is hostile (issue 10), so all it can make the host hold is bounded,
 * and reaching a bound makes it wait rather than fail: at most {@link Limits#connections()}
 * connections (more wait in the listen queue), {@link Limits#inFlight()} requests being answered (a
 * reader takes a slot before it reads the next line, so a flood backs up into the package's
 * socket), and {@link Limits#budgetBytes()} of request bytes read or in flight; a request line is
 * at most {@link #MAX_REQUEST_BYTES}. The executors are per package, so one package's flood never
 * delays another's effects.
 *
 * <p><b>Nesting cannot deadlock at realistic depth.</b> Some effects wait on a call back into a
 * runtime ({@code action.get-input}, {@code action.run}, {@code action.create-task}), which may
 * itself call effects of this same server before it answers. Those nested requests need slots too.
 * SDK packages nest one or two deep and have a handful of effects open at once, far below {@link
 * #MAX_IN_FLIGHT}. Only a package that keeps all {@link #MAX_IN_FLIGHT} slots busy with calls that
 * wait on its own nested effects can starve them; it then waits on itself until the runtime calls
 * time out (30 s for getInput, 120 s for run), which frees the slots. It stalls only its own
 * effects, never the host's or another package's.
 */
public final class EffectsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EffectsServer.class);

  /** The longest effect request: an SDK request is a few hundred bytes. */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  static final int MAX_CONNECTIONS = 64;
  static final int MAX_IN_FLIGHT = 256;
  static final int BUDGET_BYTES = 8 << 20;
  private static final int BACKLOG = 256;

  /** How long {@link #close} waits for interrupted effects to end: they hold no lock to wait on. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  /** What one package may have the host hold at once. */
  record Limits(int connections, int inFlight, int budgetBytes) {
    static final Limits DEFAULT = new Limits(MAX_CONNECTIONS, MAX_IN_FLIGHT, BUDGET_BYTES);

    Limits {
      if (connections < 1 || inFlight < 1 || budgetBytes < MAX_REQUEST_BYTES) {
        throw new IllegalArgumentException(
            "effects limits: at least one connection, one request in flight, and a budget of one"
                + " request's "
                + MAX_REQUEST_BYTES
                + " bytes");
      }
    }
  }

  private final ServerSocketChannel server;
  private final Path socket;
  private final RpcEndpoint endpoint;
  private final ObjectMapper mapper;
  private final String packageId;
  private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

  private final Set<JsonLines> open = ConcurrentHashMap.newKeySet();
  private final Limits limits;
  private final Semaphore connections;
  private final Semaphore inFlight;
  private final ByteBudget budget;

  /** Reads connections: one thread each, at most {@code limits.connections()}. */
  private final ExecutorService readers;

  /** Answers requests: one thread each, at most {@code limits.inFlight()}. */
  private final ExecutorService answers;

  private final Thread acceptor;

  private EffectsServer(
      ServerSocketChannel server,
      Path socket,
      RpcTree tree,
      ObjectMapper mapper,
      String packageId,
      Limits limits) {
    this.server = server;
    this.socket = socket;
    this.endpoint = new RpcEndpoint(() -> tree, mapper);
    this.mapper = mapper;
    this.packageId = packageId;
    this.limits = limits;
    this.connections = new Semaphore(limits.connections());
    this.inFlight = new Semaphore(limits.inFlight());
    this.budget = new ByteBudget(limits.budgetBytes());
    this.readers =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("effects-conn-" + packageId + "-", 0).factory());
    this.answers =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("effect-" + packageId + "-", 0).factory());
    this.acceptor = Thread.ofVirtual().name("effects-accept-" + packageId).start(this::accept);
  }

  /**
   * Listens on {@code socket}, owned by {@code uid:gid} (the container's root on the host) with
   * mode 0660, so only that container may connect.
   */
  public static EffectsServer listen(
      Path socket, int uid, int gid, RpcTree tree, ObjectMapper mapper, String packageId) {
    return listen(socket, uid, gid, tree, mapper, packageId, Limits.DEFAULT);
  }

  static EffectsServer listen(
      Path socket,
      int uid,
      int gid,
      RpcTree tree,
      ObjectMapper mapper,
      String packageId,
      Limits limits) {
    try {
      Files.deleteIfExists(socket);
      var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket), BACKLOG);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      Files.setAttribute(socket, "unix:uid", uid);
      Files.setAttribute(socket, "unix:gid", gid);
      return new EffectsServer(server, socket, tree, mapper, packageId, limits);
    } catch (IOException | UnsupportedOperationException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot serve effects on " + socket, e);
    }
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        if (!connections.tryAcquire()) {
          log.warn(
              "effects server of {}: {} connections open; further ones wait",
              packageId,
              limits.connections());
          connections.acquire();
        }
        SocketChannel channel;
        try {
          channel = server.accept();
        } catch (IOException | RuntimeException e) {
          connections.release();
          throw e;
        }
        var lines = new JsonLines(channel, mapper, MAX_REQUEST_BYTES, budget);
        open.add(lines);
        try {
          readers.execute(() -> serve(lines));
        } catch (RejectedExecutionException closing) {
          open.remove(lines);
          lines.close();
          connections.release();
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        // Out of file descriptors, say: retrying at once would only spin.
        log.warn("effects server of {}: accept failed: {}", packageId, e.getMessage());
        try {
          Thread.sleep(ACCEPT_RETRY);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /**
   * Reads requests until the runtime stops sending, answering each on its own thread. The socket is
   * closed once reading has ended and every answer is written (or dropped, if the caller left).
   */
  private void serve(JsonLines lines) {
    var holders = new AtomicInteger(1); // this reader, and each answer still to write
    Runnable release =
        () -> {
          if (holders.decrementAndGet() == 0) {
            open.remove(lines);
            lines.close();
            connections.release();
          }
        };
    try {
      while (true) {
        byte[] line = lines.readLine(); // takes its bytes from the budget
        if (line == null) {
          break;
        }
        // A slot is taken by a request read, never by a connection waiting for one: an idle
        // connection (the runtime's, open until its reply comes) must not starve nested calls.
        try {
          inFlight.acquire();
        } catch (InterruptedException e) {
          budget.release(line.length);
          throw e;
        }
        byte[] request = line;
        holders.incrementAndGet();
        try {
          answers.execute(() -> {
            try {
              answer(lines, request);
            } finally {
              budget.release(request.length);
              inFlight.release();
              release.run();
            }
          });
        } catch (RejectedExecutionException closing) {
          budget.release(request.length);
          inFlight.release();
          release.run();
          break;
        }
      }
    } catch (JsonLines.LineTooLong e) {
      log.warn("effects connection of {} dropped: {}", packageId, e.getMessage());
    } catch (IOException e) {
      log.debug("effects connection of {} ended: {}", packageId, e.getMessage());
    } catch (InterruptedException e) {
      // closing
    } finally {
      release.run();
    }
  }

  private void answer(JsonLines lines, byte[] line) {
    JsonNode request;
    RpcEndpoint.Response response;
    try {
      request = mapper.readTree(line);
      response = endpoint.handle(request, RpcContext.internal(new Caller.Local()));
    } catch (IOException e) {
      request = null;
      response = endpoint.handle(line, RpcContext.internal(new Caller.Local())); // the parse error
    }
    if (request != null && request.isObject() && !request.has("id")) {
      return; // a notification
    }
    try {
      lines.write(response.body());
    } catch (IOException e) {
      log.debug("effects reply to {} dropped: {}", packageId, e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // best effort
    }
    acceptor.interrupt(); // it may be waiting for a connection slot
    open.forEach(JsonLines::close);
    readers.shutdownNow();
    answers.shutdownNow(); // the container is going away: no reply could be delivered
    try {
      acceptor.join(CLOSE_GRACE);
      if (!readers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
          || !answers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("effects of {} still running {} after close", packageId, CLOSE_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // the directory goes with the container
    }
  }
}
