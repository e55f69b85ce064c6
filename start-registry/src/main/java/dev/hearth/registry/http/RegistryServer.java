package dev.hearth.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.jsonrpc.RpcEndpoint;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.blob.BlobStore;
import dev.hearth.registry.pkg.Publisher;
import dev.hearth.registry.pkg.Uploads;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The registry's Jetty server: {@code /rpc/*} (JSON-RPC), {@code /rest/rpc/<guid>} (uploads),
 * {@code /blob/<name>} (package files). Handlers run on virtual threads; a slow client is cut off
 * after {@link #IDLE_TIMEOUT} of silence.
 */
public final class RegistryServer implements AutoCloseable {
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  static {
    // As in startd: without it Jetty starts the platform MBean server for a padding hint.
    if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
      System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
    }
  }

  private final Server server;
  private final List<ServerConnector> connectors = new ArrayList<>();

  public RegistryServer(
      List<InetSocketAddress> listen,
      RpcEndpoint endpoint,
      Authenticator auth,
      ObjectMapper json,
      String publicUrl,
      RequestScope facts,
      Uploads uploads,
      Publisher publisher,
      BlobStore blobs,
      Consumer<String> downloaded) {
    var threads = new QueuedThreadPool(64, 4);
    threads.setName("registry-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(threads);
    server.setStopTimeout(5000);
    var config = new HttpConfiguration();
    config.setRequestHeaderSize(16 * 1024);
    config.setSendServerVersion(false);
    config.setSendDateHeader(false);
    for (InetSocketAddress address : listen) {
      var connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
      connector.setHost(address.getHostString());
      connector.setPort(address.getPort());
      connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      server.addConnector(connector);
      connectors.add(connector);
    }
    var routes = new PathMappingsHandler();
    routes.addMapping(
        PathSpec.from("/rpc/*"), new RpcRoute(endpoint, auth, json, publicUrl, facts));
    routes.addMapping(PathSpec.from("/rest/rpc/*"), new UploadRoute(uploads, publisher, json));
    routes.addMapping(PathSpec.from(BlobRoute.PREFIX + "*"), new BlobRoute(blobs, downloaded));
    server.setHandler(routes);
  }

  public void start() throws Exception {
    server.start();
  }

  /** The URLs the listeners answer on, in configuration order. */
  public List<URI> urls() {
    List<URI> out = new ArrayList<>();
    for (ServerConnector c : connectors) {
      String host =
          c.getHost() == null || c.getHost().equals("0.0.0.0") ? "localhost" : c.getHost();
      out.add(URI.create("http://" + host + ":" + c.getLocalPort()));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
