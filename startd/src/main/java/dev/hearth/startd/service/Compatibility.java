package dev.hearth.startd.service;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.Version;
import dev.hearth.exver.VersionRange;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.startd.system.OsRelease;

/**
 * Whether a package can run on this server, before anything of it is stored: the OS version it was
 * built for is in the range this server runs ({@link OsRelease#COMPAT}, exver.md §6), and it asks
 * for no more RAM than the machine has. (Its architecture is checked with its images.)
 */
final class Compatibility {
  private Compatibility() {}

  /** The machine's RAM in bytes ({@code MemTotal}); 0 when it cannot be read. */
  static long machineRam() {
    try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/meminfo"))) {
      return lines
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> l.replaceAll("[^0-9]", ""))
          .mapToLong(Long::parseLong)
          .map(kb -> kb * 1024)
          .findFirst()
          .orElse(0);
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * @param ramBytes the machine's RAM; 0 when unknown (then not checked)
   * @throws StartException VERSION_INCOMPATIBLE naming what does not fit
   */
  static void check(Manifest manifest, long ramBytes) {
    Version os = manifest.osVersion();
    if (!ExtendedVersion.of(os, Version.of(0)).satisfies(VersionRange.parse(OsRelease.COMPAT))) {
      throw new StartException(
          ErrorKind.VERSION_INCOMPATIBLE,
          manifest.id()
              + " is built for StartOS "
              + os
              + "; this server runs packages for "
              + OsRelease.COMPAT);
    }
    Long ram = manifest.hardwareRequirements().ram();
    if (ram != null && ramBytes > 0 && ram > ramBytes) {
      throw new StartException(
          ErrorKind.VERSION_INCOMPATIBLE,
          manifest.id()
              + " needs "
              + ram / (1 << 20)
              + " MiB of RAM; this machine has "
              + ramBytes / (1 << 20)
              + " MiB");
    }
  }
}
