import { sdk } from '../sdk'
import { setDependencies } from '../dependencies'
import { setInterfaces } from '../interfaces'
import { versionGraph } from '../versions'
import { actions } from '../actions'
import { restoreInit } from '../backups'
import { ensureServiceKey } from '../registry'

/** The service key (see registry.ts) exists before the registry first starts. */
const serviceKey = sdk.setupOnInit(async () => {
  await ensureServiceKey()
})

export const init = sdk.setupInit(
  restoreInit,
  versionGraph,
  setInterfaces,
  setDependencies,
  actions,
  serviceKey,
)

export const uninit = sdk.setupUninit(versionGraph)
