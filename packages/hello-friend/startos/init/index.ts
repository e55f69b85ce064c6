import { sdk } from '../sdk'
import { setDependencies } from '../dependencies'
import { setInterfaces } from '../interfaces'
import { versionGraph } from '../versions'
import { actions } from '../actions'
import { restoreInit } from '../backups'
import { initPage } from './initPage'
import { taskFriendName } from './taskFriendName'

export const init = sdk.setupInit(
  restoreInit,
  versionGraph,
  setInterfaces,
  setDependencies,
  actions,
  initPage,
  taskFriendName,
)

export const uninit = sdk.setupUninit(versionGraph)
