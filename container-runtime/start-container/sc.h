/*
 * start-container: the native helper inside every service container (spec
 * container-runtime.md §4). Shared declarations.
 *
 * The program is single-threaded on purpose: setns(CLONE_NEWPID), unshare and
 * pivot_root act on the calling thread or on the children it forks next.
 */
#ifndef SC_H
#define SC_H

#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#define PROG "start-container"

/*
 * Exit codes of start-container itself. The command's own code is passed through,
 * so ours sit where `docker run` and shells put theirs, away from ordinary codes.
 */
enum {
    EXIT_USAGE = 2,         /* the command line is wrong */
    EXIT_SETUP = 125,       /* failed before the command could start */
    EXIT_CANNOT_EXEC = 126, /* the command exists but execve refused it */
    EXIT_NOT_FOUND = 127,   /* the command is not on PATH */
};

/* main.c: messages and allocation. Every message starts with "start-container: ". */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void die_errno(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *path_join(const char *dir, const char *name);
char *read_file(const char *path, size_t *len); /* NULL with errno set on failure */
bool write_all(int fd, const char *buf, size_t len);

/* options.c: the common options of §4.1. */
struct sc_opts {
    const char **env;     /* --env values, in order */
    size_t n_env;
    const char *env_file; /* --env-file */
    const char *workdir;  /* --workdir, default "/" */
    const char *user;     /* --user, NULL = uid 0 */
    bool force_tty;
    bool force_stderr_tty;
    bool has_pty_size;
    struct winsize pty_size;
    const char *rootfs;   /* the first positional argument */
    char **cmd;           /* everything after ROOTFS, NULL-terminated */
    int n_cmd;
};
void parse_sc_opts(int argc, char **argv, struct sc_opts *o, const char *sub, bool cmd_required);
_Noreturn void usage(int code);

/* env.c: the environment of the final process (§4.1). */
struct envv {
    char **v; /* "KEY=VALUE", NULL-terminated */
    size_t n, cap;
    bool home_set; /* HOME came from --env-file or --env */
};
void env_build(struct envv *e, const struct sc_opts *o);
void env_set(struct envv *e, const char *kv);
const char *env_get(const struct envv *e, const char *key);

/* user.c: --user resolved against the subcontainer's /etc/passwd and /etc/group. */
struct creds {
    uid_t uid;
    gid_t gid;
    gid_t *groups;
    size_t n_groups;
    char *home; /* from passwd; "/" when the uid has no entry */
};
void resolve_user(const char *spec, const char *passwd_path, const char *group_path, struct creds *c);

/* signals.c: the forwarded set and the wait loop shared by launch, exec and pipe-wrap. */
extern const int FORWARDED_SIGNALS[];
extern const size_t N_FORWARDED_SIGNALS;
void block_signals(sigset_t *old);          /* forwarded set + CHLD + WINCH */
void install_noop_handlers(void);           /* so a PID 1 receives what it blocks */
int exit_code_of(int status, const char *what); /* §4.2 step 4 / §4.4 step 4 */

/* pty.c: a pseudo-terminal for --force-tty, relayed by the parent. */
struct pty {
    int master;
    int slave;
    bool stderr_too;     /* the child's fd 2 goes to the pty as well */
    bool stdin_is_tty;   /* our own stdin is a terminal: raw mode + SIGWINCH */
};
bool pty_wanted(const struct sc_opts *o);
void pty_open(struct pty *p, const struct sc_opts *o);
void pty_child_setup(const struct pty *p); /* after setsid(): controlling tty, stdio */

/*
 * supervise.c: wait for `child`, forwarding the signal set, relaying the pty if
 * `pty` is not NULL, and reaping every other child when `reap_all`. Returns the
 * child's wait status.
 */
int supervise(pid_t child, struct pty *pty, bool reap_all);

/* subcontainer.c */
int cmd_subcontainer(int argc, char **argv);
_Noreturn void enter_and_exec(const struct sc_opts *o, struct envv *env, const struct pty *pty,
                              int life_fd);

/* bindmount.c, pipewrap.c */
int cmd_bind_mount(int argc, char **argv);
int cmd_pipe_wrap(int argc, char **argv);

#endif
