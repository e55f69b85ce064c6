package dev.hearth.startd.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Watch;
import dev.hearth.patchdb.json.Json;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The callbacks one runtime registered (container-runtime.md §2.6): each id waits on one trigger
 * and fires once, as a {@code callback} notification carrying the new value, then is forgotten. All
 * are dropped when the runtime asks, or when its container goes away.
 */
public final class Callbacks implements AutoCloseable {
  private static final Duration FOREVER = Duration.ofDays(3650);

  /**
   * Callbacks one package may have waiting: each holds a watch and a thread on the host. The SDK
   * registers one per reactive read and clears them as its contexts go, so a real package has tens
   * to hundreds (issue 10: a hostile one must not hold the host's memory).
   */
  static final int MAX_WAITING = 4096;

  private final String packageId;
  private final ObjectMapper mapper;
  private final Map<Long, Watch> waiting = new ConcurrentHashMap<>();
  private volatile @Nullable RuntimeClient runtime;
  private volatile boolean closed;

  public Callbacks(String packageId, ObjectMapper mapper) {
    this.packageId = packageId;
    this.mapper = mapper;
  }

  /** The runtime to notify. Callbacks registered before are kept and fire once it is set. */
  public void attach(RuntimeClient client) {
    this.runtime = client;
  }

  /**
   * Fires {@code id} when the value seen by {@code watch} changes; the value, converted by {@code
   * toArg}, is the callback's argument. A null id (the package passed no callback) does nothing.
   */
  public void onChange(@Nullable Long id, Watch watch, Function<Json, JsonNode> toArg) {
    if (id == null || id <= 0 || closed) {
      watch.close();
      return;
    }
    if (waiting.size() >= MAX_WAITING && !waiting.containsKey(id)) {
      watch.close();
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          packageId + " has " + MAX_WAITING + " callbacks waiting, the most a package may have");
    }
    Watch previous = waiting.put(id, watch);
    if (previous != null) {
      previous.close();
    }
    Thread.ofVirtual()
        .name("callback-" + packageId + "-" + id)
        .start(() -> {
          Optional<Json> next;
          try {
            next = watch.next(FOREVER);
          } catch (InterruptedException | StartException closedWatch) {
            return;
          }
          if (next.isPresent() && waiting.remove(id, watch)) {
            watch.close();
            fire(id, toArg.apply(next.get()));
          }
        });
  }

  private void fire(long id, JsonNode arg) {
    RuntimeClient client = runtime;
    if (client == null || closed) {
      return;
    }
    ObjectNode params = mapper.createObjectNode();
    params.put("id", id);
    ArrayNode args = params.putArray("args");
    args.add(arg);
    client.notify("callback", params);
  }

  /** {@code clear-callbacks {only}}. */
  public void clearOnly(Collection<Long> ids) {
    ids.forEach(this::drop);
  }

  /** {@code clear-callbacks {except}}. */
  public void clearExcept(Collection<Long> keep) {
    waiting.keySet().stream().filter(id -> !keep.contains(id)).toList().forEach(this::drop);
  }

  private void drop(long id) {
    Watch w = waiting.remove(id);
    if (w != null) {
      w.close();
    }
  }

  public int size() {
    return waiting.size();
  }

  @Override
  public void close() {
    closed = true;
    waiting.keySet().stream().toList().forEach(this::drop);
  }
}
