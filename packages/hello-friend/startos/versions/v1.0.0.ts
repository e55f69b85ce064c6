import { VersionInfo } from '@start9labs/start-sdk'

export const v1_0_0 = VersionInfo.of({
  version: '1.0.0:0',
  releaseNotes:
    'First release: a page showing the name Hello World greets, a dependency on Hello World, a task on its Set Name action, a health check and a Say Hello action.',
  migrations: {},
})
