package dev.hearth.cli.s9pk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds the example packages of {@code packages/} the way every SDK project is built: {@code
 * make}, running the SDK's own {@code s9pk.mk} with our {@code start-cli} on the PATH. Each build
 * works on a copy, so a test may change the sources (a second version, a failing migration) first.
 */
public final class ExamplePackages {
  static final Path LAUNCHER_DIR = Path.of("target").toAbsolutePath();
  public static final Path HOME = Path.of("target/example-packages-home").toAbsolutePath();
  private static final List<String> GENERATED = List.of("node_modules", "javascript");

  private ExamplePackages() {}

  public static Path source(String name) {
    return Path.of("../packages", name).toAbsolutePath().normalize();
  }

  /** The developer key the packages are signed with (made once). */
  public static Path key() throws IOException {
    Path key = HOME.resolve(".startos/developer.key.pem");
    if (!Files.exists(key)) {
      DeveloperKey.generate(new SecureRandom()).writeNew(key);
    }
    return key;
  }

  /** Copies {@code packages/<name>} to {@code build} (sources only), for a test to change. */
  public static void copy(String name, Path build) throws IOException {
    Path source = source(name);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path rel = source.relativize(p);
        if (!rel.toString().isEmpty() && GENERATED.contains(rel.getName(0).toString())) {
          continue;
        }
        String file = p.getFileName().toString();
        if (file.endsWith(".s9pk") || (file.endsWith(".tar") && rel.startsWith("image"))) {
          continue;
        }
        Path target = build.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(
              p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /**
   * Gives a copied project the SDK's node_modules without running {@code npm ci} each time: one
   * install per package and lock file, hard-linked into each copy (tests build many variants).
   */
  private static void linkNodeModules(Path build) throws Exception {
    Path modules = build.resolve("node_modules");
    if (Files.exists(modules)) {
      return;
    }
    String lock =
        Integer.toHexString(Files.readString(build.resolve("package-lock.json")).hashCode());
    Path cache = Path.of("target/example-packages-cache").toAbsolutePath().resolve(lock);
    if (!Files.exists(cache.resolve("node_modules/@start9labs/start-sdk/s9pk.mk"))) {
      Files.createDirectories(cache);
      Files.copy(
          build.resolve("package.json"),
          cache.resolve("package.json"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          build.resolve("package-lock.json"),
          cache.resolve("package-lock.json"),
          StandardCopyOption.REPLACE_EXISTING);
      run(cache, "npm", "ci", "--no-audit", "--no-fund");
    }
    run(build, "cp", "-al", cache.resolve("node_modules").toString(), modules.toString());
    // Newer than package.json, so s9pk.mk's rule does not run npm ci again.
    Files.setLastModifiedTime(
        modules.resolve("@start9labs/start-sdk/s9pk.mk"),
        java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s:\n%s", String.join(" ", command), out).isZero();
  }

  /** Runs {@code make} in a copied project and returns the x86_64 package it made. */
  public static Path make(Path build, String id) throws Exception {
    assertThat(LAUNCHER_DIR.resolve("start-cli")).as("package phase made the launcher").exists();
    key();
    linkNodeModules(build);
    Path log = build.resolveSibling(build.getFileName() + ".log");
    ProcessBuilder make =
        new ProcessBuilder("make", "--no-print-directory").directory(build.toFile());
    make.environment().put("PATH", LAUNCHER_DIR + ":" + System.getenv("PATH"));
    // The copy is not in packages/, so a package that takes files from the repository (the
    // registry's jar) is told where it is.
    make.environment().put("HEARTH", Path.of("..").toAbsolutePath().normalize().toString());
    // s9pk.mk calls plain `start-cli s9pk pack`, which reads ~/.startos/developer.key.pem.
    make.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + HOME);
    make.redirectErrorStream(true).redirectOutput(log.toFile());
    int exit = make.start().waitFor();
    assertThat(exit).as("make failed:\n%s", tail(log)).isZero();
    Path s9pk = build.resolve(id + "_x86_64.s9pk");
    assertThat(s9pk).exists();
    return s9pk;
  }

  /** Copies and builds an unchanged example package. */
  public static Path build(String name, Path build) throws Exception {
    copy(name, build);
    return make(build, name);
  }

  /**
   * An unchanged example package, built once for all tests: they share one build directory per
   * package (siblings, as hello-friend's manifest expects), where make rebuilds nothing when the
   * sources did not change.
   */
  public static Path build(String name) throws Exception {
    return build(name, Path.of("target/example-packages").toAbsolutePath().resolve(name));
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
