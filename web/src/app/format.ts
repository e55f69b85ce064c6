import { language } from '../i18n/catalog'

/** A date and time from the server (RFC 3339) as the UI's language writes it. */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(language.value)
}
