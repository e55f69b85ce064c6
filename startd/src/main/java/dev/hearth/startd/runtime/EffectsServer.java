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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one package's effects on its {@code host.sock}. Accepts both styles a runtime may use (one
 * connection per call, or many calls on one); each request runs on its own virtual thread, so a
 * slow effect never blocks another and an effect may wait on a call back into a runtime (§2.6). The
 * tree is bound to the package the socket belongs to: a package cannot speak for another.
 *
 * <p>The package is hostile (issue 10), so all it can make the host hold is bounded, and reaching a
 * bound makes it wait rather than fail: at most {@link #MAX_CONNECTIONS} connections (more wait in
 * the listen queue), {@link #MAX_IN_FLIGHT} requests being answered, and {@link #BUDGET_BYTES} of
 * request bytes read or in flight; a request line is at most {@link #MAX_REQUEST_BYTES}. The bounds
 * sit far above what a package does (SDK effects are a few hundred bytes; calls that wait on a call
 * back into the runtime nest one or two deep), so they only ever stop a package that floods.
 */
public final class EffectsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EffectsServer.class);

  /** The longest effect request: an SDK request is a few hundred bytes. */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  static final int MAX_CONNECTIONS = 64;
  static final int MAX_IN_FLIGHT = 256;
  static final int BUDGET_BYTES = 8 << 20;
  private static final int BACKLOG = 256;

  private final ServerSocketChannel server;
  private final Path socket;
  private final RpcEndpoint endpoint;
  private final ObjectMapper mapper;
  private final String packageId;
  private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

  private final Set<JsonLines> open = ConcurrentHashMap.newKeySet();
  private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
  private final Thread acceptor;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final ByteBudget budget = new ByteBudget(BUDGET_BYTES);

  private EffectsServer(
      ServerSocketChannel server,
      Path socket,
      RpcTree tree,
      ObjectMapper mapper,
      String packageId) {
    this.server = server;
    this.socket = socket;
    this.endpoint = new RpcEndpoint(() -> tree, mapper);
    this.mapper = mapper;
    this.packageId = packageId;
    this.acceptor = Thread.ofVirtual().name("effects-accept-" + packageId).start(this::accept);
  }

  /**
   * Listens on {@code socket}, owned by {@code uid:gid} (the container's root on the host) with
   * mode 0660, so only that container may connect.
   */
  public static EffectsServer listen(
      Path socket, int uid, int gid, RpcTree tree, ObjectMapper mapper, String packageId) {
    try {
      Files.deleteIfExists(socket);
      var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket), BACKLOG);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      Files.setAttribute(socket, "unix:uid", uid);
      Files.setAttribute(socket, "unix:gid", gid);
      return new EffectsServer(server, socket, tree, mapper, packageId);
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
              MAX_CONNECTIONS);
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
        Thread.ofVirtual().name("effects-conn-" + packageId).start(() -> serve(lines));
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
        inFlight.acquire();
        byte[] line;
        try {
          line = lines.readLine();
        } catch (IOException | InterruptedException | RuntimeException e) {
          inFlight.release();
          throw e;
        }
        if (line == null) {
          inFlight.release();
          break;
        }
        byte[] request = line;
        holders.incrementAndGet();
        Thread.ofVirtual()
            .name("effect-" + packageId)
            .start(() -> {
              try {
                answer(lines, request);
              } finally {
                budget.release(request.length);
                inFlight.release();
                release.run();
              }
            });
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
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // the directory goes with the container
    }
  }
}
