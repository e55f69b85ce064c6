import { ed25519ph } from '@noble/curves/ed25519'
import { blake3 } from '@noble/hashes/blake3'
import { randomBytes } from 'node:crypto'
import { sdk } from './sdk'
import { registryPort } from './interfaces'

/**
 * Talking to the running registry from the package's own JavaScript, which runs in the service's
 * container and so reaches the daemon on 127.0.0.1.
 *
 * Renaming the registry and making admins are admin methods, which need a request signed by an
 * admin (rpc.md §2.4). So the package holds its own key, the service key: made at install, kept in
 * the volume (`service-key.pem`, PKCS#8 like a developer key), its public half passed to the
 * registry as `--admin` at every start. Its requests are signed for SERVICE_HOSTNAME, which the
 * registry is told to accept (`--hostname`).
 */
export const SERVICE_HOSTNAME = 'start-registry.startos'
export const serviceKeyPath = 'service-key.pem'
export const servicePublicKeyPath = 'service-key.pub.pem'

// DER prefixes of an Ed25519 key (RFC 8410) and of a signature as StartOS writes it (s9pk.md §12).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const SIGNATURE_PREFIX = Buffer.from('3049300506032b65700440', 'hex')

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

function unpem(label: string, text: string): Buffer {
  const match = text.match(
    new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`),
  )
  if (!match) {
    throw new Error(`not a PEM ${label}`)
  }
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64')
}

/** The PEM SubjectPublicKeyInfo of a raw Ed25519 public key. */
export function publicKeyPem(key: Uint8Array): string {
  return pem('PUBLIC KEY', Buffer.concat([SPKI_PREFIX, key]))
}

/**
 * The raw Ed25519 key in a PEM public key.
 *
 * @throws Error naming what is wrong when it is not one
 */
export function parsePublicKey(text: string): Buffer {
  const der = unpem('PUBLIC KEY', text)
  const prefix = der.subarray(0, SPKI_PREFIX.length)
  if (der.length !== SPKI_PREFIX.length + 32 || !prefix.equals(SPKI_PREFIX)) {
    throw new Error('the PUBLIC KEY is not an Ed25519 key')
  }
  return der.subarray(SPKI_PREFIX.length)
}

/**
 * Makes the service key if the volume has none (a fresh install), and writes its public half, which
 * the daemon reads, from the private one at every init.
 */
export async function ensureServiceKey(): Promise<void> {
  let seed: Buffer
  try {
    seed = await serviceSeed()
  } catch {
    seed = randomBytes(32)
    await sdk.volumes.main.writeFile(
      serviceKeyPath,
      pem('PRIVATE KEY', Buffer.concat([PKCS8_PREFIX, seed])),
    )
  }
  await sdk.volumes.main.writeFile(servicePublicKeyPath, publicKeyPem(ed25519ph.getPublicKey(seed)))
}

async function serviceSeed(): Promise<Buffer> {
  const der = unpem('PRIVATE KEY', (await sdk.volumes.main.readFile(serviceKeyPath)).toString())
  return der.subarray(PKCS8_PREFIX.length)
}

/** `X-StartOS-Auth-Sig` for `body` (rpc.md §2.4): Ed25519ph over the request's facts. */
function signature(seed: Uint8Array, body: Buffer): string {
  const timestamp = BigInt(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(8).readBigUInt64BE()
  const hash = blake3(body)
  const message = Buffer.alloc(56)
  message.writeBigInt64BE(timestamp, 0)
  message.writeBigUInt64BE(nonce, 8)
  message.writeBigUInt64BE(BigInt(body.length), 16)
  Buffer.from(hash).copy(message, 24)
  const sig = ed25519ph.sign(message, seed, { context: Buffer.from(SERVICE_HOSTNAME) })
  const fields = {
    timestamp: timestamp.toString(),
    nonce: nonce.toString(),
    size: String(body.length),
    blake3: Buffer.from(hash).toString('base64').replace(/=+$/, ''),
    signer: publicKeyPem(ed25519ph.getPublicKey(seed)),
    signature: pem('SIGNATURE', Buffer.concat([SIGNATURE_PREFIX, sig])),
  }
  return new URLSearchParams(fields).toString()
}

/** The registry's answer to an error, as an Error that says which method failed and why. */
export class RegistryError extends Error {}

/**
 * Calls `method` on the running registry, signed with the service key when `signed`; its result.
 *
 * @throws RegistryError when the registry cannot be reached or answers an error
 */
export async function call(method: string, params: object, signed: boolean): Promise<unknown> {
  const body = Buffer.from(JSON.stringify({ id: 0, method, params }))
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
  }
  if (signed) {
    headers['X-StartOS-Auth-Sig'] = signature(await serviceSeed(), body)
  }
  let reply: { result?: unknown; error?: { message?: string; data?: { details?: string } } }
  try {
    const response = await fetch(`http://127.0.0.1:${registryPort}/rpc/v0`, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    })
    reply = (await response.json()) as typeof reply
  } catch (e) {
    throw new RegistryError(`the registry does not answer ${method}: ${String(e)}`)
  }
  if (reply.error) {
    const details = reply.error.data?.details
    const why = `${reply.error.message ?? 'error'}${details ? ` (${details})` : ''}`
    throw new RegistryError(`the registry refused ${method}: ${why}`)
  }
  return reply.result
}

export type Info = { name: string | null }

/** The registry's public facts; anyone may ask. */
export async function info(): Promise<Info> {
  return (await call('info', {}, false)) as Info
}
