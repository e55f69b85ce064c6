import { T } from '@start9labs/start-sdk'

/**
 * An image built from a root filesystem directory or tarball, Hearth's source beside `dockerTag`
 * and `dockerBuild` for images made without any registry (offline builds). `{arch}` in the path is
 * replaced by each architecture. The SDK's types know only the Docker sources, so this is the one
 * place that widens the type; `start-cli s9pk pack` reads `{ rootfs }` and writes `"packed"`.
 */
export function rootfsImage(path: string): Exclude<T.ImageSource, 'packed'> {
  const source: { rootfs: string } = { rootfs: path }
  return source as unknown as Exclude<T.ImageSource, 'packed'>
}
