/*
 * Options of the subcontainer commands (spec §4.1), parsed the way upstream's clap
 * parser accepts them: `--flag=value` and `--flag value`, `-e VALUE`, `-eVALUE` and
 * `-e=VALUE`. Values are taken verbatim (they may hold '=', spaces and newlines).
 * Parsing stops at the first positional argument, ROOTFS; everything after it is the
 * command, even words that start with '-'. `--` also ends the options.
 */
#include "sc.h"

#include <string.h>

enum opt_id { OPT_ENV, OPT_ENV_FILE, OPT_WORKDIR, OPT_USER, OPT_FORCE_TTY, OPT_FORCE_STDERR_TTY,
              OPT_PTY_SIZE, OPT_HELP };

struct opt_def {
    const char *long_name;
    char short_name; /* 0 = none */
    bool takes_value;
    enum opt_id id;
};

static const struct opt_def OPTS[] = {
    {"env", 'e', true, OPT_ENV},
    {"env-file", 0, true, OPT_ENV_FILE},
    {"workdir", 'w', true, OPT_WORKDIR},
    {"user", 'u', true, OPT_USER},
    {"force-tty", 0, false, OPT_FORCE_TTY},
    {"force-stderr-tty", 0, false, OPT_FORCE_STDERR_TTY},
    {"pty-size", 0, true, OPT_PTY_SIZE},
    {"help", 'h', false, OPT_HELP},
};
#define N_OPTS (sizeof OPTS / sizeof OPTS[0])

static unsigned short parse_dim(const char *s, const char *end, const char *whole)
{
    if (s == end)
        die(EXIT_USAGE, "--pty-size '%s': expected ROWS:COLS[:XPIX:YPIX]", whole);
    unsigned long v = 0;
    for (const char *p = s; p < end; p++) {
        if (*p < '0' || *p > '9' || v > 65535)
            die(EXIT_USAGE, "--pty-size '%s': expected ROWS:COLS[:XPIX:YPIX]", whole);
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v > 65535)
        die(EXIT_USAGE, "--pty-size '%s': a dimension is above 65535", whole);
    return (unsigned short)v;
}

static void parse_pty_size(const char *s, struct winsize *ws)
{
    unsigned short dims[4] = {0, 0, 0, 0};
    int n = 0;
    const char *p = s;
    for (;;) {
        const char *colon = strchr(p, ':');
        const char *end = colon ? colon : p + strlen(p);
        if (n == 4)
            die(EXIT_USAGE, "--pty-size '%s': expected ROWS:COLS[:XPIX:YPIX]", s);
        dims[n++] = parse_dim(p, end, s);
        if (!colon)
            break;
        p = colon + 1;
    }
    if (n != 2 && n != 4)
        die(EXIT_USAGE, "--pty-size '%s': expected ROWS:COLS[:XPIX:YPIX]", s);
    ws->ws_row = dims[0];
    ws->ws_col = dims[1];
    ws->ws_xpixel = dims[2];
    ws->ws_ypixel = dims[3];
}

static void apply(struct sc_opts *o, enum opt_id id, const char *value)
{
    switch (id) {
    case OPT_ENV:
        o->env = xrealloc(o->env, (o->n_env + 1) * sizeof *o->env);
        o->env[o->n_env++] = value;
        break;
    case OPT_ENV_FILE:
        o->env_file = value;
        break;
    case OPT_WORKDIR:
        o->workdir = value;
        break;
    case OPT_USER:
        o->user = value;
        break;
    case OPT_FORCE_TTY:
        o->force_tty = true;
        break;
    case OPT_FORCE_STDERR_TTY:
        o->force_stderr_tty = true;
        break;
    case OPT_PTY_SIZE:
        parse_pty_size(value, &o->pty_size);
        o->has_pty_size = true;
        break;
    case OPT_HELP:
        usage(0);
    }
}

void parse_sc_opts(int argc, char **argv, struct sc_opts *o, const char *sub, bool cmd_required)
{
    memset(o, 0, sizeof *o);
    o->workdir = "/";
    int i = 1;
    while (i < argc) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break; /* ROOTFS ("-" alone is a path, as in clap) */

        const struct opt_def *def = NULL;
        const char *value = NULL;
        bool inline_value = false;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < N_OPTS; k++)
                if (strlen(OPTS[k].long_name) == len && strncmp(OPTS[k].long_name, name, len) == 0)
                    def = &OPTS[k];
            if (!def)
                die(EXIT_USAGE, "subcontainer %s: unknown option '--%.*s' (options end at ROOTFS)",
                    sub, (int)len, name);
            if (eq) {
                value = eq + 1;
                inline_value = true;
            }
        } else {
            for (size_t k = 0; k < N_OPTS; k++)
                if (OPTS[k].short_name == a[1])
                    def = &OPTS[k];
            if (!def)
                die(EXIT_USAGE, "subcontainer %s: unknown option '-%c' (options end at ROOTFS)", sub,
                    a[1]);
            if (a[2] != '\0') {
                value = a[2] == '=' ? a + 3 : a + 2;
                inline_value = true;
            }
        }
        if (def->takes_value) {
            if (!inline_value) {
                if (i + 1 >= argc)
                    die(EXIT_USAGE, "subcontainer %s: option '%s' needs a value", sub, a);
                value = argv[++i];
            }
        } else if (inline_value) {
            die(EXIT_USAGE, "subcontainer %s: option '--%s' takes no value", sub, def->long_name);
        }
        apply(o, def->id, value);
        i++;
    }
    if (i >= argc)
        die(EXIT_USAGE, "subcontainer %s: missing ROOTFS (see --help)", sub);
    o->rootfs = argv[i++];
    if (o->rootfs[0] == '\0')
        die(EXIT_USAGE, "subcontainer %s: ROOTFS is empty", sub);
    o->cmd = argv + i; /* argv is NULL-terminated, so o->cmd is too */
    o->n_cmd = argc - i;
    if (cmd_required && o->n_cmd == 0)
        die(EXIT_USAGE, "subcontainer %s: missing COMMAND after ROOTFS", sub);
    for (size_t k = 0; k < o->n_env; k++)
        if (!strchr(o->env[k], '=') || o->env[k][0] == '=')
            die(EXIT_USAGE, "subcontainer %s: --env '%s' is not KEY=VALUE", sub, o->env[k]);
}
