package dev.hearth.startd.runtime;

import java.util.List;

/**
 * The 44 effects a package's runtime may call (container-runtime.md §2.7), as wire names. The
 * effects host must answer every one; a test checks this list against our runtime's own.
 */
public final class EffectNames {
  private EffectNames() {}

  public static final List<String> ALL =
      List.of(
          // actions and tasks
          "action.export",
          "action.clear",
          "action.get-input",
          "action.run",
          "action.create-task",
          "action.clear-tasks",
          // control, status and callbacks
          "restart",
          "shutdown",
          "get-status",
          "set-main-status",
          "clear-callbacks",
          // dependencies and other packages
          "set-dependencies",
          "get-dependencies",
          "check-dependencies",
          "mount",
          "get-installed-packages",
          "get-service-manifest",
          // progress, health, notifications, data version
          "set-init-progress",
          "set-backup-progress",
          "set-health",
          "notification.create",
          "set-data-version",
          "get-data-version",
          // subcontainers
          "subcontainer.create-fs",
          "subcontainer.destroy-fs",
          // networking
          "bind",
          "bind-range",
          "clear-bindings",
          "get-service-port-forward",
          "get-host-info",
          "get-container-ip",
          "get-os-ip",
          "get-outbound-gateway",
          "export-service-interface",
          "export-range-service-interface",
          "get-service-interface",
          "list-service-interfaces",
          "clear-service-interfaces",
          "get-ssl-certificate",
          "get-ssl-key",
          "get-system-smtp",
          "plugin.url.register",
          "plugin.url.export-url",
          "plugin.url.clear-urls");
}
