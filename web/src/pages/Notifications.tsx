import { useState } from 'preact/hooks'
import { isObject, type Json, type JsonObject } from '../db/json'
import type { PatchDb } from '../db/patch-db'
import { ErrorMessage } from '../app/widgets'
import { t } from '../i18n/catalog'
import { formatTime } from '../app/format'
import { rpc } from '../app/session'

type Notification = { id: number; title: string; message: string; level: string; createdAt: string; seen: boolean }

function asNotification(v: Json): Notification | null {
  if (!isObject(v) || typeof v['id'] !== 'number') return null
  const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '')
  // The level picks a style: only the four the daemon knows, whatever a package posted.
  const level = ['success', 'info', 'warning', 'error'].includes(text('level')) ? text('level') : 'info'
  return { id: v['id'], title: text('title'), message: text('message'), level, createdAt: text('createdAt'), seen: v['seen'] === true }
}

/** The notifications, newest first, live; each marked seen or unseen, or deleted. */
export function Notifications({ db }: { db: PatchDb }) {
  const all = db.select<JsonObject>('/notifications').value
  const [error, setError] = useState<unknown>(null)
  const list = Object.values(all ?? {})
    .map(asNotification)
    .filter((n): n is Notification => n !== null)
    .sort((a, b) => b.id - a.id)
  const call = (method: string, params: object) => rpc.call(method, params).then(() => setError(null), setError)
  const newest = list[0]?.id
  return (
    <section>
      <h1>{t('notifications.title')}</h1>
      {newest !== undefined && list.some((n) => !n.seen) && (
        <button type="button" onClick={() => call('notification.mark-seen-before', { before: newest + 1 })}>
          {t('notifications.all-seen')}
        </button>
      )}
      <ErrorMessage error={error} />
      {list.length === 0 ? (
        <p class="empty">{t('notifications.none')}</p>
      ) : (
        <ul class="notifications">
          {list.map((n) => (
            <li key={n.id} class={`notification level-${n.level} ${n.seen ? 'seen' : 'unseen'}`}>
              <div>
                <strong>{n.title}</strong> <time dateTime={n.createdAt}>{formatTime(n.createdAt)}</time>
                <p>{n.message}</p>
              </div>
              <div class="controls">
                <button type="button" onClick={() => call(n.seen ? 'notification.mark-unseen' : 'notification.mark-seen', { ids: [n.id] })}>
                  {t(n.seen ? 'notifications.mark-unseen' : 'notifications.mark-seen')}
                </button>
                <button type="button" onClick={() => call('notification.remove', { ids: [n.id] })}>
                  {t('notifications.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
