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
 * threads; writes are serialized so lines never interleave. A line longer than {@link #MAX_LINE} is
 * refused: a package must not make us buffer without bound.
 *
 * <p>Most connections carry one effect call of a few hundred bytes, so the read buffer starts small
 * (a connection per call made a 64 KiB buffer the bulk of what an effect allocated), and a line
 * goes out in one write, newline included, so the peer wakes once.
 */
final class JsonLines implements AutoCloseable {
  static final int MAX_LINE = 64 << 20;
  private static final int BUFFER = 4096;

  private final SocketChannel channel;
  private final ObjectMapper mapper;
  private final Object writing = new Object();
  private final byte[] buffer = new byte[BUFFER];

  /** The unread bytes are {@code buffer[start, end)}. */
  private int start;

  private int end;

  JsonLines(SocketChannel channel, ObjectMapper mapper) {
    this.channel = channel;
    this.mapper = mapper;
  }

  /**
   * The next line, or null at the end of the stream.
   *
   * @throws IOException if the line is too long or the socket fails
   */
  byte @Nullable [] readLine() throws IOException {
    ByteArrayOutputStream longer = null; // the line so far, once it outgrows the buffer
    int scanned = start;
    while (true) {
      for (; scanned < end; scanned++) {
        if (buffer[scanned] == '\n') {
          byte[] line = take(longer, scanned);
          start = scanned + 1;
          return line;
        }
      }
      if (end == buffer.length) {
        if (start > 0) {
          System.arraycopy(buffer, start, buffer, 0, end - start);
          end -= start;
        } else {
          longer = longer == null ? new ByteArrayOutputStream() : longer;
          longer.write(buffer, 0, end);
          if (longer.size() > MAX_LINE) {
            throw new IOException("a line longer than " + MAX_LINE + " bytes");
          }
          end = 0;
        }
        start = 0;
        scanned = end;
      }
      int read = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end));
      if (read < 0) {
        boolean empty = start == end && (longer == null || longer.size() == 0);
        byte[] last = empty ? null : take(longer, end);
        start = end;
        return last;
      }
      end += read;
    }
  }

  /** The line: what outgrew the buffer, then {@code buffer[start, to)}. */
  private byte[] take(@Nullable ByteArrayOutputStream longer, int to) {
    if (longer == null) {
      return Arrays.copyOfRange(buffer, start, to);
    }
    longer.write(buffer, start, to - start);
    return longer.toByteArray();
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
