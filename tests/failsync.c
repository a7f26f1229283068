/*
** failsync.c — a shim tests/api.c preloads into `sarx serve`
** (LD_PRELOAD) to make syncing the registry's write-ahead log fail on
** demand, as a failing disk does: while the file named by $SARX_FAILSYNC
** exists, fsync and fdatasync of a file whose name ends in "-wal" fail
** with EIO (and sync nothing).  Every other call goes to the C library.
**
** Built unsanitized (loaded before the sanitizer runtime; the server then
** needs ASAN_OPTIONS=verify_asan_link_order=0).
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

/* Resolved once, before any thread runs. */
__attribute__((constructor)) static void resolve(void)
{
    *(void **)&real_fsync = dlsym(RTLD_NEXT, "fsync");
    *(void **)&real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
}

/* Should a sync of fd fail now? */
static int failing(int fd)
{
    const char *trigger = getenv("SARX_FAILSYNC");
    char link[64], target[4096];
    ssize_t n;
    if (!trigger || access(trigger, F_OK) != 0)
        return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    if (n < 4)
        return 0;
    target[n] = '\0';
    return strcmp(target + n - 4, "-wal") == 0;
}

int fsync(int fd)
{
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real_fsync ? real_fsync(fd) : (errno = ENOSYS, -1);
}

int fdatasync(int fd)
{
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real_fdatasync ? real_fdatasync(fd) : (errno = ENOSYS, -1);
}
