package dev.hearth.startd.net.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * First handler of every client pipeline: closes the connection when nothing was read or written
 * for the idle timeout, and when a request head (counted from accept, or from the first byte after
 * the previous response) is not complete within the header timeout. The ClientHello and the TLS
 * handshake fall inside the first head's deadline, which stops slow-loris clients at any stage.
 * Event loop only.
 */
final class Timeouts extends IdleStateHandler {
  private enum Head {
    ARMED,
    WAITING_FOR_FIRST_BYTE,
    OFF
  }

  private final Duration headerTimeout;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ScheduledFuture<?> deadline;
  private Head head = Head.ARMED;

  Timeouts(Duration headerTimeout, Duration idleTimeout) {
    super(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    this.headerTimeout = headerTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    arm();
    super.handlerAdded(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (head == Head.WAITING_FOR_FIRST_BYTE) arm();
    super.channelRead(ctx, msg);
  }

  /** The request head (or TLS handshake of a connection that has no heads) is complete. */
  void headReceived() {
    head = Head.OFF;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  /** The response is done: the next request's head has the header timeout from its first byte. */
  void awaitNextHead() {
    headReceived();
    head = Head.WAITING_FOR_FIRST_BYTE;
  }

  private void arm() {
    head = Head.ARMED;
    var c = ctx;
    if (c != null && deadline == null)
      deadline =
          c.executor()
              .schedule(
                  () -> {
                    if (head == Head.ARMED) c.close();
                  },
                  headerTimeout.toMillis(),
                  TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    headReceived();
    super.handlerRemoved(ctx);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    ctx.close();
  }
}
