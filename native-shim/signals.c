/*
 * mapt native shim: signals as fd events (the self-pipe of uloop and small C daemons).
 *
 * A process-directed signal may be delivered to any thread the runtime started, so blocking
 * it on the loop's thread and reading a signalfd is not enough; a C handler that writes the
 * signal number into a non-blocking pipe works whichever thread it lands on, and the event
 * loop reads the pipe like any other fd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int pipe_fds[2] = { -1, -1 };

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    /* A full pipe drops the byte: the loop is already behind and will see the others. */
    ssize_t ignored = write(pipe_fds[1], &b, 1);
    (void)ignored;
    errno = saved;
}

/* Returns the read end of the signal pipe (created once), or -1 with errno set. */
int mapt_signals_open(void)
{
    if (pipe_fds[0] >= 0)
        return pipe_fds[0];
    if (pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0)
        return -1;
    return pipe_fds[0];
}

/* Routes SIG into the pipe. 0 on success, -1 with errno set. */
int mapt_signals_watch(int sig)
{
    if (pipe_fds[1] < 0) {
        errno = EBADF;
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

/* Gives SIG back its default action. */
int mapt_signals_default(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}
