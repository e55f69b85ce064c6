package dev.hearth.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ErrorKindTest {
  private static final Set<Integer> RETIRED = Set.of(16, 22, 26);

  @Test
  void everyWireCodeFromOneToEightyExceptTheRetiredHasExactlyOneKind() {
    Set<Integer> codes =
        Arrays.stream(ErrorKind.values()).map(k -> k.code).collect(Collectors.toSet());
    Set<Integer> expected =
        IntStream.rangeClosed(1, 80)
            .filter(c -> !RETIRED.contains(c))
            .boxed()
            .collect(Collectors.toSet());
    assertThat(codes).isEqualTo(expected);
    assertThat(ErrorKind.values()).hasSize(expected.size());
  }

  @Test
  void retiredCodesAreNeverHandedOut() {
    for (int code : RETIRED) {
      assertThat(ErrorKind.ofCode(code)).isEmpty();
    }
  }

  @Test
  void kindsTheClientsBranchOnKeepTheirNumbers() {
    // rpc.md §1.3: the UI logs out on 34; the CLI and registry rely on the others.
    assertThat(ErrorKind.AUTHORIZATION.code).isEqualTo(34);
    assertThat(ErrorKind.NOT_FOUND.code).isEqualTo(6);
    assertThat(ErrorKind.PARSE_VERSION.code).isEqualTo(14);
    assertThat(ErrorKind.DATABASE.code).isEqualTo(29);
    assertThat(ErrorKind.RATE_LIMITED.code).isEqualTo(37);
    assertThat(ErrorKind.LXC.code).isEqualTo(72);
    assertThat(ErrorKind.ofCode(18)).contains(ErrorKind.PARSE_S9PK);
  }

  @Test
  void exceptionCarriesKindDetailAndCause() {
    var cause = new java.io.IOException("disk full");
    var e = new StartException(ErrorKind.FILESYSTEM, "cannot write /data/x", cause);
    assertThat(e.kind()).isEqualTo(ErrorKind.FILESYSTEM);
    assertThat(e.getMessage()).isEqualTo("cannot write /data/x");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e.info()).isNull();
    assertThat(e).hasToString("FILESYSTEM (2): cannot write /data/x");
  }
}
