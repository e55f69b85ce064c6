/*
 * `pipe-wrap COMMAND...` (spec §4.7): run COMMAND with stdout and stderr as pipes and
 * copy them to our own fd 1 and 2, which may be sockets (journald) or a log file.
 * Programs inside can then open("/dev/stderr"), which fails with ENXIO on a socket.
 * Forwards the signal set, exits with the child's code (1 if a signal killed it).
 *
 * As PID 1 (the runtime image's boot script execs it as the service container's init)
 * it also reaps every orphan that is reparented to it: node, which it runs, does not.
 */
#include "sc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* What STARTOS_ENVIRONMENT is set to when the caller did not set it. */
#define DEFAULT_ENVIRONMENT "container"

/* Copies what one pipe has now to `out`; returns false at EOF. */
static bool relay(int in, int out, bool *out_ok)
{
    char buf[65536];
    ssize_t r = read(in, buf, sizeof buf);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN;
    if (r == 0)
        return false;
    /* If our output is gone we keep reading, so the child never blocks on a full pipe. */
    if (*out_ok && !write_all(out, buf, (size_t)r))
        *out_ok = false;
    return true;
}

int cmd_pipe_wrap(int argc, char **argv)
{
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    if (first >= argc)
        die(EXIT_USAGE, "pipe-wrap: missing COMMAND");
    char **cmd = argv + first;
    bool init = getpid() == 1;

    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
        die_errno(1, "pipe-wrap: pipe");
    sigset_t old;
    block_signals(&old);
    if (init)
        install_noop_handlers();
    pid_t pid = fork();
    if (pid < 0)
        die_errno(1, "pipe-wrap: fork");
    if (pid == 0) {
        if (dup2(out[1], STDOUT_FILENO) < 0 || dup2(err[1], STDERR_FILENO) < 0)
            die_errno(EXIT_SETUP, "pipe-wrap: dup2");
        setenv("STARTOS_ENVIRONMENT", DEFAULT_ENVIRONMENT, 0);
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execvp(cmd[0], cmd);
        int e = errno;
        die_errno(e == ENOENT || e == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC,
                  "pipe-wrap: cannot run '%s'", cmd[0]);
    }
    close(out[1]);
    close(err[1]);

    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < N_FORWARDED_SIGNALS; i++)
        sigaddset(&set, FORWARDED_SIGNALS[i]);
    sigaddset(&set, SIGCHLD);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0)
        die_errno(1, "pipe-wrap: signalfd");

    int fds_in[2] = {out[0], err[0]};
    int fds_out[2] = {STDOUT_FILENO, STDERR_FILENO};
    bool ok[2] = {true, true};
    int status = 0;
    bool done = false;
    while (!done) {
        struct pollfd p[3];
        p[0] = (struct pollfd){.fd = sfd, .events = POLLIN};
        for (int i = 0; i < 2; i++)
            p[i + 1] = (struct pollfd){.fd = fds_in[i], .events = POLLIN}; /* -1 is skipped */
        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            die_errno(1, "pipe-wrap: poll");
        }
        for (int i = 0; i < 2; i++)
            if ((p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) && !relay(fds_in[i], fds_out[i], &ok[i])) {
                close(fds_in[i]);
                fds_in[i] = -1;
            }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
                if (si.ssi_signo == SIGPIPE && si.ssi_pid == (uint32_t)getpid())
                    continue; /* our own write to a closed output, not a signal to pass on */
                if (si.ssi_signo != SIGCHLD) {
                    kill(pid, (int)si.ssi_signo);
                    continue;
                }
                for (;;) {
                    int st;
                    pid_t r = waitpid(init ? -1 : pid, &st, WNOHANG);
                    if (r <= 0)
                        break;
                    if (r == pid) {
                        status = st;
                        done = true;
                    }
                }
            }
        }
    }
    /* The child is gone: copy what its pipes still hold, without waiting for holders
     * it may have left behind. */
    for (int i = 0; i < 2; i++) {
        if (fds_in[i] < 0)
            continue;
        fcntl(fds_in[i], F_SETFL, fcntl(fds_in[i], F_GETFL) | O_NONBLOCK);
        while (relay(fds_in[i], fds_out[i], &ok[i])) {
            int avail = 0;
            if (ioctl(fds_in[i], FIONREAD, &avail) < 0 || avail == 0)
                break;
        }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    warn_msg("pipe-wrap: '%s' killed by signal %d (%s)", cmd[0], WTERMSIG(status),
             strsignal(WTERMSIG(status)));
    return 1;
}
