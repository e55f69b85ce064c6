import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n/catalog'
import { ErrorMessage } from './widgets'

/**
 * A page whose code loads when it is first shown: the first screen (the services list, or the
 * login) carries only its own code, and the rest comes with the first visit to each page.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null
  let pending: Promise<ComponentType<P>> | null = null
  return function LazyPage(props: P) {
    const [page, setPage] = useState<ComponentType<P> | null>(() => loaded) // a component is a function: not an initializer
    const [error, setError] = useState<unknown>(null)
    useEffect(() => {
      if (page !== null) return
      pending ??= load().then((c) => (loaded = c))
      pending.then(
        (c) => setPage(() => c),
        (e) => {
          pending = null // a later visit tries again
          setError(e)
        },
      )
    }, [])
    if (error !== null) return <ErrorMessage error={error} />
    if (page === null) return <p>{t('common.loading')}</p>
    const Page = page
    return <Page {...props} />
  }
}
