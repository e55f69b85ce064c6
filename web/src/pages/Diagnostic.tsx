import { useEffect, useState } from 'preact/hooks'
import { ErrorMessage } from '../app/widgets'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'

type LogPage = { entries: { timestamp: string; message: string }[] }

/** A server that could not start says why (diagnostic mode), with its last log lines. */
export function Diagnostic() {
  const [why, setWhy] = useState<{ code: number; message: string } | null>(null)
  const [logs, setLogs] = useState<LogPage | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    rpc.call<{ code: number; message: string }>('diagnostic.error').then(setWhy, setError)
    rpc.call<LogPage>('diagnostic.logs', { limit: 50 }).then(setLogs, setError)
  }, [])
  return (
    <main>
      <h1>{t('diagnostic.title')}</h1>
      {why !== null && <p class="error">{t('error.with-detail', { sentence: t('error.code', { code: why.code }), detail: why.message })}</p>}
      <ErrorMessage error={error} />
      <h2>{t('diagnostic.logs')}</h2>
      <pre class="logs">{logs?.entries.map((e) => `${e.timestamp}  ${e.message}`).join('\n')}</pre>
    </main>
  )
}
