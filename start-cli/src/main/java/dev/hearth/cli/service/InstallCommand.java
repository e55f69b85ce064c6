package dev.hearth.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.DbApi;
import dev.hearth.api.FullProgress;
import dev.hearth.api.PackageApi;
import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.OutputFormat;
import dev.hearth.cli.connect.Connection;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.sign.SignerKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code start-cli package install -s FILE}: sideloads a package file (rpc.md §3.4) and prints the
 * install's progress until it ends. Exit 0 once the server says {@code complete}; otherwise the
 * server's reason on stderr and exit 1. {@code start-cli package install ID --version V} installs
 * from the registry {@code -r} names (or the config's {@code registry}) instead, and waits the
 * same.
 */
@Command(
    addMethodSubcommands = false,
    name = "install",
    description = "Install a package file (-s), or a version from a registry (ID --version V)")
public final class InstallCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-s", "--sideload"},
      paramLabel = "FILE",
      description = "The .s9pk file to upload")
  Path file;

  @Parameters(
      index = "0",
      arity = "0..1",
      description = "The package id, to install from a registry")
  String id;

  @Option(names = "--version", description = "The version to install from the registry")
  String version;

  @Option(
      names = "--switch-flavor",
      description = "Replace the installed flavor of the package with this version's")
  boolean switchFlavor;

  @Option(
      names = "--with-dependencies",
      description =
          "Install first, from the same registry, the newest version of each required dependency"
              + " that is not installed")
  boolean withDependencies;

  @Option(
      names = "--accept-key-change",
      description =
          "Update a package even though this file is signed by another key than the installed"
              + " version (whoever holds that key then controls the service and its data)")
  boolean acceptKeyChange;

  @Override
  public Integer call() throws InterruptedException {
    if (file == null) {
      return fromRegistry();
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new StartException(ErrorKind.NOT_FOUND, "no readable package file at " + file);
    }
    boolean json = GlobalOptions.of(spec).format(OutputFormat.table) == OutputFormat.json;
    Optional<PackageKey> key = packageKey(file);
    try (RpcClient client = Connection.client(spec)) {
      // Accepting sends this file's key whatever the CLI saw: the server also holds a reinstall
      // over data a soft uninstall kept to that data's signer, which the CLI cannot see.
      String accepted = acceptKeyChange ? key.map(PackageKey::pem).orElse(null) : null;
      if (key.isPresent()) {
        String installed = installedKey(client, key.get().id());
        if (installed != null && !sameKey(installed, key.get().pem())) {
          if (!acceptKeyChange) {
            throw new StartException(
                ErrorKind.INVALID_SIGNATURE,
                file
                    + " is signed by another key than the installed "
                    + key.get().id()
                    + ".\nInstalled key:\n"
                    + installed.strip()
                    + "\nThis file's key:\n"
                    + key.get().pem().strip()
                    + "\nIf you trust the new signer with this service and its data, run this again"
                    + " with --accept-key-change.");
          }
        }
      }
      PackageApi.Sideload continuations =
          client.call(PackageApi.SIDELOAD, new PackageApi.SideloadParams(accepted));
      Sideload.run(client, continuations, file, json ? System.out::println : human(System.out));
    }
    if (!json) {
      System.out.println(packageId(file).map(id -> "installed " + id).orElse("installed"));
    }
    return 0;
  }

  /**
   * Installs {@code id} {@code version} from the registry; with {@code --with-dependencies}, first
   * the newest version there of each required dependency that is not installed, else it names them
   * (and the command that installs each) once the package is installed.
   */
  private int fromRegistry() throws InterruptedException {
    if (id == null || version == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "give -s FILE, or a package id and --version");
    }
    String registry = dev.hearth.cli.registry.RegistryConnection.url(spec).toString();
    try (RpcClient client = Connection.client(spec)) {
      var missing = MissingDependencies.of(client, registry, id, version);
      if (withDependencies) {
        for (var m : missing) {
          if (m.offered() == null) {
            throw new StartException(
                ErrorKind.NOT_FOUND,
                id
                    + " needs "
                    + m.title()
                    + " ("
                    + m.id()
                    + "), which "
                    + registry
                    + " does not have");
          }
          install(client, registry, m.id(), m.offered(), false);
        }
      }
      install(client, registry, id, version, switchFlavor);
      if (!withDependencies) {
        for (var m : missing) {
          System.out.println(
              id
                  + " needs "
                  + m.title()
                  + " ("
                  + m.id()
                  + "), which is not installed"
                  + (m.offered() == null
                      ? " and which " + registry + " does not have"
                      : ": start-cli package install "
                          + m.id()
                          + " --version "
                          + m.offered()
                          + " -r "
                          + registry
                          + " (or this command again with --with-dependencies)"));
        }
      }
      return 0;
    }
  }

  /**
   * Asks the server to install {@code pkg} {@code target} from {@code registry}, then follows the
   * download in {@code /public/marketplace/installs} and the install until the version is installed
   * or a notification says why it failed.
   */
  private void install(
      RpcClient client, String registry, String pkg, String target, boolean flavorSwitch)
      throws InterruptedException {
    var lines = new ProgressLines();
    long lastNotification = newestNotification(client);
    client.call(
        PackageApi.INSTALL,
        new PackageApi.InstallParams(registry, pkg, target, flavorSwitch, null));
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(30).toNanos();
    boolean seenInstalling = false;
    while (System.nanoTime() < deadline) {
      JsonNode pending = dump(client, "/public/marketplace/installs/" + pkg);
      JsonNode state = dump(client, "/public/packageData/" + pkg + "/stateInfo");
      JsonNode progress =
          pending != null
              ? pending.get("progress")
              : state == null ? null : state.at("/installingInfo/progress");
      if (progress != null && progress.isObject()) {
        try {
          lines
              .next(Connection.json().treeToValue(progress, FullProgress.class))
              .ifPresent(System.out::println);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      String stateName = state == null ? "" : state.path("state").asText("");
      seenInstalling |=
          pending != null || stateName.equals("installing") || stateName.equals("updating");
      if (seenInstalling && pending == null && stateName.equals("installed")) {
        String now = state.path("manifest").path("version").asText();
        if (now.equals(target)) {
          System.out.println("installed " + pkg + " " + target);
          return;
        }
      }
      if (pending == null && !stateName.equals("installing") && !stateName.equals("updating")) {
        String failure = failureSince(client, pkg, lastNotification);
        if (failure != null) {
          throw new StartException(ErrorKind.INSTALL_FAILED, failure);
        }
      }
      Thread.sleep(seenInstalling ? 300 : 100);
    }
    throw new StartException(ErrorKind.TIMEOUT, "the install did not finish in 30 minutes");
  }

  private static @Nullable JsonNode dump(RpcClient client, String pointer) {
    try {
      DbApi.Dump d = client.call(DbApi.DUMP, new DbApi.PointerParams(pointer));
      return d == null || d.value() == null || d.value().isNull() ? null : d.value();
    } catch (StartException e) {
      return null;
    }
  }

  private static long newestNotification(RpcClient client) {
    JsonNode all = dump(client, "/public/notifications");
    long max = 0;
    if (all != null) {
      for (var it = all.fieldNames(); it.hasNext(); ) {
        max = Math.max(max, Long.parseLong(it.next()));
      }
    }
    return max;
  }

  /** The message of an error notification newer than {@code after}, if one came. */
  private static @Nullable String failureSince(RpcClient client, String pkg, long after) {
    JsonNode all = dump(client, "/public/notifications");
    if (all == null) {
      return null;
    }
    for (var it = all.fields(); it.hasNext(); ) {
      var e = it.next();
      if (Long.parseLong(e.getKey()) > after
          && e.getValue().path("level").asText().equals("error")
          && pkg.equals(e.getValue().path("packageId").asText())) {
        return e.getValue().path("title").asText() + ": " + e.getValue().path("message").asText();
      }
    }
    return null;
  }

  /** Prints a line when the frames show progress a person would notice. */
  static Consumer<String> human(PrintStream out) {
    var lines = new ProgressLines();
    return frame -> {
      FullProgress progress;
      try {
        progress = Connection.json().readValue(frame, FullProgress.class);
      } catch (IOException e) {
        throw new UncheckedIOException("the server sent progress that is not FullProgress", e);
      }
      lines.next(progress).ifPresent(out::println);
      out.flush();
    };
  }

  /** A package's id and signer, as its file says. */
  private record PackageKey(String id, String pem) {}

  /** The file's id and signer, when this CLI can read it (not a v1 file). */
  private static Optional<PackageKey> packageKey(Path file) {
    try (S9pk pkg = S9pk.open(file)) {
      return Optional.of(
          new PackageKey(pkg.manifest().id(), pkg.archive().orElseThrow().signer().pem()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The installed version's developer key, as the server shows it, or null if none is installed.
   * Only for telling the person before the upload; the server checks against the installed file.
   */
  private static @Nullable String installedKey(RpcClient client, String id) {
    try {
      DbApi.Dump dump =
          client.call(
              DbApi.DUMP, new DbApi.PointerParams("/public/packageData/" + id + "/developerKey"));
      JsonNode key = dump == null ? null : dump.value();
      return key != null && key.isTextual() && !key.asText().isEmpty() ? key.asText() : null;
    } catch (StartException e) {
      return null; // not installed
    }
  }

  private static boolean sameKey(String a, String b) {
    try {
      return SignerKey.parsePem(a).equals(SignerKey.parsePem(b));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The id in the file's manifest, when this CLI can read it; a v1 file, which the server converts,
   * cannot be read here.
   */
  private static Optional<String> packageId(Path file) {
    try (S9pk pkg = S9pk.open(file)) {
      return Optional.of(pkg.manifest().id());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
