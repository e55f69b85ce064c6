import { sdk } from './sdk'
import { uiPort } from './interfaces'

export const main = sdk.setupMain(async ({ effects }) => {
  const mounts = sdk.Mounts.of().mountVolume({
    volumeId: 'main',
    subpath: null,
    mountpoint: '/data',
    readonly: false,
  })
  return sdk.Daemons.of(effects).addDaemon('primary', {
    subcontainer: sdk.SubContainer.of(effects, { imageId: 'main' }, mounts, 'hello-world'),
    exec: {
      command: ['/bin/busybox', 'httpd', '-f', '-v', '-p', String(uiPort), '-h', '/data/www'],
    },
    ready: {
      display: 'Web Interface',
      fn: () =>
        sdk.healthCheck.checkPortListening(effects, uiPort, {
          successMessage: 'The web page is being served',
          errorMessage: 'The web server is not listening',
        }),
    },
    requires: [],
  })
})
