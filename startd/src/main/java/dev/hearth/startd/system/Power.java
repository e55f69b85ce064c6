package dev.hearth.startd.system;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarting and powering off. Under systemd (production) these are the machine's own power
 * actions. A daemon started by {@code make run} does not own the machine: it stops itself instead
 * and says so, rather than rebooting a developer's computer.
 */
public final class Power {
  private static final Logger log = LoggerFactory.getLogger(Power.class);

  /** How power actions are carried out. */
  public enum Mode {
    /** {@code systemctl reboot} / {@code systemctl poweroff}. */
    SYSTEMD,
    /** Stop this daemon only. */
    STOP_DAEMON
  }

  private final Mode mode;
  private final Runnable stopDaemon;

  /**
   * @param stopDaemon stops the daemon gracefully; called on a separate thread, after the RPC
   *     answer has gone out
   */
  public Power(Mode mode, Runnable stopDaemon) {
    this.mode = mode;
    this.stopDaemon = stopDaemon;
  }

  public Mode mode() {
    return mode;
  }

  public void restart() {
    act("reboot", "restart");
  }

  public void shutdown() {
    act("poweroff", "shut down");
  }

  private void act(String systemctlVerb, String what) {
    switch (mode) {
      case SYSTEMD -> {
        log.info("the server will {} now (systemctl {})", what, systemctlVerb);
        Thread.ofVirtual()
            .start(() -> {
              try {
                new ProcessBuilder(List.of("systemctl", systemctlVerb)).inheritIO().start();
              } catch (IOException e) {
                log.error("systemctl {} failed; the server did not {}", systemctlVerb, what, e);
              }
            });
      }
      case STOP_DAEMON -> {
        String message =
            "asked to "
                + what
                + " the server; this daemon was not started by systemd (make run), so it stops"
                + " itself instead of touching the machine";
        log.warn(message);
        System.out.println("startd: " + message);
        Thread.ofVirtual()
            .start(() -> {
              try {
                Thread.sleep(200); // let the answer reach the caller first
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stopDaemon.run();
            });
      }
    }
  }
}
