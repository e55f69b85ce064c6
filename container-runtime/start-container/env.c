/*
 * The environment of the final process (spec §4.1): what we inherited (upstream does
 * not clear it), then the --env-file lines, then each --env. HOME from passwd is added
 * later, unless the file or a flag set it.
 */
#include "sc.h"

#include <errno.h>
#include <string.h>

extern char **environ;

static size_t key_len(const char *kv)
{
    const char *eq = strchr(kv, '=');
    return eq ? (size_t)(eq - kv) : strlen(kv);
}

void env_set(struct envv *e, const char *kv)
{
    size_t k = key_len(kv);
    for (size_t i = 0; i < e->n; i++) {
        if (key_len(e->v[i]) == k && strncmp(e->v[i], kv, k) == 0) {
            e->v[i] = (char *)kv;
            return;
        }
    }
    if (e->n + 2 > e->cap) {
        e->cap = e->cap ? e->cap * 2 : 64;
        e->v = xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->n++] = (char *)kv;
    e->v[e->n] = NULL;
}

const char *env_get(const struct envv *e, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i < e->n; i++)
        if (key_len(e->v[i]) == k && strncmp(e->v[i], key, k) == 0)
            return e->v[i] + k + 1;
    return NULL;
}

static void set_tracking_home(struct envv *e, const char *kv)
{
    env_set(e, kv);
    if (key_len(kv) == 4 && strncmp(kv, "HOME", 4) == 0)
        e->home_set = true;
}

static void read_env_file(struct envv *e, const char *path)
{
    char *text = read_file(path, NULL);
    if (!text)
        die_errno(EXIT_SETUP, "cannot read --env-file %s", path);
    /* The buffer stays allocated for the life of the process: e->v points into it. */
    int lineno = 0;
    char *line = text;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        if (*line != '\0') {
            if (!strchr(line, '=') || line[0] == '=')
                warn_msg("%s:%d: not KEY=VALUE, skipped", path, lineno);
            else
                set_tracking_home(e, line);
        }
        if (!nl)
            break;
        line = nl + 1;
    }
}

void env_build(struct envv *e, const struct sc_opts *o)
{
    memset(e, 0, sizeof *e);
    e->cap = 64;
    e->v = xmalloc(e->cap * sizeof *e->v);
    e->v[0] = NULL;
    for (char **p = environ; *p; p++)
        if (strchr(*p, '='))
            env_set(e, *p);
    if (o->env_file)
        read_env_file(e, o->env_file);
    for (size_t i = 0; i < o->n_env; i++)
        set_tracking_home(e, o->env[i]);
}
