package dev.hearth.startd.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * One socket speaking one JSON value per line. Reads and writes may happen at once from two
 * threads; writes are serialized so lines never interleave. A line longer than {@link #MAX_LINE} is
 * refused: a package must not make us buffer without bound.
 */
final class JsonLines implements AutoCloseable {
  static final int MAX_LINE = 64 << 20;

  private final SocketChannel channel;
  private final ObjectMapper mapper;
  private final InputStream in;
  private final OutputStream out;

  JsonLines(SocketChannel channel, ObjectMapper mapper) {
    this.channel = channel;
    this.mapper = mapper;
    this.in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
    this.out = Channels.newOutputStream(channel);
  }

  /**
   * The next line, or null at the end of the stream.
   *
   * @throws IOException if the line is too long or the socket fails
   */
  byte @Nullable [] readLine() throws IOException {
    var line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return line.toByteArray();
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("a line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toByteArray();
  }

  /** Parses a line; null for a blank one. */
  @Nullable JsonNode parse(byte[] line) throws IOException {
    JsonNode node = mapper.readTree(line);
    return node == null || node.isMissingNode() ? null : node;
  }

  void write(JsonNode value) throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(value);
    synchronized (out) {
      out.write(bytes);
      out.write('\n');
      out.flush();
    }
  }

  void write(byte[] jsonLine) throws IOException {
    synchronized (out) {
      out.write(jsonLine);
      out.write('\n');
      out.flush();
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
