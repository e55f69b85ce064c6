package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body (RFC 9112 §7.1) byte by byte to find where it ends, so a proxy can pass
 * its bytes on as they are and still know where the next message starts. Strict, because the next
 * hop must find the same end: CR LF after every size line, chunk and trailer line (no bare LF), at
 * most 16 hex digits of size, no whitespace around the size, no obs-fold in trailers, extensions
 * and trailers bounded. Reused per connection: {@link #reset} before each body.
 */
final class ChunkedScan {
  private static final int SIZE = 0;
  private static final int SIZE_MORE = 1;
  private static final int EXTENSION = 2;
  private static final int SIZE_LF = 3;
  private static final int DATA = 4;
  private static final int DATA_CR = 5;
  private static final int DATA_LF = 6;
  private static final int TRAILER_START = 7;
  private static final int TRAILER = 8;
  private static final int TRAILER_LF = 9;
  private static final int END_LF = 10;
  private static final int DONE = 11;
  private static final int FAILED = 12;

  private final int maxLineBytes; // extensions of one size line; all trailers together
  private int state = SIZE;
  private long size; // the chunk's size, then its bytes still to come
  private int digits;
  private int lineBytes;

  /** Whether the bytes of the last {@link #next} call were chunk data (not framing). */
  boolean data;

  ChunkedScan(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  void reset() {
    state = SIZE;
    size = digits = lineBytes = 0;
    data = false;
  }

  /** The body's last byte (the CR LF after the trailers) has been scanned. */
  boolean done() {
    return state == DONE;
  }

  /** The body is malformed: the connection cannot go on. */
  boolean failed() {
    return state == FAILED;
  }

  /**
   * Scans {@code buf} from {@code from} to at most {@code to}, and returns where it stopped: after
   * a run of chunk data ({@link #data} true) or of framing bytes (false), at the body's end, or
   * where it failed.
   */
  int next(ByteBuf buf, int from, int to) {
    if (state == DATA) {
      int n = (int) Math.min(size, to - from);
      size -= n;
      if (size == 0) state = DATA_CR;
      data = true;
      return from + n;
    }
    data = false;
    int i = from;
    while (i < to && state < DONE && state != DATA) state = step(buf.getByte(i++));
    return i;
  }

  /** Scans as far as {@code to} or the body's end, data and framing alike. */
  int skip(ByteBuf buf, int from, int to) {
    int i = from;
    while (i < to && state < DONE) i = next(buf, i, to);
    return i;
  }

  private int step(byte b) {
    return switch (state) {
      case SIZE -> hex(b) < 0 ? FAILED : addDigit(b);
      case SIZE_MORE -> {
        if (hex(b) >= 0) yield digits == 16 ? FAILED : addDigit(b);
        if (b == ';') {
          lineBytes = 0;
          yield EXTENSION;
        }
        yield b == '\r' ? SIZE_LF : FAILED;
      }
      case EXTENSION -> {
        if (b == '\r') yield SIZE_LF;
        yield HeadScan.fieldByte(b) && ++lineBytes <= maxLineBytes ? EXTENSION : FAILED;
      }
      case SIZE_LF -> {
        if (b != '\n') yield FAILED;
        digits = 0;
        if (size > 0) yield DATA;
        lineBytes = 0;
        yield TRAILER_START;
      }
      case DATA_CR -> b == '\r' ? DATA_LF : FAILED;
      case DATA_LF -> b == '\n' ? SIZE : FAILED;
      case TRAILER_START -> {
        if (b == '\r') yield END_LF;
        if (b == ' ' || b == '\t') yield FAILED; // obs-fold
        yield trailerByte(b);
      }
      case TRAILER -> b == '\r' ? TRAILER_LF : trailerByte(b);
      case TRAILER_LF -> b == '\n' ? TRAILER_START : FAILED;
      case END_LF -> b == '\n' ? DONE : FAILED;
      default -> FAILED;
    };
  }

  private int trailerByte(byte b) {
    return HeadScan.fieldByte(b) && ++lineBytes <= maxLineBytes ? TRAILER : FAILED;
  }

  private int addDigit(byte b) {
    size = size << 4 | hex(b);
    digits++;
    return size < 0 ? FAILED : SIZE_MORE;
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
  }
}
