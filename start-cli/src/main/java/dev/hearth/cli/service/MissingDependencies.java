package dev.hearth.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hearth.api.DbApi;
import dev.hearth.api.MarketplaceApi;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.jsonrpc.RpcClient;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The required dependencies a listed version names that are not installed, each with the version
 * the same registry offers of it (its newest unflavored one). A listing carries no version range
 * for a dependency — the range is the package's own choice once it runs — so the newest is what can
 * be offered before the install.
 */
final class MissingDependencies {
  private MissingDependencies() {}

  /**
   * @param offered the version the registry offers, or null when it has none
   */
  record Missing(String id, String title, @Nullable String offered) {}

  static List<Missing> of(RpcClient client, String registry, String id, String version) {
    JsonNode listing =
        client
            .call(MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams(registry, id))
            .listing();
    JsonNode info = listing.path("best").path(version);
    if (info.isMissingNode()) {
      info = listing.path("otherVersions").path(version);
    }
    List<Missing> missing = new ArrayList<>();
    for (var it = info.path("dependencyMetadata").fields(); it.hasNext(); ) {
      var dep = it.next();
      if (dep.getValue().path("optional").asBoolean(false) || installed(client, dep.getKey())) {
        continue;
      }
      String title = dep.getValue().path("title").asText(dep.getKey());
      missing.add(new Missing(dep.getKey(), title, newest(client, registry, dep.getKey())));
    }
    return missing;
  }

  private static boolean installed(RpcClient client, String id) {
    try {
      DbApi.Dump d = client.call(DbApi.DUMP, new DbApi.PointerParams("/public/packageData/" + id));
      return d != null && d.value() != null && !d.value().isNull();
    } catch (StartException e) {
      return false;
    }
  }

  private static @Nullable String newest(RpcClient client, String registry, String id) {
    var params =
        JsonNodeFactory.instance
            .objectNode()
            .put("registry", registry)
            .put("id", id)
            .put("otherVersions", "none");
    JsonNode listed;
    try {
      listed = client.call("registry.package.get", params);
    } catch (StartException e) {
      return null; // the registry does not have it
    }
    ExtendedVersion best = null;
    for (var it = listed.path("best").fieldNames(); it.hasNext(); ) {
      ExtendedVersion v = ExtendedVersion.parse(it.next());
      if (v.flavor().isEmpty() && (best == null || v.compareWithinFlavor(best).orElse(0) > 0)) {
        best = v;
      }
    }
    return best == null ? null : best.toString();
  }
}
