package dev.hearth.s9pk;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.s9pk.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the package file that suits a machine best ({@code s9pk select}): among the files that
 * validate for its architecture, those with native images before those that need emulation, then
 * the newest version, then the one built for the fewest architectures (an arch-specific build over
 * a universal one).
 */
public final class Selection {
  private Selection() {}

  /** A candidate that validates for the architecture. */
  record Candidate(Path file, boolean nativeImages, ExtendedVersion version, int arches) {}

  /**
   * @throws StartException NOT_FOUND if no file can be installed on {@code arch}
   */
  public static Path best(List<Path> files, String arch) {
    List<Candidate> ok = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (Path f : files) {
      try (S9pk p = S9pk.open(f)) {
        p.validateAndFilter(Optional.of(arch));
        Manifest m = p.manifest();
        boolean nativeImages = m.images().values().stream().allMatch(i -> i.arch().contains(arch));
        int arches =
            (int) m.images().values().stream().flatMap(i -> i.arch().stream()).distinct().count();
        ok.add(new Candidate(f, nativeImages, m.version().version(), arches));
      } catch (StartException e) {
        why.add(f.getFileName() + ": " + e.getMessage());
      } catch (IOException e) {
        why.add(f.getFileName() + ": " + e);
      }
    }
    return ok.stream()
        .min(
            Comparator.comparing((Candidate c) -> !c.nativeImages())
                .thenComparing(Candidate::version, ExtendedVersion.TOTAL_ORDER.reversed())
                .thenComparingInt(Candidate::arches))
        .map(Candidate::file)
        .orElseThrow(() ->
            new StartException(
                ErrorKind.NOT_FOUND,
                "no package here can be installed on "
                    + arch
                    + (why.isEmpty() ? " (no .s9pk files)" : ": " + String.join("; ", why))));
  }

  /** This machine's architecture in upstream's names ({@code x86_64}, {@code aarch64}, …). */
  public static String machineArch() {
    String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> a;
    };
  }
}
