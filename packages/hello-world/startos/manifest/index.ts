import { setupManifest } from '@start9labs/start-sdk'
import { rootfsImage } from '../rootfs'

export const manifest = setupManifest({
  id: 'hello-world',
  title: 'Hello World',
  license: 'MIT',
  packageRepo: 'https://example.com/hearth/packages/hello-world',
  upstreamRepo: 'https://busybox.net',
  marketingUrl: 'https://busybox.net',
  donationUrl: null,
  description: {
    short: 'A web page that greets you by name',
    long: 'Hello World serves one web page from a busybox web server. Its one action sets the name it greets, and it keeps that page in its data volume.',
  },
  volumes: ['main'],
  images: {
    main: {
      // Made offline, without a registry: image/rootfs-<arch>.tar is made by `make` from
      // Debian's busybox-static (see the Makefile).
      source: rootfsImage('image/rootfs-{arch}.tar'),
      arch: ['x86_64'],
    },
  },
  dependencies: {},
})
