import { signal } from '@preact/signals'
import de from './de'
import en from './en'
import es from './es'
import fr from './fr'
import pl from './pl'

/** The five languages the product names, by their codes (the value `server.set-language` takes). */
export const LANGUAGES = ['en', 'fr', 'de', 'pl', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

export type MessageKey = keyof typeof en
/** A catalog: a sentence for every key of the English one (the compiler checks it). */
export type Catalog = Record<MessageKey, string>

export const CATALOGS: Record<Language, Catalog> = { en, fr, de, pl, es }

/** The UI's language; pages that read it through `t` follow a change at once. */
export const language = signal<Language>('en')

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v)
}

/**
 * The message `key` in `lang`, its `{name}` placeholders filled from `params` (as text: a page
 * renders it as text, never as HTML).
 */
export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return CATALOGS[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  )
}

/** `translate` in the current language. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return translate(language.value, key, params)
}

/** Each language named in itself, so a person finds their own whatever the page shows now. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  pl: 'Polski',
  es: 'Español',
}
