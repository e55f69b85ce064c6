package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exit target an old runtime migrates to before an update or downgrade (§5.5 step 2). */
class ExitTargetTest {
  private static Manifest manifest(String version, String canMigrateTo, String canMigrateFrom) {
    String json =
        """
        {"id":"demo","title":"Demo","version":"%s","canMigrateTo":"%s","canMigrateFrom":"%s",
         "releaseNotes":"","license":"MIT","wrapperRepo":"https://example.com/","upstreamRepo":"https://example.com/",
         "supportSite":"https://example.com/","marketingSite":"https://example.com/","donationUrl":null,
         "description":{"short":"d","long":"d"},"images":{},"volumes":["main"],"dependencies":{},
         "osVersion":"0.4.0-beta.10","sdkVersion":"2.0.9","hardwareRequirements":{"device":[],"ram":null,"arch":null},
         "alerts":{"install":null,"uninstall":null,"restore":null,"start":null,"stop":null}}
        """
            .formatted(version, canMigrateTo, canMigrateFrom);
    return ManifestJson.parse(json.getBytes());
  }

  @Test
  void dataTheNewVersionCanMigrateFromStaysAsItIs() {
    Manifest old = manifest("1.0.0:0", "*", "*");
    Manifest next = manifest("2.0.0:0", "*", ">=1.0.0:0");
    assertThat(Update.exitTarget(old, next, Optional.of("1.0.0:0"))).contains("1.0.0:0");
  }

  @Test
  void otherwiseTheOldVersionMigratesToTheNewOneWhenItCan() {
    Manifest old = manifest("2.0.0:0", "*", "*");
    Manifest next = manifest("1.0.0:0", "*", "<1.0.0:0");
    assertThat(Update.exitTarget(old, next, Optional.of("2.0.0:0"))).contains("1.0.0:0");
  }

  @Test
  void otherwiseToWhereBothRangesMeet() {
    Manifest old = manifest("2.0.0:0", ">=1.5.0:0", "*");
    Manifest next = manifest("1.0.0:0", "*", "<1.8.0:0");
    assertThat(Update.exitTarget(old, next, Optional.of("2.0.0:0")).orElseThrow())
        .contains(">=1.5.0:0")
        .contains("<1.8.0:0");
  }

  @Test
  void withoutADataVersionTheOldPackageStaysAtItsOwnVersion() {
    Manifest old = manifest("1.0.0:0", "*", "*");
    Manifest next = manifest("2.0.0:0", "*", "*");
    assertThat(Update.exitTarget(old, next, Optional.empty())).contains("1.0.0:0");
  }
}
