import { VersionGraph } from '@start9labs/start-sdk'
import { v1_0_0 } from './v1.0.0'

export const versionGraph = VersionGraph.of({ current: v1_0_0, other: [] })
