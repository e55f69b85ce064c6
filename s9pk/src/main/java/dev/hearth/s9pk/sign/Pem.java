package dev.hearth.s9pk.sign;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM armour: base64 lines of 64 characters between BEGIN and END lines, LF endings. */
public final class Pem {
  private Pem() {}

  static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The DER inside the first block with this label; never echoes the input (it may be secret). */
  static byte[] decode(String label, String pem) {
    List<byte[]> blocks = decodeAll(label, pem);
    if (blocks.isEmpty()) {
      throw new StartException(ErrorKind.PEM, "no PEM block labelled " + label + " found");
    }
    return blocks.getFirst();
  }

  /**
   * The DER inside every block with this label, in order; other blocks and text around them are
   * skipped. Never echoes the input (it may be secret).
   *
   * @throws StartException ({@link ErrorKind#PEM}) if a block has no end line or is not base64
   */
  public static List<byte[]> decodeAll(String label, String pem) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    List<byte[]> out = new ArrayList<>();
    for (int b = pem.indexOf(begin); b >= 0; b = pem.indexOf(begin, b)) {
      int e = pem.indexOf(end, b);
      if (e < 0) {
        throw new StartException(ErrorKind.PEM, "a " + label + " PEM block has no end line");
      }
      try {
        out.add(Base64.getDecoder().decode(withoutWhitespace(pem, b + begin.length(), e)));
      } catch (IllegalArgumentException ex) {
        throw new StartException(ErrorKind.PEM, "the " + label + " PEM block is not valid base64");
      }
      b = e + end.length();
    }
    return out;
  }

  /**
   * The characters of {@code s} from {@code from} to {@code to} without the blanks regex {@code \s}
   * matches (space, tab, line breaks, form feed, vertical tab); anything else reaches the decoder.
   * Not a regular expression: start-cli reads a CA file on the way to every TLS handshake, where a
   * fresh JVM's first pattern costs milliseconds.
   */
  private static String withoutWhitespace(String s, int from, int to) {
    var out = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\u000B') {
        out.append(c);
      }
    }
    return out.toString();
  }
}
