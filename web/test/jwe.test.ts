import { describe, expect, it } from 'vitest'
import { b64url, encryptPassword, fromB64url, webCrypto, type Jwe } from '../src/setup/jwe'
import { javascript } from '../src/setup/jwe-noble'

const subtle = globalThis.crypto.subtle

/** The server's side, written from RFC 7516/7518 with WebCrypto: verify the tag, then decrypt. */
async function decrypt(jwe: Jwe, serverPrivate: CryptoKey): Promise<string> {
  const header = JSON.parse(new TextDecoder().decode(fromB64url(jwe.protected)))
  expect(header).toMatchObject({ alg: 'ECDH-ES', enc: 'A128CBC-HS256', epk: { kty: 'EC', crv: 'P-256' } })
  const epk = await subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: header.epk.x, y: header.epk.y }, { name: 'ECDH', namedCurve: 'P-256' }, false, [])
  const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: epk }, serverPrivate, 256))
  const enc = new TextEncoder().encode('A128CBC-HS256')
  const kdfInput = new Uint8Array([0, 0, 0, 1, ...z, 0, 0, 0, enc.length, ...enc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
  const cek = new Uint8Array(await subtle.digest('SHA-256', new Uint8Array(kdfInput)))
  const aad = new TextEncoder().encode(jwe.protected)
  const al = new Uint8Array(8)
  new DataView(al.buffer).setUint32(4, aad.length * 8)
  const iv = fromB64url(jwe.iv)
  const ct = fromB64url(jwe.ciphertext)
  const mac = await subtle.importKey('raw', cek.slice(0, 16), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const tag = new Uint8Array(await subtle.sign('HMAC', mac, new Uint8Array([...aad, ...iv, ...ct, ...al]))).slice(0, 16)
  expect(b64url(tag)).toBe(jwe.tag)
  const aes = await subtle.importKey('raw', cek.slice(16), 'AES-CBC', false, ['decrypt'])
  return new TextDecoder().decode(await subtle.decrypt({ name: 'AES-CBC', iv }, aes, ct))
}

async function serverKey() {
  const pair = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])
  const jwk = await subtle.exportKey('jwk', pair.publicKey)
  return { privateKey: pair.privateKey, key: { x: jwk.x!, y: jwk.y! } }
}

describe('the setup password JWE (rpc.md §2.3)', () => {
  for (const [name, primitives] of [
    ['WebCrypto', webCrypto(subtle)],
    ['the JavaScript fallback (no secure context)', javascript],
  ] as const) {
    it(`with ${name}, decrypts to the password on the server's side`, async () => {
      const { privateKey, key } = await serverKey()
      for (const password of ['correct horse ✓ battery', 'x'.repeat(16), '']) {
        const jwe = await encryptPassword(password, key, primitives)
        expect(jwe.encrypted_key).toBe('')
        expect(await decrypt(jwe, privateKey)).toBe(password)
      }
    })
  }

  it('uses a fresh ephemeral key and IV every time', async () => {
    const { key } = await serverKey()
    const a = await encryptPassword('same', key, javascript)
    const b = await encryptPassword('same', key, javascript)
    expect(a.protected).not.toBe(b.protected)
    expect(a.iv).not.toBe(b.iv)
  })
})
