/*
 * mapt native shim: starting other programs without System.Diagnostics.Process (which costs
 * binary size and starts threads).
 *
 * mapt_run runs a helper (iptables-restore) to completion: posix_spawn with stdin, stdout and
 * stderr piped, a poll loop that feeds stdin while draining both outputs, a deadline after
 * which the child is killed, and its wait status. mapt_detach starts the daemon of
 * `mapt run --daemon` in its own session with stdio on /dev/null.
 *
 * What a child gets is exactly what the caller passes: the program is looked up in the
 * caller's search path (not in this process's PATH, which the starter chose), the
 * environment is the caller's array, every signal has its default action and none is
 * blocked (the .NET runtime ignores SIGPIPE; that must not leak into iptables-restore).
 * Descriptors: only 0, 1 and 2; every other one in mapt is close-on-exec (start.c marks the
 * inherited ones, mapt opens its own with O_CLOEXEC). Capabilities: no_new_privs caps a
 * child at mapt's own permitted set (start.c).
 *
 * The child is spawned from the calling thread, so it inherits that thread's namespaces.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Appends what is readable on *fd to buf (keeping at most cap bytes; the rest is read and
 * dropped so the child never blocks on a full pipe). *len counts every byte read, kept or
 * not, so the caller can tell a cut output (*len > cap) from a whole one. Closes *fd at end
 * of file. */
static void drain(int *fd, char *buf, size_t cap, size_t *len)
{
    char scratch[4096];
    for (;;) {
        ssize_t n = read(*fd, scratch, sizeof scratch);
        if (n > 0) {
            size_t room = cap > *len ? cap - *len : 0;
            size_t take = (size_t)n < room ? (size_t)n : room;
            memcpy(buf + *len, scratch, take);
            *len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        close_fd(fd);
        return;
    }
}

/* Every signal back to its default action, none blocked: what a freshly booted program expects. */
static void default_signals(posix_spawnattr_t *attr, short extra_flags)
{
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_init(attr);
    posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | extra_flags);
    posix_spawnattr_setsigmask(attr, &none);
    posix_spawnattr_setsigdefault(attr, &all);
}

/* PROGRAM itself when it holds a slash, else the first executable DIR/PROGRAM of SEARCH
 * (colon-separated) in FOUND. 0, or -1 with errno set (ENOENT: in none of them). */
static int resolve(const char *program, const char *search, char *found, size_t cap)
{
    if (strchr(program, '/') != NULL) {
        if (strlen(program) >= cap) {
            errno = ENAMETOOLONG;
            return -1;
        }
        strcpy(found, program);
        return 0;
    }
    const char *dir = search;
    while (*dir) {
        const char *end = strchr(dir, ':');
        size_t length = end ? (size_t)(end - dir) : strlen(dir);
        if (length > 0 && snprintf(found, cap, "%.*s/%s", (int)length, dir, program) < (int)cap && access(found, X_OK) == 0)
            return 0;
        if (!end)
            break;
        dir = end + 1;
    }
    errno = ENOENT;
    return -1;
}

/*
 * Runs argv[0] (looked up in SEARCH) with argv and the environment ENVP, feeding input on
 * its stdin. *out_len and *err_len are the whole output's lengths: more than the capacity
 * means it was cut. Returns 0 when the child ended (*wait_status set), -1 when it could not be
 * started (errno set), -2 when it was killed at the deadline (*wait_status set).
 */
int mapt_run(char *const argv[], char *const envp[], const char *search,
             const char *input, size_t input_len, int timeout_ms,
             char *out, size_t out_cap, size_t *out_len,
             char *err, size_t err_cap, size_t *err_len, int *wait_status)
{
    int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    char path[PATH_MAX];
    pid_t pid;
    int rc, saved;

    *out_len = 0;
    *err_len = 0;
    *wait_status = 0;
    if (resolve(argv[0], search, path, sizeof path) != 0) {
        saved = errno;
        goto fail;
    }
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        saved = errno;
        goto fail;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    default_signals(&attr, 0);
    rc = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        saved = rc;
        goto fail;
    }
    close_fd(&in_pipe[0]);
    close_fd(&out_pipe[1]);
    close_fd(&err_pipe[1]);
    fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
    if (input_len == 0)
        close_fd(&in_pipe[1]);

    long long deadline = now_ms() + timeout_ms;
    size_t written = 0;
    int timed_out = 0;
    while (out_pipe[0] >= 0 || err_pipe[0] >= 0 || in_pipe[1] >= 0) {
        struct pollfd fds[3];
        int nfds = 0, in_at = -1, out_at = -1, err_at = -1;
        if (in_pipe[1] >= 0) { in_at = nfds; fds[nfds].fd = in_pipe[1]; fds[nfds].events = POLLOUT; nfds++; }
        if (out_pipe[0] >= 0) { out_at = nfds; fds[nfds].fd = out_pipe[0]; fds[nfds].events = POLLIN; nfds++; }
        if (err_pipe[0] >= 0) { err_at = nfds; fds[nfds].fd = err_pipe[0]; fds[nfds].events = POLLIN; nfds++; }
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        int ready = poll(fds, (nfds_t)nfds, (int)left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            timed_out = ready == 0;
            if (!timed_out)
                break;
            continue;
        }
        if (in_at >= 0 && fds[in_at].revents) {
            if (fds[in_at].revents & (POLLERR | POLLHUP)) {
                close_fd(&in_pipe[1]); /* the child closed its stdin: it will not read the rest */
            } else {
                ssize_t n = write(in_pipe[1], input + written, input_len - written);
                if (n > 0)
                    written += (size_t)n;
                else if (n < 0 && errno != EAGAIN && errno != EINTR)
                    close_fd(&in_pipe[1]);
                if (written == input_len)
                    close_fd(&in_pipe[1]);
            }
        }
        if (out_at >= 0 && fds[out_at].revents)
            drain(&out_pipe[0], out, out_cap, out_len);
        if (err_at >= 0 && fds[err_at].revents)
            drain(&err_pipe[0], err, err_cap, err_len);
    }
    close_fd(&in_pipe[1]);
    close_fd(&out_pipe[0]);
    close_fd(&err_pipe[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    /* Outputs closed: the child is exiting; wait, but not past the deadline. */
    for (;;) {
        pid_t w = waitpid(pid, wait_status, timed_out ? 0 : WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            break;
        if (now_ms() >= deadline) {
            kill(pid, SIGKILL);
            timed_out = 1;
            continue;
        }
        struct timespec pause = { 0, 1000000 };
        nanosleep(&pause, NULL);
    }
    return timed_out ? -2 : 0;

fail:
    close_fd(&in_pipe[0]); close_fd(&in_pipe[1]);
    close_fd(&out_pipe[0]); close_fd(&out_pipe[1]);
    close_fd(&err_pipe[0]); close_fd(&err_pipe[1]);
    errno = saved;
    return -1;
}

extern char **environ;

/*
 * `mapt run --daemon`: starts PATH with ARGV and ENVP (this process's environment when NULL) as the leader of a new session (no
 * controlling terminal to lose, no process group of the starter's shell), stdin, stdout and
 * stderr on /dev/null. The child's pid in *PID. 0, or -1 with errno set.
 */
int mapt_detach(const char *path, char *const argv[], char *const envp[], int *pid)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    pid_t child;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&actions, 0, 1);
    posix_spawn_file_actions_adddup2(&actions, 0, 2);
    default_signals(&attr, POSIX_SPAWN_SETSID);
    int rc = posix_spawn(&child, path, &actions, &attr, argv, envp != NULL ? envp : environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    *pid = child;
    return 0;
}

/* Whether child PID has ended, without waiting: 1 (its wait status in *STATUS), 0 (still
 * running), -1 with errno set. */
int mapt_child_ended(int pid, int *status)
{
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            return 1;
        if (w == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}
