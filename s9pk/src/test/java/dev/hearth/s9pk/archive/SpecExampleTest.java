package dev.hearth.s9pk.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** s9pk.md §13: the derived example opens, verifies and lists, and our writer reproduces it. */
class SpecExampleTest {
  @Test
  void exampleOpensVerifiesAndLists() throws Exception {
    try (MerkleArchive archive = SpecExample.open(SpecExample.bytes())) {
      assertThat(archive.root().paths()).containsExactly("a.txt", "d", "d/b.txt");
      assertThat(archive.signer()).isEqualTo(SpecExample.RFC8032_TEST1.publicKey());
      assertThat(archive.commitment().rootSighash())
          .isEqualTo(
              Blake3Hash.fromHex(
                  "657887de7e09c5f7969341cf4b86940325df464642e3771f506bc36f14264676"));
      assertThat(archive.commitment().rootMaxsize()).isEqualTo(115);
      archive.verifyFiles();
      assertThat(
              new String(
                  archive.root().find("d/b.txt").orElseThrow().readAll("d/b.txt", 100),
                  StandardCharsets.UTF_8))
          .isEqualTo("hello");
      assertThat(
              new String(
                  archive.root().find("a.txt").orElseThrow().readAll("a.txt", 100),
                  StandardCharsets.UTF_8))
          .isEqualTo("hi");
    }
  }

  @Test
  void intermediateValuesMatchTheSpec() {
    Directory root = SpecExample.tree();
    Entry d = root.get("d").orElseThrow();
    assertThat(d.size()).isEqualTo(56);
    assertThat(d.hash().hex())
        .isEqualTo("88ed196d3cf280fadf5ca67899d2ff9505aaeb798ac96aec2afda4901727eccd");
    assertThat(root.get("a.txt").orElseThrow().hash().hex())
        .isEqualTo("85052e9aab1b67b6622d94a08441b09fd5b7aca61ee360416d70de5da67d86ca");
    assertThat(Toc.size(root)).isEqualTo(115);
    assertThat(Toc.sighash(root).base64()).isEqualTo("ZXiH3n4JxfeWk0HPS4aUAyXfRkZC43cfUGvDbxQmRnY");
  }

  @Test
  void writerReproducesTheExampleByteForByte() {
    byte[] written =
        SpecExample.write(
            SpecExample.tree(), new Signing.Sign(SpecExample.RFC8032_TEST1, SpecExample.CONTEXT));
    assertThat(HexFormat.of().formatHex(written))
        .isEqualTo(HexFormat.of().formatHex(SpecExample.bytes()));
  }

  @Test
  void rewritingAnOpenedArchiveKeepingItsSignatureGivesTheSameBytes() throws Exception {
    try (MerkleArchive archive = SpecExample.open(SpecExample.bytes())) {
      byte[] again = SpecExample.write(archive.root(), new Signing.Keep(archive.header()));
      assertThat(again).isEqualTo(SpecExample.bytes());
    }
  }

  @Test
  void commitmentHasUpstreamsJsonShape() throws Exception {
    try (MerkleArchive archive = SpecExample.open(SpecExample.bytes())) {
      ObjectMapper json = new ObjectMapper();
      String text = json.writeValueAsString(archive.commitment());
      assertThat(text)
          .isEqualTo(
              "{\"rootSighash\":\"ZXiH3n4JxfeWk0HPS4aUAyXfRkZC43cfUGvDbxQmRnY\",\"rootMaxsize\":115}");
      assertThat(json.readValue(text.replace("RnY\"", "RnY=\""), Commitment.class))
          .isEqualTo(archive.commitment());
    }
  }
}
