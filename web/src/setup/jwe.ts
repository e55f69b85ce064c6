/** The server's setup key, as `setup.get-pubkey` returns it (a P-256 JWK). */
export type ServerKey = { x: string; y: string }

/** A JWE in the flattened JSON form the daemon reads (rpc.md §2.3). */
export type Jwe = { protected: string; encrypted_key: ''; iv: string; ciphertext: string; tag: string }

/** Bytes over an ordinary ArrayBuffer, as WebCrypto takes them. */
export type Bytes = Uint8Array<ArrayBuffer>

/** The primitives the JWE needs. */
export interface Primitives {
  /** A fresh ephemeral key agreed with the server's: the shared x coordinate and our public point. */
  agree(server: ServerKey): Promise<{ z: Bytes; x: string; y: string }>
  sha256(data: Bytes): Promise<Bytes>
  aesCbc(key: Bytes, iv: Bytes, data: Bytes): Promise<Bytes>
  hmacSha256(key: Bytes, data: Bytes): Promise<Bytes>
}

/**
 * The setup password encrypted to the server's key: JWE with ECDH-ES on P-256 (Concat KDF) and
 * A128CBC-HS256, as rpc.md §2.3 says. WebCrypto does it where the page has it; a page opened over
 * plain HTTP at a LAN address is not a secure context and has no `crypto.subtle`, and there the
 * audited `@noble` libraries do the same computation.
 */
export async function encryptPassword(password: string, server: ServerKey, chosen?: Primitives): Promise<Jwe> {
  const primitives = chosen ?? (await available())
  const { z, x, y } = await primitives.agree(server)
  const header = { alg: 'ECDH-ES', enc: 'A128CBC-HS256', epk: { kty: 'EC', crv: 'P-256', x, y } }
  const protectedB64 = b64url(utf8(JSON.stringify(header)))
  const enc = utf8('A128CBC-HS256')
  // Concat KDF (RFC 7518 §4.6.2): one SHA-256 round gives the 256-bit key, MAC half first.
  const cek = await primitives.sha256(concat(u32(1), z, u32(enc.length), enc, u32(0), u32(0), u32(256)))
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(16)) // available without a secure context
  const ciphertext = await primitives.aesCbc(cek.slice(16), iv, utf8(password))
  const aad = utf8(protectedB64)
  const al = new Uint8Array(8)
  new DataView(al.buffer).setUint32(4, aad.length * 8)
  const tag = (await primitives.hmacSha256(cek.slice(0, 16), concat(aad, iv, ciphertext, al))).slice(0, 16)
  return { protected: protectedB64, encrypted_key: '', iv: b64url(iv), ciphertext: b64url(ciphertext), tag: b64url(tag) }
}

/**
 * WebCrypto when the page has it, else the JavaScript implementation, fetched only then (it is
 * most of the weight of a first load).
 */
export async function available(): Promise<Primitives> {
  return globalThis.crypto?.subtle ? webCrypto(globalThis.crypto.subtle) : javascriptPrimitives()
}

/** The `@noble` implementation, loaded on demand. */
export async function javascriptPrimitives(): Promise<Primitives> {
  return (await import('./jwe-noble')).javascript
}

export function webCrypto(subtle: SubtleCrypto): Primitives {
  return {
    async agree(server) {
      const key = await subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: server.x, y: server.y, ext: true }, { name: 'ECDH', namedCurve: 'P-256' }, false, [])
      const eph = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])
      const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: key }, eph.privateKey, 256))
      const jwk = await subtle.exportKey('jwk', eph.publicKey)
      return { z, x: jwk.x!, y: jwk.y! }
    },
    sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', data)),
    async aesCbc(key, iv, data) {
      const k = await subtle.importKey('raw', key, 'AES-CBC', false, ['encrypt'])
      return new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv }, k, data))
    },
    async hmacSha256(key, data) {
      const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      return new Uint8Array(await subtle.sign('HMAC', k, data))
    },
  }
}

export const utf8 = (s: string): Bytes => new Uint8Array(new TextEncoder().encode(s))

function u32(n: number): Bytes {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n)
  return b
}

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export function b64url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

export function fromB64url(s: string): Bytes {
  const bin = atob(s.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (s.length % 4)) % 4))
  return Uint8Array.from(bin, (c) => c.charCodeAt(0))
}
