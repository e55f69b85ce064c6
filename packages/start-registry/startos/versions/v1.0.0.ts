import { VersionInfo } from '@start9labs/start-sdk'

export const v1_0_0 = VersionInfo.of({
  version: '1.0.0:0',
  releaseNotes: 'First release: a registry served from the data volume, its name and admins set by actions.',
  migrations: {},
})
