package dev.hearth.startd.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.MarketplaceApi;
import dev.hearth.api.PackageApi;
import dev.hearth.api.RegistryApi;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcTree;

/** Binds the Marketplace's methods, {@code package.install}, and the {@code registry.*} proxy. */
public final class MarketplaceRpc {
  private MarketplaceRpc() {}

  public static void bind(RpcTree.Builder tree, Marketplace m) {
    tree.bind(MarketplaceApi.REGISTRY_ADD, (ctx, p) -> m.addRegistry(p.url()))
        .bind(
            MarketplaceApi.REGISTRY_REMOVE,
            (ctx, p) -> {
              m.removeRegistry(p.url());
              return null;
            })
        .bind(MarketplaceApi.PACKAGE, (ctx, p) -> m.view(p.registry(), p.id()))
        .bind(MarketplaceApi.UPDATES, (ctx, p) -> m.updates())
        .bind(
            PackageApi.INSTALL,
            (ctx, p) -> {
              m.install(p);
              return null;
            });
    for (MethodSpec<?, ?> spec : RegistryApi.ALL) {
      String method = spec.name();
      tree.bind(
          MethodSpec.of(
              "registry." + method,
              JsonNode.class,
              JsonNode.class,
              spec.description() + " (on the registry `registry` names)"),
          (ctx, params) -> m.proxy(method, params));
    }
  }
}
