package dev.hearth.patchdb;

import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The process the crash test kills: opens the database, prints {@code ready}, then runs the
 * workload on several threads forever, printing {@code ok <revision>} after each {@code mutate}
 * returns. Arguments: directory, seed, compaction threshold in bytes, writer threads.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    long compactAfter = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    var db = PatchDb.open(dir, PatchDbOptions.defaults().withCompactAfterBytes(compactAfter));
    System.out.println("ready " + db.sequence());
    System.out.flush();
    try (var pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        pool.submit(() -> {
          while (true) {
            long id = db.mutate(tx -> CrashWorkload.step(tx, seed)).orElseThrow().id();
            synchronized (System.out) {
              System.out.println("ok " + id);
              System.out.flush();
            }
          }
        });
      }
    }
  }
}
