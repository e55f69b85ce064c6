package dev.hearth.startd.service;

import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.continuation.Continuations;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code package.attach}: a command run as root in a service's container, or in one of its
 * subcontainers through {@code start-container}, its output streamed on a WebSocket. The socket
 * closes with 1000 and the exit code as reason. Interactive input and terminals need a
 * bidirectional continuation, which the web UI issue brings; until then input is closed.
 */
final class Attach {
  private final Services services;
  private final Continuations continuations;

  Attach(Services services, Continuations continuations) {
    this.services = services;
    this.continuations = continuations;
  }

  String open(PackageApi.AttachParams p, @Nullable String session) {
    String id = DataDirs.checkId(p.id());
    LoadedService loaded = services.loaded(id);
    List<String> command =
        new ArrayList<>(
            p.command().isEmpty()
                ? List.of("/bin/sh", "-c", "echo attach needs a command")
                : p.command());
    if (p.subcontainer() != null || p.imageId() != null || p.name() != null) {
      command = subcontainerCommand(loaded, p, command);
    }
    ProcessBuilder builder =
        loaded.sandbox.attach(command, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    return continuations.socket(
        socket -> {
          Process process = builder.redirectErrorStream(true).start();
          process.getOutputStream().close();
          // A reader, so a character split across two reads is never cut in half.
          try (var out = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            int n;
            while ((n = out.read(buffer)) > 0) {
              socket.send(new String(buffer, 0, n));
            }
            int code = process.waitFor();
            socket.close(1000, "exit " + code);
          } finally {
            process.destroyForcibly();
          }
        },
        Continuations.WINDOW,
        session);
  }

  /**
   * {@code start-container subcontainer exec} in the subcontainer picked by guid, name or image.
   */
  private static List<String> subcontainerCommand(
      LoadedService loaded, PackageApi.AttachParams p, List<String> command) {
    String guid = p.subcontainer();
    if (guid == null) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "name a subcontainer by its guid (subcontainer)");
    }
    if (!guid.matches("[A-Za-z0-9-]{1,64}")) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a subcontainer guid: " + guid);
    }
    List<String> out = new ArrayList<>(List.of("/usr/bin/start-container", "subcontainer", "exec"));
    if (p.user() != null) {
      out.add("--user=" + p.user());
    }
    out.add("/media/startos/subcontainers/" + guid);
    out.addAll(command);
    return out;
  }
}
