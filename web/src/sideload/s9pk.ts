/** What the page reads from a package file before sending it: enough to say what installing does. */
export type PackageSummary = {
  id: string
  title: string
  version: string
  /** A data: URL of the package's icon (the page's CSP allows data: images), or null. */
  icon: string | null
}

/** A file that is not a readable S9PK v2. */
export class S9pkError extends Error {
  override name = 'S9pkError'
}

const MAGIC = [0x3b, 0x3b, 0x02]
const HEADER_END = 3 + 152
const MAX_TOC = 1 << 20 // a root directory of a few entries: a megabyte is far beyond any real one
const MAX_MANIFEST = 1 << 20
const MAX_ICON = 1 << 20
const ICON_TYPES: Record<string, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
}

/** The part of a file the reader needs; a browser File or Blob. */
export interface Bytes {
  readonly size: number
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> }
}

type Entry = { name: string; type: number; size: number; position: number }

/**
 * Reads the manifest and icon of an S9PK v2 file (s9pk.md §1–3, §8) from its header and root
 * table of contents, fetching only those few byte ranges of the file. Nothing is verified here:
 * the signature and hashes are the daemon's to check when the file is installed, and every
 * field shown is the package's own claim.
 *
 * @throws S9pkError if the file is not an S9PK v2 or its header, table or manifest is malformed
 */
export async function readSummary(file: Bytes): Promise<PackageSummary> {
  if (file.size < HEADER_END) throw new S9pkError('too short to be a package')
  const head = new Uint8Array(await file.slice(0, HEADER_END).arrayBuffer())
  if (!MAGIC.every((b, i) => head[i] === b)) {
    throw new S9pkError(head[0] === 0x3b && head[1] === 0x3b ? 'an old (v1) package: sideload it with start-cli, which converts it' : 'not a service package (.s9pk)')
  }
  const view = new DataView(head.buffer)
  const tocPosition = u64(view, 3 + 136)
  const tocSize = u64(view, 3 + 144)
  if (tocSize > MAX_TOC || tocPosition + tocSize > file.size) throw new S9pkError('the table of contents lies outside the file')
  const toc = new Uint8Array(await file.slice(tocPosition, tocPosition + tocSize).arrayBuffer())
  const entries = parseToc(toc, file.size)

  const manifestEntry = entries.get('manifest.json')
  if (manifestEntry === undefined || manifestEntry.type !== 1) throw new S9pkError('the package has no manifest')
  if (manifestEntry.size > MAX_MANIFEST) throw new S9pkError('the manifest is too large')
  let manifest: unknown
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await read(file, manifestEntry)))
  } catch {
    throw new S9pkError('the manifest is not JSON')
  }
  const m = manifest as { id?: unknown; title?: unknown; version?: unknown }
  if (typeof m.id !== 'string' || typeof m.version !== 'string') throw new S9pkError('the manifest has no id or version')
  return {
    id: m.id,
    title: typeof m.title === 'string' ? m.title : m.id,
    version: m.version,
    icon: await icon(file, entries),
  }
}

async function icon(file: Bytes, entries: Map<string, Entry>): Promise<string | null> {
  // The largest icon.* of a known image type, as the daemon picks it.
  let best: { entry: Entry; type: string } | null = null
  for (const entry of entries.values()) {
    const ext = /^icon\.([a-z0-9]+)$/i.exec(entry.name)?.[1]?.toLowerCase()
    const type = ext === undefined ? undefined : ICON_TYPES[ext]
    if (type !== undefined && entry.type === 1 && entry.size <= MAX_ICON && (best === null || entry.size > best.entry.size)) best = { entry, type }
  }
  if (best === null) return null
  const bytes = await read(file, best.entry)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return `data:${best.type};base64,${btoa(binary)}`
}

async function read(file: Bytes, e: Entry): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(e.position, e.position + e.size).arrayBuffer())
}

function parseToc(toc: Uint8Array, fileSize: number): Map<string, Entry> {
  const view = new DataView(toc.buffer, toc.byteOffset, toc.byteLength)
  let at = 0
  const varint = (): number => {
    let value = 0
    for (let shift = 0, i = 0; i < 10; i++, shift += 7) {
      if (at >= toc.length) throw new S9pkError('the table of contents is cut short')
      const b = toc[at++]!
      value += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return value
    }
    throw new S9pkError('a number in the table of contents does not end')
  }
  const need = (n: number) => {
    if (at + n > toc.length) throw new S9pkError('the table of contents is cut short')
  }
  const entries = new Map<string, Entry>()
  const count = varint()
  for (let i = 0; i < count; i++) {
    const nameLength = varint()
    need(nameLength)
    const name = new TextDecoder().decode(toc.subarray(at, at + nameLength))
    at += nameLength
    need(32 + 8 + 1)
    at += 32 // hash
    const size = u64(view, at)
    at += 8
    const type = toc[at++]!
    let position = 0
    if (type === 1 || type === 2) {
      need(8)
      position = u64(view, at)
      at += 8
      if (type === 2) {
        need(8)
        at += 8
      }
    } else if (type !== 0) {
      throw new S9pkError(`unknown entry type ${type} in the table of contents`)
    }
    if (type === 1 && position + size > fileSize) throw new S9pkError(`${name} lies outside the file`)
    entries.set(name, { name, type, size, position })
  }
  return entries
}

/** A u64 big-endian; beyond 2^53 it cannot be a position or size in a file a browser holds. */
function u64(view: DataView, at: number): number {
  const high = view.getUint32(at)
  const low = view.getUint32(at + 4)
  if (high >= 2 ** 21) throw new S9pkError('a size or position beyond any file')
  return high * 2 ** 32 + low
}
