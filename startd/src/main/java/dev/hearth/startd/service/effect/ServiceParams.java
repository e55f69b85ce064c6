package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.NotificationApi;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.service.model.CurrentDependency;
import dev.hearth.startd.service.model.Health;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The params and results of the effects on the calling service itself and on the packages it
 * depends on: run state, callbacks, dependencies, health, progress, notifications, data version,
 * subcontainers and mounts (container-runtime.md §2.7).
 */
public final class ServiceParams {
  private ServiceParams() {}

  /** Another package, or (absent) the caller; with a callback to fire when it changes. */
  public record Target(@Nullable String packageId, @Nullable Long callback) {
    public Target {
      Check.optPackageId("packageId", packageId);
    }
  }

  public record PackageTarget(String packageId, @Nullable Long callback) {
    public PackageTarget {
      Check.packageId("packageId", packageId);
    }
  }

  /** Only a callback, for effects that read a value of the server. */
  public record Watched(@Nullable Long callback) {}

  public enum MainStatus {
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("stopped")
    STOPPED
  }

  public record SetMainStatus(MainStatus status) {
    public SetMainStatus {
      Check.present("status", status);
    }
  }

  /** {@code only} given: drop those; else drop all but {@code except}. */
  public record ClearCallbacks(@Nullable List<Long> only, @Nullable List<Long> except) {
    public ClearCallbacks {
      only = only == null ? null : Check.list("only", only);
      except = except == null ? null : Check.list("except", except);
    }
  }

  public record Echo(String message) {
    public Echo {
      Check.text("message", message);
    }
  }

  /** {@code healthChecks} only for {@code running}. */
  public record DependencyRequirement(
      CurrentDependency.Kind kind,
      String id,
      String versionRange,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> healthChecks) {
    public DependencyRequirement {
      Check.present("kind", kind);
      Check.packageId("id", id);
      Check.text("versionRange", versionRange);
      healthChecks =
          kind == CurrentDependency.Kind.RUNNING ? Check.ids("healthChecks", healthChecks) : null;
    }
  }

  public record SetDependencies(List<DependencyRequirement> dependencies) {
    public SetDependencies {
      dependencies = Check.list("dependencies", Check.present("dependencies", dependencies));
    }
  }

  public record CheckDependencies(@Nullable List<String> packageIds) {
    public CheckDependencies {
      if (packageIds != null) {
        packageIds = Check.list("packageIds", packageIds);
        packageIds.forEach(p -> Check.packageId("packageIds", p));
      }
    }
  }

  /** One entry of {@code check-dependencies}; the health checks as the dependency reported them. */
  public record DependencyCheck(
      String packageId,
      @Nullable String title,
      @Nullable String installedVersion,
      List<String> satisfies,
      boolean isRunning,
      Map<String, dev.hearth.startd.service.model.TaskEntry> tasks,
      Map<String, JsonNode> healthChecks) {}

  public record IdMap(Integer fromId, Integer toId, Integer range) {
    public IdMap {
      Check.natural("fromId", fromId);
      Check.natural("toId", toId);
      Check.natural("range", range);
      if (range < 1
          || (long) fromId + range > ContainerIds.COUNT
          || (long) toId + range > ContainerIds.COUNT) {
        throw new IllegalArgumentException(
            "an idmap entry maps ids within 0.." + (ContainerIds.COUNT - 1));
      }
    }
  }

  /** Absent {@code readonly} means read-only: no package may be granted more. */
  public record MountTarget(
      String packageId,
      String volumeId,
      @Nullable String subpath,
      @Nullable Boolean readonly,
      @Nullable List<IdMap> idmap) {
    public MountTarget {
      Check.packageId("packageId", packageId);
      Check.id("volumeId", volumeId);
      Check.optText("subpath", subpath);
      idmap = Check.list("idmap", idmap);
    }

    boolean readOnly() {
      return readonly == null || readonly;
    }
  }

  public record Mount(String location, MountTarget target) {
    public Mount {
      Check.text("location", location);
      Check.present("target", target);
    }
  }

  /** {@code progress}: as a phase's value ({@code FullProgress.phaseValue}); absent is null. */
  public record SetProgress(JsonNode progress) {
    public SetProgress {
      try {
        progress = FullProgress.phaseValue(progress == null ? NullNode.instance : progress);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "progress: " + e.getMessage()); // not as cause: its text would win
      }
    }
  }

  public record SetHealth(String id, String name, Health.Result result, @Nullable String message) {
    public SetHealth {
      Check.id("id", id);
      Check.text("name", name);
      Check.present("result", result);
      Check.optText("message", message);
      if (message == null && (result == Health.Result.LOADING || result == Health.Result.FAILURE)) {
        throw new IllegalArgumentException(
            "a " + result.name().toLowerCase(java.util.Locale.ROOT) + " result needs a message");
      }
    }

    Health health() {
      return new Health(name, result, message);
    }
  }

  /** {@code data}: markdown or anything the package likes ("any" in the spec). */
  public record CreateNotification(
      NotificationApi.Level level, String title, String message, @Nullable JsonNode data) {
    public CreateNotification {
      Check.present("level", level);
      Check.text("title", title);
      Check.text("message", message);
      data = data == null || data.isNull() ? null : data;
    }
  }

  public record SetDataVersion(@Nullable String version) {
    public SetDataVersion {
      Check.optText("version", version);
    }
  }

  public record CreateFs(String imageId, @Nullable String name) {
    public CreateFs {
      Check.id("imageId", imageId);
      Check.optText("name", name);
    }
  }

  public record DestroyFs(String guid) {
    public DestroyFs {
      Check.id("guid", guid);
    }
  }
}
