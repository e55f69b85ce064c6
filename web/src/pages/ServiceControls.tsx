import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { ErrorMessage } from '../app/widgets'
import type { DisplayedStatus } from '../status/status'
import { canStart, canStop } from './service-model'

/**
 * Start, stop and restart as the displayed status allows, each calling the daemon with the
 * service's id, and what went wrong; `children` go after the buttons (the list's link to the page).
 */
export function ServiceControls({ id, status, children }: { id: string; status: DisplayedStatus; children?: ComponentChildren }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const act = async (method: string) => {
    setBusy(true)
    setError(null)
    try {
      await rpc.call(method, { id })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <div class="controls">
        {canStart(status) && (
          <button type="button" disabled={busy} onClick={() => act('package.start')}>
            {t('services.start')}
          </button>
        )}
        {canStop(status) && (
          <button type="button" disabled={busy} onClick={() => act('package.stop')}>
            {t('services.stop')}
          </button>
        )}
        {status === 'running' && (
          <button type="button" disabled={busy} onClick={() => act('package.restart')}>
            {t('services.restart')}
          </button>
        )}
        {children}
      </div>
      <ErrorMessage error={error} />
    </>
  )
}
