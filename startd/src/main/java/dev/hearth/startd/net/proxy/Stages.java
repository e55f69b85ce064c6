package dev.hearth.startd.net.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the part of a client pipeline that follows the routing decision. */
final class Stages {
  static final String HTTP = "http";

  /** Concurrent HTTP/2 streams per connection (browsers open up to ~100). */
  private static final int MAX_STREAMS = 128;

  private static final Logger log = LoggerFactory.getLogger(Stages.class);

  private Stages() {}

  /** HTTP/1.1 from the client (TLS already stripped, or plain). */
  static void http1(
      ChannelPipeline p, ProxyContext context, Route.Http route, boolean tls, Timeouts timeouts) {
    p.addLast("frontend", new Http1Frontend(context, route, tls, timeouts));
  }

  /** HTTP/2 from the client: each stream is proxied as one HTTP/1.1 exchange. */
  static void h2(ChannelPipeline p, ProxyContext context, Route.Http route) {
    var settings =
        Http2Settings.defaultSettings()
            .maxConcurrentStreams(MAX_STREAMS)
            .maxHeaderListSize(context.limits.maxHeaderBytes());
    p.addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
    p.addLast(
        "h2streams",
        new Http2MultiplexHandler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                stream
                    .pipeline()
                    .addLast(new Http2StreamFrameToHttpObjectCodec(true))
                    .addLast(new Http2StreamFrontend(context, route));
              }
            }));
  }

  /** After the TLS handshake: HTTP/1.1, HTTP/2 or a byte relay, by route and ALPN. */
  static final class AfterHandshake extends ApplicationProtocolNegotiationHandler {
    private final ProxyContext context;
    private final Route route;
    private final Timeouts timeouts;

    AfterHandshake(ProxyContext context, Route route, Timeouts timeouts) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.context = context;
      this.route = route;
      this.timeouts = timeouts;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      ChannelPipeline p = ctx.pipeline();
      switch (route) {
        case Route.Http h when protocol.equals(ApplicationProtocolNames.HTTP_2) -> {
          timeouts.headReceived(); // HTTP/2: streams are bounded by the codec's settings
          h2(p, context, h);
        }
        case Route.Http h -> http1(p, context, h, true, timeouts);
        case Route.Tcp t -> {
          timeouts.headReceived();
          p.addLast("relay-start", new RelayStart(context, t.upstream(), false));
        }
        case Route.Passthrough t -> throw new IllegalStateException("passthrough after TLS");
      }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
      log.debug(
          "TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
