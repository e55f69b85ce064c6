import { describe, expect, it } from 'vitest'
import { readSummary, S9pkError, type Bytes } from '../src/sideload/s9pk'

/** A file in memory, sliced as a browser's File is. */
const bytesOf = (data: Uint8Array): Bytes => ({
  size: data.length,
  slice: (start: number, end: number) => ({ arrayBuffer: async () => data.slice(start, end).buffer as ArrayBuffer }),
})

const u64 = (n: number) => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}
const varint = (n: number) => {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return out
}
const concat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

/** An S9PK v2 laid out as s9pk.md §1–3 say (hashes and signature zero: the reader checks neither). */
function s9pk(files: Record<string, Uint8Array | 'missing'>, tocAt = 155): Uint8Array {
  const names = Object.keys(files)
  // The TOC's size does not depend on positions (all fixed-width): lay it out once to measure.
  const tocOf = (positions: number[]) =>
    concat(
      varint(names.length),
      ...names.map((name, i) => {
        const f = files[name]!
        const nameBytes = new TextEncoder().encode(name)
        return f === 'missing'
          ? concat(varint(nameBytes.length), nameBytes, new Uint8Array(32), u64(0), [0])
          : concat(varint(nameBytes.length), nameBytes, new Uint8Array(32), u64(f.length), [1], u64(positions[i]!))
      }),
    )
  const tocSize = tocOf(names.map(() => 0)).length
  let next = tocAt + tocSize
  const positions = names.map((n) => {
    const f = files[n]!
    const p = next
    if (f !== 'missing') next += f.length
    return p
  })
  const toc = tocOf(positions)
  const header = concat([0x3b, 0x3b, 0x02], new Uint8Array(32 + 64 + 32), u64(tocSize), u64(tocAt), u64(tocSize))
  const gap = new Uint8Array(tocAt - header.length)
  return concat(header, gap, toc, ...names.map((n) => (files[n] === 'missing' ? [] : (files[n] as Uint8Array))))
}

const text = (s: string) => new TextEncoder().encode(s)
const MANIFEST = text(JSON.stringify({ id: 'hello-world', title: 'Hello World', version: '0.4.0:1', images: {} }))
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])

describe('reading a package file in the browser before sending it', () => {
  it('finds the manifest and the largest icon through the root table of contents', async () => {
    const file = s9pk({ 'manifest.json': MANIFEST, 'icon.png': PNG, 'icon.svg': text('<svg/>'), 'LICENSE.md': text('MIT'), 'images': 'missing' })
    const summary = await readSummary(bytesOf(file))
    expect(summary).toMatchObject({ id: 'hello-world', title: 'Hello World', version: '0.4.0:1' })
    expect(summary.icon).toBe('data:image/png;base64,' + btoa(String.fromCharCode(...PNG)))
  })

  it('uses the table where the header says, not where it usually is', async () => {
    const summary = await readSummary(bytesOf(s9pk({ 'manifest.json': MANIFEST }, 400)))
    expect(summary.title).toBe('Hello World')
    expect(summary.icon).toBeNull()
  })

  it('refuses what is not a package, clearly', async () => {
    const good = s9pk({ 'manifest.json': MANIFEST })
    const cases: [Uint8Array, string][] = [
      [text('PK\u0003\u0004 a zip file, not a package at all, long enough to have a header of 155 bytes '.repeat(3)), 'not a service package'],
      [Uint8Array.from([0x3b, 0x3b, 0x01, ...new Uint8Array(200)]), 'old (v1) package'],
      [good.slice(0, 100), 'too short'],
      [good.slice(0, 170), 'outside the file'],
      [s9pk({ 'LICENSE.md': text('MIT') }), 'no manifest'],
      [s9pk({ 'manifest.json': text('{not json') }), 'not JSON'],
      [s9pk({ 'manifest.json': text('{"title":"x"}') }), 'no id or version'],
    ]
    for (const [bytes, says] of cases) {
      await expect(readSummary(bytesOf(bytes)), says).rejects.toThrow(S9pkError)
      await expect(readSummary(bytesOf(bytes)), says).rejects.toThrow(says)
    }
  })

  it('refuses a hostile table: an entry pointing past the end, an unknown type, a size beyond 2^53', async () => {
    const file = s9pk({ 'manifest.json': MANIFEST })
    const past = file.slice()
    // The manifest entry's position is the last 8 bytes of the TOC: point it past the end.
    const tocEnd = file.length - MANIFEST.length
    new DataView(past.buffer).setBigUint64(tocEnd - 8, BigInt(file.length))
    await expect(readSummary(bytesOf(past))).rejects.toThrow('lies outside the file')
    const unknownType = file.slice()
    unknownType[tocEnd - 9] = 7
    await expect(readSummary(bytesOf(unknownType))).rejects.toThrow('unknown entry type 7')
    const huge = file.slice()
    new DataView(huge.buffer).setUint32(3 + 144, 0xffffffff)
    await expect(readSummary(bytesOf(huge))).rejects.toThrow('beyond any file')
  })
})
