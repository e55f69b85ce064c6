import { VersionGraph } from '@start9labs/start-sdk'
import { v1_0_0 } from './v1.0.0'
import { v1_1_0 } from './v1.1.0'

// The current version, and every version this one can migrate from or to.
export const versionGraph = VersionGraph.of({ current: v1_1_0, other: [v1_0_0] })
