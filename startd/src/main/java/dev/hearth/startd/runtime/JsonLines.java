package dev.hearth.startd.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One socket speaking one JSON value per line. Reads and writes may happen at once from two
 * threads; writes are serialized so lines never interleave. A line longer than the limit it is made
 * with is refused, and the bytes of a line beyond the small read buffer are taken from a {@link
 * ByteBudget} as they arrive: a package must not make us buffer without bound (issue 10).
 *
 * <p>Most connections carry one effect call of a few hundred bytes, so the read buffer starts small
 * (a connection per call made a 64 KiB buffer the bulk of what an effect allocated), and a line
 * goes out in one write, newline included, so the peer wakes once.
 */
final class JsonLines implements AutoCloseable {
  private static final int BUFFER = 4096;

  private final SocketChannel channel;
  private final ObjectMapper mapper;
  private final int maxLine;
  private final ByteBudget budget;
  private final Object writing = new Object();
  private final byte[] buffer = new byte[BUFFER];

  /** The unread bytes are {@code buffer[start, end)}. */
  private int start;

  private int end;

  /**
   * @param maxLine the longest line read, in bytes, newline excluded
   * @param budget where the bytes of lines that outgrow the read buffer are taken from while they
   *     are read; {@link #readLine} hands them to the caller with the line
   */
  JsonLines(SocketChannel channel, ObjectMapper mapper, int maxLine, ByteBudget budget) {
    this.channel = channel;
    this.mapper = mapper;
    this.maxLine = maxLine;
    this.budget = budget;
  }

  /**
   * The next line, or null at the end of the stream. The line's length in bytes has been taken from
   * the budget: the caller gives it back ({@link ByteBudget#release}) when done with the line.
   *
   * @throws IOException if the line is too long or the socket fails
   * @throws InterruptedException while waiting for budget
   */
  byte @Nullable [] readLine() throws IOException, InterruptedException {
    ByteArrayOutputStream longer = null; // the line so far, once it outgrows the buffer
    long held = 0; // budget taken for this line so far
    boolean handedOver = false;
    try {
      int scanned = start;
      while (true) {
        for (; scanned < end; scanned++) {
          if (buffer[scanned] == '\n') {
            budget.acquire(scanned - start);
            held += scanned - start;
            byte[] line = take(longer, scanned);
            start = scanned + 1;
            handedOver = true;
            return line;
          }
        }
        if (end == buffer.length) {
          if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
          } else {
            if ((longer == null ? 0 : longer.size()) + end > maxLine) {
              throw new LineTooLong(maxLine);
            }
            budget.acquire(end);
            held += end;
            longer = longer == null ? new ByteArrayOutputStream() : longer;
            longer.write(buffer, 0, end);
            end = 0;
          }
          start = 0;
          scanned = end;
        }
        int read = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end));
        if (read < 0) {
          boolean empty = start == end && (longer == null || longer.size() == 0);
          if (empty) {
            return null;
          }
          budget.acquire(end - start);
          held += end - start;
          byte[] last = take(longer, end);
          start = end;
          handedOver = true;
          return last;
        }
        end += read;
      }
    } finally {
      if (!handedOver) {
        budget.release(held);
      }
    }
  }

  /** The line: what outgrew the buffer, then {@code buffer[start, to)}. */
  private byte[] take(@Nullable ByteArrayOutputStream longer, int to) throws IOException {
    if (longer == null) {
      return Arrays.copyOfRange(buffer, start, to);
    }
    if (longer.size() + to - start > maxLine) {
      throw new LineTooLong(maxLine);
    }
    longer.write(buffer, start, to - start);
    return longer.toByteArray();
  }

  /** A peer sent more than a line may hold: the connection is dropped. */
  static final class LineTooLong extends IOException {
    LineTooLong(int max) {
      super("a line longer than " + max + " bytes");
    }
  }

  /** Parses a line; null for a blank one. */
  @Nullable JsonNode parse(byte[] line) throws IOException {
    JsonNode node = mapper.readTree(line);
    return node == null || node.isMissingNode() ? null : node;
  }

  void write(JsonNode value) throws IOException {
    write(mapper.writeValueAsBytes(value));
  }

  void write(byte[] jsonLine) throws IOException {
    byte[] line = Arrays.copyOf(jsonLine, jsonLine.length + 1);
    line[jsonLine.length] = '\n';
    ByteBuffer out = ByteBuffer.wrap(line);
    synchronized (writing) {
      while (out.hasRemaining()) {
        channel.write(out);
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
