package dev.hearth.startd.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineTest {
  @TempDir Path root;

  @Test
  void figuresComeFromProcAndSys() throws Exception {
    Path proc = Files.createDirectories(root.resolve("proc"));
    Path sys = root.resolve("sys");
    Files.writeString(proc.resolve("stat"), "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 1 1 1\n");
    Files.writeString(
        proc.resolve("meminfo"),
        "MemTotal:        1000 kB\nMemFree:          100 kB\nMemAvailable:     250 kB\n");
    Files.writeString(proc.resolve("cpuinfo"), "processor\t: 0\nmodel name\t: Test CPU 9000\n");
    Path zone = Files.createDirectories(sys.resolve("class/thermal/thermal_zone0"));
    Files.writeString(zone.resolve("temp"), "47500\n");
    Path zram = Files.createDirectories(sys.resolve("block/zram0"));
    Files.writeString(zram.resolve("disksize"), "4096\n");
    Files.writeString(zram.resolve("mm_stat"), "1024 512 0 0 0 0 0\n");

    var machine = new Machine(proc, sys, root);
    // 1000 jiffies later: 200 user, 100 system, 600 idle, 100 iowait.
    Files.writeString(proc.resolve("stat"), "cpu  300 0 200 1400 100 0 0 0 0 0\n");
    var m = machine.metrics();
    assertThat(m.cpu().userSpace()).isCloseTo(20.0, within(0.01));
    assertThat(m.cpu().kernelSpace()).isCloseTo(10.0, within(0.01));
    assertThat(m.cpu().idle()).isCloseTo(60.0, within(0.01));
    assertThat(m.cpu().ioWait()).isCloseTo(10.0, within(0.01));
    assertThat(m.cpu().percentageUsed()).isCloseTo(30.0, within(0.01));
    assertThat(m.memory().total()).isEqualTo(1000 * 1024);
    assertThat(m.memory().available()).isEqualTo(250 * 1024);
    assertThat(m.memory().percentageUsed()).isCloseTo(75.0, within(0.01));
    assertThat(m.memory().zramTotal()).isEqualTo(4096);
    assertThat(m.memory().zramUsed()).isEqualTo(1024);
    assertThat(m.general().temperature()).isEqualTo(47.5);
    assertThat(m.disk().capacity()).isPositive();
    assertThat(machine.devices())
        .singleElement()
        .satisfies(d -> assertThat(d.product()).isEqualTo("Test CPU 9000"));
  }

  @Test
  void aMachineWithoutSensorsReportsNoTemperature() throws Exception {
    Path proc = Files.createDirectories(root.resolve("proc"));
    var machine = new Machine(proc, root.resolve("no-sys"), root);
    assertThat(machine.metrics().general().temperature()).isNull();
    assertThat(machine.metrics().memory().total()).isZero();
  }

  @Test
  void theRealMachineReportsPlausibleFigures() {
    var m = Machine.local(Path.of(".")).metrics();
    assertThat(m.memory().total()).isPositive();
    assertThat(m.memory().percentageUsed()).isBetween(0.0, 100.0);
    assertThat(m.disk().capacity()).isPositive();
  }
}
