package dev.hearth.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A JSON-RPC client of {@code startd} or a registry (rpc.md §1, §2.5): posts to {@code
 * <base>/rpc/v1}, sends the cookies it holds, keeps the session cookie a login sets, and remembers
 * the newest {@code X-Patch-Sequence}. Continuations are opened with {@link #continuation} and
 * {@link #upload}.
 *
 * <p>Calls and uploads go over {@link Http11}, which keeps one connection open between them: a
 * command line makes one or two calls, and the JDK's {@code HttpClient}, which continuations
 * (WebSockets) still use, costs a short-lived process more to load than its connection pool saves.
 *
 * <p>Thread-safe.
 */
public final class RpcClient implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5); // installs can take a while
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final Supplier<ObjectMapper> mapperSource;
  private @Nullable ObjectMapper mapper; // guarded by this; made for the first typed call
  private final Supplier<SSLContext> tls;
  private final Http11 calls;
  private @Nullable HttpClient http; // guarded by this; made for the first continuation
  private final Map<String, String> cookies = new LinkedHashMap<>(); // guarded by this
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong patchSequence = new AtomicLong(-1);
  private volatile String rpcPath = "/rpc/v1";
  private volatile Duration callTimeout = CALL_TIMEOUT;
  private final List<String[]> extraHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile @Nullable BodyHeader bodyHeader;

  /** A header computed from each request's body, such as a signature (rpc.md §2.4). */
  @FunctionalInterface
  public interface BodyHeader {
    /** The header's name and value for this body. */
    String[] header(byte[] body);
  }

  /**
   * @param base the server's URL, such as {@code http://localhost}; {@code /rpc/v1} is appended
   */
  public RpcClient(URI base, ObjectMapper mapper) {
    this(base, mapper, RpcClient::defaultTls);
  }

  /**
   * @param tls the TLS context for an {@code https} server (its trust anchors), asked for only when
   *     one is used
   */
  public RpcClient(URI base, ObjectMapper mapper, Supplier<SSLContext> tls) {
    this(base, mapper, tls, null);
  }

  /**
   * @param early a connection to this server opened ahead ({@link EarlyConnection#open}), which the
   *     first call uses
   */
  public RpcClient(
      URI base, ObjectMapper mapper, Supplier<SSLContext> tls, @Nullable EarlyConnection early) {
    this(base, () -> mapper, tls, early);
  }

  /**
   * @param mapper makes the mapper of typed calls, asked for at the first one: a call by name needs
   *     none ({@link JsonTree}), and a short-lived process spends about 50 ms making one
   * @param tls the TLS context for an {@code https} server (its trust anchors), asked for only when
   *     one is used
   * @param early a connection to this server opened ahead ({@link EarlyConnection#open}), which the
   *     first call uses
   */
  public RpcClient(
      URI base,
      Supplier<ObjectMapper> mapper,
      Supplier<SSLContext> tls,
      @Nullable EarlyConnection early) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.mapperSource = mapper;
    this.tls = tls;
    this.calls = new Http11(tls, CONNECT_TIMEOUT, early);
  }

  /** The path calls are posted to: {@code /rpc/v1} for startd, {@code /rpc/v0} for a registry. */
  public void setRpcPath(String path) {
    this.rpcPath = path;
  }

  /** Sends a header with every call (a registry's {@code X-StartOS-Device-Info}). */
  public void addHeader(String name, String value) {
    extraHeaders.add(new String[] {name, value});
  }

  /** How long a call may wait for its answer (default five minutes: installs take a while). */
  public void setCallTimeout(Duration timeout) {
    this.callTimeout = timeout;
  }

  /**
   * The longest answer this client reads; a longer one is an error (NETWORK) before it is held in
   * memory. For servers that are not trusted with this process's memory, such as a registry.
   */
  public void setMaxResponseBytes(long bytes) {
    calls.setMaxBody(bytes);
  }

  /** Adds a header made from each call's body (a registry's signed requests). */
  public void setBodyHeader(@Nullable BodyHeader header) {
    this.bodyHeader = header;
  }

  /** How long a connection may take to be made. */
  public static Duration connectTimeout() {
    return CONNECT_TIMEOUT;
  }

  /** The JVM's default TLS context: its trust anchors are the JDK's. */
  public static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new StartException(ErrorKind.NETWORK, "no TLS in this Java runtime", e);
    }
  }

  public URI base() {
    return base;
  }

  /**
   * Sends {@code name=value} as a cookie with every request (e.g. {@code local}, {@code session}).
   */
  public synchronized void setCookie(String name, String value) {
    cookies.put(name, value);
  }

  public synchronized void removeCookie(String name) {
    cookies.remove(name);
  }

  /** A cookie the client holds, such as the {@code session} a login set. */
  public synchronized java.util.Optional<String> cookie(String name) {
    return java.util.Optional.ofNullable(cookies.get(name));
  }

  /**
   * The session cookie's name at this server: {@code __Host-session} over HTTPS, else {@code
   * session}.
   */
  private String sessionCookieName() {
    return SessionCookie.name(base.getScheme().equalsIgnoreCase("https"));
  }

  /** Sends a session token (one kept from an earlier login) under this server's cookie name. */
  public void setSession(String token) {
    setCookie(sessionCookieName(), token);
  }

  /** The session token the client holds for this server, if a login set one. */
  public java.util.Optional<String> session() {
    return cookie(sessionCookieName());
  }

  /** The newest {@code X-Patch-Sequence} a response carried, or -1. */
  public long patchSequence() {
    return patchSequence.get();
  }

  /**
   * Calls a declared method with typed params.
   *
   * @throws StartException the server's error, or NETWORK if it could not be reached
   */
  public <P, R> R call(MethodSpec<P, R> spec, P params) {
    ObjectMapper mapper = mapper();
    JsonNode result = call(spec.name(), mapper.valueToTree(params));
    try {
      return mapper.treeToValue(result, spec.result());
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.DESERIALIZATION,
          "unexpected result from " + spec.name() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Calls a method by name.
   *
   * @throws StartException the server's error, or NETWORK if it could not be reached
   */
  public JsonNode call(String method, JsonNode params) {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    request.set("params", params);
    return result(post(request));
  }

  private JsonNode result(Http11.Response response) {
    JsonNode body;
    try {
      body = JsonTree.parse(response.body());
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.NETWORK, "the server at " + base + " did not answer with JSON", e);
    }
    if (body.has("error")) {
      JsonNode error = body.get("error");
      if (!error.path("code").isIntegralNumber()) {
        throw new StartException(ErrorKind.NETWORK, "malformed error from " + base);
      }
      JsonNode data = error.get("data");
      throw new RpcError(
              error.get("code").asInt(),
              error.path("message").asText(""),
              data == null || data.isNull() ? null : data)
          .toException();
    }
    return body.path("result");
  }

  private synchronized ObjectMapper mapper() {
    if (mapper == null) {
      mapper = mapperSource.get();
    }
    return mapper;
  }

  private Http11.Response post(ObjectNode request) {
    byte[] body = JsonTree.bytes(request);
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Content-Type", "application/json"});
    headers.add(new String[] {"Accept", "application/json"});
    addCookies(headers);
    headers.addAll(extraHeaders);
    BodyHeader signer = bodyHeader;
    if (signer != null) {
      headers.add(signer.header(body));
    }
    Http11.Response response =
        send(base.resolve(rpcPath), headers, new Http11.Body.Bytes(body), callTimeout);
    if (response.status() / 100 != 2) {
      throw new StartException(ErrorKind.NETWORK, base + " answered HTTP " + response.status());
    }
    String sequence = response.first("X-Patch-Sequence");
    if (sequence != null) {
      try {
        patchSequence.accumulateAndGet(Long.parseLong(sequence.strip()), Math::max);
      } catch (NumberFormatException e) {
        throw new StartException(ErrorKind.NETWORK, "malformed X-Patch-Sequence from " + base, e);
      }
    }
    takeCookies(response.all("Set-Cookie"));
    return response;
  }

  /**
   * Posts a file to an upload continuation ({@code /rest/rpc/<guid>}), as a sideload does.
   *
   * @return the HTTP status
   */
  public int upload(String guid, Path file) {
    if (!java.nio.file.Files.isReadable(file)) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file);
    }
    List<String[]> headers = new ArrayList<>();
    addCookies(headers);
    // No read timeout: a large package on a slow link takes as long as it takes.
    return send(
            base.resolve("/rest/rpc/" + guid), headers, new Http11.Body.File(file), Duration.ZERO)
        .status();
  }

  /**
   * Posts a file to an upload continuation and reads the JSON-RPC answer it gives back (a
   * registry's upload answers with the published package or the reason it was refused).
   *
   * @throws StartException the error the server answered with, or NETWORK
   */
  public JsonNode uploadForResult(String guid, Path file) {
    if (!java.nio.file.Files.isReadable(file)) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file);
    }
    List<String[]> headers = new ArrayList<>();
    addCookies(headers);
    Http11.Response response =
        send(base.resolve("/rest/rpc/" + guid), headers, new Http11.Body.File(file), Duration.ZERO);
    if (response.status() / 100 != 2) {
      throw new StartException(
          ErrorKind.NETWORK, base + " answered the upload with HTTP " + response.status());
    }
    return result(response);
  }

  /** Opens the WebSocket of a continuation ({@code /ws/rpc/<guid>}). */
  public Continuation continuation(String guid) {
    String scheme = base.getScheme().equals("https") ? "wss" : "ws";
    URI uri = URI.create(scheme + "://" + base.getRawAuthority() + "/ws/rpc/" + guid);
    return Continuation.open(webSockets(), uri);
  }

  private synchronized HttpClient webSockets() {
    if (http == null) {
      var builder =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(CONNECT_TIMEOUT);
      if (base.getScheme().equalsIgnoreCase("https")) {
        builder.sslContext(tls.get());
      }
      http = builder.build();
    }
    return http;
  }

  private synchronized void addCookies(List<String[]> headers) {
    if (!cookies.isEmpty()) {
      var header = new StringBuilder();
      cookies.forEach(
          (k, v) -> header.append(header.isEmpty() ? "" : "; ").append(k).append('=').append(v));
      headers.add(new String[] {"Cookie", header.toString()});
    }
  }

  private synchronized void takeCookies(List<String> setCookies) {
    for (String setCookie : setCookies) {
      String pair = setCookie.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        boolean expired = setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
        if (value.isEmpty() || expired) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
    }
  }

  private Http11.Response send(
      URI url, List<String[]> headers, Http11.Body body, Duration readTimeout) {
    try {
      return calls.post(url, headers, body, readTimeout);
    } catch (Http11.TooLong e) {
      throw new StartException(
          ErrorKind.NETWORK, base + " answered with more than " + e.limit + " bytes", e);
    } catch (IOException e) {
      throw new StartException(ErrorKind.NETWORK, "cannot reach " + base + ": " + e, e);
    }
  }

  @Override
  public synchronized void close() {
    calls.close();
    if (http != null) {
      http.close();
    }
  }
}
