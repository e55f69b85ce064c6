import { VersionInfo } from '@start9labs/start-sdk'

export const v1_0_0 = VersionInfo.of({
  version: '1.0.0:0',
  releaseNotes: 'First release: a UDP echo port and a relay port range.',
  migrations: {},
})
