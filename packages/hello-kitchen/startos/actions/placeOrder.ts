import { sdk } from '../sdk'
import { store } from '../store'
import { orderSpec } from './orderSpec'

export const placeOrder = sdk.Action.withInput(
  'place-order',
  async () => ({
    name: 'Place Order',
    description: 'Order a dish: a form with one field of every kind',
    warning: null,
    allowedStatuses: 'any',
    group: null,
    visibility: 'enabled',
  }),
  orderSpec,
  // The form opens with the last order, and a new ticket number in its hidden field.
  async () => {
    const last = await store.read((s) => s.order).once()
    return last === null ? { ticket: 1 } : { ...last, ticket: last.ticket + 1 }
  },
  async ({ effects, input }) => {
    // Not `merge`: the SDK's merge appends to arrays (sides, guests, extras would collect every
    // order's), so the new order replaces the old one whole.
    const current = await store.read().once()
    await store.write(effects, {
      order: input,
      initProbe: current?.initProbe ?? null,
      schema: current?.schema ?? 1,
    })
    return null
  },
)
