import { encode } from 'uqr'

/**
 * A QR code drawn as SVG rectangles from the encoder's matrix (no markup string is ever parsed), so
 * a package's text only ever becomes modules.
 */
export function Qr({ text, label }: { text: string; label: string }) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 })
  const cells: preact.JSX.Element[] = []
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) cells.push(<rect key={`${x},${y}`} x={x} y={y} width={1} height={1} />)
    }),
  )
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} width={Math.max(160, size * 4)} height={Math.max(160, size * 4)} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <g fill="#000">{cells}</g>
    </svg>
  )
}
