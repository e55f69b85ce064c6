package dev.hearth.startd.auth;

import dev.hearth.api.AuthApi;
import dev.hearth.jsonrpc.RpcTree;

/** Binds the {@code auth.*} methods to {@link Auth}. */
public final class AuthRpc {
  private AuthRpc() {}

  public static void bind(RpcTree.Builder tree, Auth auth) {
    tree.bind(AuthApi.LOGIN, auth::login)
        .bind(
            AuthApi.LOGOUT,
            (ctx, p) -> {
              auth.logout(ctx);
              return null;
            })
        .bind(AuthApi.SESSION_LIST, (ctx, p) -> auth.sessions(ctx))
        .bind(
            AuthApi.SESSION_KILL,
            (ctx, p) -> {
              auth.end(p.ids());
              return null;
            })
        .bind(
            AuthApi.SESSION_KILL_ALL,
            (ctx, p) -> {
              auth.endAll(ctx);
              return null;
            })
        .bind(
            AuthApi.RESET_PASSWORD,
            (ctx, p) -> {
              auth.resetPassword(ctx, p);
              return null;
            })
        .bind(AuthApi.GET_PUBKEY, (ctx, p) -> auth.publicKey());
  }
}
