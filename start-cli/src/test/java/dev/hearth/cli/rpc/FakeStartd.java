package dev.hearth.cli.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A stand-in for {@code startd} that really serves HTTP on a local port: JSON-RPC at {@code
 * /rpc/v1} with canned answers, upload continuations at {@code /rest/rpc/<guid>}, and WebSocket
 * continuations at {@code /ws/rpc/<guid>} that play a script. It records every call, upload and
 * socket in the order they arrive, so a test can say what a command line sent, and when.
 */
public final class FakeStartd implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** One JSON-RPC request as the server received it. */
  public record Call(String method, JsonNode params) {}

  /** One upload: its {@code Content-Length} header (null if absent) and the body received. */
  public record Upload(String guid, String contentLength, byte[] body) {}

  /** The server end of a WebSocket continuation, as a script sees it. */
  public interface Socket {
    void send(String text) throws Exception;

    void sendBinary(byte[] data) throws Exception;

    /** The next frame from the client ("text:…" or "binary:…" as UTF-8), waiting up to 30 s. */
    String receive() throws Exception;

    void close(int code, String reason);
  }

  /** What a WebSocket continuation does once the client has opened it. */
  @FunctionalInterface
  public interface Script {
    void play(Socket socket) throws Exception;
  }

  private final Server server = new Server();
  private final Map<String, Function<JsonNode, JsonNode>> answers = new ConcurrentHashMap<>();
  private final Map<String, Script> sockets = new ConcurrentHashMap<>();
  private final Map<String, Integer> uploadStatus = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Upload>> uploads = new ConcurrentHashMap<>();
  private final List<Call> calls = new ArrayList<>(); // guarded by this
  private final List<String> events = new ArrayList<>(); // guarded by this

  private FakeStartd() {}

  public static FakeStartd start() throws Exception {
    var fake = new FakeStartd();
    var connector = new ServerConnector(fake.server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    fake.server.addConnector(connector);
    var routes = new PathMappingsHandler();
    routes.addMapping(PathSpec.from("/rpc/*"), fake.new Rpc());
    routes.addMapping(PathSpec.from("/rest/rpc/*"), fake.new UploadRoute());
    var context = new ContextHandler("/");
    WebSocketUpgradeHandler websockets =
        WebSocketUpgradeHandler.from(
            fake.server,
            context,
            container ->
                container.addMapping(
                    "/ws/rpc/*",
                    (request, response, callback) -> {
                      String guid = lastSegment(request.getHttpURI().getPath());
                      Script script = fake.sockets.remove(guid);
                      if (script == null) {
                        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                        return null;
                      }
                      return fake.new Listener(guid, script);
                    }));
    websockets.setHandler(routes);
    context.setHandler(websockets);
    fake.server.setHandler(context);
    fake.server.start();
    return fake;
  }

  public URI url() {
    var c = (ServerConnector) server.getConnectors()[0];
    return URI.create("http://127.0.0.1:" + c.getLocalPort());
  }

  /**
   * {@code args} aimed at this server, with a config file and cookie jar in {@code dir}, so that
   * nothing of the user's (config, cookies, a local daemon's cookie) is read.
   */
  public String[] commandLine(Path dir, String... args) throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "run-dir: " + Files.createDirectories(dir.resolve("run")) + "\n");
    List<String> all =
        new ArrayList<>(
            List.of(
                "-H",
                url().toString(),
                "-c",
                config.toString(),
                "--cookie-path",
                dir.resolve("cookies.json").toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** Answers {@code method} with {@code result} (JSON text). Unanswered methods return null. */
  public FakeStartd answer(String method, String result) throws IOException {
    JsonNode node = JSON.readTree(result);
    return answer(method, params -> node);
  }

  public FakeStartd answer(String method, Function<JsonNode, JsonNode> result) {
    answers.put(method, result);
    return this;
  }

  /** Answers {@code method} with an error of ours, as startd does. */
  public FakeStartd fail(String method, ErrorKind kind, String message) {
    return answer(
        method,
        params -> {
          throw new StartException(kind, message);
        });
  }

  /** A WebSocket continuation {@code guid} that plays {@code script} once opened. */
  public FakeStartd socket(String guid, Script script) {
    sockets.put(guid, script);
    return this;
  }

  /** An upload continuation {@code guid} answering {@code status} once the body is in. */
  public FakeStartd upload(String guid, int status) {
    uploadStatus.put(guid, status);
    uploads.put(guid, new CompletableFuture<>());
    return this;
  }

  /** The upload to {@code guid}, once all of it has arrived. */
  public Upload awaitUpload(String guid) throws Exception {
    return uploads.get(guid).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The params of the only call of {@code method}. */
  public synchronized JsonNode params(String method) {
    List<Call> of = calls.stream().filter(c -> c.method().equals(method)).toList();
    if (of.size() != 1) {
      throw new AssertionError(method + " was called " + of.size() + " times: " + calls);
    }
    return of.getFirst().params();
  }

  /**
   * What happened, in order: {@code call <method>}, {@code socket <guid>}, {@code upload <guid>}.
   */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  private synchronized void record(String event) {
    events.add(event);
  }

  private synchronized void record(Call call) {
    calls.add(call);
    events.add("call " + call.method());
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class Rpc extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      JsonNode body;
      try (InputStream in = Request.asInputStream(request)) {
        body = JSON.readTree(in);
      }
      String method = body.path("method").asText();
      JsonNode params = body.path("params");
      record(new Call(method, params));
      ObjectNode out = JSON.createObjectNode();
      out.put("jsonrpc", "2.0");
      try {
        Function<JsonNode, JsonNode> answer = answers.get(method);
        out.set("result", answer == null ? NullNode.instance : answer.apply(params));
      } catch (StartException e) {
        out.set("error", JSON.valueToTree(RpcError.of(e, null)));
      }
      out.set("id", body.path("id"));
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(response, true, JSON.writeValueAsString(out), callback);
      return true;
    }
  }

  private final class UploadRoute extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String guid = lastSegment(request.getHttpURI().getPath());
      Integer status = uploadStatus.remove(guid);
      if (status == null) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      record("upload " + guid);
      byte[] body;
      try (InputStream in = Request.asInputStream(request)) {
        body = in.readAllBytes();
      }
      uploads
          .get(guid)
          .complete(new Upload(guid, request.getHeaders().get(HttpHeader.CONTENT_LENGTH), body));
      response.setStatus(status);
      callback.succeeded();
      return true;
    }
  }

  /** Public: Jetty finds the listener methods by reflection. */
  public final class Listener implements Session.Listener.AutoDemanding {
    private final String guid;
    private final Script script;

    Listener(String guid, Script script) {
      this.guid = guid;
      this.script = script;
    }

    private final LinkedBlockingQueue<String> inbound = new LinkedBlockingQueue<>();

    @Override
    public void onWebSocketText(String text) {
      inbound.add("text:" + text);
    }

    @Override
    public void onWebSocketBinary(
        java.nio.ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
      inbound.add("binary:" + StandardCharsets.UTF_8.decode(payload));
      callback.succeed();
    }

    @Override
    public void onWebSocketOpen(Session session) {
      record("socket " + guid);
      Socket socket =
          new Socket() {
            @Override
            public void sendBinary(byte[] data) throws Exception {
              var sent = new CompletableFuture<Void>();
              session.sendBinary(
                  java.nio.ByteBuffer.wrap(data),
                  org.eclipse.jetty.websocket.api.Callback.from(
                      () -> sent.complete(null), sent::completeExceptionally));
              sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }

            @Override
            public String receive() throws Exception {
              String frame = inbound.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
              if (frame == null) {
                throw new IllegalStateException("no frame from the client");
              }
              return frame;
            }

            @Override
            public void send(String text) throws Exception {
              var sent = new CompletableFuture<Void>();
              session.sendText(
                  text,
                  org.eclipse.jetty.websocket.api.Callback.from(
                      () -> sent.complete(null), sent::completeExceptionally));
              sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }

            @Override
            public void close(int code, String reason) {
              session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
          };
      Thread.ofVirtual()
          .start(() -> {
            try {
              script.play(socket);
            } catch (Exception e) {
              socket.close(1011, "the test's script failed: " + e);
            }
          });
    }
  }
}
