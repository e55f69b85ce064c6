/** "Firefox on Windows" from a User-Agent header, or null when it names neither (a script, the CLI). */
export function deviceName(userAgent: string | null): string | null {
  if (userAgent === null) return null
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /HeadlessChrome\//.test(userAgent) ? 'Headless Chrome'
    : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : null
  const os =
    /iPhone|iPad/.test(userAgent) ? 'iOS'
    : /Android/.test(userAgent) ? 'Android'
    : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
    : /Linux|X11/.test(userAgent) ? 'Linux'
    : null
  if (browser === null) return userAgent.length > 60 ? userAgent.slice(0, 59) + '…' : userAgent
  return os === null ? browser : `${browser} · ${os}`
}
