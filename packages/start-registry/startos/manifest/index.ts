import { setupManifest } from '@start9labs/start-sdk'
import { rootfsImage } from '../rootfs'

export const manifest = setupManifest({
  id: 'start-registry',
  title: 'Start Registry',
  license: 'MIT',
  packageRepo: 'https://example.com/hearth/packages/start-registry',
  upstreamRepo: 'https://example.com/hearth/start-registry',
  marketingUrl: 'https://example.com/hearth',
  donationUrl: null,
  description: {
    short: 'Your own registry of service packages',
    long: 'Start Registry lists service packages and serves their files, as the registries a server browses in its Marketplace do. Publish your own packages to it with start-cli, and add it to any server\'s Marketplace. Its packages and its database live in its data volume, which backups include.',
  },
  volumes: ['main'],
  images: {
    main: {
      // Made offline, without a registry: image/rootfs-<arch>.tar is made by `make` from a jlink
      // Java runtime, the registry's jar and this machine's glibc (see the Makefile).
      source: rootfsImage('image/rootfs-{arch}.tar'),
      arch: ['x86_64'],
    },
  },
  dependencies: {},
})
