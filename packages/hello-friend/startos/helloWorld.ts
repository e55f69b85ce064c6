/**
 * What hello-friend knows of its dependency hello-world (packages/hello-world): its package id,
 * the volume and file that hold the name it greets, the id of its daemon's health check, and its
 * Set Name action.
 */
export const helloWorldId = 'hello-world'
export const helloWorldVolume = 'main'
export const helloWorldHealthCheck = 'primary'
/** hello-world keeps the name it greets in `name.txt` at the root of its volume `main`. */
export const helloWorldNameFile = 'name.txt'

/** The input of hello-world's Set Name action (packages/hello-world/startos/actions/setName.ts). */
export type SetNameInput = { name: string }

/**
 * A handle on hello-world's Set Name action, for `sdk.action.createTask`. The SDK reads only the
 * action's `id`; `_INPUT` carries the input type, so that the task's `accept`/`set` are type
 * checked. (Published packages usually import the dependency's action object from its npm
 * package instead; hello-world is not one, and importing its sources would bundle its manifest.)
 */
export const setName = {
  id: 'set-name',
  _INPUT: null as unknown as SetNameInput,
} as const
