import { sdk } from './sdk'

/**
 * The page and the copy of hello-world's name, both in this package's volume `main`. The daemon
 * (startos/main.ts) copies hello-world's `name.txt` to `friendPath` every 2 s; busybox httpd
 * serves `www/`, so `GET /friend.txt` shows the name hello-world greets now.
 */
export const pagePath = 'www/index.html'
export const friendPath = 'www/friend.txt'

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The page: the name known when it was written, refreshed from friend.txt by the browser. */
export function page(name: string | null): string {
  const shown = name === null ? 'someone (not known yet)' : escape(name)
  return [
    '<!doctype html><meta charset="utf-8"><title>Hello Friend</title>',
    '<h1>Hello Friend</h1>',
    `<p>Hello World greets <b id="name">${shown}</b>.</p>`,
    '<p><a href="friend.txt">friend.txt</a> holds the name Hello World greets right now.</p>',
    "<script>fetch('friend.txt',{cache:'no-store'}).then(r=>r.ok?r.text():null)",
    ".then(t=>{if(t!==null)document.getElementById('name').textContent=t.trim()},()=>{})</script>",
    '',
  ].join('\n')
}

/** The name hello-world greets, as the daemon last copied it, or null before the first copy. */
export async function readFriendName(): Promise<string | null> {
  try {
    const name = (await sdk.volumes.main.readFile(friendPath, 'utf8')).toString().trim()
    return name === '' ? null : name
  } catch {
    return null
  }
}

export async function writePage(name: string | null): Promise<void> {
  await sdk.volumes.main.writeFile(pagePath, page(name))
}
