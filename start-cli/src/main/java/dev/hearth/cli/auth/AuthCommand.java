package dev.hearth.cli.auth;

import dev.hearth.api.AuthApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.cli.connect.Connection;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli auth …} (rpc.md §4.2). */
@Command(
    addMethodSubcommands = false,
    name = "auth",
    description = "Log in and out, sessions, the master password")
public final class AuthCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          AuthCommand.Login.class,
          AuthCommand.Logout.class,
          AuthCommand.Session.class,
          AuthCommand.ResetPassword.class,
          AuthCommand.GetPubkey.class);

  /** Reads the password from {@code $PASSWORD} or a prompt; keeps the session for this server. */
  @Command(
      addMethodSubcommands = false,
      name = "login",
      description = "Log in (password from $PASSWORD or a prompt)")
  public static final class Login extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      String password = Passwords.read(System.getenv(), "PASSWORD", "Password");
      var metadata = Connection.json().createObjectNode();
      metadata.putArray("platforms").add("cli");
      AuthApi.LoginResult result =
          client.call(AuthApi.LOGIN, new AuthApi.LoginParams(password, null, metadata));
      var target = Connection.target(spec);
      target.jar().store(Connection.key(target.url()), result.session());
      System.out.println("Logged in to " + Connection.key(target.url()));
    }
  }

  @Command(addMethodSubcommands = false, name = "logout", description = "End this CLI's session")
  public static final class Logout extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      var target = Connection.target(spec);
      if (client.session().isEmpty()) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST, "not logged in to " + Connection.key(target.url()));
      }
      client.removeCookie("local"); // logout ends the session, so authenticate with it
      client.call(AuthApi.LOGOUT, Empty.INSTANCE);
      target.jar().forget(Connection.key(target.url()));
      System.out.println("Logged out of " + Connection.key(target.url()));
    }
  }

  @Command(addMethodSubcommands = false, name = "session", description = "Sessions")
  public static final class Session {
    /**
     * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
     */
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(Session.ListSessions.class, Session.Kill.class);

    @Command(addMethodSubcommands = false, name = "list", description = "List the sessions")
    public static final class ListSessions extends RpcCommand {
      @Override
      protected void run(RpcClient client) {
        AuthApi.SessionList list = client.call(AuthApi.SESSION_LIST, Empty.INSTANCE);
        if (format(OutputFormat.table) == OutputFormat.json) {
          Output.json(System.out, list);
          return;
        }
        List<List<String>> rows = new ArrayList<>();
        list.sessions()
            .forEach((id, s) ->
                rows.add(
                    List.of(
                        id.equals(list.current()) ? "*" : "",
                        id,
                        s.loggedIn(),
                        s.lastActive(),
                        s.userAgent() == null ? "" : s.userAgent())));
        Output.table(System.out, List.of("", "ID", "LOGGED IN", "LAST ACTIVE", "USER AGENT"), rows);
      }
    }

    @Command(
        addMethodSubcommands = false,
        name = "kill",
        description = "End sessions by id, or every session with --all")
    public static final class Kill extends RpcCommand {
      @Parameters(arity = "0..*", description = "Session ids (from `auth session list`)")
      List<String> ids = List.of();

      @Option(
          names = "--all",
          description = "End every session, this CLI's too, and close their streams")
      boolean all;

      @Override
      protected void run(RpcClient client) {
        if (all != ids.isEmpty()) {
          throw new StartException(
              ErrorKind.INVALID_REQUEST, "give session ids or --all, not both and not neither");
        }
        if (!all) {
          client.call(AuthApi.SESSION_KILL, new AuthApi.KillParams(ids));
          return;
        }
        client.call(AuthApi.SESSION_KILL_ALL, Empty.INSTANCE);
        // Whatever session this CLI kept for the server has ended with the rest.
        var target = Connection.target(spec);
        target.jar().forget(Connection.key(target.url()));
        System.out.println("Every session of " + Connection.key(target.url()) + " has ended");
      }
    }
  }

  /**
   * New password from {@code $NEW_PASSWORD} or a prompt; the current one from {@code $OLD_PASSWORD}
   * or a prompt, except on the server itself (root), where it may be reset.
   */
  @Command(
      addMethodSubcommands = false,
      name = "reset-password",
      description = "Change the master password (on the server itself, reset it)")
  public static final class ResetPassword extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      Map<String, String> env = System.getenv();
      var text = Connection.json().getNodeFactory();
      var old =
          client.cookie("local").isPresent()
              ? null
              : text.textNode(Passwords.read(env, "OLD_PASSWORD", "Current password"));
      String next = Passwords.read(env, "NEW_PASSWORD", "New password");
      if (!env.containsKey("NEW_PASSWORD")
          && !next.equals(Passwords.read(env, "NEW_PASSWORD", "Repeat the new password"))) {
        throw new StartException(ErrorKind.INVALID_REQUEST, "the passwords differ");
      }
      client.call(
          AuthApi.RESET_PASSWORD, new AuthApi.ResetPasswordParams(old, text.textNode(next)));
      System.out.println("Password changed");
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "get-pubkey",
      description = "The key clients encrypt passwords with (JWK)")
  public static final class GetPubkey extends RpcCommand {
    @Override
    protected void run(RpcClient client) {
      callAndPrint(client, AuthApi.GET_PUBKEY, Empty.INSTANCE);
    }
  }
}
