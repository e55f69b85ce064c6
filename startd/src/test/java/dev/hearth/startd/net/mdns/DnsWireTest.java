package dev.hearth.startd.net.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.startd.net.mdns.DnsWire.Answer;
import dev.hearth.startd.net.mdns.DnsWire.Malformed;
import dev.hearth.startd.net.mdns.DnsWire.Message;
import dev.hearth.startd.net.mdns.DnsWire.Parsed;
import dev.hearth.startd.net.mdns.DnsWire.Question;
import dev.hearth.startd.net.mdns.DnsWire.Record;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The codec on its own: what we write reads back, queries as RFC 1035/6762 lay them out parse, and
 * hostile bytes give {@link Malformed}, quickly and in bounded memory, never an exception. jqwik is
 * not on startd's test classpath, so the fuzz test is a seeded loop (STYLE.md §12).
 */
class DnsWireTest {
  private static final String HOST = "hearth.local";
  private static final InetAddress V4 = address("192.168.1.20");
  private static final InetAddress V6 = address("fd00::20");
  private static final long SEED = 0x6d646e73L; // "mdns": a failure names the seed to replay it

  // --- what we write reads back ---

  @Test
  void aResponseReadsBackWithItsAddressesTtlAndCacheFlush() {
    byte[] packet = DnsWire.response(List.of(new Answer(HOST, V4), new Answer(HOST, V6)), Mdns.TTL);
    Message m = message(packet);
    assertThat(m.isQuery()).isFalse();
    assertThat(m.id()).isZero();
    assertThat(m.flags()).isEqualTo(0x8400);
    assertThat(m.questions()).isEmpty();
    assertThat(m.answers())
        .containsExactly(new Record(V4, Mdns.TTL, true), new Record(V6, Mdns.TTL, true));
  }

  @Test
  void aGoodbyeReadsBackWithTtlZero() {
    Message m = message(DnsWire.response(List.of(new Answer(HOST, V4)), Duration.ZERO));
    assertThat(m.answers()).containsExactly(new Record(V4, Duration.ZERO, true));
  }

  @Test
  void aLegacyResponseRepeatsIdAndQuestionWithTtlTenAndNoCacheFlush() {
    Question q = new Question(DnsWire.TYPE_AAAA, false);
    Message m =
        message(DnsWire.legacyResponse(0x1234, HOST, List.of(q), List.of(new Answer(HOST, V6))));
    assertThat(m.id()).isEqualTo(0x1234);
    assertThat(m.questions()).containsExactly(q);
    assertThat(m.answers()).containsExactly(new Record(V6, Duration.ofSeconds(10), false));
  }

  @Test
  void recordsOfAnotherNameAreNotKept() {
    Message m = message(DnsWire.response(List.of(new Answer("other.local", V4)), Mdns.TTL));
    assertThat(m.answers()).isEmpty();
  }

  // --- queries as clients send them (RFC 1035 §4.1, RFC 6762 §5, §6.7, §7.1) ---

  @Test
  void aLegacyAQueryParses() {
    // what nss-mdns and mdns-query.py send: id, no flags, one question, IN class
    Message m =
        message(hex("1234 0000 0001 0000 0000 0000 06686561727468 056c6f63616c 00 0001 0001"));
    assertThat(m.isQuery()).isTrue();
    assertThat(m.id()).isEqualTo(0x1234);
    assertThat(m.questions()).containsExactly(new Question(DnsWire.TYPE_A, false));
  }

  @Test
  void aQuQuestionWithMixedCaseParses() {
    // RFC 6762 §5.4: qclass top bit; §16: names compare without ASCII case
    Message m =
        message(hex("0000 0000 0001 0000 0000 0000 06484541525448 054c6f43614c 00 001c 8001"));
    assertThat(m.questions()).containsExactly(new Question(DnsWire.TYPE_AAAA, true));
  }

  @Test
  void aCompressedSecondQuestionAboutUsIsFound() {
    // question 1: other.local A at offset 12; question 2: "hearth" + pointer to "local" at 18
    Message m =
        message(
            hex(
                "0000 0000 0002 0000 0000 0000 056f74686572 056c6f63616c 00 0001 0001"
                    + " 06686561727468 c012 00ff 0001"));
    assertThat(m.questions()).containsExactly(new Question(DnsWire.TYPE_ANY, false));
  }

  @Test
  void questionsOfOtherTypesAndRepeatsAreDropped() {
    // TXT (16) about us, then A twice: one question kept
    Message m =
        message(
            new Packet()
                .header(0, 0, 3, 0, 0, 0)
                .name(HOST)
                .u16(16)
                .u16(1)
                .name(HOST)
                .u16(1)
                .u16(1)
                .name(HOST)
                .u16(1)
                .u16(1)
                .bytes());
    assertThat(m.questions()).containsExactly(new Question(DnsWire.TYPE_A, false));
  }

  @Test
  void knownAnswersAreReadWithTheirTtl() {
    // RFC 6762 §7.1: the querier's cached records travel in the answer section
    Message m =
        message(
            new Packet()
                .header(0, 0, 1, 2, 0, 0)
                .name(HOST)
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(1)
                .u16(1)
                .u32(100)
                .u16(4)
                .raw(V4.getAddress())
                .pointer(12)
                .u16(28)
                .u16(1)
                .u32(30)
                .u16(16)
                .raw(V6.getAddress())
                .bytes());
    assertThat(m.answers())
        .containsExactly(
            new Record(V4, Duration.ofSeconds(100), false),
            new Record(V6, Duration.ofSeconds(30), false));
  }

  @Test
  void anIpv4MappedAaaaKnownAnswerStaysIpv6() {
    byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffffc0a80114"); // ::ffff:V4
    Message m =
        message(
            new Packet()
                .header(0, 0, 1, 1, 0, 0)
                .name(HOST)
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(28)
                .u16(1)
                .u32(120)
                .u16(16)
                .raw(mapped)
                .bytes());
    assertThat(m.answers())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.address()).isInstanceOf(java.net.Inet6Address.class);
          assertThat(DnsWire.sameAddress(r.address(), V4)).isFalse();
        });
  }

  @Test
  void aProbeIsAQueryWithAuthorityRecords() {
    Message m =
        message(
            new Packet()
                .header(0, 0, 1, 0, 1, 0)
                .name(HOST)
                .u16(255)
                .u16(1)
                .pointer(12)
                .u16(1)
                .u16(1)
                .u32(120)
                .u16(4)
                .raw(V4.getAddress())
                .bytes());
    assertThat(m.isProbe()).isTrue();
  }

  @Test
  void aResponseAnotherOpcodeOrAnErrorCodeIsNotAQuery() {
    for (int flags : new int[] {0x8000, 0x2000, 0x0003}) {
      Message m =
          message(new Packet().header(0, flags, 1, 0, 0, 0).name(HOST).u16(1).u16(1).bytes());
      assertThat(m.isQuery()).as("flags %04x", flags).isFalse();
    }
  }

  @Test
  void parsingReadsFromThePositionAndMovesNothing() {
    byte[] query = new Packet().header(7, 0, 1, 0, 0, 0).name(HOST).u16(1).u16(1).bytes();
    ByteBuffer buf = ByteBuffer.allocate(query.length + 20);
    buf.position(20).mark();
    buf.put(query).reset();
    Parsed p = DnsWire.parse(buf, HOST);
    assertThat(p).isInstanceOfSatisfying(Message.class, m -> assertThat(m.id()).isEqualTo(7));
    assertThat(buf.position()).isEqualTo(20);
    assertThat(buf.limit()).isEqualTo(query.length + 20);
  }

  // --- hostile input ---

  @Test
  void aZeroLengthPacketIsMalformed() {
    assertMalformed(new byte[0], "header: 0 of 12 bytes");
  }

  @Test
  void everyTruncatedHeaderIsMalformed() {
    byte[] query = new Packet().header(0, 0, 1, 0, 0, 0).name(HOST).u16(1).u16(1).bytes();
    for (int n = 1; n < 12; n++) {
      assertMalformed(java.util.Arrays.copyOf(query, n), "header: " + n + " of 12 bytes");
    }
  }

  @Test
  void everyTruncationOfAQueryIsMalformed() {
    byte[] query =
        new Packet()
            .header(0, 0, 1, 1, 0, 0)
            .name(HOST)
            .u16(1)
            .u16(1)
            .pointer(12)
            .u16(1)
            .u16(1)
            .u32(120)
            .u16(4)
            .raw(V4.getAddress())
            .bytes();
    for (int n = 12; n < query.length; n++) {
      assertThat(DnsWire.parse(ByteBuffer.wrap(query, 0, n), HOST))
          .as("first %d bytes", n)
          .isInstanceOf(Malformed.class);
    }
  }

  @Test
  void aQuestionCountLargerThanThePacketIsMalformed() {
    byte[] packet = new Packet().header(0, 0, 0xffff, 0, 0, 0).name(HOST).u16(1).u16(1).bytes();
    assertMalformed(packet, "65535 questions, 0 answers and 0 authority records do not fit");
  }

  @Test
  void anAnswerCountLargerThanThePacketIsMalformed() {
    byte[] packet = new Packet().header(0, 0, 1, 3, 0, 0).name(HOST).u16(1).u16(1).bytes();
    assertMalformed(packet, "do not fit in 30 bytes");
  }

  @Test
  void aPointerToItselfIsMalformed() {
    assertMalformed(
        new Packet().header(0, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1).bytes(),
        "compression pointer at 12 to 12 does not point back");
  }

  @Test
  void twoPointersToEachOtherAreMalformed() {
    // question 1's name at 12 is a pointer to 16, question 2's name at 16 a pointer back to 12
    byte[] packet =
        new Packet()
            .header(0, 0, 2, 0, 0, 0)
            .pointer(16)
            .u16(1)
            .u16(1)
            .pointer(12)
            .u16(1)
            .u16(1)
            .bytes();
    assertMalformed(packet, "compression pointer at 12 to 16 does not point back");
  }

  @Test
  void aLoopThroughALabelIsMalformed() {
    // "a" then a pointer back to the "a": the pointer targets its own run of labels
    byte[] packet =
        new Packet().header(0, 0, 1, 0, 0, 0).label("a").pointer(12).u16(1).u16(1).bytes();
    assertMalformed(packet, "compression pointer at 14 to 12 does not point back");
  }

  @Test
  void aPointerIntoTheHeaderThatLoopsIsMalformed() {
    // offset 4 holds the question count 0x0001... then a pointer chain that cannot go back forever
    byte[] packet = new Packet().header(0xc00c, 0, 1, 0, 0, 0).pointer(0).u16(1).u16(1).bytes();
    assertMalformed(packet, "compression pointer at 0 to 12 does not point back");
  }

  @Test
  void aForwardPointerIsMalformed() {
    byte[] packet =
        new Packet().header(0, 0, 1, 0, 0, 0).pointer(18).u16(1).u16(1).name(HOST).bytes();
    assertMalformed(packet, "compression pointer at 12 to 18 does not point back");
  }

  @Test
  void aPointerOutOfRangeIsMalformed() {
    assertMalformed(
        new Packet().header(0, 0, 1, 0, 0, 0).pointer(0x3fff).u16(1).u16(1).bytes(),
        "to 16383 does not point back");
  }

  @Test
  void aLabelLongerThan63IsMalformed() {
    byte[] packet =
        new Packet().header(0, 0, 1, 0, 0, 0).u8(64).raw(new byte[64]).u8(0).u16(1).u16(1).bytes();
    assertMalformed(packet, "label at 12: reserved type 0x40");
  }

  @Test
  void aNameLongerThan255BytesIsMalformed() {
    Packet p = new Packet().header(0, 0, 1, 0, 0, 0);
    for (int i = 0; i < 5; i++) {
      p.label("a".repeat(63)); // 5 * 64 = 320 bytes
    }
    assertMalformed(p.u8(0).u16(1).u16(1).bytes(), "name at 12 longer than 255 bytes");
  }

  @Test
  void aNameOf255BytesIsFine() {
    Packet p = new Packet().header(0, 0, 1, 0, 0, 0);
    for (int i = 0; i < 3; i++) {
      p.label("a".repeat(63)); // 192
    }
    p.label("a".repeat(61)); // 254, plus the root: 255
    assertThat(DnsWire.parse(ByteBuffer.wrap(p.u8(0).u16(1).u16(1).bytes()), HOST))
        .isInstanceOf(Message.class);
  }

  @Test
  void aLabelRunningPastTheEndIsMalformed() {
    byte[] packet = new Packet().header(0, 0, 1, 0, 0, 0).u8(40).raw(new byte[10]).bytes();
    assertMalformed(packet, "label at 12 runs past the end");
  }

  @Test
  void anARecordOfTheWrongLengthIsMalformed() {
    byte[] packet =
        new Packet()
            .header(0, 0, 1, 1, 0, 0)
            .name(HOST)
            .u16(1)
            .u16(1)
            .pointer(12)
            .u16(1)
            .u16(1)
            .u32(120)
            .u16(16)
            .raw(V6.getAddress())
            .bytes();
    assertMalformed(packet, "A record of 16 bytes");
  }

  @Test
  void aJumboPacketOfQuestionsAboutUsKeepsOneQuestion() {
    Packet p = new Packet().header(0, 0, 1496, 0, 0, 0).name(HOST).u16(1).u16(1);
    for (int i = 1; i < 1496; i++) {
      p.pointer(12).u16(1).u16(1);
    }
    byte[] packet = p.bytes();
    assertThat(packet.length).isLessThanOrEqualTo(9000);
    assertThat(message(packet).questions()).containsExactly(new Question(DnsWire.TYPE_A, false));
  }

  @Test
  void aJumboPacketOfKnownAnswersKeepsAtMostSixteen() {
    Packet p = new Packet().header(0, 0, 1, 320, 0, 0).name(HOST).u16(1).u16(1);
    for (int i = 0; i < 320; i++) {
      byte[] a = V6.getAddress();
      a[15] = (byte) i;
      p.pointer(12).u16(28).u16(1).u32(i).u16(16).raw(a);
    }
    assertThat(message(p.bytes()).answers()).hasSize(16);
  }

  @Test
  void parsingAllocatesABoundedAmountWhateverThePacketHolds() {
    List<byte[]> worst = new ArrayList<>();
    Packet questions = new Packet().header(0, 0, 1496, 0, 0, 0).name(HOST).u16(1).u16(1);
    Packet repeats = new Packet().header(0, 0, 1, 320, 0, 0).name(HOST).u16(1).u16(1);
    Packet distinct = new Packet().header(0, 0, 1, 320, 0, 0).name(HOST).u16(1).u16(1);
    for (int i = 1; i < 1496; i++) {
      questions.pointer(12).u16(i % 2 == 0 ? 1 : 28).u16(i % 3 == 0 ? 0x8001 : 1);
    }
    for (int i = 0; i < 320; i++) {
      byte[] a = V6.getAddress();
      repeats.pointer(12).u16(28).u16(1).u32(i).u16(16).raw(a);
      a[14] = (byte) (i >> 8);
      a[15] = (byte) i;
      distinct.pointer(12).u16(28).u16(1).u32(i).u16(16).raw(a);
    }
    worst.add(questions.bytes());
    worst.add(repeats.bytes());
    worst.add(distinct.bytes());
    worst.add(new byte[9000]); // zero counts: an empty query
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (byte[] packet : worst) {
      DnsWire.parse(ByteBuffer.wrap(packet), HOST); // warm up: class loading allocates too
      long before = threads.getCurrentThreadAllocatedBytes();
      DnsWire.parse(ByteBuffer.wrap(packet), HOST);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      // what a parse keeps is capped (a few questions, 16 records), not scaled to the packet
      assertThat(allocated)
          .as("bytes allocated for a %d-byte packet", packet.length)
          .isLessThan(8 * 1024);
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void randomAndMutatedPacketsNeverThrowNorLoop() {
    Random random = new Random(SEED);
    List<byte[]> seeds =
        List.of(
            hex("1234 0000 0001 0000 0000 0000 06686561727468 056c6f63616c 00 0001 0001"),
            hex(
                "0000 0000 0002 0000 0000 0000 056f74686572 056c6f63616c 00 0001 0001"
                    + " 06686561727468 c012 00ff 0001"),
            new Packet()
                .header(0, 0, 1, 2, 1, 0)
                .name(HOST)
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(1)
                .u16(1)
                .u32(100)
                .u16(4)
                .raw(V4.getAddress())
                .pointer(12)
                .u16(28)
                .u16(1)
                .u32(30)
                .u16(16)
                .raw(V6.getAddress())
                .pointer(12)
                .u16(1)
                .u16(1)
                .u32(30)
                .u16(4)
                .raw(V4.getAddress())
                .bytes());
    int messages = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] packet;
      if (i % 2 == 0) { // random bytes, mostly short, some jumbo
        packet = new byte[i % 1000 == 0 ? 9000 : random.nextInt(600)];
        random.nextBytes(packet);
        if (packet.length > 12 && random.nextBoolean()) { // small counts reach the names
          packet[4] = 0;
          packet[5] = (byte) random.nextInt(4);
          packet[6] = 0;
          packet[7] = (byte) random.nextInt(4);
        }
      } else { // a real query with a few bytes changed and perhaps cut short
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        packet = java.util.Arrays.copyOf(seed, 1 + random.nextInt(seed.length + 8));
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
        }
      }
      Parsed p;
      try {
        p = DnsWire.parse(ByteBuffer.wrap(packet), HOST);
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + SEED + ", packet " + i + ": " + HexFormat.of().formatHex(packet), e);
      }
      if (p instanceof Message m) {
        messages++;
        assertThat(m.questions()).hasSizeLessThanOrEqualTo(6);
        assertThat(m.answers()).hasSizeLessThanOrEqualTo(16);
      }
    }
    assertThat(messages).as("some mutated packets still parse").isGreaterThan(1000);
  }

  // --- helpers ---

  private static Message message(byte[] packet) {
    Parsed p = DnsWire.parse(ByteBuffer.wrap(packet), HOST);
    assertThat(p).isInstanceOf(Message.class);
    return (Message) p;
  }

  private static void assertMalformed(byte[] packet, String reason) {
    assertThat(DnsWire.parse(ByteBuffer.wrap(packet), HOST))
        .isInstanceOfSatisfying(Malformed.class, m -> assertThat(m.reason()).contains(reason));
  }

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A DNS message written by hand, byte by byte, independent of {@link DnsWire}'s writer. */
  private static final class Packet {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Packet header(int id, int flags, int qd, int an, int ns, int ar) {
      return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    Packet name(String name) {
      for (String l : name.split("\\.")) {
        label(l);
      }
      return u8(0);
    }

    Packet label(String label) {
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      return u8(b.length).raw(b);
    }

    Packet pointer(int offset) {
      return u16(0xc000 | offset);
    }

    Packet u8(int v) {
      out.write(v);
      return this;
    }

    Packet u16(int v) {
      return u8(v >>> 8 & 0xff).u8(v & 0xff);
    }

    Packet u32(long v) {
      return u16((int) (v >>> 16)).u16((int) v);
    }

    Packet raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
