package dev.hearth.startd.service;

import dev.hearth.api.PackageApi;
import dev.hearth.api.ServerApi;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.system.SystemRpc;

/** Binds the {@code package.*} methods (rpc.md §4.4) and {@code server.rebuild}. */
public final class PackageRpc {
  private PackageRpc() {}

  public static void bind(RpcTree.Builder tree, Services s, SystemRpc system) {
    Installer installer = s.installer;
    tree.bind(
            PackageApi.SIDELOAD,
            (ctx, p) -> installer.sideload(ctx.sessionId().orElse(null), p.acceptKeyChange()))
        .bind(
            PackageApi.CANCEL_INSTALL,
            (ctx, p) -> {
              installer.cancel(DataDirs.checkId(p.id()));
              return null;
            })
        .bind(
            PackageApi.UNINSTALL,
            (ctx, p) -> {
              Uninstaller.uninstall(
                  s,
                  DataDirs.checkId(p.id()),
                  Boolean.TRUE.equals(p.soft()),
                  Boolean.TRUE.equals(p.force()));
              return null;
            })
        .bind(PackageApi.LIST, (ctx, p) -> s.list())
        .bind(PackageApi.INSTALLED_VERSION, (ctx, p) -> s.installedVersion(p.id()))
        .bind(
            PackageApi.START,
            (ctx, p) -> {
              s.start(DataDirs.checkId(p.id()), Boolean.TRUE.equals(p.force()));
              return null;
            })
        .bind(
            PackageApi.STOP,
            (ctx, p) -> {
              s.stop(DataDirs.checkId(p.id()));
              return null;
            })
        .bind(
            PackageApi.RESTART,
            (ctx, p) -> {
              s.restart(DataDirs.checkId(p.id()));
              return null;
            })
        .bind(
            PackageApi.REBUILD,
            (ctx, p) -> {
              s.rebuild(DataDirs.checkId(p.id()));
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
            (ctx, p) -> {
              s.entry(p.id());
              return s.logStore(p.id())
                  .read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before()));
            })
        .bind(
            PackageApi.LOGS_FOLLOW,
            (ctx, p) -> {
              s.entry(p.id());
              return system.followLogs(
                  s.logStore(p.id()),
                  new ServerApi.LogsParams(p.limit(), p.cursor(), p.boot(), p.before()),
                  ctx.sessionId().orElse(null));
            })
        .bind(
            PackageApi.ACTION_GET_INPUT,
            (ctx, p) ->
                s.getActionInput(DataDirs.checkId(p.packageId()), p.actionId(), p.prefill(), null))
        .bind(
            PackageApi.ACTION_RUN,
            (ctx, p) ->
                s.runAction(DataDirs.checkId(p.packageId()), p.actionId(), p.eventId(), p.input()))
        .bind(
            PackageApi.ACTION_CLEAR_TASK,
            (ctx, p) -> {
              s.clearTask(
                  DataDirs.checkId(p.packageId()), p.replayId(), Boolean.TRUE.equals(p.force()));
              return null;
            })
        .bind(PackageApi.ATTACH, (ctx, p) -> s.attach.open(p, ctx.sessionId().orElse(null)));
  }
}
