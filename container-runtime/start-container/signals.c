/*
 * The forwarded signal set (spec §4.2 step 2) and exit-code mapping.
 *
 * The parents block these signals before fork and read them from a signalfd, so no
 * signal is lost between fork and the wait loop; children restore the old mask.
 */
#include "sc.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

const int FORWARDED_SIGNALS[] = {
    SIGABRT, SIGALRM, SIGCONT, SIGHUP,  SIGINT,  SIGIO,   SIGPIPE, SIGPROF,   SIGQUIT,
    SIGTERM, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGUSR1, SIGUSR2, SIGVTALRM,
};
const size_t N_FORWARDED_SIGNALS = sizeof FORWARDED_SIGNALS / sizeof FORWARDED_SIGNALS[0];

void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < N_FORWARDED_SIGNALS; i++)
        sigaddset(&set, FORWARDED_SIGNALS[i]);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void noop(int sig)
{
    (void)sig;
}

/*
 * A PID 1 only receives signals it has a handler for (pid_namespaces(7)). Blocked
 * signals are queued anyway, but a handler makes that independent of kernel details.
 * The handlers never run: the signals stay blocked and are read from a signalfd.
 */
void install_noop_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = noop;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FORWARDED_SIGNALS; i++)
        sigaction(FORWARDED_SIGNALS[i], &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
}

int exit_code_of(int status, const char *what)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGTERM)
            return 0; /* a stop we asked for: the SDK counts it as clean */
        warn_msg("%s killed by signal %d (%s)", what, sig, strsignal(sig));
        return 128 + sig;
    }
    return EXIT_SETUP;
}
