import { T } from '@start9labs/start-sdk'
import { sdk } from './sdk'
import { registryPort } from './interfaces'
import { info, SERVICE_HOSTNAME, servicePublicKeyPath } from './registry'

/**
 * The names a signed request may be signed for (`--hostname`): every address of the registry's
 * interface (start-cli signs for the host of the URL it is given), and the package's own name for
 * its actions. Read with `.const()`, so the registry restarts with the new list when an address is
 * added or goes away.
 */
function hostnames(host: Pick<T.Host, 'bindings'> | null): string[] {
  const available = host?.bindings[registryPort]?.addresses.available ?? []
  return [...new Set([SERVICE_HOSTNAME, ...available.map((h) => h.hostname)])].sort()
}

export const main = sdk.setupMain(async ({ effects }) => {
  const names = await sdk.host.getOwn(effects, 'registry', hostnames).const()
  const mounts = sdk.Mounts.of().mountVolume({
    volumeId: 'main',
    subpath: null,
    mountpoint: '/data',
    readonly: false,
  })
  return sdk.Daemons.of(effects).addDaemon('primary', {
    subcontainer: sdk.SubContainer.of(effects, { imageId: 'main' }, mounts, 'registry'),
    exec: {
      command: [
        '/opt/java/bin/java',
        // One collector thread and a small footprint: a personal registry's load is light.
        '-XX:+UseSerialGC',
        '-jar',
        '/opt/start-registry/start-registry.jar',
        '--data-dir',
        '/data/registry',
        '--listen',
        `0.0.0.0:${registryPort}`,
        ...names.flatMap((n) => ['--hostname', n]),
        '--admin',
        `/data/${servicePublicKeyPath}`,
      ],
    },
    ready: {
      display: 'Registry',
      fn: async () => {
        try {
          const { name } = await info()
          const shown = name ?? 'a registry with no name'
          return { result: 'success', message: `The registry answers as ${shown}` }
        } catch {
          return { result: 'starting', message: 'The registry does not answer yet' }
        }
      },
    },
    requires: [],
  })
})
