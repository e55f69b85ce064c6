package dev.hearth.startd.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelLogTest {
  @Test
  void aKmsgRecordParsesIntoSequenceTimeAndMessage() {
    Instant boot = Instant.parse("2026-01-01T00:00:00Z");
    KernelLog.Record r =
        KernelLog.parse("6,1234,5000000,-;eth0: link up\n SUBSYSTEM=net\n DEVICE=n2\n", boot);
    assertThat(r).isNotNull();
    assertThat(r.seq()).isEqualTo(1234);
    assertThat(r.time()).isEqualTo(boot.plusSeconds(5));
    assertThat(r.message()).isEqualTo("eth0: link up");
    assertThat(KernelLog.parse("garbage", boot)).isNull();
  }

  @Test
  void theRealKernelLogReadsWithIncreasingSequenceNumbers() {
    // The tests run as root on the project's machines, as the daemon does.
    var kernel = new KernelLog("this-boot");
    List<KernelLog.Record> all = kernel.readAfter(-1);
    assertThat(all).isNotEmpty();
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).seq()).isGreaterThan(all.get(i - 1).seq());
    }
    long last = all.getLast().seq();
    assertThat(kernel.readAfter(last)).allMatch(r -> r.seq() > last);
    var page = kernel.read(2, null, null, false);
    assertThat(page.entries()).hasSizeLessThanOrEqualTo(2);
    assertThat(kernel.read(5, null, "some-other-boot", false).entries()).isEmpty();
  }
}
