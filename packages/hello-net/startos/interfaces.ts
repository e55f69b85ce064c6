import { sdk } from './sdk'
import { range, udpExternalPort, udpPort } from './ports'

/**
 * Two interfaces on one host: a single UDP port, and a range of ports. SDK 2.0.9 has no UDP
 * protocol for `bindPort`: a binding with `protocol: null` and no SSL is a raw port, which the
 * server forwards as both TCP and UDP, and the interface's scheme tells clients to use UDP. A
 * range is always TCP and UDP.
 */
export const setInterfaces = sdk.setupInterfaces(async ({ effects }) => {
  const echoHost = sdk.MultiHost.of(effects, 'echo')
  const echoOrigin = await echoHost.bindPort(udpPort, {
    protocol: null,
    preferredExternalPort: udpExternalPort,
    addSsl: null,
    secure: { ssl: false },
  })
  const echo = sdk.createInterface(effects, {
    name: 'UDP Echo',
    id: 'echo',
    description: 'Send a UDP datagram; the same bytes come back',
    type: 'api',
    masked: false,
    schemeOverride: { ssl: null, noSsl: 'udp' },
    username: null,
    path: '',
    query: {},
  })

  const relay = await echoHost.bindPortRange({
    internalStartPort: range.start,
    externalStartPort: range.start,
    numberOfPorts: range.size,
  })
  await relay.export(
    sdk.createRangeInterface(effects, {
      id: 'relay',
      name: 'Relay Ports',
      description: `Ports ${range.start}-${range.start + range.size - 1}: each echoes UDP and TCP`,
      scheme: null,
    }),
  )
  return [await echoOrigin.export([echo])]
})
