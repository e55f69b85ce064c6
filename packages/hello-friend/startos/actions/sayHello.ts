import { sdk } from '../sdk'
import { readFriendName, writePage } from '../page'

/**
 * Says whom hello-world greets. The action runs in the service container, not in the daemon's
 * subcontainer, so it cannot see hello-world's volume: it reads the copy the daemon keeps in this
 * package's own volume (www/friend.txt), and rewrites the page with that name. It also reports
 * what `checkDependencies` finds wrong with hello-world, if anything.
 */
export const sayHello = sdk.Action.withoutInput(
  'say-hello',
  async () => ({
    name: 'Say Hello',
    description: 'Tell whom Hello World greets',
    warning: null,
    allowedStatuses: 'any',
    group: null,
    visibility: 'enabled',
  }),
  async ({ effects }) => {
    const name = await readFriendName()
    await writePage(name)
    let message =
      name === null
        ? 'not yet: Hello Friend copies the name hello-world greets every 2 s while it runs'
        : `hello-world greets ${name}`
    try {
      const deps = await sdk.checkDependencies(effects)
      deps.throwIfNotSatisfied()
    } catch (e) {
      message += `. Note: ${e instanceof Error ? e.message : String(e)}`
    }
    return { version: '1', title: 'Hello', message, result: null }
  },
)
