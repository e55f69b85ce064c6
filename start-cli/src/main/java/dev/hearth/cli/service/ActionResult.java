package dev.hearth.cli.service;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code package.action.run} returns (lifecycle.md §3.6, always version 1): a title, a
 * message, and a value that is one string or a named group of values, nested at will.
 */
record ActionResult(String title, @Nullable String message, @Nullable Value result) {
  private static final String INDENT = "  ";

  /** A result value; members of a group carry a name (and a description). */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Single.class, name = "single"),
    @JsonSubTypes.Type(value = Group.class, name = "group")
  })
  sealed interface Value {
    @Nullable String name();
  }

  /**
   * {@code masked} asks a UI to hide the value until asked; the CLI prints what it was asked for.
   */
  record Single(
      @Nullable String name,
      @Nullable String description,
      String value,
      boolean copyable,
      boolean qr,
      boolean masked)
      implements Value {
    Single {
      value = value == null ? "" : value;
    }
  }

  record Group(@Nullable String name, @Nullable String description, List<Value> value)
      implements Value {
    Group {
      value = value == null ? List.of() : List.copyOf(value);
    }
  }

  /** The result for people: title, message, then the values, each group's members indented. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(title);
    if (message != null && !message.isBlank()) {
      out.addAll(message.lines().toList());
    }
    if (result != null) {
      value(result, INDENT, out);
    }
    return out;
  }

  private static void value(Value v, String indent, List<String> out) {
    String label = v.name() == null ? "" : v.name() + ":";
    switch (v) {
      case Single s -> {
        List<String> text = s.value().lines().toList();
        if (text.size() == 1) {
          out.add(indent + (label.isEmpty() ? "" : label + " ") + text.getFirst());
        } else {
          // A multi-line value (a key, a certificate) starts on its own line, indented once more.
          String inner = label.isEmpty() ? indent : indent + INDENT;
          if (!label.isEmpty()) {
            out.add(indent + label);
          }
          text.forEach(line -> out.add(inner + line));
        }
      }
      case Group g -> {
        String inner = indent;
        if (!label.isEmpty()) {
          out.add(indent + label);
          inner = indent + INDENT;
        }
        for (Value member : g.value()) {
          value(member, inner, out);
        }
      }
    }
  }
}
