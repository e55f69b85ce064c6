package dev.hearth.registry.os;

import dev.hearth.api.RegistryApi;
import dev.hearth.api.RegistryApi.OsImage;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.pkg.DeviceInfo;
import java.util.Optional;
import java.util.function.Supplier;

/** Contributes the {@code os.*} methods (rpc.md §4.8) to the registry's tree. */
public final class OsRpc {
  private OsRpc() {}

  /**
   * @param device the device the current request describes ({@code X-StartOS-Device-Info})
   */
  public static RpcTree.Builder bind(
      RpcTree.Builder tree,
      OsReleases os,
      Authenticator auth,
      Supplier<Optional<DeviceInfo>> device) {
    tree.bind(RegistryApi.OS_INDEX, (ctx, p) -> os.index())
        .bind(
            RegistryApi.OS_VERSION_ADD,
            (ctx, p) -> {
              auth.admin(ctx);
              os.addVersion(p);
              return null;
            })
        .bind(
            RegistryApi.OS_VERSION_REMOVE,
            (ctx, p) -> {
              auth.admin(ctx);
              os.removeVersion(p.version());
              return null;
            })
        .bind(RegistryApi.OS_VERSION_GET, (ctx, p) -> os.versions(p, device.get()))
        .bind(
            RegistryApi.OS_VERSION_SIGNER_ADD,
            (ctx, p) -> {
              auth.admin(ctx);
              os.addSigner(p.version(), p.signer());
              return null;
            })
        .bind(
            RegistryApi.OS_VERSION_SIGNER_REMOVE,
            (ctx, p) -> {
              auth.admin(ctx);
              os.removeSigner(p.version(), p.signer());
              return null;
            })
        .bind(RegistryApi.OS_VERSION_SIGNER_LIST, (ctx, p) -> os.signers(p.version()));
    for (OsImage kind : OsImage.values()) {
      tree.bind(
              kind.add,
              (ctx, p) -> {
                os.addAsset(kind, auth.sender(ctx), p);
                return null;
              })
          .bind(
              kind.remove,
              (ctx, p) -> {
                os.removeAsset(kind, auth.sender(ctx), p);
                return null;
              })
          .bind(
              kind.sign,
              (ctx, p) -> {
                os.signAsset(kind, auth.sender(ctx), p);
                return null;
              })
          .bind(kind.get, (ctx, p) -> os.asset(kind, p));
    }
    return tree;
  }
}
