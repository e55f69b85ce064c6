package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** Waiting for a transition's outcome, on the caller's thread, failing as the transition failed. */
final class Outcomes {
  private Outcomes() {}

  static <T> T await(CompletableFuture<T> outcome) {
    return await(outcome, null);
  }

  /**
   * Waits at most {@code limit} (null: as long as it takes).
   *
   * @throws StartException the one the transition failed with; ({@link ErrorKind#TIMEOUT}) when the
   *     limit passes first
   */
  static <T> T await(CompletableFuture<T> outcome, @Nullable Duration limit) {
    try {
      return limit == null ? outcome.get() : outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StartException(ErrorKind.TIMEOUT, "no answer within " + limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted");
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StartException s) {
        throw s;
      }
      throw new StartException(ErrorKind.UNKNOWN, String.valueOf(cause), cause);
    }
  }
}
