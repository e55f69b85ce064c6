/*
 * Test helper, not installed: runs COMMAND as root of a new user namespace whose ids
 * 0..COUNT-1 are host ids BASE..BASE+COUNT-1, the way an unprivileged LXC container
 * maps them. util-linux's `unshare --map-users` needs newuidmap (package uidmap), which
 * this machine must not have (it changes how LXC writes its maps), so test.sh builds
 * this instead:  test-userns BASE COUNT COMMAND...
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_map(pid_t pid, const char *file, const char *map)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    FILE *f = fopen(path, "w");
    if (!f || fputs(map, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(125);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test-userns BASE COUNT COMMAND...\n");
        return 2;
    }
    char map[64];
    snprintf(map, sizeof map, "0 %s %s\n", argv[1], argv[2]);
    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0)
        return perror("pipe"), 125;
    pid_t pid = fork();
    if (pid < 0)
        return perror("fork"), 125;
    if (pid == 0) {
        char c;
        close(ready[0]);
        close(go[1]);
        if (unshare(CLONE_NEWUSER) < 0)
            return perror("unshare(CLONE_NEWUSER)"), 125;
        if (write(ready[1], "", 1) != 1 || read(go[0], &c, 1) != 1)
            return 125; /* the parent failed to write the maps */
        /* Become the namespace's root before exec, so the capabilities survive it. */
        if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
            return perror("become root in the user namespace"), 125;
        execvp(argv[3], argv + 3);
        perror(argv[3]);
        return 127;
    }
    char c;
    close(ready[1]);
    close(go[0]);
    if (read(ready[0], &c, 1) != 1)
        return 125;
    write_map(pid, "uid_map", map);
    write_map(pid, "gid_map", map);
    if (write(go[1], "", 1) != 1)
        return 125;
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return perror("waitpid"), 125;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
