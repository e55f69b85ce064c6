package dev.hearth.startd.net.mdns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The few DNS messages the responder reads and writes (RFC 1035 §4, with RFC 6762's mDNS bits):
 * queries in, address answers out. Only the question section of a query is read; known-answer lists
 * (RFC 6762 §7.1) are skipped, so a querier that already knows the answer gets it again.
 */
final class DnsWire {
  static final int TYPE_A = 1;
  static final int TYPE_AAAA = 28;
  static final int TYPE_ANY = 255;
  private static final int CLASS_IN = 1;
  private static final int CACHE_FLUSH = 0x8000; // RFC 6762 §10.2: rrclass top bit in answers
  private static final int UNICAST_RESPONSE = 0x8000; // RFC 6762 §5.4: qclass top bit (QU)
  private static final int FLAGS_RESPONSE = 0x8400; // QR and AA; RFC 6762 §18.4: AA always set
  private static final int MAX_POINTERS =
      32; // a compression loop ends here, not in a stack overflow

  private DnsWire() {}

  /** One question: the name in lower case without the final dot, e.g. {@code hearth.local}. */
  record Question(String name, int type, boolean unicastResponse) {}

  /** A query's id and questions. */
  record Query(int id, List<Question> questions) {}

  /** One answer record: an address of {@code name}, A for IPv4, AAAA for IPv6. */
  record Answer(String name, InetAddress address) {
    int type() {
      return address instanceof Inet4Address ? TYPE_A : TYPE_AAAA;
    }
  }

  /**
   * Reads a query. Empty for a response, a non-zero opcode (RFC 6762 §18.3: silently ignored) or a
   * message too short or malformed to hold what its header counts.
   */
  static Optional<Query> parseQuery(ByteBuffer in) {
    try {
      int id = in.getShort() & 0xffff;
      int flags = in.getShort() & 0xffff;
      int questions = in.getShort() & 0xffff;
      in.position(in.position() + 6); // answer, authority and additional counts: not read
      if ((flags & 0x8000) != 0 || (flags & 0x7800) != 0) {
        return Optional.empty();
      }
      List<Question> qs = new ArrayList<>(Math.min(questions, 64));
      for (int i = 0; i < questions; i++) {
        String name = readName(in);
        int type = in.getShort() & 0xffff;
        int qclass = in.getShort() & 0xffff;
        if ((qclass & 0x7fff) == CLASS_IN || (qclass & 0x7fff) == TYPE_ANY) {
          qs.add(new Question(name, type, (qclass & UNICAST_RESPONSE) != 0));
        }
      }
      return Optional.of(new Query(id, List.copyOf(qs)));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String readName(ByteBuffer in) {
    StringBuilder name = new StringBuilder();
    int resume = -1;
    int pointers = 0;
    while (true) {
      int len = in.get() & 0xff;
      if (len == 0) {
        break;
      }
      if ((len & 0xc0) == 0xc0) {
        int target = ((len & 0x3f) << 8) | (in.get() & 0xff);
        if (++pointers > MAX_POINTERS || target >= in.limit()) {
          throw new IllegalArgumentException("bad compression pointer " + target);
        }
        if (resume < 0) {
          resume = in.position();
        }
        in.position(target);
        continue;
      }
      if (len > 63) {
        throw new IllegalArgumentException("bad label length " + len);
      }
      byte[] label = new byte[len];
      in.get(label);
      if (!name.isEmpty()) {
        name.append('.');
      }
      name.append(new String(label, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (resume >= 0) {
      in.position(resume);
    }
    return name.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * A multicast response or an unsolicited announcement (RFC 6762 §6): id 0, no question, every
   * record with the cache-flush bit because this host alone owns the name (§10.2).
   */
  static byte[] response(List<Answer> answers, java.time.Duration ttl) {
    return write(0, List.of(), answers, ttl, CACHE_FLUSH);
  }

  /**
   * A legacy unicast response (RFC 6762 §6.7): the query's id, its question repeated, no
   * cache-flush bit, and a TTL of at most 10 s.
   */
  static byte[] legacyResponse(int id, Question question, List<Answer> answers) {
    return write(id, List.of(question), answers, java.time.Duration.ofSeconds(10), 0);
  }

  private static byte[] write(
      int id, List<Question> questions, List<Answer> answers, java.time.Duration ttl, int flush) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    short16(out, id);
    short16(out, FLAGS_RESPONSE);
    short16(out, questions.size());
    short16(out, answers.size());
    short16(out, 0);
    short16(out, 0);
    for (Question q : questions) {
      name(out, q.name());
      short16(out, q.type());
      short16(out, CLASS_IN);
    }
    for (Answer a : answers) {
      name(out, a.name());
      short16(out, a.type());
      short16(out, CLASS_IN | flush);
      long seconds = ttl.toSeconds();
      short16(out, (int) (seconds >>> 16));
      short16(out, (int) seconds);
      byte[] rdata = a.address().getAddress();
      short16(out, rdata.length);
      out.writeBytes(rdata);
    }
    return out.toByteArray();
  }

  private static void name(ByteArrayOutputStream out, String name) {
    for (String label : name.split("\\.")) {
      byte[] b = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.write(b.length);
      out.writeBytes(b);
    }
    out.write(0);
  }

  private static void short16(ByteArrayOutputStream out, int v) {
    out.write((v >>> 8) & 0xff);
    out.write(v & 0xff);
  }

  /** Whether an answer of this address family answers a question of type {@code type}. */
  static boolean answers(int type, InetAddress address) {
    return type == TYPE_ANY
        || (type == TYPE_A && address instanceof Inet4Address)
        || (type == TYPE_AAAA && address instanceof Inet6Address);
  }
}
