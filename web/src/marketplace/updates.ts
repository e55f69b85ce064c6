// The updates every registry offers for what is installed (`marketplace.updates`), shared by the
// Updates page and the badge in the navigation, asked again whenever what is installed changes.
import { computed, signal } from '@preact/signals'
import type { Json } from '../db/json'
import { isObject, member } from '../db/json'
import { rpc } from '../app/session'

export type Updates = { answer: Json | null; error: unknown; asking: boolean }

export const updates = signal<Updates>({ answer: null, error: null, asking: false })

let asked = ''
let generation = 0

/**
 * Asks again when `installed` (a key of what is installed: ids and versions) differs from the last
 * time, or when `force` says so. A slow registry does not hold the others: the daemon asks them
 * side by side and reports a dead one beside the rest.
 */
export function refreshUpdates(installed: string, force = false): void {
  if (!force && installed === asked) return
  asked = installed
  const mine = ++generation
  updates.value = { ...updates.value, asking: true }
  rpc.call<Json>('marketplace.updates', {}).then(
    (answer) => mine === generation && (updates.value = { answer, error: null, asking: false }),
    (error) => mine === generation && (updates.value = { answer: updates.value.answer, error, asking: false }),
  )
}

/** Packages with at least one newer version on some registry. */
export const pendingCount = computed(() => {
  const answer = updates.value.answer
  if (!isObject(answer)) return 0
  const ids = new Set<string>()
  for (const r of Object.values(answer)) {
    const packages = member(r, 'packages')
    if (isObject(packages)) Object.keys(packages).forEach((id) => ids.add(id))
  }
  return ids.size
})
