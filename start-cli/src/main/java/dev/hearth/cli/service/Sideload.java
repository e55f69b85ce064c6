package dev.hearth.cli.service;

import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The client half of a sideload (rpc.md §3.4) once {@code package.sideload} has answered: opens the
 * progress socket first, so no frame is missed, then posts the file to the upload continuation
 * (streamed, with its {@code Content-Length}) while handing every progress frame to the caller,
 * until the server closes the socket.
 *
 * <p>The outcome is the close: 1000 {@code complete} is success; 1011 carries the error as its
 * reason; anything else means the stream ended before the install did.
 */
final class Sideload {
  /** What the server says once the install is done. */
  static final String COMPLETE = "complete";

  private static final int NO_CONTENT = 204;
  // How often the upload is checked while no frame comes, i.e. how soon a failed upload shows.
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration CLOSE_AFTER_FAILED_UPLOAD = Duration.ofSeconds(5); // for its reason

  private Sideload() {}

  /**
   * Uploads {@code file} and follows the install to its end.
   *
   * @param frames receives each progress frame (FullProgress JSON), in order, on this thread
   * @throws StartException INSTALL_FAILED with the server's reason, or NETWORK when the upload or
   *     the stream failed without one
   */
  static void run(
      RpcClient client, PackageApi.Sideload continuations, Path file, Consumer<String> frames)
      throws InterruptedException {
    try (Continuation progress = client.continuation(continuations.progress())) {
      CompletableFuture<Integer> upload = new CompletableFuture<>();
      Thread uploader =
          Thread.ofVirtual()
              .name("sideload-upload")
              .start(() -> {
                try {
                  upload.complete(client.upload(continuations.upload(), file));
                } catch (RuntimeException e) {
                  upload.completeExceptionally(e);
                }
              });
      try {
        follow(progress, upload, frames);
      } finally {
        // The install failed while the file was still going up: stop sending it.
        uploader.interrupt();
      }
    }
  }

  private static void follow(
      Continuation progress, CompletableFuture<Integer> upload, Consumer<String> frames)
      throws InterruptedException {
    while (true) {
      Optional<String> frame = progress.next(POLL);
      if (frame.isPresent()) {
        frames.accept(frame.get());
        continue;
      }
      Optional<Continuation.Closed> closed = progress.awaitClose(Duration.ZERO);
      if (closed.isPresent()) {
        outcome(closed.get());
        return;
      }
      Optional<String> failed = uploadFailure(upload);
      if (failed.isPresent()) {
        // The server usually fails the install too and closes with the better reason.
        Optional<Continuation.Closed> reason = progress.awaitClose(CLOSE_AFTER_FAILED_UPLOAD);
        if (reason.isPresent() && reason.get().code() == 1011) {
          outcome(reason.get());
        }
        throw new StartException(ErrorKind.NETWORK, failed.get());
      }
    }
  }

  /** Why the upload failed, once it has; empty while it runs or when it was taken. */
  private static Optional<String> uploadFailure(CompletableFuture<Integer> upload)
      throws InterruptedException {
    if (!upload.isDone()) {
      return Optional.empty();
    }
    try {
      int status = upload.get(0, TimeUnit.SECONDS);
      return status == NO_CONTENT
          ? Optional.empty()
          : Optional.of("the server refused the upload: HTTP " + status);
    } catch (ExecutionException e) {
      return Optional.of("the upload failed: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      return Optional.empty();
    }
  }

  private static void outcome(Continuation.Closed closed) {
    if (closed.code() == 1000 && closed.reason().equals(COMPLETE)) {
      return;
    }
    if (closed.code() == 1011 && !closed.reason().isBlank()) {
      throw new StartException(ErrorKind.INSTALL_FAILED, closed.reason());
    }
    throw new StartException(
        ErrorKind.NETWORK,
        "the progress stream ended before the install did (close "
            + closed.code()
            + (closed.reason().isBlank() ? "" : " " + closed.reason())
            + ")");
  }
}
