import { sdk } from './sdk'

/** The registry's port in its container: HTTP, JSON-RPC at /rpc/v0 and files at /blob/. */
export const registryPort = 5959

export const setInterfaces = sdk.setupInterfaces(async ({ effects }) => {
  const multi = sdk.MultiHost.of(effects, 'registry')
  const origin = await multi.bindPort(registryPort, { protocol: 'http' })
  const registry = sdk.createInterface(effects, {
    name: 'Registry',
    id: 'registry',
    description:
      'The registry: the URL to give start-cli (-r) and to add to a Marketplace. JSON-RPC at /rpc/v0',
    type: 'api',
    masked: false,
    schemeOverride: null,
    username: null,
    path: '',
    query: {},
  })
  return [await origin.export([registry])]
})
