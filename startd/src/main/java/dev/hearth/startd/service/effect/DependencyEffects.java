package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.service.effect.ServiceParams.DependencyCheck;
import dev.hearth.startd.service.effect.ServiceParams.DependencyRequirement;
import dev.hearth.startd.service.model.CurrentDependency;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.PackageState;
import dev.hearth.startd.service.model.TaskEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The effects about the packages self depends on (container-runtime.md §2.7, {@code
 * dependency.rs}): what it declares, whether they satisfy it, their manifests and the installed
 * set.
 */
final class DependencyEffects {
  private final EffectHost host;
  private final CallingService self;
  private final PackageId id;

  DependencyEffects(EffectHost host, CallingService self) {
    this.host = host;
    this.self = self;
    this.id = self.packageId();
  }

  void bind(RpcTree.Builder tree) {
    tree.bind(Effects.SET_DEPENDENCIES, (ctx, p) -> setDependencies(p));
    tree.bind(Effects.GET_DEPENDENCIES, (ctx, p) -> getDependencies());
    tree.bind(Effects.CHECK_DEPENDENCIES, (ctx, p) -> checkDependencies(p));
    tree.bind(
        Effects.GET_INSTALLED_PACKAGES,
        (ctx, p) -> host.installedIds().stream().map(PackageId::value).toList());
    tree.bind(Effects.GET_SERVICE_MANIFEST, (ctx, p) -> manifest(p));
  }

  /** The manifest of an installed package, or the one being installed. */
  private @Nullable JsonNode manifestOf(PackageId target) {
    JsonNode m =
        host.read(PackagePaths.state(target)).map(PackageState::shownManifest).orElse(null);
    return m != null && m.isObject() ? m : null;
  }

  /** Replaces self's current dependencies: one write of the whole, so nothing to race with. */
  private @Nullable Void setDependencies(ServiceParams.SetDependencies p) {
    Map<String, CurrentDependency> current = new LinkedHashMap<>();
    for (DependencyRequirement d : p.dependencies()) {
      PackageId depId = PackageId.of(d.id());
      JsonNode manifest = manifestOf(depId);
      var declared = self.manifest().dependencies().get(d.id());
      String title =
          manifest != null && manifest.hasNonNull("title")
              ? manifest.get("title").asText()
              : declared == null
                  ? d.id()
                  : declared
                      .extra()
                      .getOrDefault("metadata", MissingNode.getInstance())
                      .path("title")
                      .asText(d.id());
      String icon = manifest == null ? "" : host.read(PackagePaths.icon(depId)).orElse("");
      current.put(
          d.id(), new CurrentDependency(title, icon, d.versionRange(), d.kind(), d.healthChecks()));
    }
    host.mutateAs(
        id,
        tx -> {
          tx.put(PackagePaths.currentDependencies(id), current);
          return null;
        });
    return null;
  }

  private List<DependencyRequirement> getDependencies() {
    List<DependencyRequirement> out = new ArrayList<>();
    host.read(PackagePaths.currentDependencies(id))
        .orElse(Map.of())
        .forEach((depId, d) ->
            out.add(
                new DependencyRequirement(d.kind(), depId, d.versionRange(), d.healthChecks())));
    return out;
  }

  private List<DependencyCheck> checkDependencies(ServiceParams.CheckDependencies p) {
    Map<String, CurrentDependency> deps =
        host.read(PackagePaths.currentDependencies(id)).orElse(Map.of());
    List<String> ids = p.packageIds() != null ? p.packageIds() : List.copyOf(deps.keySet());
    List<DependencyCheck> out = new ArrayList<>();
    for (String depName : ids) {
      PackageId depId = PackageId.of(depName);
      // Installed, updating or being removed: a manifest in place (not one being installed).
      JsonNode manifest =
          host.read(PackagePaths.state(depId))
              .filter(st -> !(st instanceof PackageState.Installing))
              .filter(st -> !(st instanceof PackageState.Restoring))
              .map(PackageState::shownManifest)
              .orElse(null);
      if (manifest == null || !manifest.isObject()) {
        out.add(new DependencyCheck(depName, null, null, List.of(), false, Map.of(), Map.of()));
        continue;
      }
      List<String> satisfies = new ArrayList<>();
      manifest.path("satisfies").forEach(v -> satisfies.add(v.asText()));
      JsonNode status = host.read(PackagePaths.statusJson(depId)).orElse(null);
      CurrentDependency wanted = deps.get(depName);
      Map<String, JsonNode> health = new LinkedHashMap<>();
      if (status != null) {
        status
            .path("health")
            .properties()
            .forEach(e -> {
              if (wanted == null
                  || wanted.healthChecks() == null
                  || wanted.healthChecks().contains(e.getKey())) {
                health.put(e.getKey(), e.getValue());
              }
            });
      }
      Map<String, TaskEntry> tasks = host.read(PackagePaths.tasks(depId)).orElse(Map.of());
      out.add(
          new DependencyCheck(
              depName,
              manifest.path("title").asText(),
              manifest.path("version").asText(),
              satisfies,
              status != null && status.hasNonNull("started"),
              tasks,
              health));
    }
    return out;
  }

  private @Nullable JsonNode manifest(ServiceParams.PackageTarget p) {
    PackageId target = PackageId.of(p.packageId());
    Watches.watch(host, self, p.callback(), PackagePaths.state(target).pointer());
    return manifestOf(target);
  }
}
