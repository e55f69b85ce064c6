import { sdk } from '../sdk'
import { store } from '../store'

/**
 * A subcontainer used during init: a temporary one on the package's image (gone when the function
 * returns) reads a file only the image has, and the result goes into the file model with `merge`,
 * which changes that one key and keeps the rest of the file.
 */
export const probeImage = sdk.setupOnInit(async (effects, kind) => {
  const release = await sdk.SubContainer.withTemp(
    effects,
    { imageId: 'main' },
    null,
    'init-probe',
    async (sub) => (await sub.execFail(['cat', '/etc/kitchen-release'])).stdout.toString().trim(),
  )
  await store.merge(effects, { initProbe: `${kind ?? 'start'}: ${release}` })
})
