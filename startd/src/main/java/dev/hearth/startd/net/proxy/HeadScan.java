package dev.hearth.startd.net.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 head (a request's or a response's) read in place: the head's bytes stay in the
 * connection's buffer, and this records where its parts are and what its framing fields say. Reused
 * for every head of a connection, so a request allocates nothing here.
 *
 * <p>Strict where a lax reading lets two parsers disagree on where a message ends (RFC 9112 §11.2,
 * request smuggling): no whitespace before a field's colon, no obs-fold, no control bytes in a
 * field, one Content-Length of plain digits, one Transfer-Encoding which must be {@code chunked},
 * never both. A line may end with a bare LF (RFC 9112 §2.2 allows it): the head is written again
 * with CRLF, so the next hop never sees it.
 */
final class HeadScan {
  // What a field is to a proxy.
  static final byte OTHER = 0;
  static final byte CONTENT_LENGTH = 1;
  static final byte TRANSFER_ENCODING = 2;
  static final byte HOST = 3;
  static final byte HOP_BY_HOP = 4; // dropped: Connection and what it names, Keep-Alive, TE, ...
  static final byte FORWARDED = 5; // dropped when the proxy sets its own X-Forwarded-*

  private static final byte[][] HOP_NAMES = {
    ascii("connection"),
    ascii("keep-alive"),
    ascii("proxy-connection"),
    ascii("te"),
    ascii("trailer"),
    ascii("upgrade")
  };
  private static final byte[][] FORWARDED_NAMES = {
    ascii("forwarded"),
    ascii("x-forwarded-for"),
    ascii("x-forwarded-proto"),
    ascii("x-forwarded-host"),
    ascii("x-forwarded-port")
  };
  private static final byte[] CONTENT_LENGTH_NAME = ascii("content-length");
  private static final byte[] TRANSFER_ENCODING_NAME = ascii("transfer-encoding");
  private static final byte[] HOST_NAME = ascii("host");
  private static final byte[] CONNECTION_NAME = ascii("connection");
  private static final byte[] UPGRADE_NAME = ascii("upgrade");
  private static final byte[] CHUNKED = ascii("chunked");
  private static final byte[] CLOSE = ascii("close");
  private static final byte[] KEEP_ALIVE = ascii("keep-alive");
  private static final byte[] WEBSOCKET = ascii("websocket");
  private static final byte[] HTTP_1 = ascii("HTTP/1.");
  private static final byte[][] IDEMPOTENT = { // RFC 9110 §9.2.2
    ascii("GET"), ascii("HEAD"), ascii("PUT"), ascii("DELETE"), ascii("OPTIONS"), ascii("TRACE")
  };

  /** Bit per byte value: the token characters of RFC 9110 §5.6.2. */
  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
    for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
  }

  private static final int FIELDS = 16; // room for a usual head's fields; grown when needed
  private static final int TOKENS = 8;
  private static final int MAX_CONNECTION_OPTIONS = 32;

  // ---- the result of the last scan (valid until the next, or reset) ----
  int start; // first byte of the head (after any empty lines before a request)
  int end; // just past the empty line that ends the head
  int lineEnd; // end of the request or status line, without its CR LF
  int versionAt; // where "HTTP/1.x" starts in the start line (requests)
  int minor; // HTTP/1.minor
  boolean headMethod; // a HEAD request
  boolean idempotent; // a request whose method is idempotent
  int status; // a response's code
  int fields;
  int[] fieldStart = new int[FIELDS]; // a field line's first byte
  int[] fieldEnd = new int[FIELDS]; // its last byte + 1, without CR LF
  int[] valueStart = new int[FIELDS]; // its value, without surrounding whitespace
  int[] valueEnd = new int[FIELDS];
  byte[] kind = new byte[FIELDS];
  long contentLength; // -1: none
  boolean chunked;
  boolean connectionClose;
  boolean connectionKeepAlive;
  boolean connectionUpgrade;
  boolean upgradeWebSocket;
  int host; // the Host field's index, or -1

  /** Why the head is refused, or null. */
  @Nullable String error;

  /** The status that refuses it: 400, 501 or 505 for a request, 502 for a response. */
  int errorStatus;

  private int[] tokens = new int[TOKENS]; // Connection's other tokens: start, end pairs
  private int tokenCount;
  private int searched = -1; // bytes past the reader index already searched for the end

  /**
   * Finds the end of the head that starts at {@code buf}'s reader index, going on from where the
   * last call stopped (kept relative to the reader index, so the bytes may move to a bigger buffer
   * between calls). Returns the index just past its empty line, or -1 when it is not all there.
   */
  int findEnd(ByteBuf buf) {
    int from = skipEmptyLines(buf);
    if (searched >= 0) from = Math.max(from, buf.readerIndex() + searched);
    int limit = buf.writerIndex();
    while (from < limit) {
      int lf = buf.forEachByte(from, limit - from, ByteProcessor.FIND_LF);
      if (lf < 0) break;
      int len = lf - from;
      from = lf + 1;
      if (len == 0 || (len == 1 && buf.getByte(lf - 1) == '\r')) { // the empty line
        searched = -1;
        return from;
      }
    }
    searched = from - buf.readerIndex();
    return -1;
  }

  /**
   * Forgets this head: the next one starts at the reader index. Arrays a head with many fields grew
   * go back to their first size, so an idle connection never keeps what its largest head needed.
   */
  void reset() {
    searched = -1;
    if (kind.length > FIELDS) {
      fieldStart = new int[FIELDS];
      fieldEnd = new int[FIELDS];
      valueStart = new int[FIELDS];
      valueEnd = new int[FIELDS];
      kind = new byte[FIELDS];
    }
    if (tokens.length > TOKENS) tokens = new int[TOKENS];
  }

  /** Empty lines before a request line are ignored (RFC 9112 §2.2). */
  private static int skipEmptyLines(ByteBuf buf) {
    int i = buf.readerIndex();
    int limit = buf.writerIndex();
    while (i < limit) {
      byte b = buf.getByte(i);
      if (b == '\n') i++;
      else if (b == '\r' && i + 1 < limit && buf.getByte(i + 1) == '\n') i += 2;
      else break;
    }
    return i;
  }

  /** Reads a request head that ends at {@code end} (from {@link #findEnd}). False: see error. */
  boolean request(ByteBuf buf, int end) {
    clear(skipEmptyLines(buf), end);
    int lf = buf.indexOf(start, end, (byte) '\n');
    lineEnd = contentEnd(buf, start, lf);
    // method SP request-target SP HTTP-version (RFC 9112 §3)
    int i = start;
    while (i < lineEnd && TCHAR[buf.getByte(i) & 0xff]) i++;
    if (i == start || i >= lineEnd || buf.getByte(i) != ' ') return refuse(400, "bad request line");
    headMethod = i - start == 4 && buf.getInt(start) == 0x48454144; // "HEAD"
    for (byte[] m : IDEMPOTENT)
      if (m.length == i - start && startsWith(buf, start, m)) idempotent = true;
    int target = ++i;
    while (i < lineEnd && visible(buf.getByte(i))) i++;
    if (i == target || i >= lineEnd || buf.getByte(i) != ' ')
      return refuse(400, "bad request line");
    versionAt = i + 1;
    if (lineEnd - versionAt != 8 || !startsWith(buf, versionAt, HTTP_1)) {
      boolean other = lineEnd - versionAt == 8 && buf.getByte(versionAt) == 'H';
      return refuse(other ? 505 : 400, other ? "HTTP version not supported" : "bad request line");
    }
    byte m = buf.getByte(versionAt + 7);
    if (m != '0' && m != '1') return refuse(505, "HTTP version not supported");
    minor = m - '0';
    if (!fields(buf, lf + 1, 400)) return false;
    if (host < 0 && minor == 1) return refuse(400, "no Host");
    if (chunked && minor == 0) return refuse(400, "chunked HTTP/1.0 request");
    return true;
  }

  /** Reads a response head that ends at {@code end}. False: see error (always 502). */
  boolean response(ByteBuf buf, int end) {
    clear(buf.readerIndex(), end);
    int lf = buf.indexOf(start, end, (byte) '\n');
    lineEnd = contentEnd(buf, start, lf);
    // HTTP-version SP 3DIGIT [SP reason] (RFC 9112 §4; a missing SP before an empty reason is
    // common enough to accept)
    if (lineEnd - start < 12 || !startsWith(buf, start, HTTP_1)) return refuse(502, "bad status");
    byte m = buf.getByte(start + 7);
    if ((m != '0' && m != '1') || buf.getByte(start + 8) != ' ') return refuse(502, "bad status");
    minor = m - '0';
    int code = 0;
    for (int i = start + 9; i < start + 12; i++) {
      byte d = buf.getByte(i);
      if (d < '0' || d > '9') return refuse(502, "bad status");
      code = code * 10 + d - '0';
    }
    if (code < 100 || code > 599) return refuse(502, "bad status");
    if (lineEnd > start + 12 && buf.getByte(start + 12) != ' ') return refuse(502, "bad status");
    for (int i = start + 12; i < lineEnd; i++)
      if (!fieldByte(buf.getByte(i))) return refuse(502, "bad status");
    status = code;
    return fields(buf, lf + 1, 502);
  }

  private void clear(int start, int end) {
    this.start = start;
    this.end = end;
    fields = 0;
    contentLength = -1;
    chunked = connectionClose = connectionKeepAlive = connectionUpgrade = false;
    upgradeWebSocket = headMethod = idempotent = false;
    host = -1;
    error = null;
    errorStatus = 0;
    tokenCount = 0;
    status = 0;
  }

  /** The field lines from {@code from} to the empty line before {@link #end}. */
  private boolean fields(ByteBuf buf, int from, int bad) {
    int i = from;
    int upgradeField = -1;
    while (true) {
      int lf = buf.indexOf(i, end, (byte) '\n');
      int e = contentEnd(buf, i, lf);
      if (e == i) break; // the empty line
      byte first = buf.getByte(i);
      if (first == ' ' || first == '\t') return refuse(bad, "obsolete line folding");
      int colon = i;
      while (colon < e && TCHAR[buf.getByte(colon) & 0xff]) colon++;
      if (colon == i || colon == e || buf.getByte(colon) != ':')
        return refuse(bad, "bad header field");
      int vs = colon + 1;
      while (vs < e && ows(buf.getByte(vs))) vs++;
      int ve = e;
      while (ve > vs && ows(buf.getByte(ve - 1))) ve--;
      for (int k = vs; k < ve; k++)
        if (!fieldByte(buf.getByte(k))) return refuse(bad, "bad header field");
      int f = add(i, e, vs, ve);
      byte k = classify(buf, i, colon - i);
      kind[f] = k;
      if (k == CONTENT_LENGTH) {
        if (contentLength >= 0) return refuse(bad, "more than one Content-Length");
        contentLength = digits(buf, vs, ve);
        if (contentLength < 0) return refuse(bad, "bad Content-Length");
      } else if (k == TRANSFER_ENCODING) {
        if (chunked) return refuse(bad == 400 ? 501 : bad, "more than one Transfer-Encoding");
        if (!equalsIgnoreCase(buf, vs, ve, CHUNKED))
          return refuse(bad == 400 ? 501 : bad, "transfer coding not supported");
        chunked = true;
      } else if (k == HOST) {
        if (host >= 0) return refuse(bad, "more than one Host");
        host = f;
      } else if (k == HOP_BY_HOP) {
        if (is(buf, i, colon - i, CONNECTION_NAME)) {
          connectionTokens(buf, vs, ve);
          // Each option is compared with every field: bounded, or one head costs quadratic time.
          if (tokenCount > MAX_CONNECTION_OPTIONS)
            return refuse(bad, "too many Connection options");
        } else if (is(buf, i, colon - i, UPGRADE_NAME)) {
          upgradeField = f;
        }
      } else if (bad == 400 && k == OTHER && buf.indexOf(i, colon, (byte) '_') >= 0) {
        // CGI-style servers read "_" as "-": X_Forwarded_For would pass for ours (as nginx,
        // dropped).
        kind[f] = HOP_BY_HOP;
      }
      i = lf + 1;
    }
    if (chunked && contentLength >= 0)
      return refuse(bad, "both Content-Length and Transfer-Encoding");
    upgradeWebSocket =
        connectionUpgrade
            && upgradeField >= 0
            && equalsIgnoreCase(buf, valueStart[upgradeField], valueEnd[upgradeField], WEBSOCKET);
    if (tokenCount > 0) dropNamedByConnection(buf);
    return true;
  }

  /** Connection's options: close, keep-alive and upgrade noted; other names dropped later. */
  private void connectionTokens(ByteBuf buf, int from, int to) {
    int i = from;
    while (i < to) {
      int comma = buf.indexOf(i, to, (byte) ',');
      int e = comma < 0 ? to : comma;
      int s = i;
      while (s < e && ows(buf.getByte(s))) s++;
      int t = e;
      while (t > s && ows(buf.getByte(t - 1))) t--;
      if (equalsIgnoreCase(buf, s, t, CLOSE)) connectionClose = true;
      else if (equalsIgnoreCase(buf, s, t, KEEP_ALIVE)) connectionKeepAlive = true;
      else if (equalsIgnoreCase(buf, s, t, UPGRADE_NAME)) connectionUpgrade = true;
      else if (t > s) {
        if (tokenCount * 2 + 2 > tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[tokenCount * 2] = s;
        tokens[tokenCount * 2 + 1] = t;
        tokenCount++;
      }
      i = e + 1;
    }
  }

  private void dropNamedByConnection(ByteBuf buf) {
    for (int f = 0; f < fields; f++) {
      if (kind[f] == HOP_BY_HOP) continue;
      int nameEnd = buf.indexOf(fieldStart[f], fieldEnd[f], (byte) ':');
      for (int t = 0; t < tokenCount; t++)
        if (sameIgnoreCase(buf, fieldStart[f], nameEnd, tokens[t * 2], tokens[t * 2 + 1])) {
          // A framing field named by Connection stays: dropping it would change the framing.
          if (kind[f] != CONTENT_LENGTH && kind[f] != TRANSFER_ENCODING && kind[f] != HOST)
            kind[f] = HOP_BY_HOP;
          break;
        }
    }
  }

  private int add(int s, int e, int vs, int ve) {
    if (fields == kind.length) {
      int n = fields * 2;
      fieldStart = Arrays.copyOf(fieldStart, n);
      fieldEnd = Arrays.copyOf(fieldEnd, n);
      valueStart = Arrays.copyOf(valueStart, n);
      valueEnd = Arrays.copyOf(valueEnd, n);
      kind = Arrays.copyOf(kind, n);
    }
    fieldStart[fields] = s;
    fieldEnd[fields] = e;
    valueStart[fields] = vs;
    valueEnd[fields] = ve;
    return fields++;
  }

  private boolean refuse(int status, String why) {
    errorStatus = status;
    error = why;
    return false;
  }

  private static byte classify(ByteBuf buf, int at, int len) {
    switch (len) {
      case 4 -> {
        if (is(buf, at, len, HOST_NAME)) return HOST;
      }
      case 14 -> {
        if (is(buf, at, len, CONTENT_LENGTH_NAME)) return CONTENT_LENGTH;
      }
      case 17 -> {
        if (is(buf, at, len, TRANSFER_ENCODING_NAME)) return TRANSFER_ENCODING;
      }
      default -> {}
    }
    for (byte[] n : HOP_NAMES) if (is(buf, at, len, n)) return HOP_BY_HOP;
    for (byte[] n : FORWARDED_NAMES) if (is(buf, at, len, n)) return FORWARDED;
    return OTHER;
  }

  /** A plain decimal of at most 18 digits, or -1. */
  private static long digits(ByteBuf buf, int from, int to) {
    if (from == to || to - from > 18) return -1;
    long v = 0;
    for (int i = from; i < to; i++) {
      byte d = buf.getByte(i);
      if (d < '0' || d > '9') return -1;
      v = v * 10 + d - '0';
    }
    return v;
  }

  /** The end of a line's content: before the LF at {@code lf} and a CR just before it. */
  private static int contentEnd(ByteBuf buf, int from, int lf) {
    return lf > from && buf.getByte(lf - 1) == '\r' ? lf - 1 : lf;
  }

  private static boolean ows(byte b) {
    return b == ' ' || b == '\t';
  }

  /** A request target's byte: visible ASCII or above (no space, no control). */
  private static boolean visible(byte b) {
    int c = b & 0xff;
    return c > 0x20 && c != 0x7f;
  }

  /** A field value's byte (RFC 9110 §5.5): no control byte but HTAB; CR, LF and NUL refused. */
  static boolean fieldByte(byte b) {
    int c = b & 0xff;
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  }

  /** Whether the name at {@code at} is {@code lower} (ASCII, case-insensitive). */
  static boolean is(ByteBuf buf, int at, int len, byte[] lower) {
    if (len != lower.length) return false;
    for (int i = 0; i < len; i++) if ((buf.getByte(at + i) | 0x20) != lower[i]) return false;
    return true;
  }

  private static boolean equalsIgnoreCase(ByteBuf buf, int from, int to, byte[] lower) {
    return is(buf, from, to - from, lower);
  }

  private static boolean sameIgnoreCase(ByteBuf buf, int a, int aEnd, int b, int bEnd) {
    if (aEnd - a != bEnd - b) return false;
    for (int i = 0; i < aEnd - a; i++)
      if ((buf.getByte(a + i) | 0x20) != (buf.getByte(b + i) | 0x20)) return false;
    return true;
  }

  private static boolean startsWith(ByteBuf buf, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) if (buf.getByte(at + i) != prefix[i]) return false;
    return true;
  }

  static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
