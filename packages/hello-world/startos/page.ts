import { sdk } from './sdk'

/** The greeting page, kept in the data volume so that the web server (busybox httpd) serves it. */
export const pagePath = 'www/index.html'
export const namePath = 'name.txt'

export function page(name: string): string {
  const safe = name.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return `<!doctype html><title>Hello World</title><h1>Hello, ${safe}!</h1>\n`
}

export async function readName(): Promise<string | null> {
  try {
    return (await sdk.volumes.main.readFile(namePath, 'utf8')).toString().trim()
  } catch {
    return null
  }
}

export async function writeName(name: string): Promise<void> {
  await sdk.volumes.main.writeFile(namePath, name)
  await sdk.volumes.main.writeFile(pagePath, page(name))
}
