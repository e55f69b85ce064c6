/*
 * The primitives of a TLS 1.3 handshake that a fresh JVM computes slowest, done by the system's
 * OpenSSL (libcrypto) for dev.hearth.cli.crypto.Libcrypto: verifying an ECDSA P-256 signature over
 * SHA-256 (the server's certificates and its CertificateVerify), X25519, and the public key of a
 * P-256 scalar (the client's two key shares). Everything they read is public except the scalars,
 * whose stack copies are wiped after use.
 *
 * JNI, not the FFM API: a command pays FFM's first downcall with generated classes and method
 * handles (about 35 ms of `util b3sum`'s start), JNI's with a symbol lookup. libcrypto is opened
 * with dlopen at run time, not linked: no OpenSSL headers are needed to build this, and where
 * there is no libcrypto, open() says so and Java keeps the JDK's own implementations.
 */
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>
#include <string.h>

typedef struct evp_pkey EVP_PKEY;
typedef struct evp_pkey_ctx EVP_PKEY_CTX;
typedef struct evp_md_ctx EVP_MD_CTX;
typedef struct evp_md EVP_MD;

#define NID_X25519 1034

static EVP_PKEY *(*d2i_PUBKEY_)(EVP_PKEY **, const unsigned char **, long);
static void (*EVP_PKEY_free_)(EVP_PKEY *);
static EVP_MD_CTX *(*EVP_MD_CTX_new_)(void);
static void (*EVP_MD_CTX_free_)(EVP_MD_CTX *);
static const EVP_MD *(*EVP_sha256_)(void);
static int (*EVP_DigestVerifyInit_)(EVP_MD_CTX *, EVP_PKEY_CTX **, const EVP_MD *, void *,
                                    EVP_PKEY *);
static int (*EVP_DigestVerify_)(EVP_MD_CTX *, const unsigned char *, size_t, const unsigned char *,
                                size_t);
static EVP_PKEY *(*EVP_PKEY_new_raw_private_key_)(int, void *, const unsigned char *, size_t);
static EVP_PKEY *(*EVP_PKEY_new_raw_public_key_)(int, void *, const unsigned char *, size_t);
static int (*EVP_PKEY_get_raw_public_key_)(const EVP_PKEY *, unsigned char *, size_t *);
static EVP_PKEY_CTX *(*EVP_PKEY_CTX_new_)(EVP_PKEY *, void *);
static void (*EVP_PKEY_CTX_free_)(EVP_PKEY_CTX *);
static int (*EVP_PKEY_derive_init_)(EVP_PKEY_CTX *);
static int (*EVP_PKEY_derive_set_peer_)(EVP_PKEY_CTX *, EVP_PKEY *);
static int (*EVP_PKEY_derive_)(EVP_PKEY_CTX *, unsigned char *, size_t *);
static void (*OPENSSL_cleanse_)(void *, size_t);
static void (*ERR_clear_error_)(void);
static EVP_PKEY *(*d2i_AutoPrivateKey_)(EVP_PKEY **, const unsigned char **, long);
static int (*i2d_PUBKEY_)(const EVP_PKEY *, unsigned char **);

#define BIND(handle, name)                                   \
  do {                                                       \
    *(void **)(&name##_) = dlsym(handle, #name);             \
    if (name##_ == NULL) return JNI_FALSE;                   \
  } while (0)

/* Opens libcrypto (3, else 1.1.1, which has every function used here) and finds the functions. */
JNIEXPORT jboolean JNICALL Java_dev_hearth_cli_crypto_Libcrypto_open(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  void *h = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) h = dlopen("libcrypto.so.1.1", RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) return JNI_FALSE;
  BIND(h, d2i_PUBKEY);
  BIND(h, EVP_PKEY_free);
  BIND(h, EVP_MD_CTX_new);
  BIND(h, EVP_MD_CTX_free);
  BIND(h, EVP_sha256);
  BIND(h, EVP_DigestVerifyInit);
  BIND(h, EVP_DigestVerify);
  BIND(h, EVP_PKEY_new_raw_private_key);
  BIND(h, EVP_PKEY_new_raw_public_key);
  BIND(h, EVP_PKEY_get_raw_public_key);
  BIND(h, EVP_PKEY_CTX_new);
  BIND(h, EVP_PKEY_CTX_free);
  BIND(h, EVP_PKEY_derive_init);
  BIND(h, EVP_PKEY_derive_set_peer);
  BIND(h, EVP_PKEY_derive);
  BIND(h, OPENSSL_cleanse);
  BIND(h, ERR_clear_error);
  BIND(h, d2i_AutoPrivateKey);
  BIND(h, i2d_PUBKEY);
  return JNI_TRUE;
}

/*
 * 1 if sig (DER) is a valid ECDSA signature by spki (a DER SubjectPublicKeyInfo, P-256 as Java
 * checked) over SHA-256 of data; 0 if not, or if the key or the signature does not parse.
 */
JNIEXPORT jint JNICALL Java_dev_hearth_cli_crypto_Libcrypto_verifyP256Sha256(
    JNIEnv *env, jclass cls, jbyteArray spki, jbyteArray data, jbyteArray sig) {
  (void)cls;
  jsize spki_len = (*env)->GetArrayLength(env, spki);
  jsize data_len = (*env)->GetArrayLength(env, data);
  jsize sig_len = (*env)->GetArrayLength(env, sig);
  jbyte *k = (*env)->GetPrimitiveArrayCritical(env, spki, NULL);
  jbyte *d = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
  jbyte *s = (*env)->GetPrimitiveArrayCritical(env, sig, NULL);
  jint valid = 0;
  if (k != NULL && d != NULL && s != NULL) {
    const unsigned char *p = (const unsigned char *)k;
    EVP_PKEY *key = d2i_PUBKEY_(NULL, &p, spki_len);
    /* The whole of spki must be the key: nothing after it. */
    if (key != NULL && p == (const unsigned char *)k + spki_len) {
      EVP_MD_CTX *ctx = EVP_MD_CTX_new_();
      if (ctx != NULL && EVP_DigestVerifyInit_(ctx, NULL, EVP_sha256_(), NULL, key) == 1) {
        valid = EVP_DigestVerify_(ctx, (const unsigned char *)s, (size_t)sig_len,
                                  (const unsigned char *)d, (size_t)data_len) == 1;
      }
      EVP_MD_CTX_free_(ctx);
    }
    EVP_PKEY_free_(key);
  }
  ERR_clear_error_(); /* a refusal queues its reasons on this thread; nobody reads them */
  if (s != NULL) (*env)->ReleasePrimitiveArrayCritical(env, sig, s, JNI_ABORT);
  if (d != NULL) (*env)->ReleasePrimitiveArrayCritical(env, data, d, JNI_ABORT);
  if (k != NULL) (*env)->ReleasePrimitiveArrayCritical(env, spki, k, JNI_ABORT);
  return valid;
}

/*
 * X25519 (RFC 7748) of the 32-byte scalar with the 32-byte peer u-coordinate, or with the base
 * point when peer is null (the public key of scalar), into the 32-byte out. False if libcrypto
 * refuses, which it does when the shared secret is all zeros (a peer key of small order).
 */
JNIEXPORT jboolean JNICALL Java_dev_hearth_cli_crypto_Libcrypto_x25519(
    JNIEnv *env, jclass cls, jbyteArray scalar, jbyteArray peer, jbyteArray out) {
  (void)cls;
  if ((*env)->GetArrayLength(env, scalar) != 32 || (*env)->GetArrayLength(env, out) != 32 ||
      (peer != NULL && (*env)->GetArrayLength(env, peer) != 32)) {
    return JNI_FALSE;
  }
  unsigned char secret[32];
  unsigned char u[32];
  unsigned char result[32];
  size_t result_len = sizeof result;
  (*env)->GetByteArrayRegion(env, scalar, 0, 32, (jbyte *)secret);
  if (peer != NULL) (*env)->GetByteArrayRegion(env, peer, 0, 32, (jbyte *)u);
  jboolean ok = JNI_FALSE;
  EVP_PKEY *mine = EVP_PKEY_new_raw_private_key_(NID_X25519, NULL, secret, sizeof secret);
  OPENSSL_cleanse_(secret, sizeof secret);
  if (mine != NULL && peer == NULL) {
    ok = EVP_PKEY_get_raw_public_key_(mine, result, &result_len) == 1 && result_len == 32;
  } else if (mine != NULL) {
    EVP_PKEY *theirs = EVP_PKEY_new_raw_public_key_(NID_X25519, NULL, u, sizeof u);
    EVP_PKEY_CTX *ctx = theirs == NULL ? NULL : EVP_PKEY_CTX_new_(mine, NULL);
    ok = ctx != NULL && EVP_PKEY_derive_init_(ctx) == 1 &&
         EVP_PKEY_derive_set_peer_(ctx, theirs) == 1 &&
         EVP_PKEY_derive_(ctx, result, &result_len) == 1 && result_len == 32;
    EVP_PKEY_CTX_free_(ctx);
    EVP_PKEY_free_(theirs);
  }
  EVP_PKEY_free_(mine);
  ERR_clear_error_();
  if (ok) (*env)->SetByteArrayRegion(env, out, 0, 32, (const jbyte *)result);
  OPENSSL_cleanse_(result, sizeof result);
  return ok;
}

/*
 * The public key of the P-256 private scalar (32 bytes, big-endian, 0 < scalar < n, as Java
 * checked) into out: its DER SubjectPublicKeyInfo, 91 bytes, uncompressed point. libcrypto
 * computes the point when it reads a SEC1 private key that carries none.
 */
JNIEXPORT jboolean JNICALL Java_dev_hearth_cli_crypto_Libcrypto_p256PublicKey(
    JNIEnv *env, jclass cls, jbyteArray scalar, jbyteArray out) {
  (void)cls;
  if ((*env)->GetArrayLength(env, scalar) != 32 || (*env)->GetArrayLength(env, out) != 91) {
    return JNI_FALSE;
  }
  /* SEC1 ECPrivateKey { version 1, privateKey, [0] namedCurve prime256v1 }, no publicKey. */
  unsigned char sec1[51] = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
  static const unsigned char curve[12] = {0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                          0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  (*env)->GetByteArrayRegion(env, scalar, 0, 32, (jbyte *)(sec1 + 7));
  memcpy(sec1 + 39, curve, sizeof curve);
  const unsigned char *p = sec1;
  EVP_PKEY *key = d2i_AutoPrivateKey_(NULL, &p, sizeof sec1);
  OPENSSL_cleanse_(sec1, sizeof sec1);
  unsigned char spki[91];
  unsigned char *q = spki;
  jboolean ok = key != NULL && i2d_PUBKEY_(key, NULL) == (int)sizeof spki &&
                i2d_PUBKEY_(key, &q) == (int)sizeof spki;
  EVP_PKEY_free_(key);
  ERR_clear_error_();
  if (ok) (*env)->SetByteArrayRegion(env, out, 0, (jsize)sizeof spki, (const jbyte *)spki);
  return ok;
}
