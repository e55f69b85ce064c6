import { VersionInfo } from '@start9labs/start-sdk'

export const v1_0_0 = VersionInfo.of({
  version: '1.0.0:0',
  releaseNotes: 'First release: a greeting page, a name to set, and a health check.',
  migrations: {},
})
