import { t } from '../i18n/catalog'
import type { Progress } from './progress'

/**
 * Follows a progress continuation (`/ws/rpc/<guid>`, rpc.md §3.4): each frame a FullProgress; a
 * normal close (1000) is the end of the work, any other close its failure, with the server's
 * reason. `stop` closes it without reporting either.
 */
export function followProgress(guid: string, onProgress: (p: Progress) => void): { done: Promise<void>; stop: () => void } {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const ws = new WebSocket(`${scheme}//${location.host}/ws/rpc/${encodeURIComponent(guid)}`)
  let stopped = false
  const done = new Promise<void>((resolve, reject) => {
    ws.onmessage = (m) => {
      try {
        onProgress(JSON.parse(String(m.data)) as Progress)
      } catch {
        // a frame that is not progress costs the bar one update
      }
    }
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
