/*
 * `subcontainer launch | launch-init | exec | exec-command` (spec §4.2–§4.5).
 *
 * Process tree, as upstream's, minus one exec per call: upstream re-executes itself
 * as `launch-init` / `exec-command` after forking; we fork and run the same code in
 * the child directly (both commands still exist for callers that want them).
 *
 *   launch:  start-container (caller's namespaces, waits, forwards signals)
 *            └─ leader, PID 1 of a new PID+cgroup+IPC namespace: mounts ROOTFS/proc,
 *               then idles (reaping orphans) or becomes COMMAND
 *   exec:    start-container (joined the leader's PID/cgroup/IPC namespaces)
 *            └─ COMMAND, in its own mount namespace pivoted into ROOTFS
 *
 * Every child gets PR_SET_PDEATHSIG(SIGKILL): the SDK SIGKILLs start-container on a
 * timeout or when it destroys a subcontainer, and the command (or the whole
 * subcontainer, for a leader) must not outlive it.
 */
#include "sc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

extern char **environ;

/* How long `launch` waits for a leader it replaces to be gone (it was SIGKILLed). */
#define OLD_LEADER_WAIT_MS 5000

/*
 * Arms PR_SET_PDEATHSIG, then makes sure the parent did not die before that: it holds
 * the write end of a pipe whose read end is `life_fd`, so POLLHUP means it is gone.
 * (getppid() cannot tell: in a child PID namespace the parent's pid reads as 0.)
 */
static void die_with_parent(int life_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (life_fd < 0)
        return;
    struct pollfd p = {.fd = life_fd, .events = POLLIN};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLIN)))
        _exit(EXIT_SETUP);
    close(life_fd);
}

/* §4.5: the entry-and-exec steps. Runs in the child; never returns. */
void enter_and_exec(const struct sc_opts *o, struct envv *env, const struct pty *pty, int life_fd)
{
    /* 1. A private mount namespace whose mounts stay out of the caller's. */
    if (unshare(CLONE_NEWNS) < 0)
        die_errno(EXIT_SETUP, "unshare(CLONE_NEWNS)");
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        die_errno(EXIT_SETUP, "cannot make / a slave mount");
    if (mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        die_errno(EXIT_SETUP, "cannot bind %s onto itself", o->rootfs);

    /*
     * 2. pivot_root, not chroot: a chrooted process may not unshare(CLONE_NEWUSER), and
     * rootless podman inside a package needs to. pivot_root(".", ".") stacks the old
     * root on the new one, and the detach removes it: no .put_old directory to create
     * in ROOTFS (which may be read-only, or shared by concurrent execs) or to remove.
     */
    if (chdir(o->rootfs) < 0)
        die_errno(EXIT_SETUP, "chdir %s", o->rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        die_errno(EXIT_SETUP, "pivot_root into %s", o->rootfs);
    if (umount2(".", MNT_DETACH) < 0)
        die_errno(EXIT_SETUP, "cannot detach the old root");
    if (chdir("/") < 0)
        die_errno(EXIT_SETUP, "chdir /");

    struct creds c;
    resolve_user(o->user, "/etc/passwd", "/etc/group", &c);
    if (!env->home_set) {
        char *home = xmalloc(strlen(c.home) + 6);
        sprintf(home, "HOME=%s", c.home);
        env_set(env, home);
    }

    /* 4. A session of its own: a package's kill(0, …) stays inside it. */
    if (setsid() < 0 && errno != EPERM)
        die_errno(EXIT_SETUP, "setsid");
    if (pty)
        pty_child_setup(pty);

    /* 3. Let the target user reopen its stdio (/dev/stdout, /proc/self/fd/N). */
    if (c.uid != 0)
        for (int fd = 0; fd <= 2; fd++)
            (void)!fchown(fd, c.uid, c.gid);

    if (setgroups(c.n_groups, c.groups) < 0)
        die_errno(EXIT_SETUP, "setgroups for --user %s", o->user ? o->user : "0");
    if (setgid(c.gid) < 0)
        die_errno(EXIT_SETUP, "setgid %u", (unsigned)c.gid);
    if (setuid(c.uid) < 0)
        die_errno(EXIT_SETUP, "setuid %u", (unsigned)c.uid);
    /* After the uid change, which resets both: /dev/stderr and /proc/self/fd keep working,
     * and the parent-death signal is armed for the final credentials. */
    prctl(PR_SET_DUMPABLE, 1);
    die_with_parent(life_fd);

    /* 5. The working directory, then PATH from the new environment (execvpe reads environ). */
    if (chdir(o->workdir) < 0)
        die_errno(EXIT_SETUP, "cannot enter --workdir %s", o->workdir);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    environ = env->v;
    execvpe(o->cmd[0], o->cmd, env->v);
    int err = errno;
    die_errno(err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "cannot run '%s'",
              o->cmd[0]);
}

/* The leader without a command: stay PID 1, reap orphans, leave on a terminating signal. */
static _Noreturn void idle_leader(int life_fd)
{
    install_noop_handlers();
    die_with_parent(life_fd);
    if (chdir("/") < 0) {
        /* only keeps a directory busy: not worth failing for */
    }
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < N_FORWARDED_SIGNALS; i++)
        sigaddset(&set, FORWARDED_SIGNALS[i]);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0)
        die_errno(EXIT_SETUP, "signalfd");
    for (;;) {
        struct signalfd_siginfo si;
        ssize_t r = read(sfd, &si, sizeof si);
        if (r != (ssize_t)sizeof si) {
            if (r < 0 && errno == EINTR)
                continue;
            die_errno(EXIT_SETUP, "read signalfd");
        }
        switch (si.ssi_signo) {
        case SIGCHLD:
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
            break;
        case SIGTERM:
        case SIGINT:
        case SIGQUIT:
        case SIGHUP:
            exit(0); /* the kernel then kills everything left in the namespace */
        default:
            break;
        }
    }
}

/*
 * §4.3: runs as PID 1 of the new PID namespace. Mounts ROOTFS/proc (the SDK polls
 * ROOTFS/proc/1 to learn the subcontainer is up), tells the parent through `ready_fd`,
 * then idles or becomes the command.
 */
static _Noreturn void launch_init(const struct sc_opts *o, struct envv *env, const struct pty *pty,
                                  int life_fd, int ready_fd)
{
    char *proc = path_join(o->rootfs, "proc");
    if (mkdir(proc, 0555) < 0 && errno != EEXIST)
        die_errno(EXIT_SETUP, "cannot create %s", proc);
    if (mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        die_errno(EXIT_SETUP, "cannot mount proc on %s", proc);
    if (ready_fd >= 0) {
        (void)!write(ready_fd, "", 1);
        close(ready_fd);
    }
    if (o->n_cmd == 0)
        idle_leader(life_fd);
    enter_and_exec(o, env, pty, life_fd);
}

/* True while /proc/<pid> (open as `dirfd`) is a process that has not exited. */
static bool alive(int dirfd)
{
    int fd = openat(dirfd, "stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
}

static void unmount_procs(const char *proc)
{
    /* Stacked proc mounts from leaders that were killed without cleaning up. */
    for (int i = 0; i < 16; i++) {
        struct statfs s;
        if (statfs(proc, &s) < 0 || s.f_type != PROC_SUPER_MAGIC)
            return;
        if (umount2(proc, MNT_DETACH) < 0) {
            warn_msg("cannot unmount %s: %s", proc, strerror(errno));
            return;
        }
    }
}

/* §4.2 step 1: kill the leader that ROOTFS/proc/1 shows, and unmount its proc. */
static void replace_old_leader(const char *proc)
{
    char *p1 = path_join(proc, "1");
    int fd = open(p1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        /* A /proc/<pid> directory fd works as a pidfd, across PID namespaces. */
        if (alive(fd) && syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
            warn_msg("cannot kill the old leader of %s: %s", proc, strerror(errno));
        int waited = 0;
        while (alive(fd) && waited < OLD_LEADER_WAIT_MS) {
            usleep(1000);
            waited++;
        }
        if (alive(fd))
            warn_msg("the old leader of %s is still alive after %d ms", proc, OLD_LEADER_WAIT_MS);
        close(fd);
    }
    free(p1);
    unmount_procs(proc);
}

static int do_launch(int argc, char **argv)
{
    struct sc_opts o;
    parse_sc_opts(argc, argv, &o, "launch", false);
    struct envv env;
    env_build(&env, &o);
    char *proc = path_join(o.rootfs, "proc");
    replace_old_leader(proc);

    struct pty pty;
    bool use_pty = o.n_cmd > 0 && pty_wanted(&o);
    if (use_pty)
        pty_open(&pty, &o);
    sigset_t old;
    block_signals(&old);
    if (unshare(CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWIPC) < 0)
        die_errno(EXIT_SETUP, "unshare(CLONE_NEWPID|CLONE_NEWCGROUP|CLONE_NEWIPC)");
    int life[2], ready[2];
    if (pipe2(life, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
        die_errno(EXIT_SETUP, "pipe");
    pid_t pid = fork();
    if (pid < 0)
        die_errno(EXIT_SETUP, "fork");
    if (pid == 0) {
        close(life[1]);
        close(ready[0]);
        launch_init(&o, &env, use_pty ? &pty : NULL, life[0], ready[1]);
    }
    close(life[0]);
    close(ready[1]);
    if (use_pty)
        close(pty.slave);

    /* Remember which proc mount is our leader's, so we unmount only that one. */
    struct stat st;
    char c;
    bool have_dev = read(ready[0], &c, 1) == 1 && stat(proc, &st) == 0;
    dev_t proc_dev = have_dev ? st.st_dev : 0;
    close(ready[0]);

    int status = supervise(pid, use_pty ? &pty : NULL, false);
    if (have_dev && stat(proc, &st) == 0 && st.st_dev == proc_dev)
        umount2(proc, MNT_DETACH);
    return exit_code_of(status, o.n_cmd ? o.cmd[0] : "subcontainer leader");
}

static int do_exec(int argc, char **argv)
{
    struct sc_opts o;
    parse_sc_opts(argc, argv, &o, "exec", true);
    struct envv env;
    env_build(&env, &o);

    /* §4.4 step 2: join the leader's PID, cgroup and IPC namespaces. */
    char *nsdir_path = path_join(o.rootfs, "proc/1/ns");
    int nsdir = open(nsdir_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (nsdir < 0)
        die_errno(EXIT_SETUP, "no leader in %s (cannot open %s; run `subcontainer launch` first)",
                  o.rootfs, nsdir_path);
    static const struct {
        const char *name;
        int type;
    } NS[] = {{"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC}};
    for (size_t i = 0; i < sizeof NS / sizeof NS[0]; i++) {
        int fd = openat(nsdir, NS[i].name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die_errno(EXIT_SETUP, "cannot open %s/%s", nsdir_path, NS[i].name);
        if (setns(fd, NS[i].type) < 0)
            die_errno(EXIT_SETUP, "cannot join the %s namespace of %s", NS[i].name, nsdir_path);
        close(fd);
    }
    close(nsdir);

    struct pty pty;
    bool use_pty = pty_wanted(&o);
    if (use_pty)
        pty_open(&pty, &o);
    sigset_t old;
    block_signals(&old);
    int life[2];
    if (pipe2(life, O_CLOEXEC) < 0)
        die_errno(EXIT_SETUP, "pipe");
    pid_t pid = fork();
    if (pid < 0)
        die_errno(EXIT_SETUP, "fork");
    if (pid == 0) {
        close(life[1]);
        enter_and_exec(&o, &env, use_pty ? &pty : NULL, life[0]);
    }
    close(life[0]);
    if (use_pty)
        close(pty.slave);
    int status = supervise(pid, use_pty ? &pty : NULL, false);
    return exit_code_of(status, o.cmd[0]);
}

/* The internal commands, for callers that did the namespace work themselves. */
static int do_launch_init(int argc, char **argv)
{
    struct sc_opts o;
    parse_sc_opts(argc, argv, &o, "launch-init", false);
    struct envv env;
    env_build(&env, &o);
    sigset_t old;
    block_signals(&old);
    launch_init(&o, &env, NULL, -1, -1);
}

static int do_exec_command(int argc, char **argv)
{
    struct sc_opts o;
    parse_sc_opts(argc, argv, &o, "exec-command", true);
    struct envv env;
    env_build(&env, &o);
    enter_and_exec(&o, &env, NULL, -1);
}

int cmd_subcontainer(int argc, char **argv)
{
    if (argc < 2)
        usage(EXIT_USAGE);
    const char *sub = argv[1];
    if (strcmp(sub, "launch") == 0)
        return do_launch(argc - 1, argv + 1);
    if (strcmp(sub, "exec") == 0)
        return do_exec(argc - 1, argv + 1);
    if (strcmp(sub, "launch-init") == 0)
        return do_launch_init(argc - 1, argv + 1);
    if (strcmp(sub, "exec-command") == 0)
        return do_exec_command(argc - 1, argv + 1);
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
        usage(0);
    warn_msg("unknown subcontainer command '%s'", sub);
    usage(EXIT_USAGE);
}
