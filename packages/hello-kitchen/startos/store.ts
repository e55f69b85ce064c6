import { FileHelper, z } from '@start9labs/start-sdk'
import { sdk } from './sdk'
import { orderSpec } from './actions/orderSpec'

/**
 * The file model: `store.json` in the `main` volume, read and written through the SDK's
 * `FileHelper`. Every field has a `.catch` default, so a missing or older file still reads.
 *
 * - `order`: the last order placed with the Place Order action, exactly as the form gave it.
 * - `initProbe`: what init's temporary subcontainer read from the image, and for which kind of
 *   init (install, update, restore, or a plain container start).
 * - `schema`: the data version the migrations keep: 1 for 1.0.0, 2 for 1.1.0.
 */
export const store = FileHelper.json(
  { base: sdk.volumes.main, subpath: 'store.json' },
  z.object({
    order: orderSpec.validator.nullable().catch(null),
    initProbe: z.string().nullable().catch(null),
    schema: z.number().catch(1),
  }),
)
