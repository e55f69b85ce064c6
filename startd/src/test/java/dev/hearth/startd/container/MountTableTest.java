package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
  private static final List<String> LINES =
      List.of(
          "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
          "90 22 254:0 /srv/h/mnt /srv/h/mnt rw,relatime shared:40 - ext4 /dev/vda rw",
          "91 90 7:0 / /srv/h/mnt/.runtime ro,nosuid,nodev,relatime,idmapped shared:41 - squashfs /dev/loop0 ro",
          "92 90 0:61 / /srv/h/mnt/svc/rootfs rw,relatime shared:42 - overlay hearth rw,lowerdir=x",
          "93 92 0:62 / /srv/h/mnt/svc/rootfs/media/startos/subcontainers/my\\040guid rw shared:43 master:7 - overlay hearth rw",
          "94 22 0:4 / /run/private rw - tmpfs tmpfs rw");

  @Test
  void linesParseWithOptionalFieldsAndEscapes() {
    List<MountTable.Mount> m = MountTable.parse(LINES);
    assertThat(m).hasSize(6);
    assertThat(m.get(2).source()).isEqualTo("/dev/loop0");
    assertThat(m.get(2).type()).isEqualTo("squashfs");
    assertThat(m.get(4).mountPoint())
        .isEqualTo(Path.of("/srv/h/mnt/svc/rootfs/media/startos/subcontainers/my guid"));
    assertThat(m.get(4).optional()).isEqualTo("shared:43 master:7");
    assertThat(m.get(4).shared()).isTrue();
    assertThat(m.get(5).shared()).isFalse();
    assertThat(m.get(5).optional()).isEmpty();
  }

  @Test
  void mountsUnderADirectoryComeDeepestFirst() {
    List<MountTable.Mount> m = MountTable.parse(LINES);
    assertThat(MountTable.under(m, Path.of("/srv/h/mnt")).stream().map(MountTable.Mount::id))
        .containsExactly(93, 92, 91, 90);
    assertThat(MountTable.under(m, Path.of("/srv/h/mn"))).isEmpty();
    assertThat(MountTable.isMountPoint(m, Path.of("/srv/h/mnt"))).isTrue();
    assertThat(MountTable.isMountPoint(m, Path.of("/srv/h"))).isFalse();
  }
}
