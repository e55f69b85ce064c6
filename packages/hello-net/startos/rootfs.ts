import { T } from '@start9labs/start-sdk'

/**
 * What an image made from a root filesystem says about how to run it, as an OCI image config
 * would: `sdk.useEntrypoint()` runs `entrypoint` + `cmd` as `user` in `workdir` with `env`.
 * Leave a field out for upstream's default (no entrypoint or cmd, root, `/`, the default PATH).
 */
export type RootfsMetadata = {
  entrypoint?: string[] | null
  cmd?: string[] | null
  user?: string
  workdir?: string
  /** `KEY=VALUE` entries */
  env?: string[]
}

/**
 * An image built from a root filesystem directory or tarball, Hearth's replacement for
 * `dockerBuild`/`dockerTag` (Docker is not available where Hearth packs). `{arch}` in the path is
 * replaced by each architecture. The SDK's types know only the Docker sources, so this is the one
 * place that widens the type; `start-cli s9pk pack` reads `{ rootfs, … }` and writes `"packed"`.
 */
export function rootfsImage(
  path: string,
  metadata: RootfsMetadata = {},
): Exclude<T.ImageSource, 'packed'> {
  const source: { rootfs: string } & RootfsMetadata = { rootfs: path, ...metadata }
  return source as unknown as Exclude<T.ImageSource, 'packed'>
}
