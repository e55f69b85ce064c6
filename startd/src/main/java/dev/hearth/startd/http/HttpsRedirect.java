package dev.hearth.startd.http;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Once the UI is served over TLS, a page a browser loads over plain HTTP from the network is sent
 * there (308), so the UI a person types a password into is the HTTPS one. What stays plain: the
 * server's own programs on loopback (the CLI, local tests), {@code /static/}, where the Root CA is
 * downloaded before a device can trust the HTTPS address, and calls (RPC, sockets, uploads): the
 * setup wizard finishes over the HTTP it started on. Before setup there is no Root CA and nothing
 * is redirected.
 */
final class HttpsRedirect extends Handler.Wrapper {
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");
  private final AtomicInteger httpsPort = new AtomicInteger(); // 0: no TLS yet

  void httpsPort(int port) {
    httpsPort.set(port);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    int port = httpsPort.get();
    if (port == 0 || request.isSecure() || fromLoopback(request) || !isPageLoad(request)) {
      return super.handle(request, response, callback);
    }
    String host = Request.getServerName(request);
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    if (!HOST.matcher(host).matches()) {
      Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "bad Host");
      return true;
    }
    String query = request.getHttpURI().getQuery();
    String location =
        "https://"
            + host
            + (port == 443 ? "" : ":" + port)
            + request.getHttpURI().getPath()
            + (query == null ? "" : "?" + query);
    response.setStatus(HttpStatus.PERMANENT_REDIRECT_308);
    response.getHeaders().put(HttpHeader.LOCATION, location);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    callback.succeeded();
    return true;
  }

  /**
   * A browser loading a page: GET or HEAD of anything but the API, its sockets, uploads, package
   * files and {@code /static/}. Calls in flight (the setup wizard's last steps, a page already
   * open) are not broken: a page loaded next goes to HTTPS.
   */
  private static boolean isPageLoad(Request request) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    return (method.equals("GET") || method.equals("HEAD"))
        && !path.startsWith("/static/")
        && !path.startsWith("/rpc/")
        && !path.startsWith("/ws/")
        && !path.startsWith("/rest/")
        && !path.startsWith("/s9pk/");
  }

  private static boolean fromLoopback(Request request) {
    return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
        && a.getAddress() != null
        && a.getAddress().isLoopbackAddress();
  }
}
