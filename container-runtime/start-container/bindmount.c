/*
 * `bind-mount` (spec §4.6): a bind mount made with the new mount API, so it can carry
 * an id mapping (util-linux 2.38 in Debian 12 has no X-mount.idmap).
 *
 *   1. open_tree(OPEN_TREE_CLONE [| AT_RECURSIVE]) clones the source (tree).
 *   2. With --idmap: a user namespace whose uid_map and gid_map are the given entries,
 *      applied with MOUNT_ATTR_IDMAP. open_tree_attr (Linux 6.15) does 1 and 2 at once,
 *      which is the only way the kernel accepts it when the source is already idmapped;
 *      older kernels get open_tree + mount_setattr.
 *   3. --readonly adds MOUNT_ATTR_RDONLY.
 *   4. move_mount attaches the clone at the target (created if missing).
 *
 * --idmap FROM:TO[:RANGE] makes a file whose on-disk owner is FROM+i appear as owned by
 * TO+i (i < RANGE), exactly as the uid_map line "FROM TO RANGE" of the namespace says.
 * Ids outside every range show as the overflow id (nobody) and cannot be written.
 */
#include "sc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Kernel ABI, spelled out here because glibc 2.36's headers clash with linux/mount.h. */
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467 /* Linux 6.15; the same number on every architecture */
#endif
#define SC_OPEN_TREE_CLONE 1u
#define SC_AT_RECURSIVE 0x8000u
#define SC_AT_EMPTY_PATH 0x1000u
#define SC_MOUNT_ATTR_RDONLY 0x00000001ull
#define SC_MOUNT_ATTR_IDMAP 0x00100000ull
#define SC_MOVE_MOUNT_F_EMPTY_PATH 0x00000004u

struct sc_mount_attr {
    __u64 attr_set;
    __u64 attr_clr;
    __u64 propagation;
    __u64 userns_fd;
};

struct idmap {
    unsigned long from, to, range;
};

struct bm_opts {
    const char *source, *target;
    bool recursive, readonly, file;
    struct idmap *maps;
    size_t n_maps;
};

static bool parse_ulong(const char *s, size_t len, unsigned long *out)
{
    if (len == 0 || len > 10)
        return false;
    unsigned long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > 0xFFFFFFFFul)
        return false;
    *out = v;
    return true;
}

static void parse_idmap(const char *s, struct idmap *m)
{
    const char *c1 = strchr(s, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    m->range = 1;
    if (!c1 || !parse_ulong(s, (size_t)(c1 - s), &m->from) ||
        !parse_ulong(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &m->to) ||
        (c2 && !parse_ulong(c2 + 1, strlen(c2 + 1), &m->range)) || m->range == 0 ||
        m->from + m->range - 1 > 0xFFFFFFFEul || m->to + m->range - 1 > 0xFFFFFFFEul)
        die(EXIT_USAGE, "bind-mount: --idmap '%s': expected FROM:TO[:RANGE] (RANGE >= 1)", s);
}

static void parse_bm_opts(int argc, char **argv, struct bm_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0)
            die(EXIT_USAGE, "bind-mount: unexpected argument '%s'", a);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
#define IS(n) (len == strlen(n) && strncmp(name, n, len) == 0)
        if (IS("recursive") || IS("readonly") || IS("file")) {
            if (eq)
                die(EXIT_USAGE, "bind-mount: option '--%.*s' takes no value", (int)len, name);
            if (IS("recursive"))
                o->recursive = true;
            else if (IS("readonly"))
                o->readonly = true;
            else
                o->file = true;
            continue;
        }
        if (IS("help"))
            usage(0);
        if (!IS("source") && !IS("target") && !IS("idmap"))
            die(EXIT_USAGE, "bind-mount: unknown option '--%.*s'", (int)len, name);
        const char *value;
        if (eq) {
            value = eq + 1;
        } else {
            if (i + 1 >= argc)
                die(EXIT_USAGE, "bind-mount: option '%s' needs a value", a);
            value = argv[++i];
        }
        if (IS("source")) {
            o->source = value;
        } else if (IS("target")) {
            o->target = value;
        } else {
            o->maps = xrealloc(o->maps, (o->n_maps + 1) * sizeof *o->maps);
            parse_idmap(value, &o->maps[o->n_maps++]);
        }
#undef IS
    }
    if (!o->source || !o->target)
        die(EXIT_USAGE, "bind-mount: --source and --target are required");
}

static void mkdir_p(char *path, mode_t mode)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, mode) < 0 && errno != EEXIST)
            die_errno(1, "bind-mount: cannot create %s", path);
        *p = '/';
    }
    if (mkdir(path, mode) < 0 && errno != EEXIST)
        die_errno(1, "bind-mount: cannot create %s", path);
}

static void create_target(const char *target, bool file)
{
    struct stat st;
    if (stat(target, &st) == 0)
        return;
    char *t = xstrdup(target);
    if (!file) {
        mkdir_p(t, 0755);
    } else {
        char *slash = strrchr(t, '/');
        if (slash && slash != t) {
            *slash = '\0';
            mkdir_p(t, 0755);
        }
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            die_errno(1, "bind-mount: cannot create %s", target);
        close(fd);
    }
    free(t);
}

static void write_map(pid_t pid, const char *file, const char *map)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map))
        die_errno(1, "bind-mount: cannot write %s (\"%s\")", path, map);
    close(fd);
}

/*
 * A user namespace carrying the id mapping: a child is cloned into a new user namespace
 * and waits on a pipe while we (its parent, so in the parent namespace) write its
 * uid_map and gid_map and open its ns/user. The fd keeps the namespace alive after the
 * child exits.
 */
static int userns_with_map(const struct idmap *maps, size_t n)
{
    size_t cap = n * 40 + 1;
    char *map = xmalloc(cap);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(map + len, cap - len, "%lu %lu %lu\n", maps[i].from, maps[i].to,
                                maps[i].range);

    int hold[2];
    if (pipe2(hold, O_CLOEXEC) < 0)
        die_errno(1, "bind-mount: pipe");
    /* A fork-like clone: the child only blocks in read() and leaves with _exit(). */
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid < 0)
        die_errno(1, "bind-mount: cannot create a user namespace for --idmap");
    if (pid == 0) {
        char c;
        close(hold[1]);
        (void)!read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    write_map(pid, "uid_map", map);
    write_map(pid, "gid_map", map);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die_errno(1, "bind-mount: cannot open %s", path);
    close(hold[1]);
    waitpid(pid, NULL, 0);
    free(map);
    return fd;
}

int cmd_bind_mount(int argc, char **argv)
{
    struct bm_opts o;
    parse_bm_opts(argc, argv, &o);
    create_target(o.target, o.file);

    unsigned int flags = SC_OPEN_TREE_CLONE | O_CLOEXEC | (o.recursive ? SC_AT_RECURSIVE : 0);
    struct sc_mount_attr attr;
    memset(&attr, 0, sizeof attr);
    if (o.readonly)
        attr.attr_set |= SC_MOUNT_ATTR_RDONLY;
    if (o.n_maps > 0) {
        attr.attr_set |= SC_MOUNT_ATTR_IDMAP;
        attr.userns_fd = (__u64)userns_with_map(o.maps, o.n_maps);
    }

    int tree = -1;
    if (attr.attr_set) {
        tree = (int)syscall(SYS_open_tree_attr, AT_FDCWD, o.source, flags, &attr, sizeof attr);
        if (tree < 0 && errno != ENOSYS)
            die_errno(1, "bind-mount: cannot clone %s with %s%s%s", o.source,
                      o.readonly ? "readonly" : "", o.readonly && o.n_maps ? " and " : "",
                      o.n_maps ? "an id mapping" : "");
    }
    if (tree < 0) {
        tree = (int)syscall(SYS_open_tree, AT_FDCWD, o.source, flags);
        if (tree < 0)
            die_errno(1, "bind-mount: cannot clone %s", o.source);
        if (attr.attr_set &&
            syscall(SYS_mount_setattr, tree, "", SC_AT_EMPTY_PATH | (o.recursive ? SC_AT_RECURSIVE : 0),
                    &attr, sizeof attr) < 0)
            die_errno(1, "bind-mount: cannot set %s%s%s on the clone of %s",
                      o.readonly ? "readonly" : "", o.readonly && o.n_maps ? " and " : "",
                      o.n_maps ? "an id mapping" : "", o.source);
    }
    if (syscall(SYS_move_mount, tree, "", AT_FDCWD, o.target, SC_MOVE_MOUNT_F_EMPTY_PATH) < 0)
        die_errno(1, "bind-mount: cannot attach %s at %s", o.source, o.target);
    close(tree);
    return 0;
}
