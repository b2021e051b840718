/*
 * mapt native shim: the fatal-signal handler.
 *
 * When mapt dies of SIGSEGV, SIGBUS, SIGILL, SIGFPE or SIGABRT, one last line (signal,
 * faulting address, UTC time, boot id) is written to a file descriptor the logger registered
 * (the current flash log segment), then the signal is re-raised with its default action so
 * the exit status and any core dump stay what they would have been.
 *
 * Everything in the handler is async-signal-safe: no malloc, no stdio, only write(2),
 * clock_gettime(2), sigaction(2) and raise(3).
 *
 * The .NET runtime itself uses SIGSEGV (and SIGFPE) to raise NullReferenceException (and
 * DivideByZeroException) from managed code. Its handler was installed before ours, so ours
 * runs first and must chain: we call the runtime's handler, and if it changed the
 * interrupted context's program counter it has turned the fault into a managed exception and
 * the process lives on; only when it did not is the fault fatal.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <stdlib.h>
#include <unistd.h>

#define MAPT_BOOT_ID_MAX 40

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
#define FATAL_COUNT (int)(sizeof fatal_signals / sizeof fatal_signals[0])

static struct sigaction previous[FATAL_COUNT];
static volatile sig_atomic_t target_fd = -1;
static char boot_id[MAPT_BOOT_ID_MAX + 1] = "-";
static volatile sig_atomic_t installed;

static int slot_of(int sig)
{
    for (int i = 0; i < FATAL_COUNT; i++)
        if (fatal_signals[i] == sig)
            return i;
    return -1;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    default: return "SIG?";
    }
}

static uintptr_t context_pc(void *context)
{
    ucontext_t *uc = context;
    if (uc == NULL)
        return 0;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    return 0;
#endif
}

/* A small append-only buffer: the handler formats its line without libc formatting. */
struct line {
    char text[256];
    size_t length;
};

static void put_text(struct line *l, const char *s)
{
    while (*s && l->length < sizeof l->text - 1)
        l->text[l->length++] = *s++;
}

static void put_unsigned(struct line *l, uint64_t value, int min_digits)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0 && n < (int)sizeof digits);
    while (n < min_digits && n < (int)sizeof digits)
        digits[n++] = '0';
    while (n > 0 && l->length < sizeof l->text - 1)
        l->text[l->length++] = digits[--n];
}

static void put_hex(struct line *l, uintptr_t value)
{
    static const char hex[] = "0123456789abcdef";
    put_text(l, "0x");
    int started = 0;
    for (int shift = (int)(sizeof value * 8) - 4; shift >= 0; shift -= 4) {
        int nibble = (int)((value >> shift) & 0xf);
        if (nibble != 0 || started || shift == 0) {
            started = 1;
            if (l->length < sizeof l->text - 1)
                l->text[l->length++] = hex[nibble];
        }
    }
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm): gmtime_r is not
 * async-signal-safe. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* The line has the flash log's line layout (src/Logging/FlashLine.cs):
 * TIME MONO BOOT LEVEL EVENTID CATEGORY MESSAGE */
static void write_crash_line(int sig, const siginfo_t *info)
{
    int fd = target_fd;
    struct timespec now = { 0, 0 }, mono = { 0, 0 };
    clock_gettime(CLOCK_REALTIME, &now);
    clock_gettime(CLOCK_MONOTONIC, &mono);

    int64_t y;
    unsigned mo, d;
    int64_t days = now.tv_sec / 86400, secs = now.tv_sec % 86400;
    civil_from_days(days, &y, &mo, &d);

    struct line l = { .length = 0 };
    put_unsigned(&l, (uint64_t)y, 4); put_text(&l, "-");
    put_unsigned(&l, mo, 2); put_text(&l, "-");
    put_unsigned(&l, d, 2); put_text(&l, "T");
    put_unsigned(&l, (uint64_t)(secs / 3600), 2); put_text(&l, ":");
    put_unsigned(&l, (uint64_t)(secs / 60 % 60), 2); put_text(&l, ":");
    put_unsigned(&l, (uint64_t)(secs % 60), 2); put_text(&l, ".");
    put_unsigned(&l, (uint64_t)(now.tv_nsec / 1000000), 3); put_text(&l, "Z ");
    put_unsigned(&l, (uint64_t)mono.tv_sec, 1); put_text(&l, ".");
    put_unsigned(&l, (uint64_t)(mono.tv_nsec / 1000), 6); put_text(&l, " ");
    put_text(&l, boot_id);
    put_text(&l, " crit 9000 Mapt.Crash fatal signal ");
    put_unsigned(&l, (uint64_t)sig, 1);
    put_text(&l, " (");
    put_text(&l, signal_name(sig));
    put_text(&l, ") at ");
    put_hex(&l, info != NULL ? (uintptr_t)info->si_addr : 0);
    put_text(&l, " code ");
    put_unsigned(&l, info != NULL && info->si_code >= 0 ? (uint64_t)info->si_code : 0, 1);
    put_text(&l, "; process ends, re-raising with the default action\n");

    if (fd >= 0) {
        ssize_t ignored = write(fd, l.text, l.length);
        (void)ignored;
        fdatasync(fd);
    }
    /* The console sees it too: init scripts and serial consoles read stderr. */
    ssize_t ignored = write(STDERR_FILENO, l.text, l.length);
    (void)ignored;
}

static void on_fatal_signal(int sig, siginfo_t *info, void *context)
{
    int slot = slot_of(sig);
    if (slot >= 0) {
        const struct sigaction *prev = &previous[slot];
        if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction != NULL) {
            uintptr_t before = context_pc(context);
            prev->sa_sigaction(sig, info, context);
            if (context_pc(context) != before)
                return; /* the runtime turned it into a managed exception */
        } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN && prev->sa_handler != NULL) {
            uintptr_t before = context_pc(context);
            prev->sa_handler(sig);
            if (context_pc(context) != before)
                return;
        }
    }
    write_crash_line(sig, info);

    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* Pending until the handler returns (the signal is blocked inside it); a hardware fault
     * would also re-occur on return, a kill(2)-sent one would not: raise covers both. */
    raise(sig);
}

int mapt_crash_install(void)
{
    if (installed)
        return 0;
    for (int i = 0; i < FATAL_COUNT; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_fatal_signal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        if (sigaction(fatal_signals[i], &sa, &previous[i]) != 0)
            return -1;
    }
    installed = 1;
    return 0;
}

void mapt_crash_set_target(int fd, const char *boot)
{
    if (boot != NULL) {
        size_t n = strlen(boot);
        if (n > MAPT_BOOT_ID_MAX)
            n = MAPT_BOOT_ID_MAX;
        /* Written before the fd is published, so a handler never sees a half-copied id. */
        memcpy(boot_id, boot, n);
        boot_id[n] = '\0';
    }
    target_fd = fd;
}

/* Test hook (MAPT_TEST_CRASH): dies the way a native bug would. The address is a volatile
 * global so the compiler cannot prove the store faults and drop it. */
static int *volatile crash_address = (int *)(uintptr_t)0x10;

void mapt_crash_test(int kind)
{
    switch (kind) {
    case 1: {
        *(volatile int *volatile)crash_address = 42;
        break;
    }
    case 2:
        abort();
    default:
        raise(SIGBUS);
    }
}
