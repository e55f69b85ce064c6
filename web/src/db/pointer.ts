import { hasKey, isObject, type Json } from './json'

/** A malformed pointer, or one that does not fit the document. */
export class PointerError extends Error {
  override name = 'PointerError'
}

/**
 * The reference tokens of an RFC 6901 JSON pointer: `""` is the whole document, `"/a/b~1c"` is
 * `["a", "b/c"]`.
 */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new PointerError(`not a JSON pointer: ${JSON.stringify(pointer)}`)
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new PointerError(`bad escape in ${JSON.stringify(pointer)}`)
      // ~1 before ~0, so that "~01" reads as "~1" and not as "/".
      return token.replaceAll('~1', '/').replaceAll('~0', '~')
    })
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replaceAll('~', '~0').replaceAll('/', '~1')).join('')
}

/** An array index token: digits without a leading zero (RFC 6901 §4). */
export function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined
}

/** The value at `tokens` in `doc`, or undefined when there is none. */
export function valueAt(doc: Json | undefined, tokens: readonly string[]): Json | undefined {
  let node: Json | undefined = doc
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const i = arrayIndex(token)
      node = i === undefined ? undefined : node[i]
    } else if (isObject(node)) {
      node = hasKey(node, token) ? node[token] : undefined
    } else {
      return undefined
    }
    if (node === undefined) return undefined
  }
  return node
}
