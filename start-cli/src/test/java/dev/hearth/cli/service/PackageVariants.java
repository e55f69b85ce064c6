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

  /**
   * hello-world in another flavor, {@code version} (such as {@code #spicy:1.1.0:0}), which the
   * unflavored versions in {@code from} (a version range) migrate to and back through its {@code
   * other} migrations, marking "flavor-up" and "flavor-down" in the data volume.
   */
  static Path flavor(Path build, String version, String from) throws Exception {
    ExamplePackages.copy("hello-world", build);
    Files.writeString(
        build.resolve("startos/versions/flavor.ts"),
        """
        import { VersionInfo } from '@start9labs/start-sdk'
        import { sdk } from '../sdk'

        async function mark(way: string): Promise<void> {
          await sdk.volumes.main.writeFile('migrated.txt', way)
        }

        export const flavor = VersionInfo.of({
          version: '%s',
          releaseNotes: 'A test flavor.',
          migrations: {
            other: {
              '%s': {
                up: async () => {
                  await mark('flavor-up')
                },
                down: async () => {
                  await mark('flavor-down')
                },
              },
            },
          },
        })
        """
            .formatted(version, from));
    Files.writeString(
        build.resolve("startos/versions/index.ts"),
        """
        import { VersionGraph } from '@start9labs/start-sdk'
        import { v1_0_0 } from './v1.0.0'
        import { flavor } from './flavor'

        export const versionGraph = VersionGraph.of({ current: flavor, other: [v1_0_0] })
        """);
    return ExamplePackages.make(build, "hello-world");
  }

  /**
   * hello-world that fails when told to, for the tests of what a person is told: its init throws
   * while {@code fail-init} is in its volume, its main throws a TypeError while {@code fail-main}
   * is, and it has an action {@code ping} that takes no input.
   */
  static Path failing(Path build) throws Exception {
    ExamplePackages.copy("hello-world", build);
    Files.writeString(
        build.resolve("startos/failWhenAsked.ts"),
        """
        import { existsSync } from 'fs'
        import { sdk } from './sdk'

        const marker = (name: string) => existsSync(`/media/startos/volumes/main/${name}`)

        export const failInitWhenAsked = sdk.setupOnInit(async () => {
          if (marker('fail-init')) throw new Error('init was asked to fail')
        })

        export function failMainWhenAsked(): void {
          if (marker('fail-main')) {
            console.log('main: reading the page address')
            new URL('not a url')
          }
        }

        export const ping = sdk.Action.withoutInput(
          'ping',
          async () => ({
            name: 'Ping',
            description: 'Answers pong',
            warning: null,
            allowedStatuses: 'any',
            group: null,
            visibility: 'enabled',
          }),
          async () => ({ version: '1', title: 'Ping', message: 'pong', result: null }),
        )
        """);
    replace(
        build.resolve("startos/init/index.ts"),
        "  taskSetName,\n)",
        "  taskSetName,\n  failInitWhenAsked,\n)");
    replace(
        build.resolve("startos/init/index.ts"),
        "import { taskSetName } from './taskSetName'",
        "import { taskSetName } from './taskSetName'\nimport { failInitWhenAsked } from '../failWhenAsked'");
    replace(
        build.resolve("startos/main.ts"),
        "export const main = sdk.setupMain(async ({ effects }) => {",
        "import { failMainWhenAsked } from './failWhenAsked'\n\n"
            + "export const main = sdk.setupMain(async ({ effects }) => {\n  failMainWhenAsked()");
    replace(
        build.resolve("startos/actions/index.ts"),
        ".addAction(setName)",
        ".addAction(setName).addAction(ping)");
    replace(
        build.resolve("startos/actions/index.ts"),
        "import { setName } from './setName'",
        "import { setName } from './setName'\nimport { ping } from '../failWhenAsked'");
    return ExamplePackages.make(build, "hello-world");
  }

  private static void replace(Path file, String what, String with) throws Exception {
    String text = Files.readString(file);
    if (!text.contains(what)) {
      throw new IllegalStateException(file + " no longer has: " + what);
    }
    Files.writeString(file, text.replace(what, with));
  }
}
