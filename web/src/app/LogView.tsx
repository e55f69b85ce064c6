import { useEffect, useRef, useState } from 'preact/hooks'
import { t } from '../i18n/catalog'
import { followJson } from '../rpc/continuation'
import { formatTime } from './format'
import { rpc } from './session'
import { ErrorMessage } from './widgets'

type LogEntry = { timestamp: string; message: string; bootId: string }
type LogPage = { entries: LogEntry[]; startCursor: string | null; endCursor: string | null }

const PAGE = 100

/**
 * A log, newest last: the latest page, older pages on demand, following live over `<method>.follow`,
 * and a download of what is shown. `server.logs` and `package.logs` (with `{id}`) take the same calls.
 */
export function LogView({ method, params, label, file }: { method: string; params: Record<string, string>; label: string; file: string }) {
  const [entries, setEntries] = useState<LogEntry[]>([])
  const [older, setOlder] = useState<string | null>(null)
  const [following, setFollowing] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const box = useRef<HTMLPreElement>(null)

  useEffect(() => {
    rpc.call<LogPage>(method, { ...params, limit: PAGE, before: true }).then((page) => {
      setEntries(page.entries)
      setOlder(page.entries.length < PAGE ? null : page.startCursor)
    }, setError)
  }, [method, JSON.stringify(params)])

  useEffect(() => {
    if (!following) return
    let ws: WebSocket | null = null
    let closed = false
    // The newest page again, then every entry after it: the follow's backlog starts at that cursor,
    // so nothing is missed or shown twice between the two calls.
    const start = async () => {
      const page = await rpc.call<LogPage>(method, { ...params, limit: PAGE, before: true })
      const follow = await rpc.call<{ guid: string }>(`${method}.follow`, { ...params, cursor: page.endCursor })
      return { page, guid: follow.guid }
    }
    start().then(({ page, guid }) => {
      if (closed) return
      setEntries(page.entries)
      setOlder(page.entries.length < PAGE ? null : page.startCursor)
      ws = followJson<LogEntry>(guid, (entry) => setEntries((list) => [...list, entry]))
    }, setError)
    return () => {
      closed = true
      ws?.close()
    }
  }, [following, method, JSON.stringify(params)])

  useEffect(() => {
    if (following && box.current) box.current.scrollTop = box.current.scrollHeight
  }, [entries, following])

  const loadOlder = () =>
    rpc.call<LogPage>(method, { ...params, limit: PAGE, cursor: older, before: true }).then((page) => {
      setEntries((list) => [...page.entries, ...list])
      setOlder(page.entries.length < PAGE ? null : page.startCursor)
    }, setError)

  const download = () => {
    const text = entries.map((e) => `${e.timestamp}  ${e.message}`).join('\n') + '\n'
    const a = document.createElement('a')
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }))
    a.download = file
    a.click()
    URL.revokeObjectURL(a.href)
  }

  return (
    <div class="log-view" role="group" aria-label={label}>
      <ErrorMessage error={error} />
      <div class="log-controls">
        <button type="button" disabled={older === null} onClick={() => void loadOlder()}>
          {t('system.logs.older')}
        </button>
        <button type="button" aria-pressed={following} onClick={() => setFollowing((f) => !f)}>
          {following ? t('system.logs.stop') : t('system.logs.follow')}
        </button>
        <button type="button" onClick={download} disabled={entries.length === 0}>
          {t('system.logs.download')}
        </button>
      </div>
      <pre class="logs" ref={box} tabIndex={0} aria-label={label}>
        {entries.map((e) => `${formatTime(e.timestamp)}  ${e.message}`).join('\n')}
      </pre>
    </div>
  )
}

