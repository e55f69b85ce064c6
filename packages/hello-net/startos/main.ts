import { sdk } from './sdk'
import { portsEnv, range, udpPort } from './ports'
import { udpRoundTrip } from './udp'

/**
 * One daemon, started the way its image says: `sdk.useEntrypoint()` runs the image's entrypoint
 * with its cmd, as its user (`net`, not root) in its workdir. The ports come through the
 * environment. Two health checks make a real UDP round trip: one on the echo port, one on every
 * port of the range.
 */
export const main = sdk.setupMain(async ({ effects }) => {
  return sdk.Daemons.of(effects)
    .addDaemon('primary', {
      subcontainer: sdk.SubContainer.of(effects, { imageId: 'main' }, null, 'hello-net'),
      exec: { command: sdk.useEntrypoint(), env: portsEnv },
      ready: {
        display: 'UDP Echo',
        fn: async () =>
          (await udpRoundTrip(udpPort))
            ? { result: 'success', message: `Port ${udpPort} echoes over UDP` }
            : { result: 'failure', message: `No UDP echo from port ${udpPort}` },
      },
      requires: [],
    })
    .addHealthCheck('relay', {
      ready: {
        display: 'Relay Ports',
        fn: async () => {
          for (let port = range.start; port < range.start + range.size; port++) {
            if (!(await udpRoundTrip(port))) {
              return { result: 'failure', message: `No UDP echo from relay port ${port}` }
            }
          }
          return { result: 'success', message: `All ${range.size} relay ports echo over UDP` }
        },
      },
      requires: ['primary'],
    })
})
