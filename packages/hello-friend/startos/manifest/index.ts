import { setupManifest } from '@start9labs/start-sdk'
import { rootfsImage } from '../rootfs'

// Keep the package id on the only line of this file that has the key "id" and a colon: the
// SDK's s9pk.mk finds the id with awk, printing what follows the first single quote of every
// such line.
export const manifest = setupManifest({
  id: 'hello-friend',
  title: 'Hello Friend',
  license: 'MIT',
  packageRepo: 'https://example.com/hearth/packages/hello-friend',
  upstreamRepo: 'https://busybox.net',
  marketingUrl: 'https://busybox.net',
  donationUrl: null,
  description: {
    short: 'A web page that greets whoever Hello World greets',
    long: 'Hello Friend serves one web page from a busybox web server and shows the name Hello World greets, read from Hello World\'s data volume, which it mounts read-only. It needs Hello World running and healthy, and asks you to make Hello World greet "Friend".',
  },
  volumes: ['main'],
  images: {
    main: {
      // Hearth builds images without Docker: image/rootfs-<arch>.tar is made by `make` from
      // Debian's busybox-static (see the Makefile).
      source: rootfsImage('image/rootfs-{arch}.tar'),
      arch: ['x86_64'],
    },
  },
  dependencies: {
    'hello-world': {
      description: 'Greets whoever hello-world greets',
      optional: false,
      // Build-time only: `start-cli s9pk pack` turns this into dependencies/hello-world/
      // {metadata.json,icon.svg} in the s9pk and drops the key from manifest.json.
      metadata: {
        title: 'Hello World',
        icon: '../hello-world/icon.svg',
      },
    },
  },
})
