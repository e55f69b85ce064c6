/**
 * A small line chart of recent samples (oldest first) on a fixed scale: an SVG polyline, no library.
 * The latest value is in the label, so a screen reader hears what the line shows.
 */
export function Chart({ samples, max, label, capacity }: { samples: number[]; max: number; label: string; capacity: number }) {
  const w = 240
  const h = 60
  const step = w / Math.max(1, capacity - 1)
  const start = capacity - samples.length // the newest sample sits at the right edge
  const points = samples
    .map((v, i) => `${((start + i) * step).toFixed(1)},${(h - (Math.max(0, Math.min(max, v)) / max) * h).toFixed(1)}`)
    .join(' ')
  return (
    <svg class="chart" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <line x1={0} y1={h / 2} x2={w} y2={h / 2} class="grid" />
      {samples.length > 1 && <polyline points={points} fill="none" vector-effect="non-scaling-stroke" />}
    </svg>
  )
}
