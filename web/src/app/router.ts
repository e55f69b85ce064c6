import { signal } from '@preact/signals'

/** The page's path; links change it without a reload (the daemon answers every path with the app). */
export const path = signal(typeof location === 'undefined' ? '/' : location.pathname)

export function go(to: string): void {
  if (to === path.value) return
  history.pushState(null, '', to)
  path.value = to
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => (path.value = location.pathname))
}
