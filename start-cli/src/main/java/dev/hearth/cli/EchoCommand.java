package dev.hearth.cli;

import dev.hearth.jsonrpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start-cli echo <message>}: the server answers with the message. */
@Command(
    addMethodSubcommands = false,
    name = "echo",
    description = "Ask the server to echo a message back")
public final class EchoCommand extends RpcCommand {
  /** {@code RootApi.ECHO}, called by name (see {@link RpcCommand#callAndPrint}). */
  public static final String METHOD = "echo";

  @Parameters(index = "0", description = "The message")
  String message;

  @Override
  protected void run(RpcClient client) {
    callAndPrint(client, METHOD, params("message", message));
  }
}
