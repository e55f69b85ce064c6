import { sdk } from '../sdk'
import { setName } from '../actions/setName'
import { readName, writeName } from '../page'

/** A fresh install greets "World" and asks the user, through a task, to choose a name. */
export const taskSetName = sdk.setupOnInit(async (effects, kind) => {
  if (kind !== 'install' && (await readName()) !== null) {
    return
  }
  await writeName('World')
  await sdk.action.createOwnTask(effects, setName, 'important', {
    reason: 'Choose the name your page greets',
  })
})
