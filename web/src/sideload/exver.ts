/** Versions as exver.md §2–3 define them: enough to say whether a package file updates or downgrades. */
type Segment = number | string
type Version = { numbers: number[]; pre: Segment[] | null }
type ExVer = { flavor: string | null; upstream: Version; downstream: Version }

export function parseVersion(text: string): Version {
  const dash = text.indexOf('-')
  const main = dash < 0 ? text : text.slice(0, dash)
  const numbers = main.split('.').map((n) => {
    if (!/^[0-9]+$/.test(n)) throw new Error(`not a version: ${text}`)
    return Number(n)
  })
  if (dash < 0) return { numbers, pre: null }
  const pre = text
    .slice(dash + 1)
    .split('.')
    .map((s) => {
      if (!/^[0-9A-Za-z-]+$/.test(s)) throw new Error(`not a version: ${text}`)
      return /^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s
    })
  return { numbers, pre }
}

export function parseExver(text: string): ExVer {
  let rest = text
  let flavor: string | null = null
  if (rest.startsWith('#')) {
    const colon = rest.indexOf(':')
    if (colon < 0) throw new Error(`not an extended version: ${text}`)
    flavor = rest.slice(1, colon)
    rest = rest.slice(colon + 1)
  }
  // Split at the colon between upstream and downstream: a prerelease may hold '-', never ':'.
  const colon = rest.indexOf(':')
  if (colon < 0) throw new Error(`not an extended version: ${text}`)
  return { flavor, upstream: parseVersion(rest.slice(0, colon)), downstream: parseVersion(rest.slice(colon + 1)) }
}

/** -1, 0 or 1 (exver.md §3.1). */
export function compareVersion(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.numbers.length, b.numbers.length); i++) {
    const d = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  if (a.pre === null || b.pre === null) return a.pre === b.pre ? 0 : a.pre === null ? 1 : -1
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!
    const y = b.pre[i]!
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1
    if (x !== y) return x < y ? -1 : 1 // numbers numerically, strings by code unit (ASCII here)
  }
  return Math.sign(a.pre.length - b.pre.length)
}

/** -1, 0 or 1; null when the flavors differ: the versions are not comparable (exver.md §3.2). */
export function compareExver(a: string, b: string): number | null {
  const x = parseExver(a)
  const y = parseExver(b)
  if (x.flavor !== y.flavor) return null
  return compareVersion(x.upstream, y.upstream) || compareVersion(x.downstream, y.downstream)
}

/** What installing `incoming` does where `installed` is (or nothing is). */
export type InstallKind = 'install' | 'update' | 'downgrade' | 'reinstall' | 'switch'

export function installKind(incoming: string, installed: string | null): InstallKind {
  if (installed === null) return 'install'
  const c = compareExver(incoming, installed)
  return c === null ? 'switch' : c > 0 ? 'update' : c < 0 ? 'downgrade' : 'reinstall'
}
