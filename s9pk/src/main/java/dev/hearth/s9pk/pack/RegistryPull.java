package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a {@code dockerTag} image for one architecture from its registry into the {@link OciCache}
 * with Debian's {@code skopeo}: it speaks the distribution API (token auth as public registries do
 * it, manifest lists and OCI indexes resolved with {@code --override-arch}), verifies every digest,
 * and skips blobs the cache already has. The layers are then read from the cache by our own code.
 *
 * <p>TLS is turned off only for loopback registries ({@code localhost}, {@code 127.*}, {@code
 * [::1]}), never for anything reachable over a network. If the registry cannot be reached and the
 * cache holds the image from an earlier pull, that copy is used (with a warning), so packing works
 * offline.
 */
final class RegistryPull {
  private static final Logger log = LoggerFactory.getLogger(RegistryPull.class);
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private RegistryPull() {}

  static Optional<OciImageLayout.Image> pull(
      OciCache cache, String image, String arch, String what) {
    if (image.isBlank() || image.startsWith("-") || image.chars().anyMatch(c -> c <= 0x20)) {
      throw new StartException(
          ErrorKind.PACK,
          what + " has the dockerTag \"" + image + "\", which is not an image reference");
    }
    String ociArch = OciImageLayout.ociArch(arch);
    String ref = OciCache.refName(image, ociArch);
    return cache.locked(() -> {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "skopeo",
                  "--override-os",
                  "linux",
                  "--override-arch",
                  ociArch,
                  "copy",
                  "--quiet"));
      if (isLoopback(image)) {
        cmd.add("--src-tls-verify=false");
      }
      cmd.add("docker://" + image);
      cmd.add("oci:" + cache.dir() + ":" + ref);
      ExternalTool.Result r = ExternalTool.runAllowingFailure(ErrorKind.PACK, cache.dir(), cmd);
      OciImageLayout layout = new OciImageLayout(cache.dir(), what + " (" + image + ")");
      if (r.exitCode() != 0) {
        String err = r.stderr().strip();
        if (!cached(cache, ref)) {
          throw new StartException(
              ErrorKind.PACK,
              "cannot pull "
                  + image
                  + " for "
                  + arch
                  + " ("
                  + what
                  + "): skopeo exited with "
                  + r.exitCode()
                  + ": "
                  + err);
        }
        log.warn(
            "cannot reach the registry of {} ({}); using the copy in {}", image, err, cache.dir());
      }
      Optional<OciImageLayout.Image> found = layout.image(ref, arch);
      if (found.isEmpty()) {
        throw new StartException(
            ErrorKind.PACK, what + ": " + image + " has no image for " + ociArch + " (linux)");
      }
      return found;
    });
  }

  private static boolean cached(OciCache cache, String ref) {
    try {
      return Files.isRegularFile(cache.dir().resolve("index.json"))
          && Files.readString(cache.dir().resolve("index.json")).contains("\"" + ref + "\"");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Whether the reference names a registry on this machine's loopback interface. */
  static boolean isLoopback(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return false; // a Docker Hub short name
    }
    String host = image.substring(0, slash);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end < 0 ? host : host.substring(0, end + 1);
    } else if (host.contains(":")) {
      host = host.substring(0, host.indexOf(':'));
    }
    return LOOPBACK.contains(host) || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
