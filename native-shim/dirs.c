/*
 * mapt native shim: is a directory safe for root's files?
 *
 * mapt keeps its journal (the undo it runs as root on the next start), its DUID and its log
 * in the flash directory, and its state file in the run directory. Anyone who can write
 * there, or rename the directory away from under mapt, can plant a journal or swap a file,
 * so both must belong to root and be writable by nobody else, and so must every directory
 * above them, except that a sticky one (/tmp) is fine above: there only the owner of an
 * entry can rename or remove it. The check is made on the real path (symbolic links
 * resolved), the directories that are actually used. struct stat differs between
 * architectures and glibc 2.31 has no stat symbol of its own, hence C.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    DIRECTORY_SAFE = 0,
    DIRECTORY_NOT_A_DIRECTORY = 1,
    DIRECTORY_NOT_ROOTS = 2,          /* the directory belongs to another user */
    DIRECTORY_WRITABLE_BY_OTHERS = 3, /* the directory: group or others may write */
    DIRECTORY_PARENT_WRITABLE = 4,    /* one above it: group or others may write, not sticky */
    DIRECTORY_PARENT_NOT_ROOTS = 5,   /* one above it belongs to another user */
};

/*
 * Checks DIR. Returns DIRECTORY_SAFE, or a problem with the directory at fault in CULPRIT
 * (its real path), its owner in *UID and its mode in *MODE; -1 with errno set when it cannot
 * be resolved or examined.
 */
int mapt_directory_check(const char *dir, char *culprit, size_t cap, unsigned *uid, unsigned *mode)
{
    char path[PATH_MAX];
    struct stat st;
    if (realpath(dir, path) == NULL)
        return -1;
    for (int first = 1;; first = 0) {
        if (stat(path, &st) != 0)
            return -1;
        int problem = DIRECTORY_SAFE;
        if (!S_ISDIR(st.st_mode))
            problem = DIRECTORY_NOT_A_DIRECTORY;
        else if (st.st_uid != 0)
            problem = first ? DIRECTORY_NOT_ROOTS : DIRECTORY_PARENT_NOT_ROOTS;
        else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && first)
            problem = DIRECTORY_WRITABLE_BY_OTHERS;
        else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
            problem = DIRECTORY_PARENT_WRITABLE;
        if (problem != DIRECTORY_SAFE) {
            size_t length = strlen(path);
            if (length >= cap)
                length = cap - 1;
            memcpy(culprit, path, length);
            culprit[length] = '\0';
            *uid = (unsigned)st.st_uid;
            *mode = (unsigned)st.st_mode & 07777;
            return problem;
        }
        if (strcmp(path, "/") == 0)
            return DIRECTORY_SAFE;
        char *slash = strrchr(path, '/');
        if (slash == path)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}
