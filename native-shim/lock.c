/*
 * mapt native shim: the one-instance lock.
 *
 * A second `mapt run` on the same flash directory would read the live daemon's journal as the
 * leftover of a crash and undo a working gateway. A POSIX record lock is the guard: the kernel
 * drops it when the holder dies however it dies (kill -9, OOM), so crash recovery still finds
 * the lock free, and F_GETLK names the holder's pid for the error message. struct flock differs
 * between architectures, hence C.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/*
 * Takes the write lock on PATH (created 0600 if missing, never written; a symbolic link there
 * is refused with ELOOP, not followed). Returns the fd that holds it (close-on-exec: spawned
 * tools must not inherit it); -2 when another process holds it, its pid in *HOLDER (0 if
 * unknown, e.g. another pid namespace); -1 with errno set.
 */
int mapt_lock_take(const char *path, int *holder)
{
    *holder = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    struct flock want = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl(fd, F_SETLK, &want) == 0)
        return fd;
    int error = errno;
    if (error == EACCES || error == EAGAIN) {
        struct flock held = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
        if (fcntl(fd, F_GETLK, &held) == 0 && held.l_type != F_UNLCK)
            *holder = held.l_pid;
        close(fd);
        return -2;
    }
    close(fd);
    errno = error;
    return -1;
}
