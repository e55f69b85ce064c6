import { sdk } from './sdk'
import { helloWorldHealthCheck, helloWorldId } from './helloWorld'

/**
 * hello-world must be installed at 1.0.0:0 or later, running, and passing the health check of
 * its daemon `primary` (sent to the host as `set-dependencies`).
 */
export const setDependencies = sdk.setupDependencies(async () => ({
  [helloWorldId]: {
    kind: 'running',
    versionRange: '>=1.0.0:0',
    healthChecks: [helloWorldHealthCheck],
  },
}))
