/**
 * The `exit` target as the bundle's `uninit` needs it: a parsed exver object, not a string (spec
 * §1.4 item 2). The SDK duck-types it (`satisfiedBy`), so objects from our copy of the SDK work.
 */
// start-core ships inside the SDK package (bundleDependencies); this path pulls in only the
// exver parser, not the whole SDK.
import {
  ExtendedVersion,
  VersionRange,
} from '@start9labs/start-sdk/node_modules/@start9labs/start-core/exver'

export type Target = ExtendedVersion | VersionRange | null

/**
 * An ExtendedVersion if the text is one, else a normalised VersionRange. Text that is neither is
 * an error, not null: null means "uninstall" to the SDK, which would erase the data version.
 */
export function parseTarget(text: string | null): Target {
  if (text === null) return null
  try {
    return ExtendedVersion.parse(text)
  } catch {
    // not a single version: try a range
  }
  try {
    return VersionRange.parse(text).normalize()
  } catch (e) {
    throw new Error(`exit target ${JSON.stringify(text)} is neither an exver version nor a range`, {
      cause: e,
    })
  }
}
