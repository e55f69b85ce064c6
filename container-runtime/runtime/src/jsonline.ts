/**
 * Newline-delimited JSON over Unix sockets: one message per line, both directions (spec §2.2).
 */
import * as net from 'node:net'

/** Calls `onLine` with every complete line the socket delivers; a partial tail waits for more. */
export function onLines(socket: net.Socket, onLine: (line: string) => void): void {
  let pending = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    pending += chunk
    let end: number
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end)
      pending = pending.slice(end + 1)
      if (line.trim() !== '') onLine(line)
    }
  })
}

/**
 * Sends one message on a fresh connection and resolves with the first line of the answer, parsed.
 * This is how upstream's runtime makes every effect call; the host must accept it.
 */
export function requestOnce(path: string, message: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path })
    let answered = false
    onLines(socket, (line) => {
      if (answered) return
      answered = true
      socket.end()
      try {
        resolve(JSON.parse(line))
      } catch (e) {
        reject(new Error(`malformed reply from ${path}: ${line}`, { cause: e }))
      }
    })
    socket.on('connect', () => socket.write(JSON.stringify(message) + '\n'))
    socket.on('error', (e) => {
      if (!answered) reject(e)
    })
    socket.on('close', () => {
      if (!answered) reject(new Error(`${path} closed the connection without a reply`))
    })
  })
}
