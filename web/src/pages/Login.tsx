import { useState } from 'preact/hooks'
import { ErrorMessage } from '../app/widgets'
import { t } from '../i18n/catalog'
import { enterMain, rpc } from '../app/session'

export function Login() {
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await rpc.call('auth.login', { password, metadata: { platforms: ['web'] } })
      enterMain()
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return (
    <main class="narrow">
      <form onSubmit={submit}>
        <h1>{t('login.title')}</h1>
        <label for="password">{t('login.password')}</label>
        <input id="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" autoFocus />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || password === ''}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  )
}
