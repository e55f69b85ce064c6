import { cbc } from '@noble/ciphers/aes.js'
import { p256 } from '@noble/curves/nist.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { b64url, concat, fromB64url, type Primitives } from './jwe'

/**
 * The JWE's primitives in JavaScript, for a page that is not a secure context (plain HTTP at a LAN
 * address has no `crypto.subtle`): the audited `@noble` libraries, the same computation.
 */
export const javascript: Primitives = {
  async agree(server) {
    const serverPoint = concat(new Uint8Array([4]), fromB64url(server.x), fromB64url(server.y))
    const secret = p256.utils.randomSecretKey()
    const shared = p256.getSharedSecret(secret, serverPoint, true) // compressed: 0x02/0x03 ‖ x
    const ours = p256.getPublicKey(secret, false) // 0x04 ‖ x ‖ y
    return { z: new Uint8Array(shared.slice(1, 33)), x: b64url(ours.slice(1, 33)), y: b64url(ours.slice(33, 65)) }
  },
  sha256: async (data) => new Uint8Array(sha256(data)),
  aesCbc: async (key, iv, data) => new Uint8Array(cbc(key, iv).encrypt(data)), // PKCS#7, as WebCrypto
  hmacSha256: async (key, data) => new Uint8Array(hmac(sha256, key, data)),
}

