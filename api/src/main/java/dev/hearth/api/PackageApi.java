package dev.hearth.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ServerApi.LogEntry;
import dev.hearth.api.ServerApi.LogFollow;
import dev.hearth.api.ServerApi.LogPage;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Installed services: install, run, act on, read (rpc.md §4.4, lifecycle.md). */
public final class PackageApi {
  private PackageApi() {}

  /** Continuations of a sideload: POST the file to the first, follow progress on the second. */
  public record Sideload(String upload, String progress) {}

  /**
   * {@code package.sideload}'s params; upstream sends {@code {}}.
   *
   * @param acceptKeyChange the developer key (PEM) the user accepts as the new signer of an
   *     installed package, after seeing that it differs from the installed version's; an update
   *     signed by another key is refused without it
   */
  public record SideloadParams(@Nullable String acceptKeyChange) {}

  /**
   * {@code package.install}: a version from a registry (rpc.md §4.4).
   *
   * @param switchFlavor the user accepts replacing the installed flavor with this version's
   * @param acceptKeyChange as for a sideload: the new signer (PEM) the user accepts for an update
   */
  public record InstallParams(
      String registry,
      String id,
      String version,
      @Nullable Boolean switchFlavor,
      @Nullable String acceptKeyChange) {
    public InstallParams {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(version, "version");
    }
  }

  public record IdParams(String id) {
    public IdParams {
      Objects.requireNonNull(id, "id");
    }
  }

  public record StartParams(String id, @Nullable Boolean force) {
    public StartParams {
      Objects.requireNonNull(id, "id");
    }
  }

  /** {@code soft}: keep the data; {@code force}: clean up even if the service cannot uninit. */
  public record UninstallParams(String id, @Nullable Boolean soft, @Nullable Boolean force) {
    public UninstallParams {
      Objects.requireNonNull(id, "id");
    }
  }

  /** One row of {@code package.list}: status is the package state, or {@code error}. */
  public record Listed(String id, String version, String status) {}

  /** {@code package.stats}: snake_case and MiB, as upstream. */
  public record Stats(
      @JsonProperty("container_id") String containerId,
      @JsonProperty("memory_usage") double memoryUsage,
      @JsonProperty("memory_limit") double memoryLimit) {}

  public record LogsParams(
      String id,
      @Nullable Integer limit,
      @Nullable String cursor,
      @Nullable String boot,
      @Nullable Boolean before) {
    public LogsParams {
      Objects.requireNonNull(id, "id");
    }

    public ServerApi.LogsParams page() {
      return new ServerApi.LogsParams(limit, cursor, boot, before);
    }
  }

  public record GetInputParams(String packageId, String actionId, @Nullable JsonNode prefill) {
    public GetInputParams {
      Objects.requireNonNull(packageId, "packageId");
      Objects.requireNonNull(actionId, "actionId");
    }
  }

  /** {@code eventId}: the one {@code get-input} returned, so the service finds its form. */
  public record RunParams(
      String packageId, String actionId, @Nullable String eventId, @Nullable JsonNode input) {
    public RunParams {
      Objects.requireNonNull(packageId, "packageId");
      Objects.requireNonNull(actionId, "actionId");
    }
  }

  public record ClearTaskParams(String packageId, String replayId, @Nullable Boolean force) {
    public ClearTaskParams {
      Objects.requireNonNull(packageId, "packageId");
      Objects.requireNonNull(replayId, "replayId");
    }
  }

  /**
   * A command in a service's container ({@code subcontainer}/{@code name}/{@code imageId} pick a
   * subcontainer); the result guid is a WebSocket carrying stdin up and output down.
   */
  public record AttachParams(
      String id,
      List<String> command,
      @Nullable Boolean tty,
      @Nullable Boolean stderrTty,
      @Nullable String ptySize,
      @Nullable String subcontainer,
      @Nullable String name,
      @Nullable String imageId,
      @Nullable String user) {
    public AttachParams {
      Objects.requireNonNull(id, "id");
      command = command == null ? List.of() : List.copyOf(command);
    }
  }

  public static final MethodSpec<InstallParams, Void> INSTALL =
      MethodSpec.of(
              "package.install",
              InstallParams.class,
              Void.class,
              "Install, update, downgrade or switch the flavor of a package from a registry")
          .syncingDb();

  public static final MethodSpec<SideloadParams, Sideload> SIDELOAD =
      MethodSpec.of(
              "package.sideload",
              SideloadParams.class,
              Sideload.class,
              "Install a package file uploaded to the returned continuation")
          .syncingDb();

  public static final MethodSpec<IdParams, Void> CANCEL_INSTALL =
      MethodSpec.of(
              "package.cancel-install", IdParams.class, Void.class, "Stop an install in progress")
          .syncingDb();

  public static final MethodSpec<UninstallParams, Void> UNINSTALL =
      MethodSpec.of("package.uninstall", UninstallParams.class, Void.class, "Remove a service")
          .syncingDb();

  public static final MethodSpec<Empty, List<Listed>> LIST =
      MethodSpec.of(
          "package.list",
          Empty.class,
          new TypeReference<List<Listed>>() {},
          "Installed packages and their state");

  public static final MethodSpec<IdParams, String> INSTALLED_VERSION =
      MethodSpec.of(
          "package.installed-version",
          IdParams.class,
          String.class,
          "The installed version of a package, or null");

  public static final MethodSpec<StartParams, Void> START =
      MethodSpec.of("package.start", StartParams.class, Void.class, "Start a service").syncingDb();

  public static final MethodSpec<IdParams, Void> STOP =
      MethodSpec.of("package.stop", IdParams.class, Void.class, "Stop a service").syncingDb();

  public static final MethodSpec<IdParams, Void> RESTART =
      MethodSpec.of("package.restart", IdParams.class, Void.class, "Restart a service").syncingDb();

  public static final MethodSpec<IdParams, Void> REBUILD =
      MethodSpec.of(
              "package.rebuild",
              IdParams.class,
              Void.class,
              "Tear down a service's container and load it again")
          .syncingDb();

  public static final MethodSpec<Empty, Map<String, @Nullable Stats>> STATS =
      MethodSpec.of(
          "package.stats",
          Empty.class,
          new TypeReference<Map<String, @Nullable Stats>>() {},
          "Memory use of each running service's container");

  public static final MethodSpec<LogsParams, LogPage> LOGS =
      MethodSpec.of("package.logs", LogsParams.class, LogPage.class, "A service's log");

  public static final MethodSpec<LogsParams, LogFollow> LOGS_FOLLOW =
      MethodSpec.of(
          "package.logs.follow",
          LogsParams.class,
          LogFollow.class,
          "Follow a service's log on a WebSocket of " + LogEntry.class.getSimpleName() + "s");

  public static final MethodSpec<GetInputParams, JsonNode> ACTION_GET_INPUT =
      MethodSpec.of(
          "package.action.get-input",
          GetInputParams.class,
          JsonNode.class,
          "An action's input form and current value, or null if it takes none");

  public static final MethodSpec<RunParams, JsonNode> ACTION_RUN =
      MethodSpec.of("package.action.run", RunParams.class, JsonNode.class, "Run an action")
          .syncingDb();

  public static final MethodSpec<ClearTaskParams, Void> ACTION_CLEAR_TASK =
      MethodSpec.of(
              "package.action.clear-task",
              ClearTaskParams.class,
              Void.class,
              "Dismiss a task (critical ones need force)")
          .syncingDb();

  public static final MethodSpec<AttachParams, String> ATTACH =
      MethodSpec.of(
          "package.attach",
          AttachParams.class,
          String.class,
          "Run a command in a service's container over a WebSocket");
}
