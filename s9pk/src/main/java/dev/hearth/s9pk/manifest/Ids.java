package dev.hearth.s9pk.manifest;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.regex.Pattern;

/** The id rule shared by package, image and volume ids ({@code id/mod.rs}). */
public final class Ids {
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private Ids() {}

  public static boolean isValid(String id) {
    return ID.matcher(id).matches();
  }

  /**
   * @throws StartException INVALID_ID naming what the id is for
   */
  public static String check(String what, String id) {
    if (!isValid(id)) {
      throw new StartException(
          ErrorKind.INVALID_ID,
          what + " \"" + id + "\" is not lowercase letters and digits in dash-separated groups");
    }
    return id;
  }
}
