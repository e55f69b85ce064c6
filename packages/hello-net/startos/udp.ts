import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'

/**
 * One UDP round trip to `port` on the container's loopback: sends a random datagram and waits for
 * the same bytes to come back. The package's JavaScript runs in the service's container, which
 * shares its network with the daemon's subcontainer, so node's own UDP socket can ask.
 */
export function udpRoundTrip(port: number, timeoutMs = 2000): Promise<boolean> {
  const ping = randomBytes(8).toString('hex')
  const socket = createSocket('udp4')
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.close()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.on('message', (message) => {
      if (message.toString() === ping) {
        done(true)
      }
    })
    socket.on('error', () => done(false))
    socket.send(ping, port, '127.0.0.1')
  })
}
