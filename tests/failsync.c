/*
** failsync.c — a shim the server tests (tests/registry.c, tests/http.c)
** preload into `sarx serve` (LD_PRELOAD) to make syncing the registry's
** write-ahead log fail, or take long, on demand, as a failing or slow disk
** does.  Only fsync and fdatasync of a file whose name ends in "-wal" are
** touched; every other call goes to the C library.
**   - while the file named by $SARX_FAILSYNC exists, they fail with EIO
**     (and sync nothing);
**   - with $SARX_SYNCDELAY_MS set to N, they first sleep N milliseconds,
**     only while the file named by $SARX_SYNCDELAY_WHILE exists if that is
**     set too.
** And, to stand for running out of memory where an answer is made: while
** the file named by $SARX_FAILDUMPS exists, jansson's json_dumps returns
** NULL, as it does when it cannot allocate.
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
#include <time.h>
#include <unistd.h>

struct json_t;
char *json_dumps(const struct json_t *json, size_t flags);

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static char *(*real_json_dumps)(const struct json_t *, size_t);

/* Resolved once, before any thread runs. */
__attribute__((constructor)) static void resolve(void)
{
    *(void **)&real_fsync = dlsym(RTLD_NEXT, "fsync");
    *(void **)&real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    *(void **)&real_json_dumps = dlsym(RTLD_NEXT, "json_dumps");
}

/* Is fd the write-ahead log? */
static int is_log(int fd)
{
    char link[64], target[4096];
    ssize_t n;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    if (n < 4)
        return 0;
    target[n] = '\0';
    return strcmp(target + n - 4, "-wal") == 0;
}

/* Should a sync of fd fail now?  (Slept first when asked to.) */
static int failing(int fd)
{
    const char *trigger = getenv("SARX_FAILSYNC");
    const char *delay = getenv("SARX_SYNCDELAY_MS");
    const char *while_ = getenv("SARX_SYNCDELAY_WHILE");
    if (delay && atol(delay) > 0 && (!while_ || access(while_, F_OK) == 0) && is_log(fd)) {
        long ms = atol(delay);
        struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
        while (nanosleep(&t, &t) != 0 && errno == EINTR) {
        }
    }
    if (!trigger || access(trigger, F_OK) != 0)
        return 0;
    return is_log(fd);
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

char *json_dumps(const struct json_t *json, size_t flags)
{
    const char *trigger = getenv("SARX_FAILDUMPS");
    if ((trigger && access(trigger, F_OK) == 0) || !real_json_dumps)
        return NULL;
    return real_json_dumps(json, flags);
}
