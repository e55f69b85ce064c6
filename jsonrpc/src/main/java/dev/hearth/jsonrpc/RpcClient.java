package dev.hearth.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC client of {@code startd} or a registry (rpc.md §1, §2.5): posts to {@code
 * <base>/rpc/v1}, sends the cookies it holds, keeps the session cookie a login sets, and remembers
 * the newest {@code X-Patch-Sequence}. Continuations are opened with {@link #continuation} and
 * {@link #upload}.
 *
 * <p>Thread-safe.
 */
public final class RpcClient implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5); // installs can take a while

  private final URI base;
  private final ObjectMapper mapper;
  private final HttpClient http;
  private final Map<String, String> cookies = new LinkedHashMap<>(); // guarded by this
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong patchSequence = new AtomicLong(-1);

  /**
   * @param base the server's URL, such as {@code http://localhost}; {@code /rpc/v1} is appended
   */
  public RpcClient(URI base, ObjectMapper mapper) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.mapper = mapper;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
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
    ObjectNode request = mapper.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    request.set("params", params);
    HttpResponse<byte[]> response = post(request);
    JsonNode body;
    try {
      body = mapper.readTree(response.body());
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.NETWORK, "the server at " + base + " did not answer with JSON", e);
    }
    if (body.has("error")) {
      try {
        throw mapper.treeToValue(body.get("error"), RpcError.class).toException();
      } catch (IOException e) {
        throw new StartException(ErrorKind.NETWORK, "malformed error from " + base, e);
      }
    }
    return body.path("result");
  }

  private HttpResponse<byte[]> post(ObjectNode request) {
    HttpRequest.Builder builder;
    try {
      builder =
          HttpRequest.newBuilder(base.resolve("/rpc/v1"))
              .timeout(CALL_TIMEOUT)
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(request)));
    } catch (IOException e) {
      throw new StartException(ErrorKind.SERIALIZATION, "cannot encode the request", e);
    }
    addCookies(builder);
    HttpResponse<byte[]> response = send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new StartException(ErrorKind.NETWORK, base + " answered HTTP " + response.statusCode());
    }
    response
        .headers()
        .firstValue("X-Patch-Sequence")
        .ifPresent(s -> patchSequence.accumulateAndGet(Long.parseLong(s.trim()), Math::max));
    takeCookies(response.headers().allValues("Set-Cookie"));
    return response;
  }

  /**
   * Posts a file to an upload continuation ({@code /rest/rpc/<guid>}), as a sideload does.
   *
   * @return the HTTP status
   */
  public int upload(String guid, Path file) {
    HttpRequest.Builder builder;
    try {
      builder =
          // No overall timeout: a large package on a slow link takes as long as it takes.
          HttpRequest.newBuilder(base.resolve("/rest/rpc/" + guid))
              .POST(HttpRequest.BodyPublishers.ofFile(file));
    } catch (java.io.FileNotFoundException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + file, e);
    }
    return send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Opens the WebSocket of a continuation ({@code /ws/rpc/<guid>}). */
  public Continuation continuation(String guid) {
    String scheme = base.getScheme().equals("https") ? "wss" : "ws";
    URI uri = URI.create(scheme + "://" + base.getRawAuthority() + "/ws/rpc/" + guid);
    return Continuation.open(http, uri);
  }

  private synchronized void addCookies(HttpRequest.Builder builder) {
    if (!cookies.isEmpty()) {
      var header = new StringBuilder();
      cookies.forEach(
          (k, v) -> header.append(header.isEmpty() ? "" : "; ").append(k).append('=').append(v));
      builder.header("Cookie", header.toString());
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

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new StartException(ErrorKind.NETWORK, "cannot reach " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted while calling " + base, e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
