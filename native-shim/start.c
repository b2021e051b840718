/*
 * mapt native shim: what every mapt process settles before the .NET runtime starts.
 *
 * mapt runs as root on a gateway whose WAN link anyone on the access segment can send to, so
 * a flaw anywhere in it should find as little as possible to abuse. Before main():
 *  - umask 022: nothing mapt creates is group- or world-writable, whatever the starter's
 *    umask was;
 *  - descriptors inherited from the starter (3 and up) are marked close-on-exec, so no
 *    program mapt starts (iptables-restore, the detached daemon) receives them. Marked, not
 *    closed: under qemu-user the emulator's own descriptors share the table;
 *  - no_new_privs is set, and the bounding, permitted, effective and inheritable (hence
 *    ambient) capability sets are cut to the few mapt needs (needed[] below; README
 *    "Security" says why each one).
 *
 * Why a constructor: capabilities and no_new_privs belong to a thread, and capset(2) and
 * prctl(2) change only the calling one. The .NET runtime starts in main() and has started
 * its finalizer and signal-handling threads before managed code runs; a reduction made from
 * C# would leave those with every capability. Before main() the process has one thread, and
 * every thread and child made later inherits what this leaves.
 *
 * Nothing here fails the process (`mapt calc` needs no privilege at all): what was done and
 * each errno is recorded, and `mapt run` (src/Platform/Privileges.cs) refuses to start when
 * the result is not what it needs. The shared object the JIT-hosted unit tests load is
 * built with MAPT_SHIM_SHARED: there is no constructor in it, it must not change the test
 * host's privileges.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* Linux 5.9 (close_range) and 5.11 (its CLOEXEC flag); glibc 2.31 has neither wrapper nor flag. */
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

struct mapt_capability {
    int number;
    const char *name;
    const char *why;
};

/* The capabilities `mapt run` and `mapt teardown` need for their whole life: found by running
 * the daemon's paths with each one removed (legacy and nft iptables, TUN, conntrack,
 * teardown), see README "Security". */
static const struct mapt_capability needed[] = {
    { CAP_NET_ADMIN, "CAP_NET_ADMIN", "rtnetlink, ctnetlink, iptables-restore, the TUN device" },
    { CAP_NET_RAW, "CAP_NET_RAW", "iptables-legacy-restore's raw socket; SO_BINDTODEVICE before Linux 5.7" },
    { CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE", "the DHCPv6 client's UDP port 546" },
};
#define NEEDED_COUNT (int)(sizeof needed / sizeof needed[0])

/* Keep the layout in step with src/Platform/Privileges.cs (PrivilegeSets, StartReport). */
struct mapt_privileges {
    uint64_t effective, permitted, inheritable, bounding, ambient;
    int32_t no_new_privs;
    int32_t euid;
};

struct mapt_start_report {
    struct mapt_privileges before;
    int32_t ran;            /* 1 once the constructor ran (0 in the unit tests' shared object) */
    int32_t nnp_errno;      /* prctl(PR_SET_NO_NEW_PRIVS) */
    int32_t bounding_errno; /* PR_CAPBSET_DROP (EPERM: no CAP_SETPCAP to drop with) */
    int32_t capset_errno;   /* capset of permitted, effective, inheritable */
    int32_t cloexec_errno;  /* marking inherited descriptors */
    int32_t cloexec_method; /* 1 close_range(CLOSE_RANGE_CLOEXEC), 2 one fcntl per /proc/self/fd entry, 3 per fd up to RLIMIT_NOFILE */
};

static struct mapt_start_report report;

static int caps_get(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable)
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &header, data) != 0)
        return -1;
    *effective = (uint64_t)data[1].effective << 32 | data[0].effective;
    *permitted = (uint64_t)data[1].permitted << 32 | data[0].permitted;
    *inheritable = (uint64_t)data[1].inheritable << 32 | data[0].inheritable;
    return 0;
}

/* The calling thread's capability sets and no_new_privs. 0, or -1 with errno set. */
int mapt_privileges_now(struct mapt_privileges *out)
{
    memset(out, 0, sizeof *out);
    if (caps_get(&out->effective, &out->permitted, &out->inheritable) != 0)
        return -1;
    /* The kernel's last capability is where PR_CAPBSET_READ starts answering EINVAL. */
    for (int cap = 0; cap < 64; cap++) {
        int in_bounding = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (in_bounding < 0)
            break;
        if (in_bounding)
            out->bounding |= 1ULL << cap;
        /* Linux 4.3 and newer; EINVAL before, when there is no ambient set. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
            out->ambient |= 1ULL << cap;
    }
    out->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
    out->euid = (int32_t)geteuid();
    return 0;
}

/* What the constructor found and did. */
void mapt_start_report(struct mapt_start_report *out)
{
    *out = report;
}

/* The INDEX-th needed capability: 0 and its number, name and reason; -1 past the last. */
int mapt_capability_needed(int index, int *number, const char **name, const char **why)
{
    if (index < 0 || index >= NEEDED_COUNT)
        return -1;
    *number = needed[index].number;
    *name = needed[index].name;
    *why = needed[index].why;
    return 0;
}

#ifndef MAPT_SHIM_SHARED
static uint64_t needed_mask(void)
{
    uint64_t mask = 0;
    for (int i = 0; i < NEEDED_COUNT; i++)
        mask |= 1ULL << needed[i].number;
    return mask;
}

static int caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
    };
    return (int)syscall(SYS_capset, &header, data);
}

static void reduce_capabilities(void)
{
    if (mapt_privileges_now(&report.before) != 0) {
        report.capset_errno = errno;
        return;
    }
    const struct mapt_privileges *was = &report.before;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        report.nnp_errno = errno;

    uint64_t keep = needed_mask();
    uint64_t setpcap = 1ULL << CAP_SETPCAP;
    if (was->bounding & ~keep) {
        /* Dropping from the bounding set takes CAP_SETPCAP in the effective set. */
        if (!(was->permitted & setpcap))
            report.bounding_errno = EPERM;
        else if (!(was->effective & setpcap) && caps_set(was->effective | setpcap, was->permitted, was->inheritable) != 0)
            report.bounding_errno = errno;
        else
            for (int cap = 0; cap < 64; cap++)
                if ((was->bounding & (1ULL << cap)) && !(keep & (1ULL << cap)) &&
                    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
                    report.bounding_errno = errno;
                    break;
                }
    }
    /* Lowering takes no capability. The ambient set follows: the kernel keeps in it only what
     * stays both permitted and inheritable. */
    uint64_t permitted = was->permitted & keep;
    if (caps_set(permitted, permitted, was->inheritable & keep) != 0)
        report.capset_errno = errno;
}

static void mark_inherited_cloexec(void)
{
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) {
        report.cloexec_method = 1;
        return;
    }
    /* Before Linux 5.11 (ENOSYS, or EINVAL for the flag): one fcntl per open descriptor. */
    DIR *fds = opendir("/proc/self/fd");
    if (fds != NULL) {
        report.cloexec_method = 2;
        int own = dirfd(fds);
        struct dirent *entry;
        while ((entry = readdir(fds)) != NULL) {
            int fd = atoi(entry->d_name);
            if (fd < 3 || fd == own)
                continue;
            int flags = fcntl(fd, F_GETFD);
            if (flags >= 0 && !(flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0)
                report.cloexec_errno = errno;
        }
        closedir(fds);
        return;
    }
    /* No /proc (an early boot script): every possible descriptor. */
    report.cloexec_method = 3;
    struct rlimit limit;
    int last = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (1 << 20)
        ? (int)limit.rlim_cur : (1 << 20);
    for (int fd = 3; fd < last; fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0 && !(flags & FD_CLOEXEC))
            fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

__attribute__((constructor)) static void mapt_start(void)
{
    int saved = errno;
    report.ran = 1;
    umask(022);
    mark_inherited_cloexec();
    reduce_capabilities();
    errno = saved;
}
#endif
