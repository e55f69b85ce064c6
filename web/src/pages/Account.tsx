import { useEffect, useState } from 'preact/hooks'
import { ErrorMessage } from '../app/widgets'
import { t } from '../i18n/catalog'
import { formatTime } from '../app/format'
import { describe } from '../rpc/errors'
import { deviceName } from '../app/device'
import { logout, rpc } from '../app/session'
import { encryptPassword, type ServerKey } from '../setup/jwe'
import { NewPasswordFields, newPasswordProblem } from '../app/NewPassword'

type SessionInfo = { loggedIn: string; lastActive: string; userAgent: string | null }
type SessionList = { current: string | null; sessions: Record<string, SessionInfo> }

/** The sessions (this one marked), ending them, and changing the master password. */
export function Account() {
  const [changes, setChanges] = useState(0) // a password change ends the other sessions
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <Sessions changes={changes} />
      <PasswordChange onChanged={() => setChanges((n) => n + 1)} />
    </section>
  )
}

function Sessions({ changes }: { changes: number }) {
  const [list, setList] = useState<SessionList | null>(null)
  const [error, setError] = useState<unknown>(null)
  // Sessions are private: read over RPC, again after each change this page makes.
  const load = () => rpc.call<SessionList>('auth.session.list').then(setList, setError)
  useEffect(() => void load(), [changes])
  const kill = (id: string) => rpc.call('auth.session.kill', { ids: [id] }).then(load, setError)
  const entries = Object.entries(list?.sessions ?? {}).sort((a, b) => b[1].lastActive.localeCompare(a[1].lastActive))
  return (
    <>
      <h2>{t('account.sessions')}</h2>
      <ErrorMessage error={error} />
      <ul class="sessions">
        {entries.map(([id, s]) => {
          const current = id === list?.current
          return (
            <li key={id} class={current ? 'current' : undefined}>
              <div>
                <strong title={s.userAgent ?? undefined}>{deviceName(s.userAgent) ?? t('account.unknown-device')}</strong>
                {current && <span class="badge">{t('account.this-session')}</span>}
                <p class="hint">
                  {t('account.logged-in', { when: formatTime(s.loggedIn) })} · {t('account.last-active', { when: formatTime(s.lastActive) })}
                </p>
              </div>
              {!current && (
                <button type="button" onClick={() => void kill(id)}>
                  {t('account.kill')}
                </button>
              )}
            </li>
          )
        })}
      </ul>
      <button type="button" onClick={() => void rpc.call('auth.session.kill-all').then(logout, setError)}>
        {t('account.kill-all')}
      </button>
    </>
  )
}

function PasswordChange({ onChanged }: { onChanged: () => void }) {
  const [old, setOld] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setDone(false)
    const wrong = newPasswordProblem(next, again)
    setProblem(wrong)
    if (wrong !== null) return
    setBusy(true)
    try {
      // Both passwords travel encrypted to the server's key, as at setup.
      const key = await rpc.call<ServerKey>('auth.get-pubkey')
      await rpc.call('auth.reset-password', {
        oldPassword: { encrypted: await encryptPassword(old, key) },
        newPassword: { encrypted: await encryptPassword(next, key) },
      })
      setOld('')
      setNext('')
      setAgain('')
      setDone(true)
      onChanged()
    } catch (err) {
      setProblem(describe(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form onSubmit={submit} noValidate class="narrow-form">
      <h2>{t('account.password.title')}</h2>
      <label for="old-password">{t('account.password.old')}</label>
      <input id="old-password" type="password" value={old} onInput={(e) => setOld(e.currentTarget.value)} autoComplete="current-password" />
      <NewPasswordFields
        id="new-password"
        label={t('account.password.new')}
        password={next}
        again={again}
        onPassword={(v) => (setNext(v), setProblem(null))}
        onAgain={(v) => (setAgain(v), setProblem(null))}
      />
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {done && <p role="status">{t('account.password.changed')}</p>}
      <button type="submit" disabled={busy || old === ''}>
        {t('account.password.submit')}
      </button>
    </form>
  )
}
