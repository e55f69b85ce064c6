import { setupManifest } from '@start9labs/start-sdk'
import { rootfsImage } from '../rootfs'

// Keep the package id on the only line of this file that has the key "id" and a colon: the
// SDK's s9pk.mk finds the id with awk, printing what follows the first single quote of every
// such line.
export const manifest = setupManifest({
  id: 'hello-net',
  title: 'Hello Net',
  license: 'MIT',
  packageRepo: 'https://example.com/hearth/packages/hello-net',
  upstreamRepo: 'http://www.dest-unreach.org/socat/',
  marketingUrl: 'http://www.dest-unreach.org/socat/',
  donationUrl: null,
  description: {
    short: 'Echoes what you send it, over UDP and over a range of ports',
    long: 'Hello Net answers every UDP datagram with the same bytes, on one port and on each port of a small range (which echoes TCP too). It shows a UDP interface, a port range, and a daemon started through its image entrypoint as a non-root user.',
  },
  volumes: ['main'],
  images: {
    main: {
      // Hearth builds images without Docker: image/rootfs-<arch>.tar is made by `make` from
      // Debian's busybox-static and socat (see the Makefile). What a Dockerfile's ENTRYPOINT,
      // CMD, USER, WORKDIR and ENV would say is given beside the root filesystem.
      source: rootfsImage('image/rootfs-{arch}.tar', {
        entrypoint: ['/usr/local/bin/hello-net'],
        cmd: ['serve'],
        user: 'net',
        workdir: '/home/net',
        env: ['HELLO_NET_GREETING=hello from the image'],
      }),
      arch: ['x86_64'],
    },
  },
  dependencies: {},
})
