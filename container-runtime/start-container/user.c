/*
 * --user resolution (spec §4.1), read from the subcontainer's own /etc/passwd and
 * /etc/group (called after pivot_root, so a symlink in the image cannot point us at
 * the service container's files). No NSS: the image's files are the only source.
 *
 *   name       uid, gid and HOME from passwd; error if the name is unknown
 *   uid        numeric; passwd gives gid and HOME when it has the uid, else gid 0, HOME /
 *   root       uid 0 even when the image has no passwd entry for it (images FROM scratch)
 *   X:group    the group part (name or number) replaces the passwd gid
 * Supplementary groups: every group line whose member list holds the user's name.
 */
#include "sc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool parse_id(const char *s, size_t len, unsigned long *out)
{
    if (len == 0 || len > 10)
        return false;
    unsigned long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v >= 0xFFFFFFFFul) /* (uid_t)-1 means "unchanged" to the kernel */
        return false;
    *out = v;
    return true;
}

/* Splits a colon-separated line into at most `max` fields, in place. */
static int split_fields(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == ':') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

struct pw {
    bool found;
    char *name;
    unsigned long uid, gid;
    char *home;
};

/* Finds the first passwd line matching `name` (if not NULL) or `uid`. */
static void find_passwd(const char *path, const char *name, unsigned long uid, struct pw *out)
{
    memset(out, 0, sizeof *out);
    char *text = read_file(path, NULL);
    if (!text) {
        if (errno != ENOENT)
            warn_msg("cannot read %s: %s", path, strerror(errno));
        return;
    }
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[7];
        if (line[0] == '#' || split_fields(line, f, 7) < 7)
            continue;
        unsigned long u, g;
        if (!parse_id(f[2], strlen(f[2]), &u) || !parse_id(f[3], strlen(f[3]), &g))
            continue;
        if (name ? strcmp(f[0], name) == 0 : u == uid) {
            out->found = true;
            out->name = xstrdup(f[0]);
            out->uid = u;
            out->gid = g;
            out->home = xstrdup(f[5][0] ? f[5] : "/");
            break;
        }
    }
    free(text);
}

static bool member_of(char *members, const char *name)
{
    for (char *m = strtok(members, ","); m; m = strtok(NULL, ","))
        if (strcmp(m, name) == 0)
            return true;
    return false;
}

/*
 * Looks up group `want_name` (if not NULL) and collects the supplementary groups of
 * user `user` (if not NULL) in one pass over the file.
 */
static bool scan_groups(const char *path, const char *want_name, unsigned long *want_gid,
                        const char *user, struct creds *c)
{
    bool found = false;
    char *text = read_file(path, NULL);
    if (!text) {
        if (errno != ENOENT)
            warn_msg("cannot read %s: %s", path, strerror(errno));
        return false;
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[4];
        if (line[0] == '#' || split_fields(line, f, 4) < 4)
            continue;
        unsigned long g;
        if (!parse_id(f[2], strlen(f[2]), &g))
            continue;
        if (want_name && !found && strcmp(f[0], want_name) == 0) {
            *want_gid = g;
            found = true;
        }
        if (user && member_of(f[3], user)) {
            bool dup = false;
            for (size_t i = 0; i < c->n_groups; i++)
                dup |= c->groups[i] == (gid_t)g;
            if (!dup) {
                c->groups = xrealloc(c->groups, (c->n_groups + 1) * sizeof *c->groups);
                c->groups[c->n_groups++] = (gid_t)g;
            }
        }
    }
    free(text);
    return found;
}

void resolve_user(const char *spec, const char *passwd_path, const char *group_path, struct creds *c)
{
    memset(c, 0, sizeof *c);
    if (!spec || !*spec)
        spec = "0";
    const char *colon = strchr(spec, ':');
    size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
    char *uname = xmalloc(ulen + 1);
    memcpy(uname, spec, ulen);
    uname[ulen] = '\0';
    const char *gspec = colon ? colon + 1 : NULL;
    if (ulen == 0 || (gspec && !*gspec))
        die(EXIT_SETUP, "--user '%s': expected name, uid, name:group or uid:gid", spec);

    struct pw pw;
    unsigned long uid;
    if (parse_id(uname, ulen, &uid)) {
        find_passwd(passwd_path, NULL, uid, &pw);
    } else {
        find_passwd(passwd_path, uname, 0, &pw);
        if (!pw.found && strcmp(uname, "root") != 0)
            die(EXIT_SETUP, "--user '%s': no user '%s' in the subcontainer's /etc/passwd", spec,
                uname);
        /* "root" is what the SDK passes by default: images built FROM scratch have no
         * passwd at all, and root is uid 0 everywhere. */
        uid = pw.found ? pw.uid : 0;
    }

    unsigned long gid = pw.found ? pw.gid : 0; /* like docker: a uid without passwd gets gid 0 */
    bool gid_is_name = false;
    if (gspec) {
        if (!parse_id(gspec, strlen(gspec), &gid))
            gid_is_name = true;
    }
    bool found_group = scan_groups(group_path, gid_is_name ? gspec : NULL, &gid,
                                   pw.found ? pw.name : NULL, c);
    if (gid_is_name && !found_group)
        die(EXIT_SETUP, "--user '%s': no group '%s' in the subcontainer's /etc/group", spec, gspec);

    c->uid = (uid_t)uid;
    c->gid = (gid_t)gid;
    c->home = pw.found ? pw.home : xstrdup("/");
    free(uname);
}
