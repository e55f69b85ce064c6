import { VersionInfo } from '@start9labs/start-sdk'
import { store } from '../store'
import { logMigration } from './log'

/**
 * The second version. Its migrations move the file model between schema 1 and 2: `up` runs in
 * this version's code when 1.0.0 data is updated; `down` also runs in this version's code, before
 * 1.0.0 takes over the data again.
 */
export const v1_1_0 = VersionInfo.of({
  version: '1.1.0:0',
  releaseNotes: 'The file model moves to schema 2.',
  migrations: {
    up: async ({ effects }) => {
      await store.merge(effects, { schema: 2 })
      await logMigration('up to 1.1.0:0')
    },
    down: async ({ effects }) => {
      await store.merge(effects, { schema: 1 })
      await logMigration('down from 1.1.0:0')
    },
  },
})
