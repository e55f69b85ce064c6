/*
 * The few entry points Java calls through the FFM API (dev.hearth.s9pk.hash.NativeBlake3).
 * Only these are exported (-fvisibility=hidden): thin wrappers over the official API, the
 * hasher's size, so Java can allocate it without knowing the struct, and a whole-input hash on
 * several threads.
 *
 * Every entry point has the same shape, (state, buffer, length): Java links them through one
 * downcall stub, and the threaded hash through one more (without `critical`, NativeLibrary). Each
 * distinct shape costs the JVM a generated class and its method handles at the first call, tens of
 * milliseconds of a command's start-up while still interpreted.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* The library's tree internals (compress_subtree_to_parent_node, left_len, parent_output, the
 * chunk state) are static in blake3.c, so it is compiled as part of this file: build.sh does not
 * compile it on its own. */
#include "blake3.c"

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

/* Below this a subtree is hashed on the calling thread: starting a thread costs more. */
#define PARALLEL_MIN_BYTES ((size_t)1 << 20)

typedef struct {
  const uint8_t *input;
  size_t len;
  uint64_t chunk_counter; /* the subtree's first chunk's index in the whole input */
  uint32_t threads;       /* how many threads, this one included, may work on it */
  uint8_t cv[BLAKE3_OUT_LEN];
} subtree;

static void subtree_cv(subtree *t);

static void *subtree_thread(void *arg) {
  subtree_cv(arg);
  return NULL;
}

/* The chaining values of the two children of the tree node over input (more than one chunk):
 * the left child over left_len(len) bytes, the right over the rest, as BLAKE3 splits every node.
 * With threads to spare, the left child goes to a new thread while this one does the right. */
static void children(const uint8_t *input, size_t len, uint64_t chunk_counter, uint32_t threads,
                     uint8_t block[BLAKE3_BLOCK_LEN]) {
  if (threads < 2 || len < PARALLEL_MIN_BYTES) {
    compress_subtree_to_parent_node(input, len, IV, chunk_counter, 0, block);
    return;
  }
  size_t left_bytes = left_len(len);
  subtree left = {input, left_bytes, chunk_counter, threads / 2, {0}};
  subtree right = {input + left_bytes, len - left_bytes,
                   chunk_counter + left_bytes / BLAKE3_CHUNK_LEN, threads - threads / 2, {0}};
  pthread_t thread;
  int started = pthread_create(&thread, NULL, subtree_thread, &left) == 0;
  subtree_cv(&right);
  if (started) {
    pthread_join(thread, NULL);
  } else {
    subtree_cv(&left); /* no thread to be had: the work is the same, only slower */
  }
  memcpy(block, left.cv, BLAKE3_OUT_LEN);
  memcpy(block + BLAKE3_OUT_LEN, right.cv, BLAKE3_OUT_LEN);
}

/* The chaining value of a subtree that is not the root. */
static void subtree_cv(subtree *t) {
  output_t out;
  if (t->len <= BLAKE3_CHUNK_LEN) {
    blake3_chunk_state chunk;
    chunk_state_init(&chunk, IV, 0);
    chunk.chunk_counter = t->chunk_counter;
    chunk_state_update(&chunk, t->input, t->len);
    out = chunk_state_output(&chunk);
  } else {
    uint8_t block[BLAKE3_BLOCK_LEN];
    children(t->input, t->len, t->chunk_counter, t->threads, block);
    out = parent_output(block, IV, 0);
  }
  output_chaining_value(&out, t->cv);
}

/* The hash of input (len > one chunk, 1024 bytes) on up to a given number of threads: the top
 * subtrees go to threads of their own, each hashed with the library's SIMD code. io holds that
 * number on entry (a uint32) and the 32-byte hash on return. The input must stay mapped and
 * unchanged until this returns: the threads it starts are joined before it does. */
EXPORT void hearth_blake3_hash_parallel(uint8_t *io, const uint8_t *input, size_t len) {
  uint32_t threads;
  memcpy(&threads, io, sizeof threads);
  uint8_t block[BLAKE3_BLOCK_LEN];
  children(input, len, 0, threads, block);
  output_t root = parent_output(block, IV, 0);
  output_root_bytes(&root, 0, io, BLAKE3_OUT_LEN);
}
