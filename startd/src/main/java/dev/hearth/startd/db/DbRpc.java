package dev.hearth.startd.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.DbApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.patchdb.Dump;
import dev.hearth.patchdb.Revision;
import dev.hearth.patchdb.Subscription;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.PatchOp;
import dev.hearth.startd.continuation.Continuations;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The {@code db.*} methods (rpc.md §3, §4.7), confined to the public model: a pointer outside
 * {@code /public} is refused, and changes must leave a valid public model.
 *
 * <p>{@code db.subscribe} streams one frame per revision that touches the subscribed part, and a
 * "nudge" ({@code {"id": n, "patch": []}}) after any database-changing call, so a client waiting
 * for the {@code X-Patch-Sequence} it was given is released even when the change was private.
 */
public final class DbRpc {
  /** How long a subscription's socket waits before checking for nudges anyway. */
  private static final Duration IDLE_CHECK = Duration.ofSeconds(30);

  private final Database db;
  private final Continuations continuations;
  private final ObjectMapper mapper;
  private final AtomicLong nudge = new AtomicLong();
  private final AtomicReference<Encoded> lastEncoded = new AtomicReference<>();

  /** A revision and its JSON text: the sockets of one pointer share one serialization. */
  private record Encoded(Revision revision, String text) {}

  private final Set<Subscription> live = ConcurrentHashMap.newKeySet();

  public DbRpc(Database db, Continuations continuations) {
    this.db = db;
    this.continuations = continuations;
    this.mapper = db.codec().mapper();
  }

  public void bind(RpcTree.Builder tree) {
    tree.bind(DbApi.DUMP, (ctx, p) -> dump(p.pointer()))
        .bind(DbApi.SUBSCRIBE, this::subscribe)
        .bind(
            DbApi.APPLY,
            (ctx, p) -> {
              apply(p.patch());
              return null;
            })
        .bind(
            DbApi.PUT,
            (ctx, p) -> {
              put(p.pointer(), p.value());
              return null;
            })
        .bind(
            DbApi.PUT_UI,
            (ctx, p) -> {
              putUi(p.pointer(), p.value());
              return null;
            });
  }

  /** The pointer below {@code /public}, or a refusal naming the rule. */
  static JsonPointer publicRelative(@Nullable String pointer) {
    JsonPointer p = pointer == null ? PublicPaths.ROOT : JsonPointer.parse(pointer);
    if (!p.startsWith(PublicPaths.ROOT)) {
      throw new StartException(
          ErrorKind.AUTHORIZATION,
          "only the public model (/public) can be read or changed by clients: \"" + pointer + "\"");
    }
    return p.relativeTo(PublicPaths.ROOT);
  }

  DbApi.Dump dump(@Nullable String pointer) {
    Dump d = db.publicView().dump(publicRelative(pointer));
    return new DbApi.Dump(d.id(), mapper.valueToTree(d.value()));
  }

  private DbApi.Subscribed subscribe(RpcContext ctx, DbApi.PointerParams params) {
    Subscription sub = db.publicView().subscribe(publicRelative(params.pointer()));
    live.add(sub);
    Dump d = sub.dump();
    String guid;
    try {
      guid =
          continuations.socket(
              socket -> {
                try (sub) {
                  long sent = d.id();
                  while (socket.isOpen()) {
                    Optional<Revision> r = sub.poll(IDLE_CHECK);
                    if (r.isEmpty()) {
                      // Revisions up to the nudge target were delivered before it was set, so
                      // after reading it, one more look at the buffer finds any still unsent.
                      long wanted = nudge.get();
                      r = sub.poll(Duration.ZERO);
                      if (r.isEmpty()) {
                        if (wanted > sent) {
                          socket.send(
                              mapper.writeValueAsString(new Revision(wanted, JsonPatch.EMPTY)));
                          sent = wanted;
                        }
                        continue;
                      }
                    }
                    socket.send(encode(r.get()));
                    sent = r.get().id();
                  }
                } finally {
                  live.remove(sub);
                }
              },
              Continuations.WINDOW,
              ctx.sessionId().orElse(null));
    } catch (RuntimeException e) {
      live.remove(sub);
      sub.close();
      throw e;
    }
    return new DbApi.Subscribed(new DbApi.Dump(d.id(), mapper.valueToTree(d.value())), guid);
  }

  private String encode(Revision r) throws IOException {
    Encoded last = lastEncoded.get();
    if (last != null && last.revision() == r) {
      return last.text();
    }
    String text = mapper.writeValueAsString(r);
    lastEncoded.set(new Encoded(r, text));
    return text;
  }

  /**
   * After a call that changed the database: every subscriber that has sent everything up to the
   * current revision but is behind it gets a nudge. Revisions are delivered to subscriptions before
   * the call returns, so a socket that finds its buffer empty after reading the nudge target has
   * nothing older left to send.
   */
  public void nudge() {
    nudge.accumulateAndGet(db.sequence(), Math::max);
    for (Subscription sub : live) {
      sub.wake();
    }
  }

  private void apply(JsonNode patchJson) {
    JsonPatch patch;
    try {
      patch = mapper.treeToValue(patchJson, JsonPatch.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new StartException(
          ErrorKind.DESERIALIZATION, "not a JSON Patch of add/remove/replace: " + e.getMessage());
    }
    for (PatchOp op : patch.ops()) {
      if (!op.path().startsWith(PublicPaths.ROOT) || op.path().equals(PublicPaths.ROOT)) {
        throw new StartException(
            ErrorKind.AUTHORIZATION,
            "a client patch may only change what is inside /public: \"" + op.path() + "\"");
      }
    }
    db.mutate(tx -> {
      tx.apply(patch);
      validate(tx);
    });
  }

  private void put(String pointer, JsonNode value) {
    JsonPointer relative = publicRelative(pointer);
    if (relative.isRoot()) {
      throw new StartException(
          ErrorKind.AUTHORIZATION, "the public model cannot be replaced as a whole");
    }
    Json json = db.codec().toJson(value);
    db.mutate(tx -> {
      tx.put(PublicPaths.ROOT.resolve(relative), json);
      validate(tx);
    });
  }

  private void putUi(String pointer, JsonNode value) {
    JsonPointer relative = JsonPointer.parse(pointer);
    Json json = db.codec().toJson(value);
    db.mutate(tx -> tx.put(PublicPaths.UI.resolve(relative), json));
  }

  private void validate(Tx tx) {
    db.validatePublic(
        tx.get(PublicPaths.ROOT)
            .orElseThrow(() -> new StartException(ErrorKind.UNINITIALIZED, "not set up")));
  }
}
