package dev.hearth.startd.system;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The server's names: a display name chosen by its owner ("My Cool Server") and the hostname
 * derived from it for mDNS ({@code my-cool-server}, reached as {@code my-cool-server.local}).
 */
public final class Hostnames {
  private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final List<String> ADJECTIVES =
      List.of("brave", "calm", "clever", "eager", "gentle", "happy", "lucky", "quiet", "swift");
  private static final List<String> NOUNS =
      List.of("badger", "falcon", "harbor", "lantern", "meadow", "otter", "river", "willow");

  private Hostnames() {}

  /** A display name and hostname. */
  public record Names(String name, String hostname) {}

  /**
   * Both names from what the owner gave: the hostname is derived from the name when missing, the
   * name is the hostname when missing, and both missing gives a random {@code adjective-noun}.
   *
   * @throws StartException (INVALID_REQUEST) if a given hostname is not a valid DNS label, or a
   *     name yields no letters or digits
   */
  public static Names of(@Nullable String name, @Nullable String hostname, SecureRandom random) {
    String n = name == null ? "" : name.strip();
    String h = hostname == null ? "" : hostname.strip().toLowerCase(Locale.ROOT);
    if (n.isEmpty() && h.isEmpty()) {
      h =
          ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
              + "-"
              + NOUNS.get(random.nextInt(NOUNS.size()));
      return new Names(h, h);
    }
    if (h.isEmpty()) {
      h = derive(n);
    } else if (!VALID.matcher(h).matches()) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "a hostname is 1 to 63 lowercase letters, digits and inner hyphens: \"" + h + "\"");
    }
    if (n.isEmpty()) {
      n = h;
    }
    if (n.length() > 128) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "a server name has at most 128 characters");
    }
    return new Names(n, h);
  }

  /**
   * "My Cool Server" → {@code my-cool-server}: lowercase, every other run of characters a hyphen.
   */
  public static String derive(String name) {
    String h =
        java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    if (h.length() > 63) {
      h = h.substring(0, 63).replaceAll("-+$", "");
    }
    if (h.isEmpty()) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "the name \"" + name + "\" has no letters or digits to make a hostname from; give one");
    }
    return h;
  }
}
