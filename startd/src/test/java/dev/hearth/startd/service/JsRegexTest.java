package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ECMAScript patterns tested in Java: the same answers as JavaScript's, or none. */
class JsRegexTest {
  private static JsonNode spec(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static boolean jsMatches(String regex, String s) {
    Pattern p = JsRegex.translate(regex);
    assertThat(p).as("translates %s", regex).isNotNull();
    return p.matcher(s).find();
  }

  @Test
  void patternsKeepEcmaScriptMeaningsWhereJavaDiffers() {
    assertThat(jsMatches("^\\s$", "\u00a0")).isTrue(); // JS \s is Unicode, Java's ASCII
    assertThat(jsMatches("^a$", "a\n")).isFalse(); // Java's $ would allow a final line break
    assertThat(jsMatches("^.$", "\u0085")).isTrue(); // Java's dot stops at NEL
    assertThat(jsMatches("^[^]$", "\n")).isTrue(); // any character
    assertThat(jsMatches("a[]", "a")).isFalse(); // no character
    assertThat(jsMatches("^a{$", "a{")).isTrue(); // not a quantifier: a literal brace
    assertThat(jsMatches("^\\p{L}$", "p{L}")).isTrue(); // identity escape, not a property
    assertThat(jsMatches("^[\\w-.]+$", "a-b.c")).isTrue(); // a dash beside \w is literal
    assertThat(jsMatches("^[a[&&b]+$", "[&&")).isTrue(); // Java class syntax is literal in JS
    assertThat(jsMatches("^[\\b]$", "\b")).isTrue(); // backspace in a class
    assertThat(jsMatches("^[^\\S]$", " ")).isTrue();
    assertThat(jsMatches("^(a|b)\\1$", "bb")).isTrue();
    assertThat(jsMatches("^\\x41\\u0042\\0$", "AB\0")).isTrue();
    assertThat(jsMatches("^(?:ab)+?$", "abab")).isTrue();
    assertThat(jsMatches("^(?<x>a)(b)\\2$", "abb")).isTrue(); // a named group is group 1
    assertThat(jsMatches("^a(?=b)(?!c)(?<=a)(?<!c)b$", "ab")).isTrue();
  }

  /**
   * start-sdk 2.0.9's ready-made {@code Patterns} (util/patterns.ts) and what JavaScript's {@code
   * RegExp.test} said of each sample, printed once with node.
   */
  private static final JsonNode SDK_PATTERNS =
      spec(
          """
          [
          {"name": "ipv6", "regex": "^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))$", "yes": ["::1", "fe80::1%eth0"], "no": ["example.com", "192.168.1.1", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "ipv4", "regex": "^(\\\\b25[0-5]|\\\\b2[0-4][0-9]|\\\\b[01]?[0-9][0-9]?)(\\\\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)){3}$", "yes": ["192.168.1.1"], "no": ["example.com", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "hostname", "regex": "^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\\\-]*[a-zA-Z0-9])\\\\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\\\\-]*[A-Za-z0-9])$", "yes": ["example.com", "192.168.1.1", "my-host.local", "256.1.1.1"], "no": ["::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "localHostname", "regex": "^[-a-zA-Z0-9@:%._\\\\+~#=]{1,256}\\\\.local$", "yes": ["my-host.local"], "no": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "url", "regex": "^https?:\\\\/\\\\/(www\\\\.)?[-a-zA-Z0-9@:%._\\\\+~#=]{1,256}\\\\.[a-zA-Z0-9()]{1,6}\\\\b([-a-zA-Z0-9()!@:%_\\\\+.~#?&\\\\/\\\\/=]*)$", "yes": ["http://x.local:8080/a", "https://example.com/path?q=1"], "no": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "localUrl", "regex": "^https?:\\\\/\\\\/(www\\\\.)?[-a-zA-Z0-9@:%._\\\\+~#=]{1,256}\\\\.local\\\\b([-a-zA-Z0-9()!@:%_\\\\+.~#?&\\\\/\\\\/=]*)$", "yes": ["http://x.local:8080/a"], "no": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "ascii", "regex": "^[ -~]*$", "yes": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "hello world", "my-host.local", "256.1.1.1", ""], "no": ["aGVs\\nbG8=", "h\\u00e9llo", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "domain", "regex": "^[A-Za-z0-9.-]+\\\\.[A-Za-z]{2,}$", "yes": ["example.com", "my-host.local"], "no": ["192.168.1.1", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "email", "regex": "^[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\\\\.[A-Za-z]{2,})$", "yes": ["me@example.com"], "no": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "Me <me@example.com>", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "emailWithName", "regex": "^([A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\\\\.[A-Za-z]{2,}))|([^<]*<([A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\\\\.[A-Za-z]{2,}))>)$", "yes": ["me@example.com", "Me <me@example.com>"], "no": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "aGVsbG8=", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]},
          {"name": "base64", "regex": "^(?:[a-zA-Z0-9+\\\\/]{4})*(?:|(?:[a-zA-Z0-9+\\\\/]{3}=)|(?:[a-zA-Z0-9+\\\\/]{2}==)|(?:[a-zA-Z0-9+\\\\/]{1}===))$", "yes": ["aGVsbG8=", ""], "no": ["example.com", "192.168.1.1", "::1", "fe80::1%eth0", "http://x.local:8080/a", "https://example.com/path?q=1", "me@example.com", "Me <me@example.com>", "aGVs\\nbG8=", "hello world", "h\\u00e9llo", "my-host.local", "256.1.1.1", "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"]}
          ]
          """);

  @Test
  void theSdksReadyMadePatternsAgreeWithJavaScript() {
    for (JsonNode p : SDK_PATTERNS) {
      String regex = p.get("regex").asText();
      for (JsonNode s : p.get("yes")) {
        assertThat(jsMatches(regex, s.asText())).as("%s matches %s", p.get("name"), s).isTrue();
      }
      for (JsonNode s : p.get("no")) {
        assertThat(jsMatches(regex, s.asText())).as("%s refuses %s", p.get("name"), s).isFalse();
      }
    }
  }

  @Test
  void patternsThatCannotBeTranslatedFaithfullyAreRefused() {
    assertThat(JsRegex.translate("(?<x>a)\\k<x>")).isNull();
    assertThat(JsRegex.translate("(?i:abc)")).isNull();
    assertThat(JsRegex.translate("(a\\1)")).isNull(); // JS: the open group matches empty
    assertThat(JsRegex.translate("\\01")).isNull();
    assertThat(JsRegex.translate("a++")).isNull();
    assertThat(JsRegex.translate("(a")).isNull();
    assertThat(JsRegex.find("(?i:abc)", "ABC")).isNull();
  }

  @Test
  void findAnswersOnlyWhatItCanKnow() {
    assertThat(JsRegex.find("^a.c$", "abc")).isTrue();
    assertThat(JsRegex.find("^a.c$", "abd")).isFalse();
    // A miss on a character outside the BMP: JS counts two units where Java counts one.
    assertThat(JsRegex.find("^.{2}$", "\uD83D\uDE00")).isNull();
    // Catastrophic backtracking runs out of budget.
    assertThat(JsRegex.find("^(.*a){20}$", "a".repeat(30) + "!")).isNull();
  }
}
