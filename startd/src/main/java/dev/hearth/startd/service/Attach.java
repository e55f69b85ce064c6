package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.container.TerminalSize;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.Socket;
import dev.hearth.startd.service.model.PackageId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code package.attach}: a command run as root in a service's container, or in one of its
 * subcontainers through {@code start-container}, on pipes or on a terminal ({@code tty}).
 *
 * <p>The WebSocket carries the session. To the client: binary frames with the command's output
 * (stdout and stderr together; a terminal's stream as it is), then a close with 1000 and {@code
 * exit N}. From the client: binary frames are the command's input; text frames are JSON controls,
 * {@code {"resize":{"rows":R,"cols":C}}} for the terminal and {@code {"eof":true}} to close the
 * input. Closing the socket ends the command.
 */
final class Attach {
  private static final Logger log = LoggerFactory.getLogger(Attach.class);
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

  private final Services services;
  private final Continuations continuations;
  private final ObjectMapper mapper;

  Attach(Services services, Continuations continuations, ObjectMapper mapper) {
    this.services = services;
    this.continuations = continuations;
    this.mapper = mapper;
  }

  String open(PackageApi.AttachParams p, @Nullable String session) {
    LoadedService loaded = services.loaded(PackageId.of(p.id()));
    if (p.command().isEmpty()) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "attach needs a command");
    }
    List<String> command = p.command();
    if (p.subcontainer() != null || p.imageId() != null || p.name() != null) {
      command = subcontainerCommand(pick(loaded, p), p.user(), command);
    }
    TerminalSize terminal = Boolean.TRUE.equals(p.tty()) ? size(p.ptySize()) : null;
    ProcessBuilder builder = loaded.sandbox.attach(command, ENV, terminal);
    return continuations.socket(
        socket -> run(socket, builder.redirectErrorStream(true).start(), loaded, terminal),
        Continuations.WINDOW,
        session);
  }

  private static TerminalSize size(@Nullable String ptySize) {
    try {
      return ptySize == null ? TerminalSize.DEFAULT : TerminalSize.parse(ptySize);
    } catch (IllegalArgumentException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, e.getMessage());
    }
  }

  private void run(
      Socket socket, Process process, LoadedService loaded, @Nullable TerminalSize terminal)
      throws IOException, InterruptedException {
    Thread input =
        Thread.ofVirtual()
            .name("attach-input-" + loaded.packageId)
            .start(() -> forwardInput(socket, process, loaded, terminal != null));
    try (InputStream out = process.getInputStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = out.read(buffer)) > 0) {
        socket.sendBinary(Arrays.copyOf(buffer, n));
      }
      int code = process.waitFor();
      socket.close(1000, "exit " + code);
    } finally {
      input.interrupt();
      process.destroyForcibly();
    }
  }

  /** The client's frames to the command, until the client closes its input or the socket. */
  private void forwardInput(Socket socket, Process process, LoadedService loaded, boolean tty) {
    try (OutputStream in = process.getOutputStream()) {
      Socket.Inbound frame;
      while ((frame = socket.receive()) != null) {
        switch (frame) {
          case Socket.Inbound.Binary(byte[] data) -> {
            in.write(data);
            in.flush();
          }
          case Socket.Inbound.Text(String text) -> {
            JsonNode control = parseControl(text);
            if (control.path("eof").asBoolean(false)) {
              return; // closing stdin is the end of input
            }
            JsonNode resize = control.path("resize");
            if (tty && resize.isObject()) {
              resizeTo(loaded, process, resize);
            }
          }
        }
      }
      process.destroy(); // the client left
    } catch (IOException e) {
      log.debug("attach input of {} ended: {}", loaded.packageId, e.getMessage());
    } catch (InterruptedException e) {
      // the command ended
    }
  }

  private JsonNode parseControl(String text) {
    try {
      return mapper.readTree(text);
    } catch (IOException e) {
      return mapper.createObjectNode(); // not a control we know: ignored, as unknown keys are
    }
  }

  private static void resizeTo(LoadedService loaded, Process process, JsonNode resize) {
    try {
      var size = new TerminalSize(resize.path("rows").asInt(0), resize.path("cols").asInt(0));
      loaded.sandbox.resize(process, size);
    } catch (IllegalArgumentException | StartException e) {
      log.debug("attach resize of {} ignored: {}", loaded.packageId, e.getMessage());
    }
  }

  /**
   * The subcontainer named by guid, or else by name, or else by image: exactly one must match among
   * those the service has now.
   */
  private static LoadedService.Subcontainer pick(LoadedService loaded, PackageApi.AttachParams p) {
    List<LoadedService.Subcontainer> matches =
        loaded.subcontainers.values().stream()
            .filter(s -> p.subcontainer() == null || s.guid().equals(p.subcontainer()))
            .filter(s -> p.name() == null || p.name().equals(s.name()))
            .filter(s -> p.imageId() == null || s.imageId().equals(p.imageId()))
            .toList();
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    String asked =
        (p.subcontainer() != null ? " guid " + p.subcontainer() : "")
            + (p.name() != null ? " name " + p.name() : "")
            + (p.imageId() != null ? " image " + p.imageId() : "");
    if (matches.isEmpty()) {
      throw new StartException(
          ErrorKind.NOT_FOUND, loaded.packageId + " has no subcontainer with" + asked);
    }
    throw new StartException(
        ErrorKind.INVALID_REQUEST,
        matches.size()
            + " subcontainers of "
            + loaded.packageId
            + " have"
            + asked
            + "; name one by guid: "
            + matches.stream().map(LoadedService.Subcontainer::guid).toList());
  }

  /** {@code start-container subcontainer exec} in that subcontainer. */
  private static List<String> subcontainerCommand(
      LoadedService.Subcontainer sub, @Nullable String user, List<String> command) {
    List<String> out = new ArrayList<>(List.of("/usr/bin/start-container", "subcontainer", "exec"));
    if (user != null) {
      if (!user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}|\\d{1,10}")) {
        throw new StartException(ErrorKind.INVALID_REQUEST, "not a user name: " + user);
      }
      out.add("--user=" + user);
    }
    out.add("/media/startos/subcontainers/" + sub.guid());
    out.addAll(command);
    return out;
  }
}
