package dev.hearth.cli.auth;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.Console;
import java.util.Map;

/**
 * Where a password comes from: an environment variable (for scripts), else a prompt on the terminal
 * with echo off. Never from a flag, where it would land in shell history and {@code ps}.
 */
final class Passwords {
  private Passwords() {}

  static String read(Map<String, String> env, String variable, String prompt) {
    String value = env.get(variable);
    if (value != null) {
      return value;
    }
    Console console = System.console();
    if (console == null) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "no terminal to ask for the password; set " + variable + " in the environment");
    }
    char[] typed = console.readPassword("%s: ", prompt);
    if (typed == null) {
      throw new StartException(ErrorKind.CANCELLED, "no password given");
    }
    return new String(typed);
  }
}
