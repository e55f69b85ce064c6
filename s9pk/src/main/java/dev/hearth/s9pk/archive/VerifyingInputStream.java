package dev.hearth.s9pk.archive;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a file's bytes through while hashing them, and fails the read that shows they are not the
 * signed ones (upstream's {@code VerifyingWriter}, s9pk.md §6.6): a byte beyond the signed size, an
 * end before it, or a different hash at the end.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Blake3 hasher = Blake3.newHasher();
  private final Blake3Hash expected;
  private final long expectedSize;
  private final String what;
  private long seen;
  private boolean checked;

  VerifyingInputStream(InputStream in, Blake3Hash expected, long expectedSize, String what) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    // Ask for one byte past the signed size, so an overlong source is noticed at its end.
    int ask = (int) Math.min(len, Math.max(1, expectedSize - seen + 1));
    int n = in.read(b, off, ask);
    if (n < 0) {
      finish();
      return -1;
    }
    seen += n;
    if (seen > expectedSize) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE,
          what + " has more than its signed " + expectedSize + " bytes");
    }
    hasher.update(b, off, n);
    if (seen == expectedSize && in.read() < 0) {
      finish();
    } else if (seen == expectedSize) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE,
          what + " has more than its signed " + expectedSize + " bytes");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 64 << 10)];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  private void finish() {
    if (checked) {
      return;
    }
    checked = true;
    if (seen < expectedSize) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE,
          what + " ended after " + seen + " of its signed " + expectedSize + " bytes");
    }
    if (!hasher.finish().equals(expected)) {
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE, what + " does not match its signed BLAKE3 hash");
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
