package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Opens sockets inside another network namespace. {@code setns} changes only the calling thread, so
 * one dedicated platform thread enters the namespace once and does nothing but create sockets (a
 * socket stays in the namespace it was created in, whichever thread uses it later). It never runs
 * anything else: a virtual thread or a pooled one that entered a namespace would carry it into
 * unrelated work (lab §11).
 */
final class NetnsSockets implements AutoCloseable {
  private final ExecutorService thread;
  private final String netns;

  NetnsSockets(Syscalls sys, String netns) {
    this.netns = netns;
    this.thread =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("hearth-netns-" + netns).daemon().factory());
    String path = "/run/netns/" + netns;
    try {
      thread
          .submit(() -> {
            int fd = sys.check(sys.open(path, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC), path);
            try {
              sys.check(sys.setns(fd, Syscalls.CLONE_NEWNET), "setns " + path);
            } finally {
              sys.close(fd);
            }
            return null;
          })
          .get();
    } catch (ExecutionException e) {
      thread.shutdownNow();
      throw new StartException(
          ErrorKind.NETWORK,
          "cannot enter network namespace " + netns + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted entering " + netns, e);
    }
  }

  /** A new, unconnected TCP socket in the namespace. */
  SocketChannel open() throws IOException {
    try {
      return thread.submit(() -> SocketChannel.open()).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted opening a socket in " + netns, e);
    }
  }

  /**
   * Runs {@code create} on the thread inside the namespace: for a socket another library makes (the
   * proxy's upstream channels). {@code create} must only make the socket and return.
   */
  <T> T call(java.util.concurrent.Callable<T> create) throws IOException {
    try {
      return thread.submit(create).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted making a socket in " + netns, e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
