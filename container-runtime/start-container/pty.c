/*
 * A pseudo-terminal for the command (spec §4.1 --force-tty, --force-stderr-tty,
 * --pty-size). Used when asked, or when our own stdin is a terminal. The parent keeps
 * the master and relays it (supervise.c); the child makes the slave its controlling
 * terminal and its stdin/stdout (and stderr when --force-stderr-tty or fd 2 is a tty).
 */
#include "sc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

bool pty_wanted(const struct sc_opts *o)
{
    return o->force_tty || o->force_stderr_tty || isatty(STDIN_FILENO);
}

void pty_open(struct pty *p, const struct sc_opts *o)
{
    p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (p->master < 0)
        die_errno(EXIT_SETUP, "cannot open a pseudo-terminal (/dev/ptmx)");
    if (grantpt(p->master) < 0 || unlockpt(p->master) < 0)
        die_errno(EXIT_SETUP, "cannot unlock the pseudo-terminal");
    char name[128];
    if (ptsname_r(p->master, name, sizeof name) != 0)
        die_errno(EXIT_SETUP, "cannot name the pseudo-terminal");
    p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (p->slave < 0)
        die_errno(EXIT_SETUP, "cannot open %s", name);
    p->stdin_is_tty = isatty(STDIN_FILENO);
    p->stderr_too = o->force_stderr_tty || isatty(STDERR_FILENO);

    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    if (o->has_pty_size)
        ws = o->pty_size;
    else if (p->stdin_is_tty)
        ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
    ioctl(p->master, TIOCSWINSZ, &ws);
}

void pty_child_setup(const struct pty *p)
{
    /* After setsid(): the first terminal a session leader claims becomes its ctty. */
    if (ioctl(p->slave, TIOCSCTTY, 0) < 0)
        die_errno(EXIT_SETUP, "cannot make the pseudo-terminal the controlling terminal");
    if (dup2(p->slave, STDIN_FILENO) < 0 || dup2(p->slave, STDOUT_FILENO) < 0 ||
        (p->stderr_too && dup2(p->slave, STDERR_FILENO) < 0))
        die_errno(EXIT_SETUP, "cannot attach stdio to the pseudo-terminal");
    if (p->slave > STDERR_FILENO)
        close(p->slave);
    close(p->master);
}
