package dev.hearth.patchdb.json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer: {@code ""} is the whole document, {@code /a/b~1c} is key {@code b/c} of
 * key {@code a}. Tokens are kept unescaped. There is no way to point upwards, so a pointer made
 * relative to a root can never leave it.
 */
public record JsonPointer(List<String> tokens) {
  public static final JsonPointer ROOT = new JsonPointer(List.of());

  public JsonPointer {
    tokens = List.copyOf(tokens);
  }

  /**
   * Parses pointer text.
   *
   * @throws StartException (DESERIALIZATION) if it is not empty and does not start with {@code /},
   *     or has a {@code ~} not followed by {@code 0} or {@code 1}
   */
  @JsonCreator
  public static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return ROOT;
    }
    if (text.charAt(0) != '/') {
      throw invalid(text, "it must be empty or start with '/'");
    }
    List<String> tokens = new ArrayList<>();
    var token = new StringBuilder();
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '/') {
        tokens.add(token.toString());
        token.setLength(0);
        continue;
      }
      char c = text.charAt(i);
      if (c == '~') {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
        if (next == '0') {
          token.append('~');
        } else if (next == '1') {
          token.append('/');
        } else {
          throw invalid(text, "'~' at position " + i + " must be followed by 0 or 1");
        }
        i++;
      } else {
        token.append(c);
      }
    }
    return new JsonPointer(tokens);
  }

  private static StartException invalid(String text, String why) {
    return new StartException(
        ErrorKind.DESERIALIZATION, "invalid JSON pointer \"" + text + "\": " + why);
  }

  /** A pointer from unescaped tokens. */
  public static JsonPointer of(String... tokens) {
    return new JsonPointer(List.of(tokens));
  }

  public JsonPointer child(String token) {
    var list = new ArrayList<String>(tokens.size() + 1);
    list.addAll(tokens);
    list.add(token);
    return new JsonPointer(list);
  }

  public JsonPointer child(int index) {
    return child(Integer.toString(index));
  }

  /** This pointer followed by {@code relative}. */
  public JsonPointer resolve(JsonPointer relative) {
    if (relative.isRoot()) {
      return this;
    }
    var list = new ArrayList<String>(tokens);
    list.addAll(relative.tokens);
    return new JsonPointer(list);
  }

  public boolean isRoot() {
    return tokens.isEmpty();
  }

  public int size() {
    return tokens.size();
  }

  /**
   * @throws IllegalStateException for the root
   */
  public JsonPointer parent() {
    if (isRoot()) {
      throw new IllegalStateException("the root has no parent");
    }
    return new JsonPointer(tokens.subList(0, tokens.size() - 1));
  }

  /**
   * @throws IllegalStateException for the root
   */
  public String last() {
    if (isRoot()) {
      throw new IllegalStateException("the root has no last token");
    }
    return tokens.getLast();
  }

  /** True when {@code prefix} is this pointer or one of its ancestors. */
  public boolean startsWith(JsonPointer prefix) {
    return prefix.tokens.size() <= tokens.size()
        && tokens.subList(0, prefix.tokens.size()).equals(prefix.tokens);
  }

  /**
   * This pointer relative to {@code prefix}.
   *
   * @throws IllegalArgumentException if {@code prefix} is not a prefix of this pointer
   */
  public JsonPointer relativeTo(JsonPointer prefix) {
    if (!startsWith(prefix)) {
      throw new IllegalArgumentException(this + " is not below " + prefix);
    }
    return new JsonPointer(tokens.subList(prefix.tokens.size(), tokens.size()));
  }

  @JsonValue
  @Override
  public String toString() {
    var sb = new StringBuilder();
    for (String token : tokens) {
      sb.append('/');
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        switch (c) {
          case '~' -> sb.append("~0");
          case '/' -> sb.append("~1");
          default -> sb.append(c);
        }
      }
    }
    return sb.toString();
  }
}
