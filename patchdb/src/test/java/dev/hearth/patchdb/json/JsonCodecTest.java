package dev.hearth.patchdb.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final JsonCodec codec = JsonCodec.standard();

  record Status(String desired, int restarts, double load, List<String> tags, Json extra) {}

  @Test
  void textSurvivesARoundTrip() {
    var random = new RandomJson(new SplittableRandom(7));
    for (int i = 0; i < 2000; i++) {
      Json doc = random.document();
      assertThat(codec.parse(doc.toString())).as("%s", doc).isEqualTo(doc);
      assertThat(codec.parse(codec.bytes(doc))).isEqualTo(doc);
    }
  }

  @Test
  void objectsKeepTheirKeyOrder() {
    Json doc = codec.parse("{\"z\":1,\"a\":2,\"m\":3}");
    assertThat(doc).hasToString("{\"z\":1,\"a\":2,\"m\":3}");
    JsonObject changed = ((JsonObject) doc).with("a", JsonNumber.of(5)).with("b", JsonBool.TRUE);
    assertThat(changed).hasToString("{\"z\":1,\"a\":5,\"m\":3,\"b\":true}");
  }

  @Test
  void numbersAreExactAndCompareByValue() {
    Json n = codec.parse("[12345678901234567890123, 0.1, 1.0, 1, -0]");
    assertThat(n).hasToString("[12345678901234567890123,0.1,1.0,1,0]");
    JsonArray a = (JsonArray) n;
    assertThat(a.get(2)).isEqualTo(a.get(3)); // 1.0 == 1
    assertThat(a.get(2).hashCode()).isEqualTo(a.get(3).hashCode());
    assertThat(((JsonNumber) a.get(1)).value()).isEqualTo(new BigDecimal("0.1"));
    assertThatThrownBy(() -> JsonNumber.of(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsConvertBothWays() {
    var status =
        new Status("running", 3, 0.25, List.of("a", "b"), codec.parse("{\"k\":[null,true]}"));
    Json json = codec.toJson(status);
    assertThat(json)
        .isEqualTo(
            codec.parse(
                """
                {"desired":"running","restarts":3,"load":0.25,"tags":["a","b"],\
                "extra":{"k":[null,true]}}\
                """));
    Status back = codec.fromJson(json, codec.mapper().constructType(Status.class));
    assertThat(back).isEqualTo(status);
  }

  @Test
  void aJsonNullFieldReadsAsJsonNullNotJavaNull() {
    Status s =
        codec.fromJson(
            codec.parse("{\"desired\":\"x\",\"restarts\":0,\"load\":0,\"tags\":[],\"extra\":null}"),
            codec.mapper().constructType(Status.class));
    assertThat(s.extra()).isSameAs(JsonNull.INSTANCE);
  }

  @Test
  void jsonThatDoesNotFitATypeIsADeserializationError() {
    assertThatThrownBy(() ->
            codec.fromJson(
                codec.parse("{\"desired\":[1]}"), codec.mapper().constructType(Status.class)))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DESERIALIZATION));
    assertThatThrownBy(() -> codec.parse("{\"a\":"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.DESERIALIZATION));
  }

  @Test
  void mapsAndListsOfJsonConvert() {
    Json json = codec.toJson(Map.of("a", List.of(JsonNumber.of(1), JsonNull.INSTANCE)));
    assertThat(json).isEqualTo(codec.parse("{\"a\":[1,null]}"));
  }
}
