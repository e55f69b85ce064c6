import { sdk } from './sdk'
import { uiPort } from './interfaces'
import { helloWorldId, helloWorldNameFile, helloWorldVolume } from './helloWorld'

/** Where hello-world's volume `main` appears (read-only) inside the subcontainer. */
export const friendMount = '/friend'

/**
 * The daemon: every 2 s a background loop copies hello-world's name file to /data/www/friend.txt
 * (removing the copy while there is none), and busybox httpd serves /data/www in the foreground.
 * httpd replaces the shell (exec), so it keeps the shell's pid ($$): the loop ends within 2 s of
 * httpd's end, and a restarted daemon does not leave an old loop behind.
 */
const script = `
export PATH=/bin
mkdir -p /data/www
copy() {
  if [ -r ${friendMount}/${helloWorldNameFile} ]; then
    cmp -s ${friendMount}/${helloWorldNameFile} /data/www/friend.txt ||
      { cp ${friendMount}/${helloWorldNameFile} /data/www/friend.txt.new &&
        mv -f /data/www/friend.txt.new /data/www/friend.txt; }
  else
    rm -f /data/www/friend.txt
  fi
}
copy
(while sleep 2 && kill -0 $$ 2>/dev/null; do copy; done) &
exec httpd -f -v -p ${uiPort} -h /data/www
`

export const main = sdk.setupMain(async ({ effects }) => {
  const mounts = sdk.Mounts.of()
    .mountVolume({
      volumeId: 'main',
      subpath: null,
      mountpoint: '/data',
      readonly: false,
    })
    .mountDependency({
      dependencyId: helloWorldId,
      volumeId: helloWorldVolume,
      subpath: null,
      mountpoint: friendMount,
      readonly: true,
    })
  return sdk.Daemons.of(effects).addDaemon('primary', {
    subcontainer: sdk.SubContainer.of(effects, { imageId: 'main' }, mounts, 'hello-friend'),
    exec: {
      command: ['/bin/sh', '-c', script],
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
