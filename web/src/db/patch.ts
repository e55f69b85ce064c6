import { hasKey, isObject, type Json, type JsonObject } from './json'
import { arrayIndex, parsePointer, PointerError } from './pointer'

/** The three RFC 6902 operations the daemon sends (patchdb.md §3). */
export type Operation =
  | { op: 'add'; path: string; value: Json }
  | { op: 'replace'; path: string; value: Json }
  | { op: 'remove'; path: string }

/** A patch that does not fit the document: the copy has drifted from the server's. */
export class PatchError extends Error {
  override name = 'PatchError'
}

/**
 * Applies `ops` in order and returns the new document; `doc` is left as it was. Only the
 * containers on the changed paths are copied, so everything else keeps its identity and a view
 * that reads it is not redrawn.
 *
 * @throws PatchError if an operation does not fit (a missing parent, a bad index, an unknown op)
 */
export function applyPatch(doc: Json, ops: readonly Operation[]): Json {
  let out = doc
  for (const op of ops) out = applyOne(out, op)
  return out
}

function applyOne(doc: Json, op: Operation): Json {
  let tokens: string[]
  try {
    tokens = parsePointer(op.path)
  } catch (e) {
    throw new PatchError(e instanceof PointerError ? e.message : String(e))
  }
  const last = tokens.pop()
  if (last === undefined) {
    // The whole document; the daemon turns the removal of an ancestor into `replace "" null`.
    if (op.op === 'remove') throw new PatchError('cannot remove the whole document')
    if (op.op !== 'add' && op.op !== 'replace') throw new PatchError(`unknown op ${String((op as { op: unknown }).op)}`)
    return op.value
  }
  return updateAt(doc, tokens, 0, (parent) => change(parent, last, op))
}

/** Rebuilds the containers along `tokens` with `fn` applied to the one at their end. */
function updateAt(node: Json, tokens: readonly string[], i: number, fn: (parent: Json) => Json): Json {
  if (i === tokens.length) return fn(node)
  const token = tokens[i]!
  if (Array.isArray(node)) {
    const index = arrayIndex(token)
    if (index === undefined || index >= node.length) throw new PatchError(`no element ${token}`)
    const copy = node.slice()
    copy[index] = updateAt(node[index]!, tokens, i + 1, fn)
    return copy
  }
  if (isObject(node)) {
    if (!hasKey(node, token)) throw new PatchError(`no member ${JSON.stringify(token)}`)
    return withKey(node, token, updateAt(node[token]!, tokens, i + 1, fn))
  }
  throw new PatchError(`a ${node === null ? 'null' : typeof node} has no member ${JSON.stringify(token)}`)
}

function change(parent: Json, key: string, op: Operation): Json {
  if (Array.isArray(parent)) {
    const copy = parent.slice()
    if (op.op === 'add') {
      const index = key === '-' ? parent.length : arrayIndex(key)
      if (index === undefined || index > parent.length) throw new PatchError(`cannot add at index ${key}`)
      copy.splice(index, 0, op.value)
      return copy
    }
    const index = arrayIndex(key)
    if (index === undefined || index >= parent.length) throw new PatchError(`no element ${key}`)
    if (op.op === 'replace') copy[index] = op.value
    else if (op.op === 'remove') copy.splice(index, 1)
    else throw new PatchError(`unknown op ${String((op as { op: unknown }).op)}`)
    return copy
  }
  if (isObject(parent)) {
    if (op.op === 'add') return withKey(parent, key, op.value)
    if (!hasKey(parent, key)) throw new PatchError(`no member ${JSON.stringify(key)} to ${op.op}`)
    if (op.op === 'replace') return withKey(parent, key, op.value)
    if (op.op === 'remove') return withoutKey(parent, key)
    throw new PatchError(`unknown op ${String((op as { op: unknown }).op)}`)
  }
  throw new PatchError(`a ${parent === null ? 'null' : typeof parent} has no member ${JSON.stringify(key)}`)
}

/** A copy with `key` set, as an own data property (`__proto__` included). */
function withKey(o: JsonObject, key: string, value: Json): JsonObject {
  const copy: JsonObject = { ...o }
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

function withoutKey(o: JsonObject, key: string): JsonObject {
  const copy: JsonObject = {}
  for (const k of Object.keys(o)) if (k !== key) Object.defineProperty(copy, k, { value: o[k], enumerable: true, writable: true, configurable: true })
  return copy
}
