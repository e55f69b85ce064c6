/*
 * source.node: the package bundle's one-byte source as a V8 external string whose characters live
 * in a file mapping, not in the V8 heap (see src/bundle.ts).
 *
 *   map(path)  -> the file's bytes as a Latin-1 string, mapped read-only and shared; the file may
 *                 be unlinked afterwards. Throws if the string cannot be external.
 *   release()  -> drops this process's page table entries for every mapping made (madvise
 *                 MADV_DONTNEED): the pages stay in the page cache, clean and reclaimable, and
 *                 come back on the next read (V8 reads the source again only to compile a
 *                 function the first time it runs, or for Function.prototype.toString).
 *                 Then malloc_trim(0): loading and the entry points free large parser and
 *                 compiler zones, and glibc returns only the top of its heap by itself.
 *
 * Node-API (node_api_create_external_string_latin1, Node >= 20.4): built against node's headers,
 * with no node-gyp. If node lacks the function, loading fails and the runtime keeps the source in
 * the heap as before.
 */
#define NAPI_EXPERIMENTAL
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_MAPPINGS 8

static struct {
    void *at;
    size_t length;
} mappings[MAX_MAPPINGS];

static napi_value fail(napi_env env, const char *what, const char *path, int err)
{
    char message[4200];
    snprintf(message, sizeof message, "source.node: %s %s: %s", what, path, strerror(err));
    napi_throw_error(env, NULL, message);
    return NULL;
}

static void unmap(node_api_basic_env env, void *data, void *hint)
{
    size_t length = (size_t)hint;
    for (int i = 0; i < MAX_MAPPINGS; i++)
        if (mappings[i].at == data)
            mappings[i].at = NULL;
    munmap(data, length);
}

static napi_value map(napi_env env, napi_callback_info info)
{
    size_t argc = 1;
    napi_value argv[1];
    char path[4096];
    size_t n;
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
        napi_get_value_string_utf8(env, argv[0], path, sizeof path, &n) != napi_ok ||
        n >= sizeof path - 1) {
        napi_throw_type_error(env, NULL, "source.node: map(path) takes a path");
        return NULL;
    }
    int slot = -1;
    for (int i = 0; i < MAX_MAPPINGS && slot < 0; i++)
        if (mappings[i].at == NULL)
            slot = i;
    if (slot < 0)
        return fail(env, "too many mappings for", path, EMFILE);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(env, "cannot open", path, errno);
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size == 0) {
        int e = st.st_size == 0 ? EINVAL : errno;
        close(fd);
        return fail(env, "cannot map", path, e);
    }
    size_t length = (size_t)st.st_size;
    void *at = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
    int e = errno;
    close(fd);
    if (at == MAP_FAILED)
        return fail(env, "cannot map", path, e);
    napi_value result;
    bool copied = false;
    if (node_api_create_external_string_latin1(env, at, length, unmap, (void *)length, &result,
                                                &copied) != napi_ok) {
        munmap(at, length);
        napi_throw_error(env, NULL, "source.node: node cannot make an external string");
        return NULL;
    }
    if (copied) { /* node copied the characters into the heap and will not call unmap */
        munmap(at, length);
        napi_throw_error(env, NULL, "source.node: node copied the string instead");
        return NULL;
    }
    mappings[slot].at = at;
    mappings[slot].length = length;
    return result;
}

static napi_value release(napi_env env, napi_callback_info info)
{
    for (int i = 0; i < MAX_MAPPINGS; i++)
        if (mappings[i].at != NULL)
            madvise(mappings[i].at, mappings[i].length, MADV_DONTNEED);
    malloc_trim(0);
    return NULL;
}

NAPI_MODULE_INIT()
{
    napi_value f;
    if (napi_create_function(env, "map", NAPI_AUTO_LENGTH, map, NULL, &f) != napi_ok ||
        napi_set_named_property(env, exports, "map", f) != napi_ok ||
        napi_create_function(env, "release", NAPI_AUTO_LENGTH, release, NULL, &f) != napi_ok ||
        napi_set_named_property(env, exports, "release", f) != napi_ok)
        return NULL;
    return exports;
}
