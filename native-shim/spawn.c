/*
 * mapt native shim: starting other programs without System.Diagnostics.Process (which costs
 * binary size and starts threads).
 *
 * mapt_run_all runs helpers (iptables-restore, the iptables-save reads of a check) to
 * completion, side by side: posix_spawn with stdin, stdout and stderr piped, one poll loop
 * that feeds every stdin while draining every output, a deadline after which the children
 * still running are killed, and each wait status. mapt_detach starts the daemon of
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

/* One helper of a batch: what the caller gives (argv, input, buffers) and what it gets back.
 * The layout is mirrored in src/Apply/ChildProcess.cs (NativeJob). */
struct mapt_job {
    char *const *argv;
    const char *input;
    size_t input_len;
    char *out;
    size_t out_cap;
    size_t out_len;   /* every byte written to stdout: more than out_cap means it was cut */
    char *err;
    size_t err_cap;
    size_t err_len;
    int wait_status;
    int result;       /* 0 ended, -1 not started (error in err_no), -2 killed at the deadline */
    int err_no;
};

/* A batch is a handful of reads (one iptables-save per table); more is a caller's bug. */
#define MAX_JOBS 8

struct running {
    pid_t pid;
    int in_fd, out_fd, err_fd;
    size_t written;
};

static int start_job(struct mapt_job *job, struct running *run, char *const envp[], const char *search)
{
    int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    char path[PATH_MAX];
    int rc, saved;

    if (resolve(job->argv[0], search, path, sizeof path) != 0) {
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
    rc = posix_spawn(&run->pid, path, &actions, &attr, job->argv, envp);
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
    if (job->input_len == 0)
        close_fd(&in_pipe[1]);
    run->in_fd = in_pipe[1];
    run->out_fd = out_pipe[0];
    run->err_fd = err_pipe[0];
    return 0;

fail:
    close_fd(&in_pipe[0]); close_fd(&in_pipe[1]);
    close_fd(&out_pipe[0]); close_fd(&out_pipe[1]);
    close_fd(&err_pipe[0]); close_fd(&err_pipe[1]);
    job->result = -1;
    job->err_no = saved;
    return -1;
}

static void feed(struct mapt_job *job, struct running *run, short revents)
{
    if (revents & (POLLERR | POLLHUP)) {
        close_fd(&run->in_fd); /* the child closed its stdin: it will not read the rest */
        return;
    }
    ssize_t n = write(run->in_fd, job->input + run->written, job->input_len - run->written);
    if (n > 0)
        run->written += (size_t)n;
    else if (n < 0 && errno != EAGAIN && errno != EINTR)
        close_fd(&run->in_fd);
    if (run->written == job->input_len)
        close_fd(&run->in_fd);
}

/* Waits for a child whose outputs are closed (it is exiting), but not past the deadline. */
static void reap(struct mapt_job *job, struct running *run, long long deadline, int timed_out)
{
    if (timed_out)
        kill(run->pid, SIGKILL);
    for (;;) {
        pid_t w = waitpid(run->pid, &job->wait_status, timed_out ? 0 : WNOHANG);
        if (w == run->pid)
            break;
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            break;
        if (now_ms() >= deadline) {
            kill(run->pid, SIGKILL);
            timed_out = 1;
            continue;
        }
        struct timespec pause = { 0, 1000000 };
        nanosleep(&pause, NULL);
    }
    job->result = timed_out ? -2 : 0;
}

/*
 * Runs COUNT helpers side by side, each argv[0] looked up in SEARCH, with the environment
 * ENVP and its input on its stdin, until every one has ended or TIMEOUT_MS has passed (the
 * ones still running then are killed). Side by side because the reads before a change are
 * independent and each is mostly a process start: one after the other they were most of a
 * restart's adoption time. Each job's result says how it went; returns -1 (EINVAL) only for
 * a batch it cannot take, else 0.
 */
int mapt_run_all(struct mapt_job *jobs, int count, char *const envp[], const char *search, int timeout_ms)
{
    struct running runs[MAX_JOBS];
    struct pollfd fds[3 * MAX_JOBS];
    int owner[3 * MAX_JOBS], which[3 * MAX_JOBS];

    if (count < 1 || count > MAX_JOBS) {
        errno = EINVAL;
        return -1;
    }
    for (int i = 0; i < count; i++) {
        jobs[i].out_len = 0;
        jobs[i].err_len = 0;
        jobs[i].wait_status = 0;
        jobs[i].result = 0;
        jobs[i].err_no = 0;
        runs[i] = (struct running){ -1, -1, -1, -1, 0 };
        start_job(&jobs[i], &runs[i], envp, search);
    }

    long long deadline = now_ms() + timeout_ms;
    int timed_out = 0;
    for (;;) {
        int nfds = 0;
        for (int i = 0; i < count; i++) {
            if (runs[i].in_fd >= 0) { owner[nfds] = i; which[nfds] = 0; fds[nfds].fd = runs[i].in_fd; fds[nfds].events = POLLOUT; nfds++; }
            if (runs[i].out_fd >= 0) { owner[nfds] = i; which[nfds] = 1; fds[nfds].fd = runs[i].out_fd; fds[nfds].events = POLLIN; nfds++; }
            if (runs[i].err_fd >= 0) { owner[nfds] = i; which[nfds] = 2; fds[nfds].fd = runs[i].err_fd; fds[nfds].events = POLLIN; nfds++; }
        }
        if (nfds == 0)
            break;
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        int ready = poll(fds, (nfds_t)nfds, (int)left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            break;
        for (int k = 0; k < nfds; k++) {
            if (!fds[k].revents)
                continue;
            struct mapt_job *job = &jobs[owner[k]];
            struct running *run = &runs[owner[k]];
            if (which[k] == 0)
                feed(job, run, fds[k].revents);
            else if (which[k] == 1)
                drain(&run->out_fd, job->out, job->out_cap, &job->out_len);
            else
                drain(&run->err_fd, job->err, job->err_cap, &job->err_len);
        }
    }
    for (int i = 0; i < count; i++) {
        /* Only a child still talking at the deadline was cut off; one done with its pipes is reaped as it ended. */
        int cut = timed_out && (runs[i].in_fd >= 0 || runs[i].out_fd >= 0 || runs[i].err_fd >= 0);
        close_fd(&runs[i].in_fd);
        close_fd(&runs[i].out_fd);
        close_fd(&runs[i].err_fd);
        if (runs[i].pid > 0)
            reap(&jobs[i], &runs[i], deadline, cut);
    }
    return 0;
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
