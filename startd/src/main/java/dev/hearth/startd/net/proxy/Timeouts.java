package dev.hearth.startd.net.proxy;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * First handler of every client pipeline: closes the connection when nothing was read or written
 * for the idle timeout ({@link IdleTimeout}), and when a request head (counted from accept, or from
 * the first byte after the previous response) is not complete within the header timeout. The
 * ClientHello and the TLS handshake fall inside the first head's deadline, which stops slow-loris
 * clients at any stage.
 *
 * <p>Cheap per request: a head that arrives whole in one read is decoded, and {@link #headReceived}
 * called, within that read's {@code channelRead}, so no timer is set for it; only a head still
 * incomplete when the read ends gets one. A timer is never cancelled: when it fires it compares the
 * head's start with the deadline and does nothing if that head is done. Event loop only.
 */
final class Timeouts extends IdleTimeout {
  private enum Head {
    ARMED,
    WAITING_FOR_FIRST_BYTE,
    OFF
  }

  private final long headerNanos;
  private Head head = Head.ARMED;
  private long headStart;
  private @Nullable Future<?> headTimer; // pending, or null

  Timeouts(Duration headerTimeout, Duration idleTimeout) {
    super(idleTimeout);
    this.headerNanos = headerTimeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    headStart = System.nanoTime(); // from accept: covers the ClientHello and the handshake
    scheduleHead(ctx, headerNanos);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (head == Head.WAITING_FOR_FIRST_BYTE) {
      head = Head.ARMED;
      headStart = System.nanoTime();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (head == Head.ARMED && headTimer == null)
      scheduleHead(ctx, headStart + headerNanos - System.nanoTime());
    ctx.fireChannelReadComplete();
  }

  /** The request head (or TLS handshake of a connection that has no heads) is complete. */
  void headReceived() {
    head = Head.OFF;
  }

  /** The response is done: the next request's head has the header timeout from its first byte. */
  void awaitNextHead() {
    head = Head.WAITING_FOR_FIRST_BYTE;
  }

  @Override
  void stop() {
    super.stop();
    if (headTimer != null) headTimer.cancel(false);
    headTimer = null;
  }

  private void scheduleHead(ChannelHandlerContext ctx, long delayNanos) {
    headTimer =
        ctx.executor()
            .schedule(() -> checkHead(ctx), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  private void checkHead(ChannelHandlerContext ctx) {
    headTimer = null;
    if (isClosed() || head != Head.ARMED) return;
    long left = headStart + headerNanos - System.nanoTime();
    if (left <= 0) ctx.close();
    else scheduleHead(ctx, left); // a later head than the one this timer was set for
  }
}
