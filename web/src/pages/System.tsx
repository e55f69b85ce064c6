import { useEffect, useRef, useState } from 'preact/hooks'
import type { PatchDb } from '../db/patch-db'
import { ErrorMessage } from '../app/widgets'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { formatTime } from '../app/format'
import { followJson } from '../rpc/continuation'

type Metrics = {
  general: { temperature: number | null }
  memory: { percentageUsed: number; total: number; used: number }
  cpu: { percentageUsed: number }
  disk: { percentageUsed: number; used: number; capacity: number }
}
type LogEntry = { timestamp: string; message: string; bootId: string }
type LogPage = { entries: LogEntry[]; startCursor: string | null; endCursor: string | null }

/** The server itself: its names, live metrics, its log, power, and what it is. */
export function System({ db }: { db: PatchDb }) {
  return (
    <section>
      <h1>{t('system.title')}</h1>
      <About db={db} />
      <LiveMetrics />
      <Logs />
      <Power />
    </section>
  )
}

function About({ db }: { db: PatchDb }) {
  const name = db.select<string>('/serverInfo/name').value ?? ''
  const hostname = db.select<string>('/serverInfo/hostname').value ?? ''
  const version = db.select<string>('/serverInfo/version').value ?? ''
  const fingerprint = db.select<string>('/serverInfo/caFingerprint').value
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const rename = async (e: Event) => {
    e.preventDefault()
    if (draft === null || draft.trim() === '') return
    try {
      await rpc.call('server.set-hostname', { name: draft.trim(), hostname: null })
      setDraft(null)
      setError(null)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <>
      <h2>{t('system.about')}</h2>
      <dl class="facts">
        <dt>{t('system.name')}</dt>
        <dd>{name}</dd>
        <dt>{t('system.address')}</dt>
        <dd>{hostname}.local</dd>
        <dt>{t('system.version')}</dt>
        <dd>{version}</dd>
        {fingerprint !== undefined && (
          <>
            <dt>{t('system.ca')}</dt>
            <dd>
              <a href="/static/local-root-ca.crt" download={`${hostname}.crt`}>
                {t('setup.done.ca')}
              </a>
              <br />
              <code class="fingerprint">{fingerprint}</code>
            </dd>
          </>
        )}
      </dl>
      <form onSubmit={rename} class="inline-form">
        <label for="server-name">{t('system.rename')}</label>
        <input id="server-name" value={draft ?? name} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" disabled={draft === null || draft.trim() === '' || draft.trim() === name}>
          {t('system.rename.submit')}
        </button>
      </form>
      <ErrorMessage error={error} />
    </>
  )
}

function LiveMetrics() {
  const [metrics, setMetrics] = useState<Metrics | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    let ws: WebSocket | null = null
    let closed = false
    rpc.call<{ guid: string; metrics: Metrics }>('server.metrics.follow').then(({ guid, metrics }) => {
      if (closed) return
      setMetrics(metrics)
      ws = followJson<Metrics>(guid, setMetrics)
    }, setError)
    return () => {
      closed = true
      ws?.close()
    }
  }, [])
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1)
  return (
    <>
      <h2>{t('system.metrics')}</h2>
      <ErrorMessage error={error} />
      {metrics !== null && (
        <div class="meters">
          <Meter label={t('system.cpu')} percent={metrics.cpu.percentageUsed} detail="" />
          <Meter label={t('system.memory')} percent={metrics.memory.percentageUsed} detail={t('system.of', { used: gib(metrics.memory.used), total: gib(metrics.memory.total) })} />
          <Meter label={t('system.disk')} percent={metrics.disk.percentageUsed} detail={t('system.of', { used: gib(metrics.disk.used), total: gib(metrics.disk.capacity) })} />
          <div class="meter">
            <span>{t('system.temperature')}</span>
            <strong>{metrics.general.temperature === null ? t('system.no-sensor') : `${metrics.general.temperature.toFixed(0)} °C`}</strong>
          </div>
        </div>
      )}
    </>
  )
}

function Meter({ label, percent, detail }: { label: string; percent: number; detail: string }) {
  const value = Math.max(0, Math.min(100, percent))
  return (
    <div class="meter">
      <span>{label}</span>
      <strong>{value.toFixed(0)} %</strong>
      <meter min={0} max={100} low={70} high={90} optimum={0} value={value} aria-label={label} />
      {detail !== '' && <span class="hint">{detail}</span>}
    </div>
  )
}

const PAGE = 100

function Logs() {
  const [entries, setEntries] = useState<LogEntry[]>([])
  const [older, setOlder] = useState<string | null>(null)
  const [following, setFollowing] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const box = useRef<HTMLPreElement>(null)

  useEffect(() => {
    rpc.call<LogPage>('server.logs', { limit: PAGE, before: true }).then((page) => {
      setEntries(page.entries)
      setOlder(page.entries.length < PAGE ? null : page.startCursor)
    }, setError)
  }, [])

  useEffect(() => {
    if (!following) return
    let ws: WebSocket | null = null
    let closed = false
    // The newest page again, then every entry after it: the follow's backlog starts at that cursor,
    // so nothing is missed or shown twice between the two calls.
    const start = async () => {
      const page = await rpc.call<LogPage>('server.logs', { limit: PAGE, before: true })
      const follow = await rpc.call<{ guid: string }>('server.logs.follow', { cursor: page.endCursor })
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
  }, [following])

  useEffect(() => {
    if (following && box.current) box.current.scrollTop = box.current.scrollHeight
  }, [entries, following])

  const loadOlder = () =>
    rpc.call<LogPage>('server.logs', { limit: PAGE, cursor: older, before: true }).then((page) => {
      setEntries((list) => [...page.entries, ...list])
      setOlder(page.entries.length < PAGE ? null : page.startCursor)
    }, setError)

  const download = () => {
    const text = entries.map((e) => `${e.timestamp}  ${e.message}`).join('\n') + '\n'
    const a = document.createElement('a')
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }))
    a.download = 'hearth.log'
    a.click()
    URL.revokeObjectURL(a.href)
  }

  return (
    <>
      <h2>{t('system.logs')}</h2>
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
      <pre class="logs" ref={box} tabIndex={0} aria-label={t('system.logs')}>
        {entries.map((e) => `${formatTime(e.timestamp)}  ${e.message}`).join('\n')}
      </pre>
    </>
  )
}

function Power() {
  const [asking, setAsking] = useState<'restart' | 'shutdown' | null>(null)
  const [sent, setSent] = useState<'restart' | 'shutdown' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    if (asking !== null) dialog.current?.showModal()
    else dialog.current?.close()
  }, [asking])
  const confirm = async () => {
    const what = asking
    setAsking(null)
    if (what === null) return
    try {
      await rpc.call(what === 'restart' ? 'server.restart' : 'server.shutdown', {})
      setSent(what)
    } catch (e) {
      setError(e)
    }
  }
  return (
    <>
      <h2>{t('system.power')}</h2>
      <ErrorMessage error={error} />
      {sent !== null && <p role="status">{t(sent === 'restart' ? 'system.restarting' : 'system.shutting-down')}</p>}
      <div class="log-controls">
        <button type="button" onClick={() => setAsking('restart')}>
          {t('system.restart')}
        </button>
        <button type="button" onClick={() => setAsking('shutdown')}>
          {t('system.shutdown')}
        </button>
      </div>
      <dialog ref={dialog} onClose={() => setAsking(null)} aria-labelledby="power-question">
        <p id="power-question">{t(asking === 'shutdown' ? 'system.shutdown.confirm' : 'system.restart.confirm')}</p>
        <div class="log-controls">
          <button type="button" onClick={() => setAsking(null)}>
            {t('common.cancel')}
          </button>
          <button type="button" class="danger" onClick={() => void confirm()}>
            {t(asking === 'shutdown' ? 'system.shutdown' : 'system.restart')}
          </button>
        </div>
      </dialog>
    </>
  )
}
