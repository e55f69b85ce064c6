package dev.hearth.s9pk.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Text in one language, or by locale ({@code {"en_US": …}}) in document order (s9pk.md §11.2). */
public sealed interface LocaleString {
  record Plain(String text) implements LocaleString {
    @Override
    public String localize(String locale) {
      return text;
    }

    @JsonValue
    public String json() {
      return text;
    }
  }

  record Translated(Map<String, String> byLocale) implements LocaleString {
    public Translated {
      byLocale = Collections.unmodifiableMap(new LinkedHashMap<>(byLocale));
    }

    /** Exact locale, else the first with the same language ("en_"), else the first, else "". */
    @Override
    public String localize(String locale) {
      String exact = byLocale.get(locale);
      if (exact != null) {
        return exact;
      }
      int cut = locale.indexOf('_');
      String language = (cut < 0 ? locale : locale.substring(0, cut)) + "_";
      for (Map.Entry<String, String> e : byLocale.entrySet()) {
        if (e.getKey().startsWith(language)) {
          return e.getValue();
        }
      }
      return byLocale.values().stream().findFirst().orElse("");
    }

    @JsonValue
    public Map<String, String> json() {
      return byLocale;
    }
  }

  String localize(String locale);

  static LocaleString of(String text) {
    return new Plain(text);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static LocaleString fromJson(JsonNode node) {
    if (node.isTextual()) {
      return new Plain(node.textValue());
    }
    if (node.isObject()) {
      Map<String, String> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException(
              "a localized string maps locales to strings; \"" + e.getKey() + "\" is not a string");
        }
        map.put(e.getKey(), e.getValue().textValue());
      }
      return new Translated(map);
    }
    throw new IllegalArgumentException(
        "a localized string is a string or an object, not " + node.getNodeType());
  }
}
