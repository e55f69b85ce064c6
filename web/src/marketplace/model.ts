// What the Marketplace pages derive from a registry's answers: pure functions, no components. A
// registry is hostile, so everything it says is read defensively — an icon only as a data: image, a
// link only as http(s), text only as text.
import { signal } from '@preact/signals'
import type { Json, JsonObject } from '../db/json'
import { hasKey, isObject, member } from '../db/json'
import type { Language } from '../i18n/catalog'
import { compareExver, parseExver } from '../sideload/exver'

/** A package's page in the Marketplace. */
export const marketplacePath = (id: string) => `/marketplace/${encodeURIComponent(id)}`

/** A registry's text: one string, or one per locale (`en_US`, `de`, …). */
export function localized(v: Json | undefined, lang: Language): string {
  if (typeof v === 'string') return v
  if (!isObject(v)) return ''
  const keys = Object.keys(v)
  const pick =
    keys.find((k) => k === lang) ??
    keys.find((k) => k.split(/[-_]/)[0] === lang) ??
    keys.find((k) => k === 'en_US' || k === 'en') ??
    keys.find((k) => k.startsWith('en')) ??
    keys[0]
  const text = pick === undefined ? undefined : v[pick]
  return typeof text === 'string' ? text : ''
}

/** An icon the page may show: only an inline image (never a URL the page would fetch). */
export function safeIcon(v: Json | undefined): string | null {
  return typeof v === 'string' && v.startsWith('data:image/') ? v : null
}

/** A link the page may show: http(s) only. */
export function safeLink(v: Json | undefined): string | null {
  if (typeof v !== 'string') return null
  try {
    const u = new URL(v)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}

/** One version of a package as a registry lists it (PackageVersionInfo). */
export type Listed = { version: string; info: JsonObject }

/** Versions newest first: within a flavor by exver; the unflavored line before the flavors. */
export function sortVersions(versions: string[]): string[] {
  const flavor = (v: string) => {
    try {
      return parseExver(v).flavor ?? ''
    } catch {
      return '\uffff' // unreadable last
    }
  }
  return [...versions].sort((a, b) => {
    const fa = flavor(a)
    const fb = flavor(b)
    if (fa !== fb) return fa < fb ? -1 : 1
    try {
      return -(compareExver(a, b) ?? 0)
    } catch {
      return a < b ? -1 : 1
    }
  })
}

/** The flavor of a version, or null for the unflavored line (and for an unreadable version). */
export function flavorOf(version: string): string | null {
  try {
    return parseExver(version).flavor
  } catch {
    return null
  }
}

/** A package in a registry's list: its id, categories and its best version to show. */
export type Card = { id: string; categories: string[]; best: Listed }

/**
 * The cards of `package.get`'s answer for every package ({id: {categories, best: {version: info}}}),
 * sorted by title; the unflavored line shows when there is one.
 */
export function cards(all: Json | undefined, lang: Language): Card[] {
  if (!isObject(all)) return []
  const out: Card[] = []
  for (const [id, entry] of Object.entries(all)) {
    const best = member(entry, 'best')
    if (!isObject(best)) continue
    const versions = sortVersions(Object.keys(best))
    const first = versions[0]
    const info = first === undefined ? undefined : best[first]
    if (first === undefined || !isObject(info)) continue
    const categories = member(entry, 'categories')
    out.push({
      id,
      categories: Array.isArray(categories) ? categories.filter((c): c is string => typeof c === 'string') : [],
      best: { version: first, info },
    })
  }
  return out.sort((a, b) => titleOf(a, lang).localeCompare(titleOf(b, lang), lang))
}

function titleOf(card: Card, lang: Language): string {
  return localized(card.best.info['title'], lang) || card.id
}

/** The cards in `category` (null: all) whose id, title or short description holds every word of `query`. */
export function filterCards(all: Card[], category: string | null, query: string, lang: Language): Card[] {
  const words = query.toLocaleLowerCase(lang).split(/\s+/).filter((w) => w !== '')
  return all.filter((c) => {
    if (category !== null && !c.categories.includes(category)) return false
    const text = [c.id, titleOf(c, lang), localized(member(c.best.info, 'description', 'short'), lang)].join(' ').toLocaleLowerCase(lang)
    return words.every((w) => text.includes(w))
  })
}

/** Every version `marketplace.package` lists (best and others), newest first. */
export function versionsOf(listing: Json | undefined): Listed[] {
  const found = new Map<string, JsonObject>()
  for (const group of ['best', 'otherVersions']) {
    const g = member(listing, group)
    if (!isObject(g)) continue
    for (const [v, info] of Object.entries(g)) if (isObject(info) && !found.has(v)) found.set(v, info)
  }
  return sortVersions([...found.keys()]).map((version) => ({ version, info: found.get(version)! }))
}

/** What installing a version does (MarketplaceApi.Action). */
export type Action = 'install' | 'update' | 'downgrade' | 'switchFlavor' | 'reinstall'

export function actionOf(actions: Json | undefined, version: string): Action {
  const a = isObject(actions) && hasKey(actions, version) ? actions[version] : undefined
  return a === 'update' || a === 'downgrade' || a === 'switchFlavor' || a === 'reinstall' ? a : 'install'
}

/** A dependency as a listing describes it, before anything is installed. */
export type Dependency = { id: string; title: string; optional: boolean }

export function dependenciesOf(info: JsonObject, lang: Language): Dependency[] {
  const deps = info['dependencyMetadata']
  if (!isObject(deps)) return []
  return Object.entries(deps).map(([id, d]) => ({
    id,
    title: localized(member(d, 'title'), lang) || id,
    optional: member(d, 'optional') === true,
  }))
}

/**
 * Where the server reads one file of a listed package before it is installed (rpc.md §1.1
 * `/s9pk/proxy/`): the package's first http(s) URL and the commitment the registry signed, which
 * the server checks the file against. Null when the listing gives neither.
 */
export function proxyPath(info: JsonObject, file: string): string | null {
  const s9pks = info['s9pks']
  const first = Array.isArray(s9pks) ? s9pks[0] : undefined
  const asset = Array.isArray(first) ? first[1] : member(first, 'asset')
  const urls = member(asset, 'urls')
  const url = Array.isArray(urls) ? urls.map((u) => safeLink(u)).find((u) => u !== null) : undefined
  const sighash = member(asset, 'commitment', 'rootSighash')
  const maxsize = member(asset, 'commitment', 'rootMaxsize')
  if (url === undefined || typeof sighash !== 'string' || typeof maxsize !== 'number') return null
  return `/s9pk/proxy/${encodeURIComponent(url)}/${file}?rootSighash=${encodeURIComponent(sighash)}&rootMaxsize=${maxsize}`
}

/** The registry the Marketplace shows, kept across page loads in this browser. */
const KEY = 'hearth.marketplace.registry'
export const chosenRegistry = signal<string | null>(readChoice())

function readChoice(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY)
  } catch {
    return null
  }
}

export function chooseRegistry(url: string): void {
  chosenRegistry.value = url
  try {
    localStorage.setItem(KEY, url)
  } catch {
    // private mode: the choice lasts this page load
  }
}

/** The registry to show: the chosen one if the server still has it, else the first default. */
export function currentRegistry(registries: Json | undefined, chosen: string | null): string | null {
  if (!isObject(registries)) return null
  if (chosen !== null && hasKey(registries, chosen)) return chosen
  const urls = Object.keys(registries)
  return urls.find((u) => member(registries[u], 'isDefault') === true) ?? urls[0] ?? null
}

/** A registry's name as it gave it, or its host while it has not been asked yet. */
export function registryName(registries: Json | undefined, url: string): string {
  const name = member(registries, url, 'name')
  if (typeof name === 'string' && name !== '') return name
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
