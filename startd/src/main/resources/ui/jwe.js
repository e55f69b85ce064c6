// The setup password, encrypted to the server's key as rpc.md §2.3 describes: a JWE with
// ECDH-ES (P-256, Concat KDF) and A128CBC-HS256, built from WebCrypto. Used by the page and,
// under Node, by the tests that check the daemon decrypts it.
"use strict";

const utf8 = (s) => new TextEncoder().encode(s);
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n); return b; };
const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };

async function encryptPassword(password, jwk) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) throw new Error("this page must be opened over https or on localhost to encrypt the password");
  const server = await subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true }, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const eph = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const z = new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: server }, eph.privateKey, 256));
  const epk = await subtle.exportKey("jwk", eph.publicKey);
  const header = { alg: "ECDH-ES", enc: "A128CBC-HS256", epk: { kty: "EC", crv: "P-256", x: epk.x, y: epk.y } };
  const protectedB64 = b64url(utf8(JSON.stringify(header)));
  const enc = utf8("A128CBC-HS256");
  const cek = new Uint8Array(await subtle.digest("SHA-256", concat(u32(1), z, u32(enc.length), enc, u32(0), u32(0), u32(256))));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const aes = await subtle.importKey("raw", cek.slice(16), "AES-CBC", false, ["encrypt"]);
  const ct = new Uint8Array(await subtle.encrypt({ name: "AES-CBC", iv }, aes, utf8(password)));
  const mac = await subtle.importKey("raw", cek.slice(0, 16), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const aad = utf8(protectedB64);
  const al = new Uint8Array(8); new DataView(al.buffer).setUint32(4, aad.length * 8);
  const tag = new Uint8Array(await subtle.sign("HMAC", mac, concat(aad, iv, ct, al))).slice(0, 16);
  return { protected: protectedB64, encrypted_key: "", iv: b64url(iv), ciphertext: b64url(ct), tag: b64url(tag) };
}


if (typeof module !== "undefined") module.exports = { encryptPassword };
