package dev.hearth.startd;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw JSON-RPC posts, for tests that must see the error object exactly as sent. */
final class RawRpc {
  private RawRpc() {}

  static String post(URI base, String method, String params) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    try (var http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(base.resolve("/rpc/v1"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }
}
