package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.runtime.Callbacks;
import dev.hearth.startd.runtime.EffectsServer;
import dev.hearth.startd.runtime.RuntimeClient;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.system.LogStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's container with its runtime up: the sandbox, the runtime client, the effects server
 * and the callbacks it registered, and the tail of its output. Made by {@link #load}, gone after
 * {@link #close}. Calls may come from many threads; nothing here holds a lock while the runtime
 * works, because effects call back in (container-runtime.md §2.6).
 */
final class LoadedService implements ServiceInstance {
  private static final Logger log = LoggerFactory.getLogger(LoadedService.class);
  static final Duration RUNTIME_WAIT = Duration.ofSeconds(120);
  static final Duration STOP_WAIT = Duration.ofSeconds(90);

  final String packageId;
  private final PackageId id;
  final PackageFile pkg;
  final Sandbox sandbox;
  final Callbacks callbacks;

  /** The subcontainers the runtime made and has not destroyed, by guid (for attach). */
  final Map<String, Subcontainer> subcontainers = new ConcurrentHashMap<>();

  private final LogTail tail;
  private final ObjectMapper mapper;
  private @Nullable EffectsServer effects;
  private @Nullable RuntimeClient runtime;
  private volatile boolean initialized;

  private LoadedService(
      String packageId,
      PackageFile pkg,
      Sandbox sandbox,
      LogStore logs,
      @Nullable FileChanges changes,
      ObjectMapper mapper) {
    this.packageId = packageId;
    this.id = PackageId.of(packageId);
    this.pkg = pkg;
    this.sandbox = sandbox;
    this.mapper = mapper;
    this.tail = new LogTail(sandbox.logFile(), sandbox::openLog, logs, packageId, changes);
    this.callbacks = new Callbacks(packageId, mapper);
  }

  /**
   * Makes the container, serves its effects, and connects to its runtime (§5.1 steps 1–5). The
   * effects tree is built for this service, so it can reach the service's own sandbox.
   */
  static LoadedService load(
      Sandboxes sandboxes,
      Sandboxes.Spec spec,
      LogStore logs,
      @Nullable FileChanges changes,
      ObjectMapper mapper,
      Function<LoadedService, RpcTree> effectsTree)
      throws InterruptedException {
    Sandbox sandbox = sandboxes.create(spec);
    var loaded = new LoadedService(spec.packageId(), spec.pkg(), sandbox, logs, changes, mapper);
    try {
      loaded.effects =
          EffectsServer.listen(
              sandbox.rpcDir().resolve("host.sock"),
              sandbox.rootUid(),
              sandbox.rootUid(),
              effectsTree.apply(loaded),
              mapper,
              spec.packageId());
      loaded.runtime =
          RuntimeClient.connect(
              sandbox.rpcDir().resolve("service.sock"), mapper, spec.packageId(), RUNTIME_WAIT);
      loaded.callbacks.attach(loaded.runtime);
      return loaded;
    } catch (RuntimeException | InterruptedException e) {
      loaded.close();
      throw e;
    }
  }

  RuntimeClient runtime() {
    if (runtime == null) {
      throw new IllegalStateException("not loaded");
    }
    return runtime;
  }

  @Override
  public PackageId id() {
    return id;
  }

  @Override
  public boolean isInitialized() {
    return initialized;
  }

  @Override
  public void init(InitKind kind) throws InterruptedException {
    ObjectNode params = mapper.createObjectNode();
    params.put("id", guid());
    if (kind.wire == null) {
      params.putNull("kind");
    } else {
      params.put("kind", kind.wire);
    }
    runtime().call("init", params, null);
    initialized = true;
  }

  @Override
  public void start() throws InterruptedException {
    runtime().call("start", mapper.createObjectNode(), null);
  }

  @Override
  public void stop() throws InterruptedException {
    runtime().call("stop", mapper.createObjectNode(), STOP_WAIT);
  }

  @Override
  public JsonNode execute(
      String eventId, String procedure, JsonNode input, @Nullable Duration timeout)
      throws InterruptedException {
    ObjectNode params = mapper.createObjectNode();
    params.put("id", eventId);
    params.put("procedure", procedure);
    params.set("input", input);
    if (timeout == null) {
      params.putNull("timeout");
    } else {
      params.put("timeout", timeout.toMillis());
    }
    return runtime().call("execute", params, timeout == null ? null : timeout.plusSeconds(5));
  }

  @Override
  public void exit(@Nullable String target) throws InterruptedException {
    ObjectNode params = mapper.createObjectNode();
    params.put("id", guid());
    if (target == null) {
      params.putNull("target");
    } else {
      params.put("target", target);
    }
    runtime().call("exit", params, STOP_WAIT);
  }

  @Override
  public CompletableFuture<?> ended() {
    return runtime().ended();
  }

  @Override
  public List<String> recentOutput() {
    return tail.recent();
  }

  /** A subcontainer the runtime made: its image, and the name it gave (if any). */
  record Subcontainer(String guid, String imageId, @Nullable String name) {}

  static String guid() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Override
  public void close() {
    callbacks.close();
    if (runtime != null) {
      runtime.close();
    }
    if (effects != null) {
      effects.close();
    }
    tail.close(); // before the container's directories go
    try {
      sandbox.close();
    } catch (RuntimeException e) {
      log.warn("tearing down the container of {} failed", packageId, e);
    }
  }
}
