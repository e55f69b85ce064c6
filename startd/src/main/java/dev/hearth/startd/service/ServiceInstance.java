package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.startd.service.model.PackageId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One loaded service as its actor drives it: a container whose runtime answers
 * (container-runtime.md §5.1). The real one is {@link LoadedService}; tests drive the actor with a
 * fake, so every transition can be exercised without LXC.
 *
 * <p>Calls block until the runtime answers; none holds a lock meanwhile, since the runtime calls
 * effects back while it works.
 */
interface ServiceInstance extends AutoCloseable {
  PackageId id();

  /** {@code init} (§5.2) with a fresh event id; afterwards {@link #isInitialized()}. */
  void init(InitKind kind) throws InterruptedException;

  boolean isInitialized();

  void start() throws InterruptedException;

  void stop() throws InterruptedException;

  /** {@code exit}: stops main, runs uninit toward {@code target} (null: no version); then exits. */
  void exit(@Nullable String target) throws InterruptedException;

  /** Runs a procedure ({@code /actions/<id>/getInput}, {@code /actions/<id>/run}, …). */
  JsonNode execute(String eventId, String procedure, JsonNode input, @Nullable Duration timeout)
      throws InterruptedException;

  /** Completes when the runtime exits or its connection drops, for whatever reason. */
  CompletableFuture<?> ended();

  /** The last lines the runtime wrote, for an error report. */
  List<String> recentOutput();

  /** Tears the container down. Idempotent. */
  @Override
  void close();

  /**
   * Why {@code init} runs (container-runtime.md §5.2): its wire value, or null for a plain load.
   */
  enum InitKind {
    INSTALL("install"),
    UPDATE("update"),
    RESTORE("restore"),
    LOAD(null);

    final @Nullable String wire;

    InitKind(@Nullable String wire) {
      this.wire = wire;
    }
  }
}
