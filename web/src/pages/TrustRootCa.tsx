import { t } from '../i18n/catalog'

// Setup shows the same six platforms (its PLATFORMS), with Chrome on Linux added here: Chrome
// there keeps its own store, which the system-wide step does not reach.
const PLATFORMS = [
  ['setup.trust.linux.name', 'setup.trust.linux'],
  ['addresses.trust.chrome-linux.name', 'addresses.trust.chrome-linux'],
  ['setup.trust.firefox.name', 'setup.trust.firefox'],
  ['setup.trust.macos.name', 'setup.trust.macos'],
  ['setup.trust.windows.name', 'setup.trust.windows'],
  ['setup.trust.android.name', 'setup.trust.android'],
  ['setup.trust.ios.name', 'setup.trust.ios'],
] as const

/**
 * Where an address's certificate is signed by the server's own root: the root to download
 * (named after the server) and, folded, how each platform is told to trust it.
 */
export function TrustRootCa({ hostname }: { hostname: string }) {
  return (
    <div class="root-ca">
      <h2>{t('addresses.ca.title')}</h2>
      <p class="hint">{t('addresses.ca.why')}</p>
      <p>
        <a href="/static/local-root-ca.crt" download={`${hostname}.crt`}>
          {t('setup.done.ca')}
        </a>
      </p>
      <details>
        <summary>{t('setup.trust.title')}</summary>
        <dl class="trust">
          {PLATFORMS.map(([name, how]) => (
            <div key={name}>
              <dt>{t(name)}</dt>
              <dd>{t(how)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  )
}
