package dev.hearth.startd.system;

/**
 * The StartOS release this server presents itself as. Registries and packages decide compatibility
 * by these (exver.md §6): {@code osVersion} of a package must be at most {@link #VERSION}, and
 * {@link #COMPAT} is the range of package OS versions this server runs.
 */
public final class OsRelease {
  private OsRelease() {}

  public static final String VERSION = "0.4.0";
  public static final String COMPAT = ">=0.3.6:0 <=0.4.0:0";

  /** Upstream's platform names: the CPU architecture, as the kernel and packages name it. */
  public static String arch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      case "riscv64" -> "riscv64";
      default -> arch;
    };
  }
}
