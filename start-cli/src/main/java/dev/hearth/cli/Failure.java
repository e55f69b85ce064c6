package dev.hearth.cli;

import dev.hearth.error.StartException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an error into one line on stderr and exit code 1: {@code Error: <detail>} for our errors,
 * with the kind, and the exception text otherwise. Stack traces stay out of a user's terminal.
 */
final class Failure implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    String message =
        switch (e) {
          case StartException s -> s.kind().title + ": " + s.getMessage();
          default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    cli.getErr().println("Error: " + message);
    return 1;
  }
}
