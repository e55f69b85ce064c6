import { t } from '../i18n/catalog'
import type { Progress } from './progress'

/**
 * The WebSocket of continuation `guid` (`/ws/rpc/<guid>`, rpc.md §3.4) on the page's own host,
 * `wss:` when the page is HTTPS. Every stream the UI follows is one.
 */
export function openContinuation(guid: string, where: Pick<Location, 'protocol' | 'host'> = location): WebSocket {
  const scheme = where.protocol === 'https:' ? 'wss:' : 'ws:'
  return new WebSocket(`${scheme}//${where.host}/ws/rpc/${encodeURIComponent(guid)}`)
}

/**
 * Follows a continuation whose frames are JSON values (metrics, log entries, progress); a frame
 * that is not JSON is skipped. Returns the socket, for its close events and for closing it.
 */
export function followJson<T>(guid: string, onFrame: (frame: T) => void): WebSocket {
  const ws = openContinuation(guid)
  ws.onmessage = (m) => {
    let frame: T
    try {
      frame = JSON.parse(String(m.data)) as T
    } catch {
      return // the next frame will do
    }
    onFrame(frame)
  }
  return ws
}

/**
 * Follows a progress continuation: each frame a FullProgress; a normal close (1000) is the end of
 * the work, any other close its failure, with the server's reason. `stop` closes it without
 * reporting either.
 */
export function followProgress(guid: string, onProgress: (p: Progress) => void): { done: Promise<void>; stop: () => void } {
  const ws = followJson(guid, onProgress)
  let stopped = false
  const done = new Promise<void>((resolve, reject) => {
    ws.onclose = (e) => {
      if (stopped) return
      if (e.code === 1000) resolve()
      else reject(new Error(e.reason || t('error.code', { code: e.code })))
    }
  })
  return {
    done,
    stop: () => {
      stopped = true
      ws.close()
    },
  }
}
