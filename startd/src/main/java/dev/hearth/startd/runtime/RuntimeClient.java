package dev.hearth.startd.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcError;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a container's runtime on {@code service.sock} (container-runtime.md §2.3): one connection,
 * many requests in flight, replies matched by id on a reader thread. When the connection ends,
 * every pending call fails; the runtime is gone and the service must be reloaded.
 */
public final class RuntimeClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RuntimeClient.class);
  private static final Duration POLL =
      Duration.ofMillis(5); // the runtime listens ~150 ms after start

  private final JsonLines lines;
  private final ObjectMapper mapper;

  /** The longest reply read from a runtime: one at a time, on its one connection. */
  static final int MAX_REPLY_BYTES = 4 << 20;

  private final String name;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  private RuntimeClient(JsonLines lines, ObjectMapper mapper, String name) {
    this.lines = lines;
    this.mapper = mapper;
    this.name = name;
    Thread.ofVirtual().name("runtime-reader-" + name).start(this::readReplies);
  }

  /**
   * Connects once the runtime listens, polling for the socket (the runtime deletes a stale one and
   * listens as soon as Node has started).
   */
  public static RuntimeClient connect(Path socket, ObjectMapper mapper, String name, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (Files.exists(socket)) {
        try {
          var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
          try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new RuntimeClient(
                new JsonLines(channel, mapper, MAX_REPLY_BYTES, ByteBudget.unbounded()),
                mapper,
                name);
          } catch (IOException e) {
            channel.close();
            throw e;
          }
        } catch (IOException e) {
          last = e; // listening not yet, or a stale socket about to be replaced
        }
      }
      Thread.sleep(POLL);
    }
    throw new StartException(
        ErrorKind.TIMEOUT,
        "the container runtime of "
            + name
            + " did not listen within "
            + wait.toSeconds()
            + " s"
            + (last == null ? "" : " (" + last.getMessage() + ")"));
  }

  private void readReplies() {
    try {
      byte[] line;
      while ((line = lines.readLine()) != null) {
        JsonNode reply;
        try {
          reply = lines.parse(line);
        } catch (IOException e) {
          log.warn("runtime of {} sent a line that is not JSON; ignored", name);
          continue;
        }
        if (reply == null || !reply.path("id").canConvertToLong()) {
          continue; // notifications from the runtime are not part of the protocol
        }
        CompletableFuture<JsonNode> call = pending.remove(reply.get("id").asLong());
        if (call == null) {
          continue;
        }
        JsonNode error = reply.get("error");
        if (error != null && !error.isNull()) {
          call.completeExceptionally(failure(error));
        } else {
          JsonNode result = reply.get("result");
          call.complete(result == null ? NullNode.instance : result);
        }
      }
    } catch (IOException e) {
      log.debug("runtime connection of {} failed", name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ended.complete(null);
      var gone =
          new StartException(ErrorKind.JAVASCRIPT, "the container runtime of " + name + " exited");
      pending.values().forEach(c -> c.completeExceptionally(gone));
      pending.clear();
      lines.close();
    }
  }

  private StartException failure(JsonNode error) {
    try {
      RpcError e = mapper.treeToValue(error, RpcError.class);
      String details = e.message();
      JsonNode data = e.data();
      if (data != null && data.isObject() && data.path("details").isTextual()) {
        details = data.get("details").asText();
      } else if (data != null && data.isTextual()) {
        details = data.asText();
      }
      ErrorKind kind =
          e.code() > 1
              ? ErrorKind.ofCode(e.code()).orElse(ErrorKind.JAVASCRIPT)
              : ErrorKind.JAVASCRIPT;
      return new StartException(kind, details);
    } catch (IOException | IllegalArgumentException e) {
      return new StartException(
          ErrorKind.JAVASCRIPT, "the runtime answered with a malformed error");
    }
  }

  /**
   * Calls a runtime method and waits for its result.
   *
   * @param timeout null for none
   */
  public JsonNode call(String method, JsonNode params, @Nullable Duration timeout)
      throws InterruptedException {
    long id = ids.getAndIncrement();
    var reply = new CompletableFuture<JsonNode>();
    pending.put(id, reply);
    if (ended.isDone()) {
      pending.remove(id);
      throw new StartException(
          ErrorKind.JAVASCRIPT, "the container runtime of " + name + " exited");
    }
    ObjectNode request = mapper.createObjectNode();
    request.put("id", id);
    request.put("method", method);
    request.set("params", params);
    try {
      lines.write(request);
      return timeout == null ? reply.get() : reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new StartException(ErrorKind.JAVASCRIPT, "cannot reach the runtime of " + name, e);
    } catch (TimeoutException e) {
      throw new StartException(
          ErrorKind.TIMEOUT,
          method + " in " + name + " took longer than " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StartException s) {
        throw new StartException(s.kind(), s.getMessage());
      }
      throw new StartException(ErrorKind.JAVASCRIPT, method + " failed in " + name, e.getCause());
    } finally {
      pending.remove(id);
    }
  }

  /** Sends a notification (no reply), such as a fired callback. Best effort. */
  public void notify(String method, JsonNode params) {
    ObjectNode request = mapper.createObjectNode();
    request.put("method", method);
    request.set("params", params);
    try {
      lines.write(request);
    } catch (IOException e) {
      log.debug("could not notify the runtime of {}: {}", name, e.getMessage());
    }
  }

  public boolean isConnected() {
    return !ended.isDone();
  }

  /** Completes when the runtime's connection ends (the runtime exited or the container stopped). */
  public CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public void close() {
    lines.close();
  }
}
