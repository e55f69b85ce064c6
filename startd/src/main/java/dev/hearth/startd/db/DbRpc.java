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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The {@code db.*} methods (rpc.md §3, §4.7), confined to the public model: a pointer outside
 * {@code /public} is refused. Clients may change only the UI's own part, {@code /public/ui} (issue
 * 10): everything else in the public model is the daemon's record of the world — package states,
 * statuses, hosts, tasks — and a client that could write it could make the daemon act on a lie (a
 * rewritten archive path once made uninstall delete any host file as root).
 *
 * <p>{@code db.subscribe} streams one frame per revision that touches the subscribed part, and a
 * "nudge" ({@code {"id": n, "patch": []}}) after any database-changing call, so a client waiting
 * for the {@code X-Patch-Sequence} it was given is released even when the change was private.
 */
public final class DbRpc {
  /** How long a subscription's socket waits before checking for nudges anyway. */
  private static final Duration IDLE_CHECK = Duration.ofSeconds(30);

  /** The deepest a client may nest a value in the document. */
  static final int MAX_DEPTH = 64;

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
      // INVALID_REQUEST, not AUTHORIZATION: the UI logs out on 34, and a bad pointer is no reason.
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
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
    Runnable release =
        () -> {
          live.remove(sub);
          sub.close();
        };
    String guid =
        continuations.socket(
            socket -> {
              long sent = d.id();
              while (socket.isOpen()) {
                Optional<Revision> r = sub.poll(IDLE_CHECK);
                if (r.isEmpty()) {
                  // Revisions up to the nudge target were delivered before it was set, so after
                  // reading it, one more look at the buffer finds any still unsent.
                  long wanted = nudge.get();
                  r = sub.poll(Duration.ZERO);
                  if (r.isEmpty()) {
                    if (wanted > sent) {
                      socket.send(mapper.writeValueAsString(new Revision(wanted, JsonPatch.EMPTY)));
                      sent = wanted;
                    }
                    continue;
                  }
                }
                socket.send(encode(r.get()));
                sent = r.get().id();
              }
            },
            release,
            Continuations.WINDOW,
            ctx.sessionId().orElse(null));
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
      checkWritable(op.path());
      checkDepth(
          op.path(),
          switch (op) {
            case PatchOp.Add a -> mapper.valueToTree(a.value());
            case PatchOp.Replace r -> mapper.valueToTree(r.value());
            case PatchOp.Remove r -> mapper.nullNode();
          });
    }
    db.mutate(tx -> {
      tx.apply(patch);
      validate(tx);
    });
  }

  /**
   * Refuses values that would nest deeper than {@link #MAX_DEPTH} in the document: deep enough for
   * any real data, and far from the depth at which the document could no longer be written out
   * whole.
   */
  static void checkDepth(JsonPointer at, JsonNode value) {
    int depth = at.size() + depth(value);
    if (depth > MAX_DEPTH) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "the value would nest " + depth + " levels deep; at most " + MAX_DEPTH + " are allowed");
    }
  }

  /** Levels of nesting, counted breadth-first so a hostile value cannot overflow the stack. */
  private static int depth(JsonNode node) {
    int levels = 0;
    List<JsonNode> level = List.of(node);
    while (!level.isEmpty() && levels <= MAX_DEPTH) {
      levels++;
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : level) {
        n.forEach(next::add);
      }
      level = next;
    }
    return levels;
  }

  /** Refuses a change anywhere but {@code /public/ui}. */
  static void checkWritable(JsonPointer absolute) {
    if (!absolute.startsWith(PublicPaths.UI)) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "clients may change only /public/ui; \"" + absolute + "\" is kept by the server itself");
    }
  }

  private void put(String pointer, JsonNode value) {
    JsonPointer relative = publicRelative(pointer);
    checkWritable(PublicPaths.ROOT.resolve(relative));
    checkDepth(PublicPaths.ROOT.resolve(relative), value);
    Json json = db.codec().toJson(value);
    db.mutate(tx -> {
      tx.put(PublicPaths.ROOT.resolve(relative), json);
      validate(tx);
    });
  }

  private void putUi(String pointer, JsonNode value) {
    JsonPointer absolute = PublicPaths.UI.resolve(JsonPointer.parse(pointer));
    checkDepth(absolute, value);
    Json json = db.codec().toJson(value);
    db.mutate(tx -> tx.put(absolute, json));
  }

  private void validate(Tx tx) {
    db.validatePublic(
        tx.get(PublicPaths.ROOT)
            .orElseThrow(() -> new StartException(ErrorKind.UNINITIALIZED, "not set up")));
  }
}
