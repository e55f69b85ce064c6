import { sdk } from '../sdk'
import { readFriendName, writePage } from '../page'

/** Writes the page at every init, with the name last copied from hello-world if there is one. */
export const initPage = sdk.setupOnInit(async () => {
  await writePage(await readFriendName())
})
