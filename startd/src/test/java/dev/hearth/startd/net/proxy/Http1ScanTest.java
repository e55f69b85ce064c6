package dev.hearth.startd.net.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 path's readers on their own: a head and a chunked body give the same result however
 * the bytes are split across reads, and what two parsers could read differently is refused.
 */
class Http1ScanTest {
  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  /** Feeds {@code s} to findEnd in pieces of {@code step} bytes, as reads would bring it. */
  private static int findEndInPieces(HeadScan scan, String s, int step) {
    ByteBuf held = Unpooled.buffer();
    for (int i = 0; i < s.length(); i += step) {
      held.writeBytes(bytes(s.substring(i, Math.min(s.length(), i + step))));
      int end = scan.findEnd(held);
      if (end >= 0) return end;
    }
    return -1;
  }

  @Test
  void findsTheEndOfAHeadSplitAtEveryByte() {
    String head = "\r\nGET /x HTTP/1.1\r\nHost: a\nX: y\r\n\r\nBODY";
    for (int step = 1; step <= head.length(); step++)
      assertEquals(
          head.indexOf("BODY"), findEndInPieces(new HeadScan(), head, step), "step " + step);
  }

  @Test
  void aHeadWithManyFieldsLeavesNoGrownArraysBehind() {
    var scan = new HeadScan();
    var head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 3000; i++) head.append("x").append(i).append(": 1\r\n");
    ByteBuf b = bytes(head + "\r\n");
    assertTrue(scan.request(b, scan.findEnd(b)));
    assertEquals(3001, scan.fields);
    scan.reset();
    assertEquals(16, scan.kind.length, "an idle connection keeps only the first size");
    assertEquals(16, scan.fieldStart.length);
  }

  @Test
  void aHeadSentAByteAtATimeIsHeldWhole() {
    String head = "GET /slow HTTP/1.1\r\nHost: a\r\n" + "X: " + "y".repeat(9000) + "\r\n\r\n";
    ByteBuf held = null;
    int copies = 0; // each new buffer copies all held so far
    for (int i = 0; i < head.length(); i++) {
      ByteBuf next =
          Cumulation.add(Unpooled.buffer().alloc(), held, bytes(head.substring(i, i + 1)));
      if (held != null && next != held) copies++;
      held = next;
    }
    assertEquals(head, held.toString(StandardCharsets.ISO_8859_1));
    assertTrue(copies < 20, "appended in place, the buffer doubling when full: " + copies);
    assertTrue(held.capacity() < 4 * head.length(), "capacity " + held.capacity());
  }

  @Test
  void readsARequestHeadInPlace() {
    var scan = new HeadScan();
    ByteBuf b =
        bytes(
            "POST /up HTTP/1.1\r\nHost: a.test\r\nContent-Length: 12\r\n"
                + "Connection: keep-alive, X-Secret\r\nX-Secret: 1\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n");
    assertTrue(scan.request(b, scan.findEnd(b)), String.valueOf(scan.error));
    assertEquals(1, scan.minor);
    assertEquals(12, scan.contentLength);
    assertFalse(scan.chunked);
    assertTrue(scan.connectionKeepAlive);
    assertFalse(scan.idempotent);
    assertEquals(HeadScan.HOST, scan.kind[scan.host]);
    assertEquals(HeadScan.HOP_BY_HOP, scan.kind[3], "named by Connection");
    assertEquals(HeadScan.FORWARDED, scan.kind[4]);
    ByteBuf out =
        Http1Heads.request(
            Unpooled.buffer().alloc(),
            b,
            scan,
            false,
            "X-Forwarded-For: 10.0.0.9\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        "POST /up HTTP/1.1\r\nHost: a.test\r\nContent-Length: 12\r\n"
            + "X-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Host: a.test\r\n\r\n",
        out.toString(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456789\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n",
        "GET /\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
      })
  void refusesWithBadRequest(String head) {
    var scan = new HeadScan();
    ByteBuf b = bytes(head);
    assertFalse(scan.request(b, scan.findEnd(b)));
    assertEquals(400, scan.errorStatus, String.valueOf(scan.error));
  }

  @Test
  void refusesAHeadWhoseConnectionNamesTooManyOptions() {
    String options = String.join(",", java.util.Collections.nCopies(33, "b"));
    var request = new HeadScan();
    ByteBuf b = bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: " + options + "\r\n\r\n");
    assertFalse(request.request(b, request.findEnd(b)));
    assertEquals(400, request.errorStatus);
    var response = new HeadScan();
    ByteBuf r = bytes("HTTP/1.1 200 OK\r\nConnection: " + options + "\r\n\r\n");
    assertFalse(response.response(r, response.findEnd(r)));
    assertEquals(502, response.errorStatus);
  }

  @Test
  void dropsRequestFieldsWithAnUnderscoreWhichSomeServersReadAsADash() {
    var scan = new HeadScan();
    ByteBuf b = bytes("GET / HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 6.6.6.6\r\nX-Ok: 1\r\n\r\n");
    assertTrue(scan.request(b, scan.findEnd(b)));
    assertEquals(HeadScan.HOP_BY_HOP, scan.kind[1], "dropped");
    assertEquals(HeadScan.OTHER, scan.kind[2]);
    var response = new HeadScan();
    ByteBuf r = bytes("HTTP/1.1 200 OK\r\nX_Kept: 1\r\n\r\n");
    assertTrue(response.response(r, response.findEnd(r)));
    assertEquals(HeadScan.OTHER, response.kind[0], "a response keeps it");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip, chunked", "chunked, gzip", "xchunked", "identity"})
  void refusesATransferCodingOtherThanChunkedAsNotImplemented(String coding) {
    var scan = new HeadScan();
    ByteBuf b = bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding + "\r\n\r\n");
    assertFalse(scan.request(b, scan.findEnd(b)));
    assertEquals(501, scan.errorStatus);
  }

  @Test
  void readsAResponseHeadAndRefusesAmbiguousFraming() {
    var scan = new HeadScan();
    ByteBuf ok =
        bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n");
    assertTrue(scan.response(ok, scan.findEnd(ok)));
    assertEquals(200, scan.status);
    assertTrue(scan.chunked);
    assertTrue(scan.connectionClose);
    assertNull(scan.error);
    for (String bad :
        new String[] {
          "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
          "HTTP/1.1 2000 OK\r\n\r\n",
          "HTTP/1.1 200 O\rK\r\n\r\n",
          "HTTP/2 200\r\n\r\n"
        }) {
      var s = new HeadScan();
      ByteBuf b = bytes(bad);
      assertFalse(s.response(b, s.findEnd(b)), bad);
      assertEquals(502, s.errorStatus);
    }
  }

  /** Scans {@code body} in pieces of {@code step}; returns the bytes it took, or -1 if refused. */
  private static int chunked(String body, int step, StringBuilder data) {
    var scan = new ChunkedScan(1024);
    ByteBuf b = bytes(body);
    int i = 0;
    while (!scan.done()) {
      if (i >= b.writerIndex()) return -2; // ran out
      int to = Math.min(b.writerIndex(), i + step);
      while (i < to && !scan.done()) {
        int from = i;
        i = scan.next(b, i, to);
        if (scan.failed()) return -1;
        if (scan.data) data.append(b.toString(from, i - from, StandardCharsets.ISO_8859_1));
      }
    }
    return i;
  }

  @Test
  void findsTheEndOfAChunkedBodyAndItsDataSplitAtEveryByte() {
    String body = "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\n";
    for (int step = 1; step <= body.length(); step++) {
      var data = new StringBuilder();
      assertEquals(body.length(), chunked(body + "GET /next", step, data), "step " + step);
      assertEquals("helloabcdefghijklmnopqrstuvwxyz", data.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zz\r\n",
        "0x5\r\nhello\r\n0\r\n\r\n",
        "-1\r\n",
        "10000000000000000\r\n", // 17 digits
        "8000000000000000\r\n", // past Long.MAX_VALUE
        "3\r\nabcdef\r\n0\r\n\r\n", // data longer than its size
        "5\nhello\r\n0\r\n\r\n", // bare LF
        "5 \r\nhello\r\n0\r\n\r\n", // whitespace after the size
        "0\r\n folded\r\n\r\n", // obs-fold in the trailers
        "0\r\nX: 1\n\r\n"
      })
  void refusesAMalformedChunkedBody(String body) {
    assertEquals(-1, chunked(body, body.length(), new StringBuilder()));
  }
}
