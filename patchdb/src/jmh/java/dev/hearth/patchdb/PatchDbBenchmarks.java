package dev.hearth.patchdb;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link PatchDbBenchmark} and prints the figures next to their targets. {@code make
 * bench} calls this; extra arguments are passed to JMH as a benchmark name filter.
 */
public final class PatchDbBenchmarks {
  private PatchDbBenchmarks() {}

  public static void main(String[] args) throws Exception {
    var options =
        new OptionsBuilder()
            .include(
                PatchDbBenchmark.class.getSimpleName() + (args.length > 0 ? "." + args[0] : ""))
            .forks(1)
            .jvmArgsAppend("-Xmx1g")
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(3))
            .build();
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.println("Patch-DB figures (every commit fsynced)");
    for (RunResult run : results) {
      String name = run.getParams().getBenchmark().replaceAll(".*\\.", "");
      String mode = run.getParams().getMode().shortLabel();
      Result<?> primary = run.getPrimaryResult();
      Statistics s = primary.getStatistics();
      if (mode.equals("thrpt")) {
        System.out.printf(Locale.ROOT, "  %-26s %,10.0f revisions/s%n", name, s.getMean() * 1000);
      } else {
        System.out.printf(
            Locale.ROOT,
            "  %-26s p50 %8.3f ms   p99 %8.3f ms   (%d samples)  target: %s%n",
            name,
            s.getPercentile(50),
            s.getPercentile(99),
            s.getN(),
            target(name));
      }
    }
  }

  private static String target(String benchmark) {
    return switch (benchmark) {
      case "commit1Writer", "commit8Writers" -> "p99 <= 5 ms";
      case "open10MegabyteDocument" -> "<= 300 ms";
      case "fanOutTo100Subscribers" -> "p99 <= 50 ms";
      default -> "-";
    };
  }
}
