import { sdk } from '../sdk'
import { registryPort } from '../interfaces'

/**
 * Where the registry is: the URLs of its interface, each one what to give `start-cli -r` and a
 * Marketplace. A URL's host is also what start-cli signs a publish for, which the registry accepts
 * for each of these addresses.
 */
export const showUrls = sdk.Action.withoutInput(
  'show-urls',
  async () => ({
    name: 'Show URLs',
    description: 'The addresses to publish to and to add to a Marketplace',
    warning: null,
    allowedStatuses: 'any',
    group: null,
    visibility: 'enabled',
  }),
  async ({ effects }) => {
    const host = await sdk.host.getOwn(effects, 'registry').once()
    const registry = host?.bindings[registryPort]?.interfaces['registry']
    const urls = registry?.addressInfo.format('urlstring') ?? []
    return {
      version: '1',
      title: 'Registry URLs',
      message:
        urls.length === 0
          ? 'The registry has no address yet.'
          : 'Publish with `start-cli -r <URL> s9pk publish FILE`, and add the URL to a Marketplace.',
      result: {
        type: 'group',
        value: urls.map((url) => ({
          type: 'single',
          name: 'URL',
          description: null,
          value: url,
          copyable: true,
          qr: false,
          masked: false,
        })),
      },
    }
  },
)
