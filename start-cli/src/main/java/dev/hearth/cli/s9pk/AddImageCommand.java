package dev.hearth.cli.s9pk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.Selection;
import dev.hearth.s9pk.manifest.ImageSource;
import dev.hearth.s9pk.pack.ImageAddition;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code s9pk edit FILE add-image ID …}: an image from any build-time source. The Docker options
 * are upstream's ({@code --docker-tag}, {@code --docker-build} with {@code --workdir} as the build
 * context and {@code --dockerfile}); a root filesystem may carry the metadata a Docker config would
 * give ({@code --entrypoint}, {@code --cmd}, {@code --user}, {@code --working-dir}, {@code --env});
 * {@code --source} takes any source as its manifest JSON (docs/s9pk.md "Image sources").
 */
@Command(
    addMethodSubcommands = false,
    name = "add-image",
    description = "Add an image from a root filesystem, an OCI layout, a registry or a Dockerfile")
final class AddImageCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand EditCommand parent;

  @Parameters(index = "0", paramLabel = "ID", description = "Image id")
  String id;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "ROOTFS",
      description = "Directory or tarball of the image's root filesystem; may contain {arch}")
  @Nullable String rootfs;

  @Option(names = "--source", description = "The image source as manifest JSON")
  @Nullable String source;

  @Option(names = "--docker-tag", description = "An image on an OCI registry, pulled with skopeo")
  @Nullable String dockerTag;

  @Option(names = "--docker-build", description = "Build a Dockerfile with buildah")
  boolean dockerBuild;

  @Option(names = "--workdir", description = "With --docker-build: the build context (default .)")
  @Nullable String buildContext;

  @Option(names = "--dockerfile", description = "With --docker-build: the Dockerfile")
  @Nullable String dockerfile;

  @Option(names = "--build-arg", description = "With --docker-build: NAME=VALUE (repeatable)")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--entrypoint", description = "With ROOTFS: the entrypoint, a JSON array")
  @Nullable String entrypoint;

  @Option(names = "--cmd", description = "With ROOTFS: the command, a JSON array")
  @Nullable String cmd;

  @Option(names = "--user", description = "With ROOTFS: the user commands run as (default root)")
  @Nullable String user;

  @Option(names = "--working-dir", description = "With ROOTFS: the working directory (default /)")
  @Nullable String workingDir;

  @Option(
      names = "--env",
      description = "With ROOTFS: KEY=VALUE (repeatable; replaces the default PATH)")
  List<String> env = new ArrayList<>();

  @Option(names = "--arch", description = "Architecture(s) of the image (default: this machine's)")
  List<String> arch = new ArrayList<>();

  @Option(
      names = "--emulate-missing-as",
      description = "Architecture to emulate where one is missing")
  @Nullable String emulateMissingAs;

  @Option(names = "--nvidia-container", description = "Run with NVIDIA's container runtime")
  boolean nvidiaContainer;

  @Override
  public void run() {
    ImageSource src = source();
    List<String> arches = arch.isEmpty() ? List.of(Selection.machineArch()) : arch;
    DeveloperKey key = parent.key();
    try (S9pk pkg = S9pk.open(parent.file);
        ImageAddition add =
            new ImageAddition(pkg, id, src, arches, emulateMissingAs, nvidiaContainer)) {
      add.result().validateAndFilter(Optional.empty()).writeSigned(parent.file, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ImageSource source() {
    int kinds =
        (source != null ? 1 : 0)
            + (dockerTag != null ? 1 : 0)
            + (dockerBuild ? 1 : 0)
            + (rootfs != null ? 1 : 0);
    if (kinds != 1) {
      throw usage("Give exactly one source: ROOTFS, --source, --docker-tag or --docker-build");
    }
    boolean metadata =
        entrypoint != null || cmd != null || user != null || workingDir != null || !env.isEmpty();
    if (metadata && rootfs == null) {
      throw usage(
          "--entrypoint, --cmd, --user, --working-dir and --env go with ROOTFS; other sources"
              + " carry their own metadata");
    }
    boolean buildOptions = buildContext != null || dockerfile != null || !buildArgs.isEmpty();
    if (buildOptions && !dockerBuild) {
      throw usage("--workdir, --dockerfile and --build-arg go with --docker-build");
    }
    ObjectNode node = JSON.createObjectNode();
    try {
      if (source != null) {
        return ImageSource.fromJson(JSON.readTree(source));
      }
      if (dockerTag != null) {
        return new ImageSource.DockerTag(dockerTag);
      }
      if (dockerBuild) {
        ObjectNode spec = node.putObject("dockerBuild");
        if (buildContext != null) {
          spec.put("workdir", buildContext);
        }
        if (dockerfile != null) {
          spec.put("dockerfile", dockerfile);
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
          int eq = a.indexOf('=');
          if (eq <= 0) {
            throw usage("--build-arg takes NAME=VALUE, not " + a);
          }
          args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        if (!args.isEmpty()) {
          spec.set("buildArgs", JSON.valueToTree(args));
        }
        return ImageSource.fromJson(node);
      }
      node.put("rootfs", rootfs);
      if (entrypoint != null) {
        node.set("entrypoint", jsonArray("--entrypoint", entrypoint));
      }
      if (cmd != null) {
        node.set("cmd", jsonArray("--cmd", cmd));
      }
      if (user != null) {
        node.put("user", user);
      }
      if (workingDir != null) {
        node.put("workdir", workingDir);
      }
      if (!env.isEmpty()) {
        ArrayNode a = node.putArray("env");
        env.forEach(a::add);
      }
      return ImageSource.fromJson(node);
    } catch (IOException | IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private com.fasterxml.jackson.databind.JsonNode jsonArray(String option, String value) {
    try {
      com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(value);
      if (n != null && n.isArray()) {
        return n;
      }
    } catch (IOException e) {
      // falls through to the usage message
    }
    throw usage(
        option + " takes a JSON array of strings, e.g. '[\"/bin/httpd\", \"-f\"]', not " + value);
  }

  private ParameterException usage(String message) {
    return new ParameterException(parent.spec.commandLine(), message);
  }
}
