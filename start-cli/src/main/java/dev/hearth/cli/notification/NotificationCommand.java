package dev.hearth.cli.notification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NotificationApi;
import dev.hearth.cli.Output;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.RpcCommand;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli notification …} (rpc.md §4.7). */
@Command(addMethodSubcommands = false, name = "notification", description = "Notifications")
public final class NotificationCommand {
  /**
   * Its subcommands, in the order help lists them (the tree: {@link dev.hearth.cli.CommandTree}).
   */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          NotificationCommand.ListNotifications.class,
          NotificationCommand.Create.class,
          NotificationCommand.MarkSeen.class,
          NotificationCommand.MarkSeenBefore.class,
          NotificationCommand.MarkUnseen.class,
          NotificationCommand.Remove.class,
          NotificationCommand.RemoveBefore.class);

  @Command(addMethodSubcommands = false, name = "list", description = "Notifications, newest first")
  public static final class ListNotifications extends RpcCommand {
    /** {@code NotificationApi.LIST}, called by name (see {@link RpcCommand#callAndPrint}). */
    public static final String METHOD = "notification.list";

    @Option(names = "--before", description = "Only ids below this one")
    Long before;

    @Option(names = "--limit", description = "At most this many (default 40)")
    Integer limit;

    @Override
    protected void run(RpcClient client) {
      JsonNode list = client.call(METHOD, params("before", before, "limit", limit));
      if (format(OutputFormat.table) == OutputFormat.json) {
        Output.json(System.out, list);
        return;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode n : list) {
        rows.add(
            List.of(
                n.path("id").asText(),
                n.path("level").asText(),
                n.path("seen").asBoolean() ? "yes" : "no",
                n.path("createdAt").asText(),
                n.path("title").asText(),
                n.path("message").asText().lines().findFirst().orElse("")));
      }
      Output.table(System.out, List.of("ID", "LEVEL", "SEEN", "CREATED", "TITLE", "MESSAGE"), rows);
    }
  }

  @Command(addMethodSubcommands = false, name = "create", description = "Post a notification")
  public static final class Create extends RpcCommand {
    @Parameters(index = "0", description = "success, info, warning or error")
    NotificationApi.Level level;

    @Parameters(index = "1", description = "Title")
    String title;

    @Parameters(index = "2", description = "Message")
    String message;

    @Option(names = "--package", description = "The service it concerns")
    String packageId;

    @Override
    protected void run(RpcClient client) {
      long id =
          client.call(
              NotificationApi.CREATE,
              new NotificationApi.CreateParams(packageId, level, title, message));
      System.out.println(id);
    }
  }

  /** A command that takes notification ids and calls one method with them. */
  abstract static class ByIds extends RpcCommand {
    @Parameters(arity = "1..*", description = "Notification ids")
    List<Long> ids;

    abstract MethodSpec<NotificationApi.IdsParams, Void> method();

    @Override
    protected void run(RpcClient client) {
      client.call(method(), new NotificationApi.IdsParams(ids));
    }
  }

  /** A command that takes one id bound and calls one method with it. */
  abstract static class Before extends RpcCommand {
    @Parameters(index = "0", description = "A notification id")
    long before;

    abstract MethodSpec<NotificationApi.BeforeParams, Void> method();

    @Override
    protected void run(RpcClient client) {
      client.call(method(), new NotificationApi.BeforeParams(before));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "mark-seen",
      description = "Mark notifications as seen")
  public static final class MarkSeen extends ByIds {
    @Override
    MethodSpec<NotificationApi.IdsParams, Void> method() {
      return NotificationApi.MARK_SEEN;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "mark-seen-before",
      description = "Mark every notification up to an id as seen")
  public static final class MarkSeenBefore extends Before {
    @Override
    MethodSpec<NotificationApi.BeforeParams, Void> method() {
      return NotificationApi.MARK_SEEN_BEFORE;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "mark-unseen",
      description = "Mark notifications as unseen")
  public static final class MarkUnseen extends ByIds {
    @Override
    MethodSpec<NotificationApi.IdsParams, Void> method() {
      return NotificationApi.MARK_UNSEEN;
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Delete notifications")
  public static final class Remove extends ByIds {
    @Override
    MethodSpec<NotificationApi.IdsParams, Void> method() {
      return NotificationApi.REMOVE;
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "remove-before",
      description = "Delete notifications with ids below a number")
  public static final class RemoveBefore extends Before {
    @Override
    MethodSpec<NotificationApi.BeforeParams, Void> method() {
      return NotificationApi.REMOVE_BEFORE;
    }
  }
}
