// An action's input form as data: the SDK's InputSpec (lifecycle.md §3.7), the value a form starts
// from, and the spec's own validation. The form (ActionForm.tsx) only draws what this decides.
import type { Json, JsonObject } from '../db/json'
import { hasKey, isObject, member } from '../db/json'

/** `{ <fieldKey>: ValueSpec }`; key order is display order. */
export type InputSpec = { [key: string]: ValueSpec }

export type RandomSpec = { charset: string; len: number }
export type Pattern = { regex: string; description: string }

type Common = {
  name: string
  description: string | null
  warning: string | null
  disabled?: false | string | string[]
  immutable?: boolean
  footnote?: string | null
}

export type TextSpec = Common & {
  type: 'text'
  required: boolean
  default: string | RandomSpec | null
  patterns: Pattern[]
  minLength: number | null
  maxLength: number | null
  masked: boolean
  inputmode: 'text' | 'email' | 'tel' | 'url'
  placeholder: string | null
  generate: RandomSpec | null
}
export type TextareaSpec = Common & {
  type: 'textarea'
  required: boolean
  default: string | null
  patterns?: Pattern[]
  minLength: number | null
  maxLength: number | null
  minRows?: number
  maxRows?: number
  placeholder: string | null
}
export type NumberSpec = Common & {
  type: 'number'
  required: boolean
  default: number | null
  min: number | null
  max: number | null
  integer: boolean
  step: number | null
  units: string | null
  placeholder: string | null
}
export type ColorSpec = Common & { type: 'color'; required: boolean; default: string | null }
export type DatetimeSpec = Common & {
  type: 'datetime'
  required: boolean
  default: string | null
  inputmode: 'date' | 'time' | 'datetime-local'
  min: string | null
  max: string | null
}
export type ToggleSpec = Common & { type: 'toggle'; default: boolean | null }
export type TriStateSpec = Common & { type: 'triState'; default: boolean | null }
export type SelectSpec = Common & { type: 'select'; values: Record<string, string>; default: string | null }
export type MultiselectSpec = Common & {
  type: 'multiselect'
  values: Record<string, string>
  default: string[]
  minLength: number | null
  maxLength: number | null
}
export type ObjectSpec = Common & { type: 'object'; spec: InputSpec }
export type UniqueBy = null | string | { any: UniqueBy[] } | { all: UniqueBy[] }
export type ListTextItem = Omit<TextSpec, keyof Common | 'required' | 'default' | 'type'> & { type: 'text' }
export type ListObjectItem = { type: 'object'; spec: InputSpec; uniqueBy: UniqueBy; displayAs: string | null }
export type ListSpec = Common & {
  type: 'list'
  spec: ListTextItem | ListObjectItem
  minLength: number | null
  maxLength: number | null
  default: Json[]
}
export type UnionSpec = Common & {
  type: 'union'
  variants: Record<string, { name: string; spec: InputSpec }>
  default: string | null
}
export type FileSpec = Common & { type: 'file'; extensions: string[]; required: boolean }
export type HiddenSpec = { type: 'hidden' }

export type ValueSpec =
  | TextSpec
  | TextareaSpec
  | NumberSpec
  | ColorSpec
  | DatetimeSpec
  | ToggleSpec
  | TriStateSpec
  | SelectSpec
  | MultiselectSpec
  | ObjectSpec
  | ListSpec
  | UnionSpec
  | FileSpec
  | HiddenSpec

/** A random string of `len` characters drawn from `charset` ("a-z,A-Z,0-9,_"), as the SDK makes it. */
export function randomString({ charset, len }: RandomSpec, random: (n: number) => number = secureRandom): string {
  const chars = charsetChars(charset)
  if (chars.length === 0) return ''
  let out = ''
  for (let i = 0; i < len; i++) out += chars[random(chars.length)]
  return out
}

/** The characters of a charset: comma-separated single characters and `x-y` ranges. */
export function charsetChars(charset: string): string[] {
  const out = new Set<string>()
  for (const part of charset.split(',')) {
    const cps = [...part]
    if (cps.length === 3 && cps[1] === '-') {
      const from = cps[0]!.codePointAt(0)!
      const to = cps[2]!.codePointAt(0)!
      for (let c = Math.min(from, to); c <= Math.max(from, to); c++) out.add(String.fromCodePoint(c))
    } else if (cps.length === 1) {
      out.add(cps[0]!)
    } else if (part === '') {
      out.add(',') // "a,,b": the empty part between two commas is the comma itself
    }
  }
  return [...out]
}

/** A uniform integer below n, from the browser's CSPRNG (rejection sampling, no modulo bias). */
function secureRandom(n: number): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n
  const word = new Uint32Array(1)
  for (;;) {
    crypto.getRandomValues(word)
    if (word[0]! < limit) return word[0]! % n
  }
}

/** What a field holds before anyone touches it. */
export function defaultOf(spec: ValueSpec): Json {
  switch (spec.type) {
    case 'text':
      return spec.default === null ? null : typeof spec.default === 'string' ? spec.default : randomString(spec.default)
    case 'textarea':
    case 'number':
    case 'color':
    case 'datetime':
    case 'select':
      return spec.default ?? null
    case 'toggle':
      return spec.default ?? false
    case 'triState':
      return spec.default ?? null
    case 'multiselect':
      return [...(spec.default ?? [])]
    case 'object':
      return defaults(spec.spec)
    case 'list':
      return structuredClone(spec.default ?? [])
    case 'union':
      return spec.default === null || !hasKey(spec.variants, spec.default)
        ? null
        : { selection: spec.default, value: defaults(spec.variants[spec.default]!.spec) }
    case 'file':
    case 'hidden':
      return null
  }
}

export function defaults(spec: InputSpec): JsonObject {
  const out: JsonObject = {}
  for (const [key, field] of Object.entries(spec)) put(out, key, defaultOf(field))
  return out
}

/**
 * The value a form opens with: the spec's defaults, then the service's current settings, then the
 * task's prefill on top (objects merged key by key, anything else replaced).
 */
export function initialValue(spec: InputSpec, current: Json | undefined, prefill: Json | undefined): JsonObject {
  let value: Json = defaults(spec)
  if (isObject(current)) value = merge(value, current)
  if (isObject(prefill)) value = merge(value, prefill)
  return value as JsonObject
}

function merge(base: Json, top: Json): Json {
  if (!isObject(base) || !isObject(top)) return structuredClone(top)
  const out: JsonObject = { ...base }
  for (const [k, v] of Object.entries(top)) put(out, k, hasKey(base, k) ? merge(base[k]!, v) : structuredClone(v))
  return out
}

/** A path into the form's value: object keys and list indexes. */
export type FieldPath = (string | number)[]

export type Problem = { path: FieldPath; message: ProblemMessage }
export type ProblemMessage =
  | { kind: 'required' }
  | { kind: 'pattern'; description: string }
  | { kind: 'too-short'; min: number }
  | { kind: 'too-long'; max: number }
  | { kind: 'too-small'; min: number }
  | { kind: 'too-large'; max: number }
  | { kind: 'not-integer' }
  | { kind: 'too-few'; min: number }
  | { kind: 'too-many'; max: number }
  | { kind: 'not-unique' }
  | { kind: 'not-a-choice' }
  | { kind: 'not-a-color' }
  | { kind: 'not-a-date' }
  | { kind: 'date-too-early'; min: string }
  | { kind: 'date-too-late'; max: string }

/** Every way `value` fails `spec`, each at the field it belongs to; empty when it may be sent. */
export function validate(spec: InputSpec, value: Json): Problem[] {
  const problems: Problem[] = []
  checkObject(spec, value, [], problems)
  return problems
}

function checkObject(spec: InputSpec, value: Json, at: FieldPath, out: Problem[]): void {
  for (const [key, field] of Object.entries(spec)) checkField(field, member(value, key) ?? null, [...at, key], out)
}

function checkField(spec: ValueSpec, v: Json, at: FieldPath, out: Problem[]): void {
  const problem = (message: ProblemMessage): void => {
    out.push({ path: at, message })
  }
  switch (spec.type) {
    case 'text':
    case 'textarea': {
      if (v === null || v === '') {
        if (spec.required) problem({ kind: 'required' })
        return
      }
      if (typeof v !== 'string') return problem({ kind: 'required' })
      checkText(v, spec.minLength, spec.maxLength, spec.patterns ?? [], problem)
      return
    }
    case 'number': {
      if (v === null) {
        if (spec.required) problem({ kind: 'required' })
        return
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) return problem({ kind: 'required' })
      if (spec.integer && !Number.isInteger(v)) problem({ kind: 'not-integer' })
      if (spec.min !== null && v < spec.min) problem({ kind: 'too-small', min: spec.min })
      if (spec.max !== null && v > spec.max) problem({ kind: 'too-large', max: spec.max })
      return
    }
    case 'color': {
      if (v === null) {
        if (spec.required) problem({ kind: 'required' })
        return
      }
      if (typeof v !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(v)) problem({ kind: 'not-a-color' })
      return
    }
    case 'datetime': {
      if (v === null || v === '') {
        if (spec.required) problem({ kind: 'required' })
        return
      }
      if (typeof v !== 'string' || !dateShape(spec.inputmode).test(v)) return problem({ kind: 'not-a-date' })
      // Same shape on both sides, so comparing the strings compares the moments.
      if (spec.min !== null && v < spec.min) problem({ kind: 'date-too-early', min: spec.min })
      if (spec.max !== null && v > spec.max) problem({ kind: 'date-too-late', max: spec.max })
      return
    }
    case 'toggle':
      if (typeof v !== 'boolean') problem({ kind: 'required' })
      return
    case 'triState':
      if (v !== null && typeof v !== 'boolean') problem({ kind: 'required' })
      return
    case 'select':
      if (typeof v !== 'string' || !hasKey(spec.values, v)) problem({ kind: v === null ? 'required' : 'not-a-choice' })
      return
    case 'multiselect': {
      const keys = Array.isArray(v) ? v : []
      if (keys.some((k) => typeof k !== 'string' || !hasKey(spec.values, k))) problem({ kind: 'not-a-choice' })
      checkCount(keys.length, spec.minLength, spec.maxLength, problem)
      return
    }
    case 'object':
      checkObject(spec.spec, v, at, out)
      return
    case 'list': {
      const items = Array.isArray(v) ? v : []
      checkCount(items.length, spec.minLength, spec.maxLength, problem)
      const item = spec.spec
      items.forEach((entry, i) => {
        if (item.type === 'text') {
          const itemProblem = (message: ProblemMessage): void => {
            out.push({ path: [...at, i], message })
          }
          if (typeof entry !== 'string' || entry === '') itemProblem({ kind: 'required' })
          else checkText(entry, item.minLength, item.maxLength, item.patterns ?? [], itemProblem)
        } else {
          checkObject(item.spec, entry, [...at, i], out)
        }
      })
      const unique = item.type === 'text' ? '' : item.uniqueBy
      items.forEach((entry, i) => {
        if (items.slice(0, i).some((earlier) => sameBy(unique, earlier, entry))) out.push({ path: [...at, i], message: { kind: 'not-unique' } })
      })
      return
    }
    case 'union': {
      const selection = member(v, 'selection')
      if (typeof selection !== 'string' || !hasKey(spec.variants, selection)) return problem({ kind: 'required' })
      checkObject(spec.variants[selection]!.spec, member(v, 'value') ?? null, [...at, 'value'], out)
      return
    }
    case 'file':
      if (v === null && spec.required) problem({ kind: 'required' })
      return
    case 'hidden':
      return
  }
}

function checkText(
  v: string,
  min: number | null,
  max: number | null,
  patterns: Pattern[],
  problem: (m: ProblemMessage) => void,
): void {
  const length = [...v].length
  if (min !== null && length < min) problem({ kind: 'too-short', min })
  if (max !== null && length > max) problem({ kind: 'too-long', max })
  for (const p of patterns) {
    if (!matches(p.regex, v)) problem({ kind: 'pattern', description: p.description })
  }
}

/** A package's pattern, as ECMAScript reads it; one that does not compile refuses nothing. */
function matches(regex: string, v: string): boolean {
  try {
    return new RegExp(regex).test(v)
  } catch {
    return true
  }
}

function checkCount(n: number, min: number | null, max: number | null, problem: (m: ProblemMessage) => void): void {
  if (min !== null && n < min) problem({ kind: 'too-few', min })
  if (max !== null && n > max) problem({ kind: 'too-many', max })
}

function dateShape(mode: DatetimeSpec['inputmode']): RegExp {
  return mode === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : mode === 'time' ? /^\d{2}:\d{2}(:\d{2})?$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/
}

/**
 * Whether two list items collide under `uniqueBy`: `''` compares whole values (a list of texts),
 * `null` never collides, a key compares that field, `any`/`all` combine.
 */
export function sameBy(by: UniqueBy | '', a: Json, b: Json): boolean {
  if (by === '') return JSON.stringify(a) === JSON.stringify(b)
  if (by === null) return false
  if (typeof by === 'string') {
    const x = member(a, by)
    return x !== undefined && x !== null && JSON.stringify(x) === JSON.stringify(member(b, by))
  }
  if ('any' in by) return by.any.some((u) => sameBy(u, a, b))
  return by.all.length > 0 && by.all.every((u) => sameBy(u, a, b))
}

/** The fields the form shows, in order (hidden ones are carried, not drawn). */
export function visibleFields(spec: InputSpec): [string, Exclude<ValueSpec, HiddenSpec>][] {
  return Object.entries(spec).filter((e): e is [string, Exclude<ValueSpec, HiddenSpec>] => e[1].type !== 'hidden')
}

/** The value with `path` set to `v`; the rest is shared, not copied. */
export function setAt(value: Json, path: FieldPath, v: Json): Json {
  if (path.length === 0) return v
  const [head, ...rest] = path
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...value] : []
    list[head] = setAt(list[head] ?? null, rest, v)
    return list
  }
  const obj: JsonObject = isObject(value) ? { ...value } : {}
  put(obj, head!, setAt(hasKey(obj, head!) ? obj[head!]! : null, rest, v))
  return obj
}

/** The value at `path`, or null. */
export function getAt(value: Json, path: FieldPath): Json {
  let node: Json | undefined = value
  for (const k of path) {
    if (typeof k === 'number') node = Array.isArray(node) ? node[k] : undefined
    else node = member(node, k)
    if (node === undefined) return null
  }
  return node ?? null
}

/** Sets an own property, even one named `__proto__` (plain assignment would replace the prototype). */
export function put(o: JsonObject, key: string, v: Json): void {
  Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true })
}
