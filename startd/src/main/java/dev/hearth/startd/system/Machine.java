package dev.hearth.startd.system;

import dev.hearth.api.ServerApi;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the machine reports through {@code /proc} and {@code /sys}: CPU time (as percentages since
 * the previous reading), memory, zram, the disk holding the data directory, temperature, RAM and
 * processor. Files that do not exist on this machine (no thermal zone in a VM, no zram) give null
 * or zero rather than an error.
 *
 * <p>Thread-safe.
 */
public final class Machine {
  private final Path proc;
  private final Path sys;
  private final Path dataDir;
  private long[] lastCpu; // guarded by this
  private ServerApi.Cpu lastPercentages = new ServerApi.Cpu(0, 100, 0, 0, 0); // guarded by this

  /**
   * @param proc normally {@code /proc}; @param sys normally {@code /sys}; tests give their own
   */
  public Machine(Path proc, Path sys, Path dataDir) {
    this.proc = proc;
    this.sys = sys;
    this.dataDir = dataDir;
    this.lastCpu = cpuCounters();
  }

  public static Machine local(Path dataDir) {
    return new Machine(Path.of("/proc"), Path.of("/sys"), dataDir);
  }

  public ServerApi.Metrics metrics() {
    return new ServerApi.Metrics(new ServerApi.General(temperature()), memory(), cpu(), disk());
  }

  /** CPU percentages since the previous call (or since start). */
  synchronized ServerApi.Cpu cpu() {
    long[] now = cpuCounters();
    long[] d = new long[now.length];
    long total = 0;
    for (int i = 0; i < now.length && i < lastCpu.length; i++) {
      d[i] = Math.max(0, now[i] - lastCpu[i]);
      total += d[i];
    }
    if (total < 10) {
      return lastPercentages; // too soon for a meaningful figure (less than 0.1 s of CPU time)
    }
    lastCpu = now;
    // user nice system idle iowait irq softirq steal
    double user = 100.0 * (d[0] + d[1]) / total;
    double system = 100.0 * (d[2] + d[5] + d[6]) / total;
    double idle = 100.0 * d[3] / total;
    double iowait = 100.0 * d[4] / total;
    lastPercentages = new ServerApi.Cpu(100 - idle - iowait, idle, user, system, iowait);
    return lastPercentages;
  }

  private long[] cpuCounters() {
    try (Stream<String> lines = Files.lines(proc.resolve("stat"))) {
      String first = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse("cpu");
      String[] f = first.trim().split("\\s+");
      long[] out = new long[Math.max(0, Math.min(8, f.length - 1))];
      for (int i = 0; i < out.length; i++) {
        out[i] = Long.parseLong(f[i + 1]);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }

  ServerApi.Memory memory() {
    Map<String, Long> info = meminfo();
    long total = info.getOrDefault("MemTotal", 0L);
    long available = info.getOrDefault("MemAvailable", info.getOrDefault("MemFree", 0L));
    long used = Math.max(0, total - available);
    long zramTotal = 0;
    long zramUsed = 0;
    Path block = sys.resolve("block");
    if (Files.isDirectory(block)) {
      try (Stream<Path> devices = Files.list(block)) {
        for (Path dev :
            devices.filter(p -> p.getFileName().toString().startsWith("zram")).toList()) {
          zramTotal += readLong(dev.resolve("disksize"), 0);
          String stat = readString(dev.resolve("mm_stat"));
          if (stat != null && !stat.isBlank()) {
            zramUsed += Long.parseLong(stat.trim().split("\\s+")[0]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // no zram figures on this machine
      }
    }
    return new ServerApi.Memory(
        total == 0 ? 0 : 100.0 * used / total,
        total,
        available,
        used,
        zramTotal,
        Math.max(0, zramTotal - zramUsed),
        zramUsed);
  }

  /** RAM in bytes. */
  public long ram() {
    return meminfo().getOrDefault("MemTotal", 0L);
  }

  private Map<String, Long> meminfo() {
    Map<String, Long> out = new HashMap<>();
    try (Stream<String> lines = Files.lines(proc.resolve("meminfo"))) {
      lines.forEach(line -> {
        String[] f = line.split(":\\s+|\\s+");
        if (f.length >= 2) {
          try {
            long value = Long.parseLong(f[1]);
            out.put(f[0], f.length >= 3 && f[2].equals("kB") ? value * 1024 : value);
          } catch (NumberFormatException ignored) {
            // not a number line
          }
        }
      });
    } catch (IOException e) {
      // no figures
    }
    return out;
  }

  ServerApi.Disk disk() {
    try {
      FileStore store = Files.getFileStore(dataDir);
      long capacity = store.getTotalSpace();
      long available = store.getUsableSpace();
      long used = Math.max(0, capacity - store.getUnallocatedSpace());
      return new ServerApi.Disk(
          capacity == 0 ? 0 : 100.0 * used / capacity, used, available, capacity);
    } catch (IOException e) {
      return new ServerApi.Disk(0, 0, 0, 0);
    }
  }

  /** The hottest thermal zone in °C, or null without sensors. */
  @Nullable Double temperature() {
    Path thermal = sys.resolve("class/thermal");
    if (!Files.isDirectory(thermal)) {
      return null;
    }
    Double max = null;
    try (Stream<Path> zones = Files.list(thermal)) {
      for (Path zone :
          zones.filter(p -> p.getFileName().toString().startsWith("thermal_zone")).toList()) {
        long milli = readLong(zone.resolve("temp"), Long.MIN_VALUE);
        if (milli != Long.MIN_VALUE) {
          double c = milli / 1000.0;
          max = max == null ? c : Math.max(max, c);
        }
      }
    } catch (IOException e) {
      return null;
    }
    return max;
  }

  /** The processor, from {@code /proc/cpuinfo}. */
  public List<ServerApi.Device> devices() {
    List<ServerApi.Device> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(proc.resolve("cpuinfo"))) {
      lines
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .ifPresent(l ->
              out.add(
                  new ServerApi.Device(
                      l.substring(l.indexOf(':') + 1).trim(), null, "processor", List.of())));
    } catch (IOException e) {
      // no processor description on this machine
    }
    return out;
  }

  private static long readLong(Path file, long fallback) {
    String s = readString(file);
    try {
      return s == null ? fallback : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static @Nullable String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }
}
