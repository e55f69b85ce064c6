package dev.hearth.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.Access;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The first-run wizard (rpc.md §4.10). Every method is public: before setup there is no password
 * yet. Once setup has written the database only {@link #STATUS}, {@link #COMPLETE} and {@link
 * #EXIT} are still served. Passwords travel as {@code {"encrypted": <JWE>}} against {@link
 * #GET_PUBKEY}'s key.
 */
public final class SetupApi {
  private SetupApi() {}

  /** Where setup stands, tagged by {@code status}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Status.NeedsInstall.class, name = "needs-install"),
    @JsonSubTypes.Type(value = Status.Incomplete.class, name = "incomplete"),
    @JsonSubTypes.Type(value = Status.Running.class, name = "running"),
    @JsonSubTypes.Type(value = Status.Complete.class, name = "complete")
  })
  public sealed interface Status {
    record NeedsInstall() implements Status {}

    record Incomplete(
        @Nullable String guid, boolean attach, boolean mokEnrolled, @Nullable String osDrive)
        implements Status {}

    record Running(FullProgress progress, String guid) implements Status {}

    record Complete(String hostname, String rootCa, boolean needsRestart) implements Status {}
  }

  /** A password as setup takes it: only {@code {"encrypted": <JWE>}}; a plain string is -32602. */
  public record EncryptedPassword(JsonNode encrypted) {
    public EncryptedPassword {
      Objects.requireNonNull(encrypted, "encrypted");
    }

    @Override
    public String toString() {
      return "EncryptedPassword[<redacted>]";
    }
  }

  public record LanguageParams(String language) {
    public LanguageParams {
      Objects.requireNonNull(language, "language");
    }
  }

  public record KeyboardParams(
      String layout,
      @Nullable String keymap,
      @Nullable String model,
      @Nullable String variant,
      @Nullable List<String> options) {}

  /**
   * @param guid the data drive; Hearth keeps its data in its data directory, so it is ignored
   * @param password required for a fresh setup
   * @param recoverySource null for a fresh setup; a backup or another drive otherwise
   * @param name the server's display name; @param hostname its mDNS name; either may be derived
   */
  public record ExecuteParams(
      @Nullable String guid,
      @Nullable EncryptedPassword password,
      @Nullable JsonNode recoverySource,
      @Nullable Boolean kiosk,
      @Nullable String name,
      @Nullable String hostname) {
    @Override
    public String toString() {
      return "ExecuteParams[name=" + name + ", hostname=" + hostname + ", password=<redacted>]";
    }
  }

  public record AttachParams(
      @Nullable String guid, @Nullable JsonNode password, @Nullable Boolean kiosk) {
    @Override
    public String toString() {
      return "AttachParams[<redacted>]";
    }
  }

  public record Started(FullProgress progress, String guid) {}

  public record Completed(String hostname, String rootCa, boolean needsRestart) {}

  private static <P, R> MethodSpec<P, R> setup(
      String name, Class<P> params, Class<R> result, String description) {
    return MethodSpec.of(name, params, result, description).withAccess(Access.PUBLIC);
  }

  public static final MethodSpec<Empty, Status> STATUS =
      setup("setup.status", Empty.class, Status.class, "Where setup stands");
  public static final MethodSpec<Empty, JsonNode> GET_PUBKEY =
      setup("setup.get-pubkey", Empty.class, JsonNode.class, "Key to encrypt passwords for setup");
  public static final MethodSpec<LanguageParams, Void> SET_LANGUAGE =
      setup("setup.set-language", LanguageParams.class, Void.class, "Choose the language");
  public static final MethodSpec<KeyboardParams, Void> SET_KEYBOARD =
      setup("setup.set-keyboard", KeyboardParams.class, Void.class, "Keyboard of a kiosk");
  public static final MethodSpec<Empty, JsonNode> DISK_LIST =
      setup("setup.disk.list", Empty.class, JsonNode.class, "Disks to install to or restore from");
  public static final MethodSpec<JsonNode, JsonNode> INSTALL_OS =
      setup("setup.install-os", JsonNode.class, JsonNode.class, "Install the OS to a drive");
  public static final MethodSpec<JsonNode, JsonNode> CIFS_VERIFY =
      setup("setup.cifs.verify", JsonNode.class, JsonNode.class, "Find backups on a network share");
  public static final MethodSpec<AttachParams, Started> ATTACH =
      setup("setup.attach", AttachParams.class, Started.class, "Use an existing data drive");
  public static final MethodSpec<ExecuteParams, Started> EXECUTE =
      setup("setup.execute", ExecuteParams.class, Started.class, "Set the server up");
  public static final MethodSpec<Empty, Completed> COMPLETE =
      setup("setup.complete", Empty.class, Completed.class, "Finish setup");
  public static final MethodSpec<Empty, Void> EXIT =
      setup("setup.exit", Empty.class, Void.class, "Leave setup for the normal server");
  public static final MethodSpec<Empty, Void> RESTART =
      setup("setup.restart", Empty.class, Void.class, "Restart");
  public static final MethodSpec<Empty, Void> SHUTDOWN =
      setup("setup.shutdown", Empty.class, Void.class, "Power off");
  public static final MethodSpec<ServerApi.LogsParams, ServerApi.LogPage> LOGS =
      setup("setup.logs", ServerApi.LogsParams.class, ServerApi.LogPage.class, "The daemon's log");
  public static final MethodSpec<ServerApi.LogsParams, ServerApi.LogFollow> LOGS_FOLLOW =
      setup(
          "setup.logs.follow",
          ServerApi.LogsParams.class,
          ServerApi.LogFollow.class,
          "Follow the daemon's log");
}
