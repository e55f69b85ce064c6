package dev.hearth.startd.net.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection when nothing was read or flushed for the idle timeout. Cheaper per request
 * than Netty's {@code IdleStateHandler}, which on a write-watching timeout turns every write's void
 * promise into a real one with a listener: here a read or a flush only stores the time, and one
 * timer per connection, set again when it finds activity, does the rest. Event loop only.
 */
class IdleTimeout extends ChannelDuplexHandler {
  private final long idleNanos;
  private long lastActivity;
  private boolean started;
  private boolean closed;
  private @Nullable Future<?> timer;

  IdleTimeout(Duration idle) {
    this.idleNanos = idle.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isActive()) start(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    ctx.fireChannelInactive();
  }

  /**
   * Cancels the pending timers: a closed connection must not leave them in the event loop's queue
   * for the whole idle timeout (with many short connections they would pile up by the thousand).
   */
  void stop() {
    closed = true;
    if (timer != null) timer.cancel(false);
    timer = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastActivity = System.nanoTime();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) throws Exception {
    lastActivity = System.nanoTime();
    ctx.flush();
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) return;
    started = true;
    lastActivity = System.nanoTime();
    schedule(ctx, idleNanos);
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check(ChannelHandlerContext ctx) {
    if (closed) return;
    long left = lastActivity + idleNanos - System.nanoTime();
    if (left <= 0) ctx.close();
    else schedule(ctx, left);
  }

  /** Whether the connection is gone: a subclass's timer then does nothing. */
  final boolean isClosed() {
    return closed;
  }
}
