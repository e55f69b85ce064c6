package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.manifest.ImageSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@code dockerBuild} image for one architecture with Debian's {@code buildah}, with the
 * arguments upstream gives Docker ({@code -f dockerfile}, {@code --build-arg}, {@code --platform
 * linux/<arch>}, context {@code workdir}), and pushes the result into a scratch OCI image layout.
 *
 * <p>buildah keeps its own storage under the cache directory ({@code …/hearth/buildah}, driver
 * {@code vfs}, which works in any filesystem and without privileges for overlay mounts), and runs
 * {@code RUN} steps with {@code --isolation chroot}, so no OCI runtime (runc, crun) is needed. Base
 * images on a loopback registry are pulled over plain HTTP through a registries.conf of ours that
 * marks only those registries insecure; every other registry keeps TLS.
 */
final class ContainerBuild {
  private static final Pattern LOOPBACK_REGISTRY =
      Pattern.compile("(?<![\\w.-])((?:localhost|127\\.\\d+\\.\\d+\\.\\d+)(?::\\d+)?)/");

  private ContainerBuild() {}

  static OciImageLayout.Image build(
      Path projectDir, ImageSource.DockerBuild spec, String arch, Path scratch, String what) {
    Path buildah = requireBuildah(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), what);
    Path context = projectDir.resolve(spec.workdir()).normalize();
    Path dockerfile = projectDir.resolve(spec.dockerfile()).normalize();
    if (!Files.isRegularFile(dockerfile)) {
      throw new StartException(
          ErrorKind.PACK, what + ": the Dockerfile " + dockerfile + " does not exist");
    }
    String ociArch = OciImageLayout.ociArch(arch);
    Path storage = OciCache.forUser().dir().resolveSibling("buildah");
    Path work = scratch.resolve("build-" + ociArch + "-" + System.nanoTime());
    String tag =
        "localhost/hearth-build-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try {
      Files.createDirectories(work);
      Path registries = work.resolve("registries.conf");
      Files.writeString(registries, registriesConf(Files.readString(dockerfile)));
      List<String> global =
          List.of(
              buildah.toString(),
              "--root",
              storage.resolve("root").toString(),
              "--runroot",
              storage.resolve("run").toString(),
              "--storage-driver",
              "vfs",
              "--registries-conf",
              registries.toString());
      List<String> cmd = new ArrayList<>(global);
      cmd.addAll(
          List.of(
              "build",
              "--quiet",
              "--isolation",
              "chroot",
              "--platform",
              "linux/" + ociArch,
              "-f",
              dockerfile.toString(),
              "-t",
              tag));
      for (Map.Entry<String, String> a : spec.buildArgs(System.getenv()).entrySet()) {
        cmd.addAll(List.of("--build-arg", a.getKey() + "=" + a.getValue()));
      }
      cmd.add(context.toString());
      ExternalTool.run(ErrorKind.PACK, context, cmd);
      Path layout = work.resolve("oci");
      List<String> push = new ArrayList<>(global);
      push.addAll(List.of("push", "--quiet", tag, "oci:" + layout + ":image"));
      try {
        ExternalTool.run(ErrorKind.PACK, work, push);
      } finally {
        List<String> rmi = new ArrayList<>(global);
        rmi.addAll(List.of("rmi", tag));
        ExternalTool.runAllowingFailure(ErrorKind.PACK, work, rmi);
      }
      return new OciImageLayout(layout, what + " (built from " + dockerfile + ")")
          .image("image", arch)
          .orElseThrow(() ->
              new StartException(ErrorKind.PACK, what + ": buildah built no image for " + ociArch));
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot build " + what + ": " + e, e);
    }
  }

  /** Our registries.conf: Docker Hub for short names, plain HTTP only for loopback registries. */
  static String registriesConf(String dockerfile) {
    StringBuilder sb = new StringBuilder("unqualified-search-registries = [\"docker.io\"]\n");
    TreeSet<String> insecure = new TreeSet<>();
    Matcher m = LOOPBACK_REGISTRY.matcher(dockerfile);
    while (m.find()) {
      insecure.add(m.group(1));
    }
    for (String r : insecure) {
      sb.append("\n[[registry]]\nlocation = \"").append(r).append("\"\ninsecure = true\n");
    }
    return sb.toString();
  }

  /** buildah as found on {@code path} (a PATH value), or a PACK error saying what to install. */
  static Path requireBuildah(String path, String what) {
    return onPath("buildah", path)
        .orElseThrow(() ->
            new StartException(
                ErrorKind.PACK,
                what
                    + " uses the dockerBuild source, which needs buildah, and it is not"
                    + " installed; install it (apt-get install buildah)"));
  }

  private static Optional<Path> onPath(String program, String path) {
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
