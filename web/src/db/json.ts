/** A JSON value as the daemon sends it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export type JsonObject = { [key: string]: Json }

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The member at `keys` below `v` (own properties only), or undefined where there is none. */
export function member(v: Json | undefined, ...keys: string[]): Json | undefined {
  let node = v
  for (const k of keys) {
    if (!isObject(node) || !hasKey(node, k)) return undefined
    node = node[k]
  }
  return node
}

/** An own property only: a key such as `__proto__` in the data is data, never the prototype. */
export function hasKey(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key)
}
