'use strict'
/**
 * Test harness: runs the built runtime (dist/index.js) as a child process between a fake host
 * (the effects server on host.sock) and a client on service.sock, as startd would.
 */
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

const RUNTIME = path.join(__dirname, '..', 'dist', 'index.js')

/** Calls onLine for every complete line a socket delivers. */
function lines(socket, onLine) {
  let pending = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk) => {
    pending += chunk
    let end
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end)
      pending = pending.slice(end + 1)
      if (line) onLine(line)
    }
  })
}

/** Resolves when `predicate` holds, re-checking each time `emitter` says something changed. */
function until(listeners, predicate, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000)
    const check = () => {
      const value = predicate()
      if (value) {
        clearTimeout(timer)
        listeners.delete(check)
        resolve(value)
      }
    }
    listeners.add(check)
    check()
  })
}

/**
 * The host's effects server. Records every call; `answer(method, params, call)` returns the
 * result (or a promise of it) or throws `{code, message, data}` to send an error.
 */
class FakeHost {
  constructor(socketPath, answer = () => null) {
    this.socketPath = socketPath
    this.answer = answer
    this.calls = []
    this.listeners = new Set()
    this.server = net.createServer((socket) => {
      socket.on('error', () => {})
      lines(socket, (line) => this.receive(socket, JSON.parse(line)))
    })
  }

  listen() {
    return new Promise((resolve) => this.server.listen(this.socketPath, resolve))
  }

  async receive(socket, request) {
    const call = { method: request.method, params: request.params, id: request.id }
    this.calls.push(call)
    this.changed()
    let reply
    try {
      reply = { jsonrpc: '2.0', id: request.id, result: (await this.answer(call.method, call.params, call)) ?? null }
    } catch (error) {
      reply = { jsonrpc: '2.0', id: request.id, error }
    }
    socket.write(JSON.stringify(reply) + '\n')
  }

  changed() {
    for (const listener of [...this.listeners]) listener()
  }

  methods() {
    return this.calls.map((c) => c.method)
  }

  /** Waits for a call matching `predicate` (method name or function) and returns it. */
  waitFor(predicate, what = String(predicate)) {
    const test = typeof predicate === 'string' ? (c) => c.method === predicate : predicate
    return until(this.listeners, () => this.calls.find(test), what)
  }

  close() {
    return new Promise((resolve) => this.server.close(resolve))
  }
}

/** A connection to service.sock, as the host holds one: many requests in flight, matched by id. */
class Client {
  constructor(socket) {
    this.socket = socket
    this.nextId = 1
    this.replies = []
    this.listeners = new Set()
    lines(socket, (line) => {
      this.replies.push(JSON.parse(line))
      for (const listener of [...this.listeners]) listener()
    })
  }

  static connect(socketPath) {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath }, () => resolve(new Client(socket)))
      socket.once('error', reject)
    })
  }

  /** Sends a request and resolves with the whole reply object. */
  request(method, params, id = this.nextId++) {
    this.send({ id, method, params })
    return this.reply(id)
  }

  /** Resolves with `result`, or rejects with the error object. */
  async call(method, params) {
    const reply = await this.request(method, params)
    if ('error' in reply) throw Object.assign(new Error(reply.error.message), { rpc: reply.error })
    return reply.result
  }

  notify(method, params) {
    this.send({ method, params })
  }

  send(message) {
    this.socket.write((typeof message === 'string' ? message : JSON.stringify(message)) + '\n')
  }

  reply(id) {
    return until(this.listeners, () => this.replies.find((r) => r.id === id), `reply #${id}`)
  }

  close() {
    this.socket.end()
  }
}

/** A temp directory with host.sock and service.sock paths in it. */
function tempSockets() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-runtime-'))
  return {
    dir,
    hostSock: path.join(dir, 'host.sock'),
    serviceSock: path.join(dir, 'service.sock'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

/**
 * Starts a fake host and the runtime on `bundle`, and connects a client once the runtime says
 * it listens. `answer` is the fake host's answer function.
 */
async function startRuntime({ bundle, answer, env = {} }) {
  const sockets = tempSockets()
  if (env.STALE_SOCKET) fs.writeFileSync(sockets.serviceSock, 'stale')
  const host = new FakeHost(sockets.hostSock, answer)
  await host.listen()
  const child = spawn(process.execPath, [RUNTIME], {
    env: {
      PATH: process.env.PATH,
      HEARTH_SERVICE_SOCK: sockets.serviceSock,
      HEARTH_HOST_SOCK: sockets.hostSock,
      HEARTH_BUNDLE: bundle,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = { stdout: '', stderr: '', listeners: new Set() }
  for (const stream of ['stdout', 'stderr']) {
    child[stream].setEncoding('utf8')
    child[stream].on('data', (chunk) => {
      output[stream] += chunk
      for (const listener of [...output.listeners]) listener()
    })
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  await Promise.race([
    until(output.listeners, () => output.stdout.includes('listening on'), 'the runtime to listen'),
    exited.then((e) => Promise.reject(new Error(`runtime exited early ${JSON.stringify(e)}: ${output.stderr}`))),
  ])
  const client = await Client.connect(sockets.serviceSock)
  return {
    host,
    client,
    child,
    exited,
    output,
    sockets,
    connect: () => Client.connect(sockets.serviceSock),
    /** Waits until the runtime's output contains `text`. */
    logged: (text) =>
      until(output.listeners, () => (output.stdout + output.stderr).includes(text), `log "${text}"`),
    async stop() {
      client.close()
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
      await host.close()
      sockets.cleanup()
    },
  }
}

/** A promise with its resolve function, for answers the test releases itself. */
function deferred() {
  let resolve
  const promise = new Promise((r) => (resolve = r))
  return { promise, resolve }
}

module.exports = { FakeHost, Client, startRuntime, tempSockets, deferred, RUNTIME }
