package dev.hearth.startd.container;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The size of an attached command's terminal, in characters. */
public record TerminalSize(int rows, int cols) {
  private static final Pattern FORM =
      Pattern.compile("(\\d{1,5}):(\\d{1,5})(?::\\d{1,5}:\\d{1,5})?");

  public static final TerminalSize DEFAULT = new TerminalSize(24, 80);

  public TerminalSize {
    if (rows < 1 || rows > 65535 || cols < 1 || cols > 65535) {
      throw new IllegalArgumentException(
          "a terminal of " + rows + " rows and " + cols + " columns");
    }
  }

  /**
   * {@code ROWS:COLS[:XPIX:YPIX]}, the form of {@code start-container --pty-size}; pixels are not
   * kept (nothing here draws).
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static TerminalSize parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a terminal size is ROWS:COLS[:XPIX:YPIX], not \"" + text + "\"");
    }
    return new TerminalSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** The arguments that make {@code stty} set this size. */
  String[] stty() {
    return new String[] {"rows", Integer.toString(rows), "cols", Integer.toString(cols)};
  }
}
