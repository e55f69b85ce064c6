import { useState } from 'preact/hooks'
import type { Json } from '../db/json'
import { isObject, member } from '../db/json'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { Confirm } from '../app/Confirm'
import { ErrorMessage } from '../app/widgets'
import { chooseRegistry, registryName } from './model'

/**
 * The registry switcher of the Marketplace: the registries this server browses, the one shown, and
 * adding one (behind the custom-registry warning) or removing one that is not a default.
 */
export function Registries({ registries, current }: { registries: Json | undefined; current: string | null }) {
  const urls = isObject(registries) ? Object.keys(registries) : []
  const [adding, setAdding] = useState('')
  const [asking, setAsking] = useState<'add' | string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const act = async (work: () => Promise<void>) => {
    setAsking(null)
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const add = () =>
    act(async () => {
      const url = adding.trim()
      await rpc.call('marketplace.registry.add', { url })
      setAdding('')
      chooseRegistry(new URL(url).href)
    })
  const removing = asking !== null && asking !== 'add' ? asking : null
  return (
    <div class="registries">
      {current !== null && (
        <>
          <label for="registry">{t('marketplace.registry')}</label>
          <select id="registry" value={current} onChange={(e) => chooseRegistry(e.currentTarget.value)}>
            {urls.map((u) => (
              <option key={u} value={u}>
                {registryName(registries, u)}
              </option>
            ))}
          </select>
          <p class="hint">
            <code>{current}</code>
            {member(registries, current, 'isDefault') !== true && <> · {t('marketplace.custom')}</>}
          </p>
        </>
      )}
      <details class="manage-registries">
        <summary>{t('marketplace.manage')}</summary>
        <ul class="registry-list">
          {urls.map((u) => (
            <li key={u}>
              <span>
                {registryName(registries, u)} <code>{u}</code>
              </span>
              {member(registries, u, 'isDefault') === true ? (
                <span class="badge">{t('marketplace.default')}</span>
              ) : (
                <button type="button" class="danger small" disabled={busy} onClick={() => setAsking(u)}>
                  {t('marketplace.remove', { name: registryName(registries, u) })}
                </button>
              )}
            </li>
          ))}
        </ul>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            setError(null)
            try {
              const u = new URL(adding.trim())
              if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error()
              setAsking('add')
            } catch {
              setError(new Error(t('marketplace.add-invalid')))
            }
          }}
        >
          <label for="registry-url">{t('marketplace.add-label')}</label>
          <input id="registry-url" type="url" placeholder="https://registry.example.com/" value={adding} onInput={(e) => setAdding(e.currentTarget.value)} />
          <button type="submit" disabled={busy || adding.trim() === ''}>
            {t('marketplace.add')}
          </button>
        </form>
      </details>
      <ErrorMessage error={error} />
      <Confirm open={asking === 'add'} id="add-registry" title={t('marketplace.add-title')} confirm={t('marketplace.add')} onConfirm={() => void add()} onCancel={() => setAsking(null)}>
        <p>
          <code>{adding.trim()}</code>
        </p>
        <p class="warning">{t('marketplace.add-warning')}</p>
      </Confirm>
      <Confirm
        open={removing !== null}
        id="remove-registry"
        title={t('marketplace.remove-title', { name: removing === null ? '' : registryName(registries, removing) })}
        confirm={t('marketplace.remove-confirm')}
        danger
        onConfirm={() => removing !== null && void act(() => rpc.call('marketplace.registry.remove', { url: removing }).then(() => undefined))}
        onCancel={() => setAsking(null)}
      >
        <p>{t('marketplace.remove-warning')}</p>
      </Confirm>
    </div>
  )
}

