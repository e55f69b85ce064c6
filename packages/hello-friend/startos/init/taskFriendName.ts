import { sdk } from '../sdk'
import { helloWorldId, setName } from '../helloWorld'

/**
 * Asks the user, through an important task on hello-world's Set Name action prefilled with
 * "Friend", to make hello-world greet "Friend". The task stays (`once: false`) and is active while
 * hello-world's current input does not match `{ name: 'Friend' }`. It is (re)created when the
 * package is installed, updated or restored, not at every boot, so that a dismissed task stays
 * dismissed. Its replay id is the SDK's default, "hello-world:set-name".
 */
export const taskFriendName = sdk.setupOnInit(async (effects, kind) => {
  if (kind === null) {
    return
  }
  await sdk.action.createTask(effects, helloWorldId, setName, 'important', {
    reason: "Tell hello-world your friend's name",
    when: { condition: 'input-not-matches', once: false },
    input: { kind: 'partial', accept: [{ name: 'Friend' }], set: { name: 'Friend' } },
  })
})
