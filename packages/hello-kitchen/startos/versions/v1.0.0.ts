import { VersionInfo } from '@start9labs/start-sdk'

export const v1_0_0 = VersionInfo.of({
  version: '1.0.0:0',
  releaseNotes: 'First release: an order form, a page, and a file model (schema 1).',
  migrations: {},
})
