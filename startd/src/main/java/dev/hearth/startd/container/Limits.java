package dev.hearth.startd.container;

/**
 * Resource limits of one container, enforced by its cgroup. Zero means "no limit" (or the kernel's
 * default weight) for each.
 *
 * @param memoryBytes hard memory limit including page cache; the container's processes are
 *     OOM-killed past it (v1 {@code memory.limit_in_bytes}, v2 {@code memory.max})
 * @param maxPids processes plus threads ({@code pids.max})
 * @param cpuShares CPU weight relative to other containers, 2 to 262144 where 1024 is the kernel's
 *     default (v1 {@code cpu.shares}; v2 {@code cpu.weight} is derived from it)
 * @param cpuPercent CPU time cap where 100 is one full core, over a 100 ms period
 */
public record Limits(long memoryBytes, int maxPids, int cpuShares, int cpuPercent) {
  /** No limit at all. */
  public static final Limits NONE = new Limits(0, 0, 0, 0);

  static final long MIN_MEMORY_BYTES = 8L << 20; // below this LXC's own setup fails to start
  static final int MAX_SHARES = 262144; // the v1 kernel maximum
  static final int CPU_PERIOD_MICROS = 100_000; // the kernel's default CFS period

  public Limits {
    if (memoryBytes != 0 && memoryBytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException(
          "limits.memoryBytes must be 0 (none) or at least "
              + MIN_MEMORY_BYTES
              + ": "
              + memoryBytes);
    }
    if (maxPids < 0) {
      throw new IllegalArgumentException("limits.maxPids must be >= 0: " + maxPids);
    }
    if (cpuShares != 0 && (cpuShares < 2 || cpuShares > MAX_SHARES)) {
      throw new IllegalArgumentException(
          "limits.cpuShares must be 0 (default) or 2.." + MAX_SHARES + ": " + cpuShares);
    }
    if (cpuPercent < 0 || cpuPercent > 100 * 1024) {
      throw new IllegalArgumentException("limits.cpuPercent must be 0..102400: " + cpuPercent);
    }
  }

  /** The v2 {@code cpu.weight} (1..10000, default 100) for these shares, as systemd maps them. */
  int cpuWeight() {
    return (int) (1 + ((long) cpuShares - 2) * 9999 / (MAX_SHARES - 2));
  }

  /** The CFS quota in microseconds per {@link #CPU_PERIOD_MICROS}. */
  long cpuQuotaMicros() {
    return (long) cpuPercent * CPU_PERIOD_MICROS / 100;
  }
}
