package dev.hearth.startd.setup;

import dev.hearth.api.SetupApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.system.LogStore;
import dev.hearth.startd.system.Power;
import dev.hearth.startd.system.SystemRpc;

/**
 * Binds the {@code setup.*} methods: all of them in setup mode, and the three the wizard calls
 * after the database is written in normal mode. Installing an OS to a drive, using an existing data
 * drive and restoring are not part of a server that runs from its data directory: they answer with
 * an error that says where they will come from.
 */
public final class SetupRpc {
  private SetupRpc() {}

  /** The setup tree: every {@code setup.*} method, all public (there is no password yet). */
  public static void bind(
      RpcTree.Builder tree, Setup setup, LogStore logs, SystemRpc system, Power power) {
    bindAfterSetup(tree, setup);
    tree.bind(SetupApi.GET_PUBKEY, (ctx, p) -> setup.publicKey())
        .bind(
            SetupApi.SET_LANGUAGE,
            (ctx, p) -> {
              setup.setLanguage(p.language());
              return null;
            })
        .bind(
            SetupApi.SET_KEYBOARD,
            (ctx, p) -> {
              throw new StartException(
                  ErrorKind.INVALID_REQUEST,
                  "this server has no kiosk display to set a keyboard for");
            })
        .bind(
            SetupApi.DISK_LIST,
            (ctx, p) -> {
              throw unavailable("choosing disks");
            })
        .bind(
            SetupApi.INSTALL_OS,
            (ctx, p) -> {
              throw new StartException(
                  ErrorKind.INVALID_REQUEST,
                  "Hearth runs on an installed Debian system and keeps its data in its data"
                      + " directory; there is no OS drive to install");
            })
        .bind(
            SetupApi.CIFS_VERIFY,
            (ctx, p) -> {
              throw unavailable("restoring from a network share");
            })
        .bind(
            SetupApi.ATTACH,
            (ctx, p) -> {
              throw unavailable("attaching an existing data drive");
            })
        .bind(SetupApi.EXECUTE, (ctx, p) -> setup.execute(p))
        .bind(
            SetupApi.RESTART,
            (ctx, p) -> {
              power.restart();
              return null;
            })
        .bind(
            SetupApi.SHUTDOWN,
            (ctx, p) -> {
              power.shutdown();
              return null;
            })
        .bind(
            SetupApi.LOGS,
            (ctx, p) -> logs.read(p.limit(), p.cursor(), p.boot(), Boolean.TRUE.equals(p.before())))
        .bind(SetupApi.LOGS_FOLLOW, (ctx, p) -> system.followLogs(logs, p, null));
  }

  /**
   * For the normal tree: what the wizard still calls once setup has written the database (rpc.md
   * §4.10: {@code status} until complete, {@code complete}, {@code exit}), public as in setup. They
   * reveal only the hostname and the root CA, which {@code /static/} serves anyway. Every other
   * {@code setup.*} method is not in the normal tree (-32601).
   */
  public static void bindAfterSetup(RpcTree.Builder tree, Setup setup) {
    tree.bind(SetupApi.STATUS, (ctx, p) -> setup.status())
        .bind(SetupApi.COMPLETE, (ctx, p) -> setup.complete())
        .bind(
            SetupApi.EXIT,
            (ctx, p) -> {
              setup.exit();
              return null;
            });
  }

  private static StartException unavailable(String what) {
    return new StartException(
        ErrorKind.INVALID_REQUEST,
        what + " is not available yet: it arrives with the backups work; set the server up fresh");
  }
}
