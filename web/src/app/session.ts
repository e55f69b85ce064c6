import { effect, signal } from '@preact/signals'
import { BrowserTransport } from '../db/browser-transport'
import { member } from '../db/json'
import { PatchDb } from '../db/patch-db'
import { isLanguage, language, type Language } from '../i18n/catalog'
import { ErrorCode, RpcError } from '../rpc/errors'
import { Rpc } from '../rpc/rpc'

/** Which screen the server's state calls for. */
export type Mode =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'diagnostic' }
  | { kind: 'login' }
  | { kind: 'main'; db: PatchDb }
  | { kind: 'unreachable'; error: unknown }

export const mode = signal<Mode>({ kind: 'loading' })

let db: PatchDb | null = null

export const rpc = new Rpc({
  onUnauthorized: () => toLogin(),
  db: () => db,
})

function toLogin(): void {
  db?.stop()
  db = null
  mode.value = { kind: 'login' }
}

/** Logged in: the database copy starts, and the pages read it. */
export function enterMain(): void {
  db?.stop()
  db = new PatchDb(new BrowserTransport(rpc))
  db.start()
  mode.value = { kind: 'main', db }
}

export async function logout(): Promise<void> {
  try {
    await rpc.call('auth.logout')
  } finally {
    toLogin()
  }
}

/**
 * Finds out what the server is: in setup (`state` does not exist there, rpc.md), in diagnostic
 * mode (`state` is "error"), or running, where the database decides between the login and the
 * main screens (subscribing needs a session).
 */
export async function detect(): Promise<void> {
  // Both questions at once: a round trip less before the first screen. A session's check is
  // answered only by a running server; its answer counts only once `state` says it is one.
  const session = probe.call<unknown>('server.time')
  session.catch(() => {}) // in setup or diagnostic mode it fails, and nobody waits for it
  try {
    const state = await probe.call<string>('state')
    if (state === 'error') {
      mode.value = { kind: 'diagnostic' }
      return
    }
  } catch (e) {
    if (e instanceof RpcError && e.code === -32601) {
      mode.value = { kind: 'setup' }
      return
    }
    mode.value = { kind: 'unreachable', error: e }
    return
  }
  try {
    await session
    enterMain()
  } catch (e) {
    if (e instanceof RpcError && e.code === ErrorCode.Authorization) mode.value = { kind: 'login' }
    else mode.value = { kind: 'unreachable', error: e }
  }
}

/** For detect(): an RPC client whose code 34 is an answer, not a reason to show the login. */
const probe = new Rpc({})

const STORED_LANGUAGE = 'hearth.language' // a preference, not a secret: local storage is fine

/** The language chosen before there is a database to keep it in. */
export function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORED_LANGUAGE)
    return isLanguage(v) ? v : null
  } catch {
    return null
  }
}

export function chooseLanguage(lang: Language): void {
  language.value = lang
  try {
    localStorage.setItem(STORED_LANGUAGE, lang)
  } catch {
    // private browsing: the choice lasts this page
  }
}

/** The browser's own language, if it is one of ours. */
export function browserLanguage(): Language {
  for (const l of typeof navigator === 'undefined' ? [] : navigator.languages) {
    const code = l.slice(0, 2).toLowerCase()
    if (isLanguage(code)) return code
  }
  return 'en'
}

// Once logged in, the server's choice wins: the UI's own (`/ui/language`, written with
// `db.put.ui`), else the one made at setup (`serverInfo.language`).
effect(() => {
  const m = mode.value
  if (m.kind !== 'main') return
  const state = m.db.state.value
  if (state === null) return
  const chosen = member(state.value, 'ui', 'language') ?? member(state.value, 'serverInfo', 'language')
  if (isLanguage(chosen)) language.value = chosen
})

effect(() => {
  if (typeof document !== 'undefined') document.documentElement.lang = language.value
})

/** Saves the language on the server, for every browser. */
export async function saveLanguage(lang: Language): Promise<void> {
  chooseLanguage(lang)
  await rpc.call('db.put.ui', { pointer: '/language', value: lang })
}
