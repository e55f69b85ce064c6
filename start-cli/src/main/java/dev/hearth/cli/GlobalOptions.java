package dev.hearth.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, anywhere on the command line (upstream's global options). Read
 * them through {@link #of(picocli.CommandLine.Model.CommandSpec)}.
 *
 * <p>A mixin, but annotated as a command too: picocli otherwise looks through its methods (and
 * Object's) for method subcommands at every start.
 */
@Command(addMethodSubcommands = false)
public final class GlobalOptions {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean helpRequested;

  @Option(
      names = {"-H", "--host"},
      scope = ScopeType.INHERIT,
      description = "URL of the server to talk to (default: this machine's startd)")
  @Nullable String host;

  @Option(
      names = {"-c", "--config"},
      scope = ScopeType.INHERIT,
      description = "Configuration file")
  @Nullable Path config;

  @Option(
      names = "--cookie-path",
      scope = ScopeType.INHERIT,
      description = "Where the session cookie of a remote login is kept")
  @Nullable Path cookiePath;

  @Option(
      names = "--ca",
      scope = ScopeType.INHERIT,
      description = "PEM file of the server's Root CA, the one trust anchor for https (config: ca)")
  @Nullable Path ca;

  @Option(
      names = "--developer-key-path",
      scope = ScopeType.INHERIT,
      description = "Developer key for signing packages (default: ~/.startos/developer.key.pem)")
  @Nullable Path developerKeyPath;

  @Option(
      names = {"-r", "--registry"},
      scope = ScopeType.INHERIT,
      description = "URL of the registry `registry` commands talk to (config: registry)")
  @Nullable String registry;

  @Option(
      names = "--registry-hostname",
      scope = ScopeType.INHERIT,
      description =
          "The registry's name that requests are signed for, when the URL does not use it"
              + " (config: registry-hostname)")
  @Nullable String registryHostname;

  @Option(
      names = "--format",
      scope = ScopeType.INHERIT,
      description = "Output format: ${COMPLETION-CANDIDATES}")
  @Nullable OutputFormat format;

  /** The global options given on this command line, wherever they appeared. */
  public static GlobalOptions of(picocli.CommandLine.Model.CommandSpec spec) {
    return ((StartCli) spec.root().userObject()).globals;
  }

  public @Nullable String host() {
    return host;
  }

  public @Nullable Path config() {
    return config;
  }

  public @Nullable String registry() {
    return registry;
  }

  public @Nullable String registryHostname() {
    return registryHostname;
  }

  public @Nullable Path ca() {
    return ca;
  }

  public @Nullable Path cookiePath() {
    return cookiePath;
  }

  /** The developer key file: the option, else {@code ~/.startos/developer.key.pem}. */
  public Path developerKeyPath() {
    if (developerKeyPath != null) {
      return developerKeyPath;
    }
    return Path.of(System.getProperty("user.home"), ".startos", "developer.key.pem");
  }

  /**
   * The developer key at {@link #developerKeyPath()}.
   *
   * @throws dev.hearth.error.StartException if it is missing or unreadable
   */
  public dev.hearth.s9pk.sign.DeveloperKey developerKey() {
    return dev.hearth.s9pk.sign.DeveloperKey.read(developerKeyPath());
  }

  /** The requested format, or {@code fallback} when none was given. */
  public OutputFormat format(OutputFormat fallback) {
    return format == null ? fallback : format;
  }
}
