package dev.hearth.startd.service;

import dev.hearth.api.PackageApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.system.SystemRpc;

/** Binds the {@code package.*} methods (rpc.md §4.4) and {@code server.rebuild}. */
public final class PackageRpc {
  private PackageRpc() {}

  public static void bind(RpcTree.Builder tree, Services s, SystemRpc system) {
    tree.bind(
            PackageApi.SIDELOAD,
            (ctx, p) -> s.sideload(ctx.sessionId().orElse(null), p.acceptKeyChange()))
        .bind(
            PackageApi.CANCEL_INSTALL,
            (ctx, p) -> {
              s.cancelInstall(PackageId.of(p.id()));
              return null;
            })
        .bind(
            PackageApi.UNINSTALL,
            (ctx, p) -> {
              s.uninstall(
                  PackageId.of(p.id()),
                  new Uninstaller.Mode(
                      Boolean.TRUE.equals(p.soft()), Boolean.TRUE.equals(p.force())));
              return null;
            })
        .bind(PackageApi.LIST, (ctx, p) -> s.list())
        .bind(PackageApi.INSTALLED_VERSION, (ctx, p) -> s.installedVersion(PackageId.of(p.id())))
        .bind(
            PackageApi.START,
            (ctx, p) -> {
              s.start(PackageId.of(p.id()), Boolean.TRUE.equals(p.force()));
              return null;
            })
        .bind(
            PackageApi.STOP,
            (ctx, p) -> {
              s.stop(PackageId.of(p.id()));
              return null;
            })
        .bind(
            PackageApi.RESTART,
            (ctx, p) -> {
              s.restart(PackageId.of(p.id()));
              return null;
            })
        .bind(
            PackageApi.REBUILD,
            (ctx, p) -> {
              s.rebuild(PackageId.of(p.id()));
              return null;
            })
        .bind(
            ServerApi.REBUILD,
            (ctx, p) -> {
              s.rebuildAll();
              return null;
            })
        .bind(PackageApi.STATS, (ctx, p) -> s.stats())
        .bind(
            PackageApi.LOGS,
            (ctx, p) ->
                s.logStore(PackageId.of(p.id()))
                    .read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before())))
        .bind(
            PackageApi.LOGS_FOLLOW,
            (ctx, p) ->
                system.followLogs(
                    s.logStore(PackageId.of(p.id())),
                    new ServerApi.LogsParams(p.limit(), p.cursor(), p.boot(), p.before()),
                    ctx.sessionId().orElse(null)))
        .bind(
            PackageApi.ACTION_GET_INPUT,
            (ctx, p) ->
                s.getActionInput(PackageId.of(p.packageId()), p.actionId(), p.prefill(), null))
        .bind(
            PackageApi.ACTION_RUN,
            (ctx, p) ->
                s.runAction(PackageId.of(p.packageId()), p.actionId(), p.eventId(), p.input()))
        .bind(
            PackageApi.ACTION_CLEAR_TASK,
            (ctx, p) -> {
              s.clearTask(
                  PackageId.of(p.packageId()), p.replayId(), Boolean.TRUE.equals(p.force()));
              return null;
            })
        .bind(PackageApi.ATTACH, (ctx, p) -> s.attach.open(p, ctx.sessionId().orElse(null)));
  }
}
