package dev.hearth.cli.s9pk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A package project whose bundle is plain JavaScript (no SDK build needed), with a rootfs image.
 */
final class TestProject {
  private TestProject() {}

  static Path write(Path dir, String id, String version) throws IOException {
    Files.createDirectories(dir.resolve("javascript"));
    Files.createDirectories(dir.resolve("image/rootfs-x86_64/bin"));
    Files.writeString(dir.resolve("image/rootfs-x86_64/bin/hello"), "#!/bin/sh\necho hello\n");
    Files.writeString(dir.resolve("icon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    Files.writeString(dir.resolve("LICENSE.md"), "The Test License, version 1");
    Files.writeString(dir.resolve("instructions.md"), "# Instructions");
    Files.writeString(
        dir.resolve("javascript/index.js"),
        """
        exports.manifest = {
          id: '%s', title: 'Test Package', license: 'MIT', version: '%s',
          canMigrateTo: '*', canMigrateFrom: '*', releaseNotes: 'notes',
          description: { short: 'short', long: 'long' },
          packageRepo: 'https://example.org/pkg', upstreamRepo: 'https://example.org',
          marketingUrl: null, donationUrl: null, osVersion: '0.4.0-beta.10', sdkVersion: '2.0.9', gitHash: null,
          volumes: ['main'], dependencies: {}, satisfies: [], plugins: [],
          images: { main: { source: { rootfs: 'image/rootfs-{arch}' }, arch: ['x86_64'], emulateMissingAs: 'x86_64', nvidiaContainer: false } },
          hardwareRequirements: { device: [], ram: null, arch: null },
          hardwareAcceleration: false, userspaceFilesystems: false, virtualNetworking: false,
        }
        """
            .formatted(id, version));
    return dir;
  }
}
