import { sdk } from '../sdk'
import { setName } from '../actions/setName'
import { readName, writeName } from '../page'

/**
 * A fresh install greets "World" and asks the user, through a critical task, to choose a name: the
 * service cannot start until the name is set.
 */
export const taskSetName = sdk.setupOnInit(async (effects, kind) => {
  if (kind !== 'install' && (await readName()) !== null) {
    return
  }
  await writeName('World')
  await sdk.action.createOwnTask(effects, setName, 'critical', {
    reason: 'Choose the name your page greets',
  })
})
