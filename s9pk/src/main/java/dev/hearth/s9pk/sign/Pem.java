package dev.hearth.s9pk.sign;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.Base64;

/** PEM armour: base64 lines of 64 characters between BEGIN and END lines, LF endings. */
final class Pem {
  private Pem() {}

  static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The DER inside the first block with this label; never echoes the input (it may be secret). */
  static byte[] decode(String label, String pem) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = pem.indexOf(begin);
    int e = b < 0 ? -1 : pem.indexOf(end, b);
    if (b < 0 || e < 0) {
      throw new StartException(ErrorKind.PEM, "no PEM block labelled " + label + " found");
    }
    String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException ex) {
      throw new StartException(ErrorKind.PEM, "the " + label + " PEM block is not valid base64");
    }
  }
}
