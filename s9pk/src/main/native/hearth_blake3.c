/*
 * The few entry points Java calls through the FFM API (dev.hearth.s9pk.hash.NativeBlake3).
 * Only these are exported (-fvisibility=hidden): the hasher's size, so Java can allocate it
 * without knowing the struct, and thin wrappers over the official API.
 */
#include <stddef.h>
#include <stdint.h>
#include "blake3.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT size_t hearth_blake3_hasher_size(void) { return sizeof(blake3_hasher); }

EXPORT void hearth_blake3_init(blake3_hasher *h) { blake3_hasher_init(h); }

EXPORT void hearth_blake3_update(blake3_hasher *h, const void *input, size_t len) {
  blake3_hasher_update(h, input, len);
}

EXPORT void hearth_blake3_finalize(const blake3_hasher *h, uint8_t *out) {
  blake3_hasher_finalize(h, out, BLAKE3_OUT_LEN);
}

EXPORT const char *hearth_blake3_version(void) { return blake3_version(); }
