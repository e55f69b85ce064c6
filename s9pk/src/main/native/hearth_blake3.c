/*
 * The few entry points Java calls through the FFM API (dev.hearth.s9pk.hash.NativeBlake3).
 * Only these are exported (-fvisibility=hidden): thin wrappers over the official API, plus the
 * hasher's size, so Java can allocate it without knowing the struct.
 *
 * Every entry point has the same shape, (state, buffer, length): Java links them all through one
 * downcall stub. Each distinct shape costs the JVM a generated class and its method handles at
 * the first call, tens of milliseconds of a command's start-up while still interpreted.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "blake3.h"

#define EXPORT __attribute__((visibility("default")))

/* Writes sizeof(blake3_hasher) as 8 bytes into out (len >= 8). */
EXPORT void hearth_blake3_hasher_size(void *unused, uint8_t *out, size_t len) {
  (void)unused;
  uint64_t size = sizeof(blake3_hasher);
  if (len >= sizeof size) memcpy(out, &size, sizeof size);
}

EXPORT void hearth_blake3_init(blake3_hasher *h, const void *unused, size_t len) {
  (void)unused;
  (void)len;
  blake3_hasher_init(h);
}

EXPORT void hearth_blake3_update(blake3_hasher *h, const void *input, size_t len) {
  blake3_hasher_update(h, input, len);
}

/* Writes len bytes of output (BLAKE3 is extendable; the hash is the first 32). */
EXPORT void hearth_blake3_finalize(const blake3_hasher *h, uint8_t *out, size_t len) {
  blake3_hasher_finalize(h, out, len);
}

/* Writes the library's version, NUL-terminated and cut to fit, into out. */
EXPORT void hearth_blake3_version(void *unused, char *out, size_t len) {
  (void)unused;
  if (len == 0) return;
  strncpy(out, blake3_version(), len - 1);
  out[len - 1] = '\0';
}
