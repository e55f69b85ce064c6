/** A FullProgress as the daemon sends it: `overall` is true/false/null or {done, total}. */
export type Progress = { overall: unknown; phases?: { name: string; progress: unknown }[] }

/** How far along, 0..1, or null when the total is not known (the bar then just moves). */
export function overall(p: Progress | null | undefined): number | null {
  return fraction(p?.overall)
}

export function fraction(v: unknown): number | null {
  if (v === true) return 1
  if (v === false || v === null || v === undefined) return v === false ? 0 : null
  if (typeof v === 'object') {
    const { done, total } = v as { done?: unknown; total?: unknown }
    if (typeof done === 'number' && typeof total === 'number' && total > 0) return Math.min(1, Math.max(0, done / total))
  }
  return null
}
