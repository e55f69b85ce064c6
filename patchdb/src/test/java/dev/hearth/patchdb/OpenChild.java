package dev.hearth.patchdb;

import dev.hearth.error.StartException;
import java.nio.file.Path;

/**
 * A process that opens the database in the directory given as its argument, for tests that need a
 * JVM of their own (a small heap, say). Exits with 0 once the database opened; with {@link
 * #REFUSED} after printing the {@link StartException} on stderr if opening refused. Anything else
 * that escapes, such as an {@link OutOfMemoryError}, ends it the JVM's own way (exit code 1).
 */
public final class OpenChild {
  static final int REFUSED = 3;

  private OpenChild() {}

  public static void main(String[] args) {
    try (var db = PatchDb.open(Path.of(args[0]))) {
      System.out.println("opened at revision " + db.sequence());
    } catch (StartException e) {
      System.err.println(e);
      System.exit(REFUSED);
    }
  }
}
