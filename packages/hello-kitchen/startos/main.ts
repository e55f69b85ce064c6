import { sdk } from './sdk'
import { uiPort } from './interfaces'
import { store } from './store'

/** The web server runs as this user of the image (uid 1000), not as root. */
export const cook = 'cook'

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export const main = sdk.setupMain(async ({ effects }) => {
  // `.const(effects)`: main runs again, restarting the daemons, whenever the dish changes.
  const dish = await store.read((s) => s.order?.dish ?? null).const(effects)
  await sdk.volumes.main.writeFile(
    'www/index.html',
    `<!doctype html><title>Hello Kitchen</title><h1>${dish === null ? 'No order yet' : `Cooking ${escape(dish)}`}</h1>\n`,
  )

  const mounts = sdk.Mounts.of().mountVolume({
    volumeId: 'main',
    subpath: null,
    mountpoint: '/data',
    readonly: false,
  })
  const kitchen = await sdk.SubContainer.of(effects, { imageId: 'main' }, mounts, 'kitchen')
  return (
    sdk.Daemons.of(effects)
      // A oneshot runs to completion before what requires it: the volume is written by root (the
      // lines above), so it gives the web directory to the user the web server runs as.
      .addOneshot('chown', {
        subcontainer: kitchen,
        exec: { command: ['chown', '-R', `${cook}:${cook}`, '/data/www'] },
        requires: [],
      })
      // The web server, as `cook`: it first writes who it runs as into the web directory, which
      // only works once the oneshot has given it that directory.
      .addDaemon('primary', {
        subcontainer: kitchen,
        exec: {
          command: [
            'sh',
            '-c',
            `id -un > /data/www/cook.txt && exec httpd -f -v -p ${uiPort} -h /data/www`,
          ],
          user: cook,
        },
        ready: {
          display: 'Web Interface',
          fn: () =>
            sdk.healthCheck.checkPortListening(effects, uiPort, {
              successMessage: 'The kitchen page is being served',
              errorMessage: 'The web server is not listening',
            }),
        },
        requires: ['chown'],
      })
  )
})
