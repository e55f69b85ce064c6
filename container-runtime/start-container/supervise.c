/*
 * The parent's wait loop: forward signals to the child, relay a pty if there is one,
 * and return the child's wait status. Without a pty the child shares our stdio, so
 * there is nothing to copy: the SDK's stdin pipe reaches the command directly and its
 * EOF with it.
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

struct buf {
    char data[16384];
    size_t len, off;
};

static struct termios saved_termios;
static bool termios_saved;

static void restore_termios(void)
{
    if (termios_saved)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    termios_saved = false;
}

static void enter_raw_mode(void)
{
    if (tcgetattr(STDIN_FILENO, &saved_termios) < 0)
        return;
    struct termios raw = saved_termios;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0) {
        termios_saved = true;
        atexit(restore_termios);
    }
}

/* Writes what is buffered; returns false when `fd` is gone. */
static bool flush_some(int fd, struct buf *b)
{
    ssize_t w = write(fd, b->data + b->off, b->len - b->off);
    if (w < 0)
        return errno == EINTR || errno == EAGAIN;
    b->off += (size_t)w;
    if (b->off == b->len)
        b->len = b->off = 0;
    return true;
}

/* After the child is gone: copy what is still in the master, without waiting for more. */
static void drain_master(int master)
{
    char data[16384];
    for (;;) {
        ssize_t r = read(master, data, sizeof data);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return; /* EAGAIN: nothing left now; EIO: no slave open any more */
        if (!write_all(STDOUT_FILENO, data, (size_t)r))
            return;
    }
}

int supervise(pid_t child, struct pty *pty, bool reap_all)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < N_FORWARDED_SIGNALS; i++)
        sigaddset(&set, FORWARDED_SIGNALS[i]);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGWINCH);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        kill(child, SIGKILL);
        die_errno(EXIT_SETUP, "signalfd");
    }

    struct buf *to_pty = NULL, *from_pty = NULL;
    bool stdin_open = false, master_open = false, stdout_open = false;
    if (pty) {
        to_pty = xmalloc(sizeof *to_pty);
        from_pty = xmalloc(sizeof *from_pty);
        to_pty->len = to_pty->off = from_pty->len = from_pty->off = 0;
        fcntl(pty->master, F_SETFL, fcntl(pty->master, F_GETFL) | O_NONBLOCK);
        stdin_open = master_open = stdout_open = true;
        if (pty->stdin_is_tty)
            enter_raw_mode();
    }

    int status = 0;
    bool done = false;
    while (!done) {
        struct pollfd fds[4];
        int n = 0, i_sig = n++, i_in = -1, i_master = -1, i_out = -1;
        fds[i_sig] = (struct pollfd){.fd = sfd, .events = POLLIN};
        if (pty) {
            if (stdin_open && to_pty->len == 0) {
                i_in = n++;
                fds[i_in] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
            }
            if (master_open) {
                short ev = 0;
                if (from_pty->len == 0)
                    ev |= POLLIN;
                if (to_pty->len > 0)
                    ev |= POLLOUT;
                i_master = n++;
                fds[i_master] = (struct pollfd){.fd = pty->master, .events = ev};
            }
            if (from_pty->len > 0) {
                i_out = n++;
                fds[i_out] = (struct pollfd){.fd = STDOUT_FILENO, .events = POLLOUT};
            }
        }
        if (poll(fds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            die_errno(EXIT_SETUP, "poll");
        }

        if (fds[i_sig].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
                int sig = (int)si.ssi_signo;
                if (sig == SIGCHLD) {
                    for (;;) {
                        int st;
                        pid_t r = waitpid(reap_all ? -1 : child, &st, WNOHANG);
                        if (r <= 0)
                            break;
                        if (r == child) {
                            status = st;
                            done = true;
                        }
                    }
                } else if (sig == SIGWINCH) {
                    struct winsize ws;
                    if (pty && pty->stdin_is_tty && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                        ioctl(pty->master, TIOCSWINSZ, &ws);
                } else if (sig == SIGPIPE && si.ssi_pid == (uint32_t)getpid()) {
                    /* our own write to a closed stdout, not a signal to pass on */
                } else {
                    kill(child, sig);
                }
            }
        }
        if (!pty)
            continue;

        if (i_in >= 0 && (fds[i_in].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = read(STDIN_FILENO, to_pty->data, sizeof to_pty->data);
            if (r > 0) {
                to_pty->len = (size_t)r;
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                /* Our stdin closed: the terminal's way to say so is the EOF character. */
                stdin_open = false;
                struct termios t;
                to_pty->data[0] = tcgetattr(pty->master, &t) == 0 ? (char)t.c_cc[VEOF] : 4;
                to_pty->len = 1;
            }
        }
        if (i_master >= 0) {
            short re = fds[i_master].revents;
            if ((re & POLLOUT) && !flush_some(pty->master, to_pty))
                master_open = false;
            if (re & POLLIN) {
                ssize_t r = read(pty->master, from_pty->data, sizeof from_pty->data);
                if (r > 0)
                    from_pty->len = (size_t)r;
                else if (r == 0 || (errno != EINTR && errno != EAGAIN))
                    master_open = false; /* EIO: every slave fd is closed */
            } else if (re & (POLLHUP | POLLERR)) {
                master_open = false;
            }
        }
        if (i_out >= 0 && (fds[i_out].revents & (POLLOUT | POLLHUP | POLLERR))) {
            if (!stdout_open || !flush_some(STDOUT_FILENO, from_pty)) {
                stdout_open = false; /* nobody reads us: keep draining the pty anyway */
                from_pty->len = from_pty->off = 0;
            }
        }
    }

    if (pty) {
        if (stdout_open && from_pty->len > from_pty->off)
            write_all(STDOUT_FILENO, from_pty->data + from_pty->off, from_pty->len - from_pty->off);
        if (stdout_open)
            drain_master(pty->master);
        restore_termios();
        free(to_pty);
        free(from_pty);
    }
    close(sfd);
    return status;
}
