import { setupManifest } from '@start9labs/start-sdk'
import { rootfsImage } from '../rootfs'

// Keep the package id on the only line of this file that has the key "id" and a colon: the
// SDK's s9pk.mk finds the id with awk, printing what follows the first single quote of every
// such line.
export const manifest = setupManifest({
  id: 'hello-kitchen',
  title: 'Hello Kitchen',
  license: 'MIT',
  packageRepo: 'https://example.com/hearth/packages/hello-kitchen',
  upstreamRepo: 'https://busybox.net',
  marketingUrl: 'https://busybox.net',
  donationUrl: null,
  description: {
    short: 'Takes your order through a form with every kind of field',
    long: 'Hello Kitchen keeps one order in a JSON file in its data volume and serves a page about it. Its Place Order action has one field of every kind the SDK offers. It shows a file model, a oneshot that fixes file owners before the daemon starts, a subcontainer used during init, and data migrations between two versions.',
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
  dependencies: {},
})
