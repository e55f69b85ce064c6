import { useEffect, useRef, useState } from 'preact/hooks'
import type { PatchDb } from '../db/patch-db'
import { ErrorMessage } from '../app/widgets'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { LogView } from '../app/LogView'
import { Chart } from '../app/Chart'
import { followJson } from '../rpc/continuation'
import { go } from '../app/router'
import { SERVER_ADDRESSES_PATH } from './service-model'

type Metrics = {
  general: { temperature: number | null }
  memory: { percentageUsed: number; total: number; used: number }
  cpu: { percentageUsed: number }
  disk: { percentageUsed: number; used: number; capacity: number }
}

/** The server itself: its names, live metrics, its log, power, and what it is. */
export function System({ db }: { db: PatchDb }) {
  return (
    <section>
      <h1>{t('system.title')}</h1>
      <About db={db} />
      <LiveMetrics />
      <h2>{t('system.logs')}</h2>
      <LogView method="server.logs" params={{}} label={t('system.logs')} file="hearth.log" />
      <h2>{t('system.kernel-logs')}</h2>
      <LogView method="server.kernel-logs" params={{}} label={t('system.kernel-logs')} file="kernel.log" />
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
        <dd>
          <span>{hostname}.local</span>
          <br />
          <a href={SERVER_ADDRESSES_PATH} onClick={(e) => (e.preventDefault(), go(SERVER_ADDRESSES_PATH))}>
            {t('addresses.server-link')}
          </a>
        </dd>
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

/** Samples kept for the charts: ten minutes at the daemon's one per 3 s. */
const HISTORY = 200

function LiveMetrics() {
  const [history, setHistory] = useState<Metrics[]>([])
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    let ws: WebSocket | null = null
    let closed = false
    const add = (m: Metrics) => setHistory((h) => [...h.slice(h.length >= HISTORY ? 1 : 0), m])
    rpc.call<{ guid: string; metrics: Metrics }>('server.metrics.follow').then(({ guid, metrics }) => {
      if (closed) return
      add(metrics)
      ws = followJson<Metrics>(guid, add)
    }, setError)
    return () => {
      closed = true
      ws?.close()
    }
  }, [])
  const metrics = history.at(-1)
  // The time axis starts at one minute and grows with the samples, up to HISTORY.
  const span = Math.max(20, history.length)
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1)
  const temperatures = history.map((m) => m.general.temperature).filter((v): v is number => v !== null)
  return (
    <>
      <h2>{t('system.metrics')}</h2>
      <ErrorMessage error={error} />
      {metrics !== undefined && (
        <div class="meters">
          <Meter label={t('system.cpu')} percent={metrics.cpu.percentageUsed} detail="" samples={history.map((m) => m.cpu.percentageUsed)} span={span} />
          <Meter label={t('system.memory')} percent={metrics.memory.percentageUsed} detail={t('system.of', { used: gib(metrics.memory.used), total: gib(metrics.memory.total) })} samples={history.map((m) => m.memory.percentageUsed)} span={span} />
          <Meter label={t('system.disk')} percent={metrics.disk.percentageUsed} detail={t('system.of', { used: gib(metrics.disk.used), total: gib(metrics.disk.capacity) })} samples={history.map((m) => m.disk.percentageUsed)} span={span} />
          <div class="meter">
            <span>{t('system.temperature')}</span>
            <strong>{metrics.general.temperature === null ? t('system.no-sensor') : `${metrics.general.temperature.toFixed(0)} °C`}</strong>
            {metrics.general.temperature !== null && <Chart samples={temperatures} max={110} capacity={span} label={t('system.chart', { what: t('system.temperature'), now: `${metrics.general.temperature.toFixed(0)} °C` })} />}
          </div>
        </div>
      )}
      {metrics !== undefined && <p class="hint">{t('system.chart-span')}</p>}
    </>
  )
}

function Meter({ label, percent, detail, samples, span }: { label: string; percent: number; detail: string; samples: number[]; span: number }) {
  const value = Math.max(0, Math.min(100, percent))
  return (
    <div class="meter">
      <span>{label}</span>
      <strong>{value.toFixed(0)} %</strong>
      <meter min={0} max={100} low={70} high={90} optimum={0} value={value} aria-label={label} />
      {detail !== '' && <span class="hint">{detail}</span>}
      <Chart samples={samples} max={100} capacity={span} label={t('system.chart', { what: label, now: `${value.toFixed(0)} %` })} />
    </div>
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
