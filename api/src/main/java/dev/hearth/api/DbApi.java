package dev.hearth.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The database as clients see it (rpc.md §3, §4.7): only the public model, at {@code /public}, can
 * be read or written here.
 */
public final class DbApi {
  private DbApi() {}

  /** A JSON pointer from the document root, within {@code /public} (the default). */
  public record PointerParams(@Nullable String pointer) {}

  public record Dump(long id, JsonNode value) {}

  public record Subscribed(Dump dump, String guid) {}

  /**
   * @param patch an RFC 6902 patch with pointers from the document root, within {@code /public}
   */
  public record ApplyParams(JsonNode patch) {
    public ApplyParams {
      Objects.requireNonNull(patch, "patch");
    }
  }

  /**
   * @param pointer from the document root, within {@code /public}
   */
  public record PutParams(String pointer, JsonNode value) {
    public PutParams {
      Objects.requireNonNull(pointer, "pointer");
      Objects.requireNonNull(value, "value");
    }
  }

  public static final MethodSpec<PointerParams, Dump> DUMP =
      MethodSpec.of("db.dump", PointerParams.class, Dump.class, "The public model, or part of it");

  public static final MethodSpec<PointerParams, Subscribed> SUBSCRIBE =
      MethodSpec.of(
          "db.subscribe",
          PointerParams.class,
          Subscribed.class,
          "A dump, and a WebSocket that streams every later change");

  public static final MethodSpec<ApplyParams, Void> APPLY =
      MethodSpec.of(
              "db.apply",
              ApplyParams.class,
              Void.class,
              "Apply a JSON Patch to the public model; refused if the result is not a valid model")
          .syncingDb();

  public static final MethodSpec<PutParams, Void> PUT =
      MethodSpec.of(
              "db.put",
              PutParams.class,
              Void.class,
              "Set a value in the public model; refused if the result is not a valid model")
          .syncingDb();

  /**
   * @param pointer relative to {@code /public/ui}
   */
  public record PutUiParams(String pointer, JsonNode value) {
    public PutUiParams {
      Objects.requireNonNull(pointer, "pointer");
      Objects.requireNonNull(value, "value");
    }
  }

  public static final MethodSpec<PutUiParams, Void> PUT_UI =
      MethodSpec.of(
              "db.put.ui",
              PutUiParams.class,
              Void.class,
              "Set a value in the UI's own part of the model")
          .syncingDb();
}
