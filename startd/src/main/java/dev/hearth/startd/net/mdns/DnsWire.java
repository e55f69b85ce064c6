package dev.hearth.startd.net.mdns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few DNS messages the responder reads and writes (RFC 1035 §4, with RFC 6762's mDNS bits):
 * queries in, address answers out.
 *
 * <p>Reading is total and bounded, because every LAN client is hostile: {@link #parse} returns
 * {@link Malformed} for anything it cannot read and never throws; it walks each name at most once
 * with compression pointers that must point strictly backwards (so no loop), at most 255 bytes of
 * name and {@value #MAX_POINTERS} pointers, and it allocates no string per name: names are compared
 * on the wire with the one host we serve, and only what is about that host is kept (a few questions
 * and at most {@value #MAX_KNOWN_ANSWERS} address records), so a 9000-byte packet of 1,500
 * questions costs no more memory than one.
 */
final class DnsWire {
  static final int TYPE_A = 1;
  static final int TYPE_AAAA = 28;
  static final int TYPE_ANY = 255;
  private static final int CLASS_IN = 1;
  private static final int CLASS_ANY = 255;
  private static final int CACHE_FLUSH = 0x8000; // RFC 6762 §10.2: rrclass top bit in answers
  private static final int UNICAST_RESPONSE = 0x8000; // RFC 6762 §5.4: qclass top bit (QU)
  private static final int FLAGS_RESPONSE = 0x8400; // QR and AA; RFC 6762 §18.4: AA always set
  private static final int FLAG_QR = 0x8000;
  private static final int OPCODE = 0x7800;
  private static final int RCODE = 0x000f;
  private static final int HEADER_BYTES = 12; // RFC 1035 §4.1.1
  private static final int MIN_QUESTION_BYTES = 5; // the root name, type, class
  private static final int MIN_RECORD_BYTES = 11; // the root name, type, class, TTL, rdlength
  private static final int MAX_NAME_BYTES = 255; // RFC 1035 §3.1, length octets included
  // a name has at most 127 labels and a compressor points at most once per label
  private static final int MAX_POINTERS = 127;
  // more known answers about one host than it has addresses are noise; later ones are ignored
  private static final int MAX_KNOWN_ANSWERS = 16;

  private DnsWire() {}

  /** What {@link #parse} found. */
  sealed interface Parsed permits Message, Malformed {}

  /** Not a DNS message we can read, and why (for a debug log, never sent back). */
  record Malformed(String reason) implements Parsed {}

  /**
   * A message as far as it concerns our host: its header, the questions about the host that an
   * address answers (A, AAAA, ANY; duplicates dropped) and the host's A/AAAA records in the answer
   * section, which in a query are the querier's known answers (RFC 6762 §7.1). Authority and
   * additional records are counted, not read.
   */
  record Message(int id, int flags, int authorities, List<Question> questions, List<Record> answers)
      implements Parsed {
    Message {
      questions = List.copyOf(questions);
      answers = List.copyOf(answers);
    }

    /**
     * A standard query: RFC 6762 §18.3 and §18.11 say to ignore other opcodes and any non-zero
     * response code.
     */
    boolean isQuery() {
      return (flags & (FLAG_QR | OPCODE | RCODE)) == 0;
    }

    /** A probe (RFC 6762 §8.1) carries the records it proposes in the authority section. */
    boolean isProbe() {
      return isQuery() && authorities > 0;
    }
  }

  /** A question about our host; {@code unicastResponse} is the QU bit (RFC 6762 §5.4). */
  record Question(int type, boolean unicastResponse) {}

  /** An address record about our host, as read: A for IPv4, AAAA for IPv6. */
  record Record(InetAddress address, Duration ttl, boolean cacheFlush) {}

  /** One answer record to write: an address of {@code name}, A for IPv4, AAAA for IPv6. */
  record Answer(String name, InetAddress address) {
    int type() {
      return address instanceof Inet4Address ? TYPE_A : TYPE_AAAA;
    }
  }

  /**
   * Reads the message in {@code in} (from its position to its limit, which are left as they are),
   * keeping what is about {@code host}, a lower-case name such as {@code hearth.local}. Never
   * throws: whatever cannot be read is {@link Malformed}.
   */
  static Parsed parse(ByteBuffer in, String host) {
    Reader r = new Reader(in, labels(host));
    try {
      return r.message();
    } catch (MalformedMessage e) {
      return new Malformed(e.getMessage());
    }
  }

  private static byte[][] labels(String host) {
    String[] parts = host.split("\\.");
    byte[][] labels = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      labels[i] = parts[i].getBytes(StandardCharsets.US_ASCII);
    }
    return labels;
  }

  /** A cursor over one message; offsets are from the message's first byte, as pointers are. */
  private static final class Reader {
    private final ByteBuffer in;
    private final int base;
    private final int length;
    private final byte[][] host;
    private int pos;

    Reader(ByteBuffer in, byte[][] host) {
      this.in = in;
      this.base = in.position();
      this.length = in.remaining();
      this.host = host;
    }

    Message message() throws MalformedMessage {
      if (length < HEADER_BYTES) {
        throw new MalformedMessage("header: " + length + " of " + HEADER_BYTES + " bytes");
      }
      int id = u16();
      int flags = u16();
      int questionCount = u16();
      int answerCount = u16();
      int authorities = u16();
      pos += 2; // additional records: not read
      if ((long) questionCount * MIN_QUESTION_BYTES
              + (long) answerCount * MIN_RECORD_BYTES
              + authorities * MIN_RECORD_BYTES
          > length - HEADER_BYTES) {
        throw new MalformedMessage(
            questionCount
                + " questions, "
                + answerCount
                + " answers and "
                + authorities
                + " authority records do not fit in "
                + length
                + " bytes");
      }
      List<Question> questions = new ArrayList<>(2);
      for (int i = 0; i < questionCount; i++) {
        boolean ours = name();
        int type = u16();
        int qclass = u16();
        boolean qu = (qclass & UNICAST_RESPONSE) != 0;
        if (ours && answerable(type) && inClass(qclass) && !asked(questions, type, qu)) {
          questions.add(new Question(type, qu));
        }
      }
      Known known = new Known();
      for (int i = 0; i < answerCount; i++) {
        boolean ours = name();
        int type = u16();
        int rclass = u16();
        long ttl = u32();
        int rdlength = u16();
        int rdata = pos;
        skip(rdlength);
        if (ours && (type == TYPE_A || type == TYPE_AAAA) && inClass(rclass)) {
          checkLength(type, rdata, rdlength);
          known.keep(type, rdata, ttl, flush(rclass));
        }
      }
      List<Record> answers = new ArrayList<>(known.count);
      for (int i = 0; i < known.count; i++) {
        answers.add(
            new Record(
                address(known.type[i], known.at[i]),
                Duration.ofSeconds(known.ttl[i]),
                known.flush[i]));
      }
      return new Message(id, flags, authorities, questions, answers);
    }

    /**
     * The address records about our host, by their place in the message: the longest TTL per
     * address and at most {@link #MAX_KNOWN_ANSWERS} addresses, compared in the message, so that a
     * packet of repeats allocates nothing more.
     */
    private final class Known {
      final int[] type = new int[MAX_KNOWN_ANSWERS];
      final int[] at = new int[MAX_KNOWN_ANSWERS];
      final long[] ttl = new long[MAX_KNOWN_ANSWERS];
      final boolean[] flush = new boolean[MAX_KNOWN_ANSWERS];
      int count;

      void keep(int rtype, int rdata, long seconds, boolean cacheFlush) {
        for (int i = 0; i < count; i++) {
          if (type[i] == rtype && sameBytes(at[i], rdata, rtype == TYPE_A ? 4 : 16)) {
            if (seconds > ttl[i]) {
              ttl[i] = seconds;
              flush[i] = cacheFlush;
            }
            return;
          }
        }
        if (count < MAX_KNOWN_ANSWERS) {
          type[count] = rtype;
          at[count] = rdata;
          ttl[count] = seconds;
          flush[count] = cacheFlush;
          count++;
        }
      }
    }

    private boolean sameBytes(int a, int b, int n) {
      for (int i = 0; i < n; i++) {
        if (in.get(base + a + i) != in.get(base + b + i)) {
          return false;
        }
      }
      return true;
    }

    /**
     * Whether {@code questions} hold this one. An index, not a lambda or an iterator: those
     * allocate per call until the JIT removes them, and this runs once per question.
     */
    private static boolean asked(List<Question> questions, int type, boolean qu) {
      for (int i = 0; i < questions.size(); i++) {
        Question q = questions.get(i);
        if (q.type() == type && q.unicastResponse() == qu) {
          return true;
        }
      }
      return false;
    }

    private static boolean answerable(int type) {
      return type == TYPE_A || type == TYPE_AAAA || type == TYPE_ANY;
    }

    private static boolean inClass(int qclass) {
      int c = qclass & 0x7fff;
      return c == CLASS_IN || c == CLASS_ANY;
    }

    private static boolean flush(int rclass) {
      return (rclass & CACHE_FLUSH) != 0;
    }

    private static void checkLength(int type, int at, int rdlength) throws MalformedMessage {
      if (rdlength != (type == TYPE_A ? 4 : 16)) {
        throw new MalformedMessage(
            (type == TYPE_A ? "A" : "AAAA") + " record of " + rdlength + " bytes at " + at);
      }
    }

    private InetAddress address(int type, int at) throws MalformedMessage {
      byte[] bytes = new byte[type == TYPE_A ? 4 : 16];
      in.get(base + at, bytes);
      try {
        // not InetAddress.getByAddress, which makes an IPv4 address of an IPv4-mapped IPv6 one
        return type == TYPE_A
            ? InetAddress.getByAddress(bytes)
            : Inet6Address.getByAddress(null, bytes, -1);
      } catch (UnknownHostException e) {
        throw new MalformedMessage("address at " + at + ": " + e.getMessage());
      }
    }

    /**
     * Walks the name at the cursor and leaves the cursor after it; whether it is our host (ASCII
     * case ignored, RFC 6762 §16). A pointer must point before the run of labels it ends, which
     * every encoder does (it points at a name written earlier) and which makes a loop impossible.
     */
    private boolean name() throws MalformedMessage {
      int at = pos;
      int run = pos; // where the labels being read now started
      int end = -1; // where the name ends in the message: after its first pointer
      int bytes = 1; // the root label
      int label = 0;
      int pointers = 0;
      boolean same = true;
      while (true) {
        int len = u8(at);
        if (len == 0) {
          at++;
          break;
        }
        switch (len & 0xc0) {
          case 0xc0 -> {
            int target = ((len & 0x3f) << 8) | u8(at + 1);
            if (target >= run) {
              throw new MalformedMessage(
                  "compression pointer at " + at + " to " + target + " does not point back");
            }
            if (++pointers > MAX_POINTERS) {
              throw new MalformedMessage("more than " + MAX_POINTERS + " pointers in a name");
            }
            if (end < 0) {
              end = at + 2;
            }
            at = target;
            run = target;
          }
          case 0x00 -> {
            bytes += 1 + len;
            if (bytes > MAX_NAME_BYTES) {
              throw new MalformedMessage("name at " + pos + " longer than 255 bytes");
            }
            if (at + 1 + len > length) {
              throw new MalformedMessage("label at " + at + " runs past the end");
            }
            same = same && label < host.length && labelEquals(at + 1, len, host[label]);
            label++;
            at += 1 + len;
          }
          default ->
              throw new MalformedMessage(
                  "label at " + at + ": reserved type 0x" + Integer.toHexString(len & 0xc0));
        }
      }
      pos = end < 0 ? at : end;
      return same && label == host.length;
    }

    private boolean labelEquals(int at, int len, byte[] want) {
      if (len != want.length) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        int c = in.get(base + at + i) & 0xff;
        if (c >= 'A' && c <= 'Z') {
          c += 'a' - 'A';
        }
        if (c != want[i]) {
          return false;
        }
      }
      return true;
    }

    private int u8(int at) throws MalformedMessage {
      if (at >= length) {
        throw new MalformedMessage("truncated: byte " + at + " of " + length);
      }
      return in.get(base + at) & 0xff;
    }

    private int u16() throws MalformedMessage {
      int v = (u8(pos) << 8) | u8(pos + 1);
      pos += 2;
      return v;
    }

    private long u32() throws MalformedMessage {
      long hi = u16();
      return (hi << 16) | u16();
    }

    private void skip(int n) throws MalformedMessage {
      if (pos + n > length) {
        throw new MalformedMessage("truncated: " + n + " bytes of data at " + pos);
      }
      pos += n;
    }
  }

  /**
   * Control flow inside {@link #parse} only; never leaves this class. No stack trace: it is cheap.
   */
  private static final class MalformedMessage extends Exception {
    MalformedMessage(String reason) {
      super(reason, null, false, false);
    }
  }

  static boolean sameAddress(InetAddress a, InetAddress b) {
    return a.getClass() == b.getClass() && Arrays.equals(a.getAddress(), b.getAddress());
  }

  /**
   * A multicast response or an unsolicited announcement (RFC 6762 §6): id 0, no question, every
   * record with the cache-flush bit because this host alone owns the name (§10.2).
   */
  static byte[] response(List<Answer> answers, Duration ttl) {
    return write(0, "", List.of(), answers, ttl, CACHE_FLUSH);
  }

  /**
   * A legacy unicast response (RFC 6762 §6.7): the query's id, its questions about {@code host}
   * repeated, no cache-flush bit, and a TTL of at most 10 s.
   */
  static byte[] legacyResponse(
      int id, String host, List<Question> questions, List<Answer> answers) {
    return write(id, host, questions, answers, Duration.ofSeconds(10), 0);
  }

  private static byte[] write(
      int id,
      String host,
      List<Question> questions,
      List<Answer> answers,
      Duration ttl,
      int flush) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    short16(out, id);
    short16(out, FLAGS_RESPONSE);
    short16(out, questions.size());
    short16(out, answers.size());
    short16(out, 0);
    short16(out, 0);
    for (Question q : questions) {
      name(out, host);
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
      byte[] b = label.getBytes(StandardCharsets.UTF_8);
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
