package dev.hearth.startd.net.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Opens COUNT idle TLS connections to {@code 127.0.0.1:PORT} for {@code scripts/bench-proxy.sh}:
 * each from one of 32 source addresses (127.0.0.10 to 127.0.0.41, so no per-client limit is hit),
 * completes its handshake and one keep-alive {@code GET /1k} (so it is an idle keep-alive
 * connection, not a slow-loris one that a header timeout would close), then holds it. Prints {@code
 * open N} when all are open and holds them until killed. The certificate is not checked: this
 * measures the server, and the bench checks the TLS line separately with openssl.
 *
 * <p>CLIENT is {@code jdk} (the default: blocking {@link SSLSocket}s, 8 at a time) or {@code
 * netty}: the same connections from Netty with BoringSSL, 256 at a time, several times faster (JDK
 * client handshakes are most of the cost of opening 10,000), for {@code ProxyLimitsTest}.
 *
 * <p>Run: {@code java -cp … dev.hearth.startd.net.proxy.ProxyIdleClients PORT COUNT [CLIENT]}
 */
public final class ProxyIdleClients {
  private static final int SOURCES = 32;

  private ProxyIdleClients() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    String client = args.length > 2 ? args[2] : "jdk";
    int open =
        switch (client) {
          case "jdk" -> openWithJdk(port, count);
          case "netty" -> openWithNetty(port, count);
          default -> throw new IllegalArgumentException("CLIENT must be jdk or netty: " + client);
        };
    System.out.println("open " + open);
    System.out.flush();
    new CountDownLatch(1).await(); // hold them until killed
  }

  private static String source(int i) {
    return "127.0.0." + (10 + i % SOURCES);
  }

  private static int openWithJdk(int port, int count) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, new X509TrustManager[] {new TrustAll()}, new SecureRandom());
    List<Future<SSLSocket>> opening = new ArrayList<>(count);
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < count; i++) {
        String source = source(i);
        opening.add(pool.submit(() -> open(tls, port, source)));
      }
    }
    List<SSLSocket> open = new ArrayList<>(count);
    for (var f : opening) open.add(f.get());
    return open.size();
  }

  /**
   * Opens them from Netty (epoll, BoringSSL), at most {@link #NETTY_IN_FLIGHT} at a time. Any
   * failure ends the process with status 1 and the cause on stderr.
   */
  private static int openWithNetty(int port, int count) throws Exception {
    SslContext tls =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.OPENSSL)
            .protocols("TLSv1.3")
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .build();
    // One loop per processor, as the proxy; the channels stay open on them until killed.
    var loops =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
    var bootstrap =
        new Bootstrap()
            .group(loops)
            .channel(EpollSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    var inFlight = new Semaphore(NETTY_IN_FLIGHT);
    List<CompletableFuture<Void>> opened = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      var done = new CompletableFuture<Void>();
      done.whenComplete((ok, failed) -> inFlight.release());
      opened.add(done);
      bootstrap
          .clone()
          .handler(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  ch.pipeline()
                      .addLast(tls.newHandler(ch.alloc(), "localhost", port))
                      .addLast(new HttpClientCodec())
                      .addLast(new OneRequest(done));
                }
              })
          .connect(new InetSocketAddress("127.0.0.1", port), new InetSocketAddress(source(i), 0))
          .addListener(f -> {
            if (!f.isSuccess()) done.completeExceptionally(f.cause());
          });
    }
    try {
      CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      e.getCause().printStackTrace();
      System.exit(1);
    }
    return count;
  }

  /** Connections being opened at once by the Netty client: well under the proxy's backlog. */
  private static final int NETTY_IN_FLIGHT = 256;

  /**
   * After the handshake, sends {@code GET /1k} and completes {@code done} when its 200 has been
   * read whole; fails it if anything else happens first.
   */
  private static final class OneRequest extends SimpleChannelInboundHandler<HttpObject> {
    private final CompletableFuture<Void> done;

    OneRequest(CompletableFuture<Void> done) {
      this.done = done;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent e) {
        if (!e.isSuccess()) done.completeExceptionally(e.cause());
        else {
          var get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/1k");
          get.headers().set(HttpHeaderNames.HOST, "localhost");
          ctx.writeAndFlush(get);
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse r && r.status().code() != 200)
        done.completeExceptionally(new IOException("GET /1k answered " + r.status()));
      if (msg instanceof LastHttpContent) done.complete(null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IOException("closed before the response ended"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
      ctx.close();
    }
  }

  private static SSLSocket open(SSLContext tls, int port, String source) throws IOException {
    var plain = new Socket();
    plain.bind(new InetSocketAddress(source, 0));
    plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    var s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
    s.setSoTimeout(30_000);
    s.startHandshake();
    s.getOutputStream()
        .write("GET /1k HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    ProxyClients.readResponse(s.getInputStream());
    return s;
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
