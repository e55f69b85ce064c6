/*
 * start-container — runs processes in subcontainers for the SDK (spec container-runtime.md §4).
 *
 *   start-container subcontainer launch|launch-init|exec|exec-command [opts] ROOTFS [CMD...]
 *   start-container bind-mount --source SRC --target DST [--recursive] [--readonly] [--file]
 *                              [--idmap FROM:TO[:RANGE]]...
 *   start-container pipe-wrap CMD...
 */
#include "sc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void vmsg(const char *fmt, va_list ap, int err)
{
    char buf[4096];
    int n = snprintf(buf, sizeof buf, PROG ": ");
    n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    if (err)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ": %s", strerror(err));
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    /* One write, so concurrent messages from parent and child do not interleave. */
    (void)!write(STDERR_FILENO, buf, (size_t)n);
}

void die(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap, 0);
    va_end(ap);
    exit(code);
}

void die_errno(int code, const char *fmt, ...)
{
    int err = errno;
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap, err);
    va_end(ap);
    exit(code);
}

void warn_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap, 0);
    va_end(ap);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die(EXIT_SETUP, "out of memory");
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die(EXIT_SETUP, "out of memory");
    return p;
}

char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die(EXIT_SETUP, "out of memory");
    return d;
}

char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    while (a > 1 && dir[a - 1] == '/')
        a--;
    while (*name == '/')
        name++, b--;
    char *p = xmalloc(a + b + 2);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            free(buf);
            errno = err;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) { /* an O_NONBLOCK fd we inherited: wait until it drains */
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                poll(&p, 1, -1);
                continue;
            }
            return false;
        }
        buf += w;
        len -= (size_t)w;
    }
    return true;
}

_Noreturn void usage(int code)
{
    static const char text[] =
        "usage: " PROG " subcontainer launch      [OPTIONS] ROOTFS [COMMAND...]\n"
        "       " PROG " subcontainer exec        [OPTIONS] ROOTFS COMMAND...\n"
        "       " PROG " subcontainer launch-init [OPTIONS] ROOTFS [COMMAND...]   (internal)\n"
        "       " PROG " subcontainer exec-command [OPTIONS] ROOTFS COMMAND...   (internal)\n"
        "       " PROG " bind-mount --source SRC --target DST [--recursive] [--readonly] [--file]\n"
        "                        [--idmap FROM:TO[:RANGE]]...\n"
        "       " PROG " pipe-wrap COMMAND...\n"
        "\n"
        "options (subcontainer):\n"
        "  -e, --env KEY=VALUE        set a variable (after --env-file); repeatable\n"
        "      --env-file PATH        read KEY=VALUE lines\n"
        "  -w, --workdir PATH         working directory inside ROOTFS (default /)\n"
        "  -u, --user SPEC            name, uid, name:group or uid:gid (from ROOTFS/etc/passwd)\n"
        "      --force-tty            run the command on a pseudo-terminal\n"
        "      --force-stderr-tty     send stderr to the pseudo-terminal too\n"
        "      --pty-size ROWS:COLS[:XPIX:YPIX]\n"
        "Options end at ROOTFS; everything after it is the command.\n";
    (void)!write(code == 0 ? STDOUT_FILENO : STDERR_FILENO, text, sizeof text - 1);
    exit(code);
}

int main(int argc, char **argv)
{
    /* A closed fd 0-2 would be reused by our own pipes and handed to the command. */
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
            die(EXIT_SETUP, "cannot open /dev/null for fd %d", fd);
    if (argc < 2)
        usage(EXIT_USAGE);
    const char *cmd = argv[1];
    if (strcmp(cmd, "subcontainer") == 0)
        return cmd_subcontainer(argc - 1, argv + 1);
    if (strcmp(cmd, "bind-mount") == 0)
        return cmd_bind_mount(argc - 1, argv + 1);
    if (strcmp(cmd, "pipe-wrap") == 0)
        return cmd_pipe_wrap(argc - 1, argv + 1);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
        usage(0);
    warn_msg("unknown command '%s'", cmd);
    usage(EXIT_USAGE);
}
