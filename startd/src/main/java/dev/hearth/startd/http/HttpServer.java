package dev.hearth.startd.http;

import dev.hearth.startd.continuation.Continuations;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;

/**
 * The Jetty server: HTTP listeners (and an HTTPS one once there is a certificate), the routes of
 * rpc.md §1.1, the check that only the server's own pages may call it ({@link SameOrigin}), and the
 * limits that keep one client from starving the others.
 *
 * <p>Owns Jetty's threads: selectors on a few platform threads, every handler on a virtual thread.
 * {@link #close} stops intake, lets requests in flight finish for up to {@link #STOP_TIMEOUT}, then
 * stops.
 */
public final class HttpServer implements AutoCloseable {
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30); // a slow client is cut off
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_FRAME_BYTES = 64 * 1024; // clients send nothing we read on continuations
  static final int MAX_QUEUED_FRAMES = 64; // frames a client has not read yet; then it is cut off

  static {
    // Jetty pads its queues to a cache line and, unless told, asks JMX whether references are
    // compressed: that starts the whole platform MBean server (JFR's included), a quarter of a
    // second of the daemon's start and a few MiB of classes, for a padding hint. Our heap is small,
    // so references are compressed: 64-byte lines hold 16.
    if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
      System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
    }
  }

  private final Server server;
  private final HttpConfiguration httpConfig;
  private final List<ServerConnector> plain = new ArrayList<>();
  private @Nullable ServerConnector tls;
  private @Nullable ServerConnector behindProxy; // guarded by this
  private final HttpsRedirect redirect = new HttpsRedirect();
  private SslContextFactory.@Nullable Server sslContext;

  /**
   * @param generated files under {@code /static/}, by path
   * @param installedArchives an installed package's archive by its id, for {@code /s9pk/installed/}
   */
  public HttpServer(
      List<InetSocketAddress> listen,
      Supplier<Api> api,
      int maxRequestBytes,
      Continuations continuations,
      Map<String, GeneratedFile> generated,
      Function<String, Optional<Path>> installedArchives) {
    var threads = new QueuedThreadPool(64, 4);
    threads.setName("http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(threads);
    server.setStopTimeout(STOP_TIMEOUT.toMillis());
    httpConfig = new HttpConfiguration();
    httpConfig.setRequestHeaderSize(MAX_HEADER_BYTES);
    httpConfig.setSendServerVersion(false);
    // /s9pk/proxy/<url>/<path> carries a package URL as one percent-encoded segment (rpc.md §1.1),
    // slashes as %2F; every route matches on the raw path or checks its decoded one itself.
    httpConfig.setUriCompliance(
        org.eclipse.jetty.http.UriCompliance.DEFAULT.with(
            "startd", org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    httpConfig.setSendDateHeader(false);
    for (InetSocketAddress address : listen) {
      var connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(httpConfig));
      connector.setHost(address.getHostString());
      connector.setPort(address.getPort());
      connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      server.addConnector(connector);
      plain.add(connector);
    }

    var routes = new PathMappingsHandler();
    routes.addMapping(PathSpec.from("/rpc/*"), new RpcRoute(api, maxRequestBytes));
    routes.addMapping(PathSpec.from("/rest/rpc/*"), new UploadRoute(continuations));
    routes.addMapping(
        PathSpec.from(InstalledPackageRoute.PREFIX + "*"),
        new InstalledPackageRoute(api, installedArchives));
    routes.addMapping(PathSpec.from(RemotePackageRoute.PREFIX + "*"), new RemotePackageRoute(api));
    routes.addMapping(PathSpec.from("/"), new StaticRoute(generated));

    var context = new ContextHandler("/");
    WebSocketUpgradeHandler websockets =
        WebSocketUpgradeHandler.from(
            server,
            context,
            container -> {
              container.setIdleTimeout(Duration.ofMinutes(10)); // continuations may be quiet
              container.setMaxTextMessageSize(MAX_FRAME_BYTES);
              container.setMaxBinaryMessageSize(MAX_FRAME_BYTES);
              container.setMaxOutgoingFrames(MAX_QUEUED_FRAMES);
              container.addMapping(
                  "/ws/rpc/*",
                  (request, response, callback) -> {
                    // Before the claim, so that a refused page cannot use the guid up.
                    Optional<String> refused = SameOrigin.refusal(request);
                    if (refused.isPresent()) {
                      Response.writeError(
                          request, response, callback, HttpStatus.FORBIDDEN_403, refused.get());
                      return null;
                    }
                    String path = request.getHttpURI().getPath();
                    String guid = path.substring(path.lastIndexOf('/') + 1);
                    var claimed = continuations.claimSocket(guid);
                    if (claimed.isEmpty()) {
                      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                      return null;
                    }
                    return new JettySocket(claimed.get(), continuations);
                  });
            });
    websockets.setHandler(routes);
    context.setHandler(websockets);
    redirect.setHandler(context);
    server.setHandler(redirect);
  }

  /** Starts listening; the ports of listeners given as 0 are then known ({@link #urls()}). */
  public void start() throws Exception {
    server.start();
  }

  /** The URLs the plain listeners answer on, in configuration order. */
  public List<URI> urls() {
    List<URI> out = new ArrayList<>();
    for (ServerConnector c : plain) {
      String host =
          c.getHost() == null || c.getHost().equals("0.0.0.0") ? "localhost" : c.getHost();
      out.add(URI.create("http://" + host + ":" + c.getLocalPort()));
    }
    return out;
  }

  /**
   * Serves HTTPS on {@code address} with the server certificate, or swaps in a new one if already
   * serving.
   */
  public synchronized void serveTls(InetSocketAddress address, KeyStore keyStore, char[] password)
      throws Exception {
    if (sslContext != null) {
      sslContext.reload(f -> {
        f.setKeyStore(keyStore);
        f.setKeyStorePassword(new String(password));
      });
      return;
    }
    var ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(new String(password));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    var httpsConfig = new HttpConfiguration(httpConfig);
    httpsConfig.addCustomizer(new SecureRequestCustomizer(false)); // names come later (net)
    var connector =
        new ServerConnector(
            server,
            1,
            1,
            new SslConnectionFactory(ssl, "http/1.1"),
            new HttpConnectionFactory(httpsConfig));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    server.addConnector(connector);
    connector.start();
    tls = connector;
    sslContext = ssl;
  }

  /**
   * A listener on loopback for the TLS proxy in front of the UI ({@code net.TlsFront}): only this
   * one believes {@code X-Forwarded-*} (the proxy replaces whatever a client sent), so a request
   * that came over TLS is secure here, and the login limit counts the real client's address. The
   * public HTTP listeners never believe those headers.
   *
   * @return its address
   */
  public synchronized InetSocketAddress serveBehindProxy() throws Exception {
    if (behindProxy == null) {
      var config = new HttpConfiguration(httpConfig);
      config.addCustomizer(new org.eclipse.jetty.server.ForwardedRequestCustomizer());
      var connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      server.addConnector(connector);
      connector.start();
      behindProxy = connector;
    }
    return new InetSocketAddress("127.0.0.1", behindProxy.getLocalPort());
  }

  /** From now on a plain request from the network is redirected to HTTPS on {@code port}. */
  public void redirectToHttps(int port) {
    redirect.httpsPort(port);
  }

  /** The HTTPS URL, once TLS is served. */
  public synchronized @Nullable URI tlsUrl() {
    ServerConnector c = tls;
    if (c == null) {
      return null;
    }
    String host = c.getHost() == null || c.getHost().equals("0.0.0.0") ? "localhost" : c.getHost();
    return URI.create("https://" + host + ":" + c.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
