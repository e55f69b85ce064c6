/** The ports hello-net serves; the entrypoint reads them from its environment. */
export const udpPort = 7007
/** The external port the UDP interface would like (the daemon picks another if it is taken). */
export const udpExternalPort = 47307
export const range = { start: 47310, size: 4 }

/** The environment that tells the image's entrypoint the same ports. */
export const portsEnv = {
  HELLO_NET_UDP_PORT: String(udpPort),
  HELLO_NET_RANGE_START: String(range.start),
  HELLO_NET_RANGE_SIZE: String(range.size),
}
