import { useState } from 'preact/hooks'
import type { Json } from '../db/json'
import { member } from '../db/json'
import { t } from '../i18n/catalog'
import { CopyButton } from '../app/Copy'
import { Qr } from '../app/Qr'

/**
 * What an action answered (lifecycle.md §3.6, version 1): a title, a message, and a value that is
 * a single string (copyable, as a QR code, masked until revealed) or a group of named values, nested.
 */
export function ActionResult({ result }: { result: Json }) {
  const title = str(member(result, 'title'))
  const message = str(member(result, 'message'))
  const value = member(result, 'result')
  return (
    <div class="action-result" role="status">
      {title !== null && <h3>{title}</h3>}
      {message !== null && <p>{message}</p>}
      {value !== undefined && value !== null && <ResultValue value={value} name={title ?? ''} />}
    </div>
  )
}

function str(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null
}

function ResultValue({ value, name }: { value: Json; name: string }) {
  const type = member(value, 'type')
  if (type === 'single') return <Single value={value} name={name} />
  if (type === 'group') {
    const members = member(value, 'value')
    if (!Array.isArray(members)) return null
    return (
      <dl class="result-group">
        {members.map((m, i) => {
          const memberName = str(member(m, 'name')) ?? ''
          const description = str(member(m, 'description'))
          return (
            <div key={i}>
              <dt>{memberName}</dt>
              <dd>
                {description !== null && <span class="hint">{description}</span>}
                <ResultValue value={m} name={memberName} />
              </dd>
            </div>
          )
        })}
      </dl>
    )
  }
  return null
}

function Single({ value, name }: { value: Json; name: string }) {
  const text = str(member(value, 'value')) ?? ''
  const masked = member(value, 'masked') === true
  const copyable = member(value, 'copyable') === true
  const qr = member(value, 'qr') === true
  const [revealed, setRevealed] = useState(false)
  const [showQr, setShowQr] = useState(false)
  const hidden = masked && !revealed
  return (
    <div class="result-single">
      <code class="result-value">{hidden ? '••••••••••••' : text}</code>
      <span class="result-controls">
        {masked && (
          <button type="button" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)}>
            {revealed ? t('result.hide') : t('result.reveal')}
          </button>
        )}
        {copyable && <CopyButton text={text} label={t('result.copy', { name })} />}
        {qr && (
          <button type="button" aria-pressed={showQr} onClick={() => setShowQr((s) => !s)}>
            {showQr ? t('result.hide-qr') : t('result.show-qr')}
          </button>
        )}
      </span>
      {qr && showQr && (!masked || revealed) && <Qr text={text} label={t('result.qr', { name })} />}
    </div>
  )
}
