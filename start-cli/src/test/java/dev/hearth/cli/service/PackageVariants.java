package dev.hearth.cli.service;

import dev.hearth.cli.s9pk.ExamplePackages;
import java.nio.file.Files;
import java.nio.file.Path;

/** Versions of hello-world made for tests from its sources. */
final class PackageVariants {
  private PackageVariants() {}

  /**
   * hello-world with one more version, {@code version}, whose up migration runs the TypeScript
   * {@code up} (where {@code mark(way)} writes {@code migrated.txt} in the data volume) and whose
   * down migration marks "down".
   */
  static Path nextVersion(Path build, String version, String up) throws Exception {
    ExamplePackages.copy("hello-world", build);
    String ident = "v" + version.replace(':', '_').replace('.', '_');
    Files.writeString(
        build.resolve("startos/versions/next.ts"),
        """
        import { VersionInfo } from '@start9labs/start-sdk'
        import { sdk } from '../sdk'

        async function mark(way: string): Promise<void> {
          await sdk.volumes.main.writeFile('migrated.txt', way)
        }

        export const %s = VersionInfo.of({
          version: '%s',
          releaseNotes: 'A test version.',
          migrations: {
            up: async () => {
              %s
            },
            down: async () => {
              await mark('down')
            },
          },
        })
        """
            .formatted(ident, version, up));
    Files.writeString(
        build.resolve("startos/versions/index.ts"),
        """
        import { VersionGraph } from '@start9labs/start-sdk'
        import { v1_0_0 } from './v1.0.0'
        import { %s } from './next'

        export const versionGraph = VersionGraph.of({ current: %s, other: [v1_0_0] })
        """
            .formatted(ident, ident));
    return ExamplePackages.make(build, "hello-world");
  }
}
