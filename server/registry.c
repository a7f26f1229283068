/*
** registry.c — the patient registry: one SQLite file, opened and closed,
** kept owner-only and watched, and written one transaction at a time.
**
** Patients, their visits (the fields as entered, each measurement also in
** its canonical SI unit) and the assessment of each visit, stamped with the
** sarx version, every definition table's version and the patient record it
** was computed with (registry_schema.c has the tables).
**
** Privacy: the file, its write-ahead log and its shared-memory index hold
** patient data.  A new registry is created owner-only (0600) before SQLite
** opens it, and SQLite gives the log and the index the file's own mode.
** An existing registry that group or others may read is refused unless
** the caller accepts it (SRV_OPEN_ALLOW_SHARED).
**
** Durability: a write is answered only once the write-ahead log holding it
** has been synced to disk, so an acknowledged visit survives a crash or a
** power cut.  Writers are serialised in the process (one mutex), so they
** never wait in SQLite's busy handler; readers run beside them on their own
** connections (WAL snapshots).
**
** Group commit: the connections run with synchronous=NORMAL, so COMMIT
** writes the log without syncing it, and the sync is done here, after the
** writer lock is released (srv__write_end).  One fdatasync of the log makes
** every transaction committed before it durable, so writers that commit
** while a sync is running share the next one instead of each paying for its
** own under the lock.
**
** Refusal: after a failed sync the kernel may have dropped the pages (a
** retry that succeeds proves nothing), and a file deleted or replaced under
** the server takes every later write with it.  Either way every later
** write is refused before anything is written (SRV_UNAVAILABLE), reads go
** on, and srv_registry_health says why.  The writes whose sync failed were
** written but perhaps not durably: they get SRV_UNKNOWN, naming what to
** check.  The path is checked against the file opened (device and inode,
** of the file and of its log) before every write: two stat calls.
**
** Checkpoints (copying the log back into the database file) are not run by
** the writer as it commits: a thread of their own does them when the log
** passes CHECKPOINT_FRAMES pages, first without the writer lock, then, for
** the few pages written meanwhile, under it, so that the log is whole
** copied and the next write starts it again from the beginning.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "registry_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define CHECKPOINT_FRAMES 1000 /* SQLite's own default */

/* ---- connections ---- */

sqlite3 *srv__acquire(srv_registry *r, int *slot)
{
    pthread_mutex_lock(&r->mu);
    while (r->nfree == 0)
        pthread_cond_wait(&r->cv, &r->mu);
    *slot = r->free_[--r->nfree];
    pthread_mutex_unlock(&r->mu);
    return r->conn[*slot];
}

void srv__release(srv_registry *r, int slot)
{
    pthread_mutex_lock(&r->mu);
    r->free_[r->nfree++] = slot;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* ---- SQLite helpers ---- */

int srv__fail(sqlite3 *db, int rc, const char *doing, sarx_error *err)
{
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    const char *sep = doing && *doing ? ": " : "";
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        srv_error(err, SARX_EIO, "", "", "", "the registry is busy (locked for more than 5 s)");
        return SRV_BUSY;
    }
    if (ext == SQLITE_CONSTRAINT_UNIQUE) {
        srv_error(err, SARX_ECONFLICT, "external_id", "", "", "field \"external_id\": already used by another patient");
        return SRV_CONFLICT;
    }
    if (rc == SQLITE_NOMEM) {
        srv_error(err, SARX_ENOMEM, "", "", "", "out of memory");
        return SRV_FAIL;
    }
    srv_error(err, SARX_EIO, "", "", "", "registry: %s%s%s", doing ? doing : "", sep,
              db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    return SRV_FAIL;
}

int srv__exec(sqlite3 *db, const char *sql, sarx_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SRV_OK : srv__fail(db, rc, NULL, err);
}

int srv__prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, sarx_error *err)
{
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? SRV_OK : srv__fail(db, rc, NULL, err);
}

long srv__pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int srv__invalid(int code)
{
    return code == SARX_ENOMEM ? SRV_FAIL : SRV_INVALID;
}

/* ---- the file: owner-only, and still the one opened ---- */

/* path + suffix, malloc'd. */
static char *side_path(const char *path, const char *suffix)
{
    size_t a = strlen(path), b = strlen(suffix);
    char *p = malloc(a + b + 1);
    if (p) {
        memcpy(p, path, a);
        memcpy(p + a, suffix, b + 1);
    }
    return p;
}

static const char *const sides[] = {"", "-wal", "-shm"};

/* The path SQLite names the log and index after: the file's own, symbolic
** links resolved (malloc'd; path itself when it cannot be resolved). */
static char *resolved(const char *path)
{
    char *real = realpath(path, NULL);
    return real ? real : strdup(path);
}

/* Refuse an existing registry (the file, its log or its index) that group
** or others may read or write, unless flags accept it.  Write without read
** is refused too: whoever may write the file may also destroy it. */
static int check_private(const char *path, unsigned flags, char *msg, size_t n)
{
    char *real;
    size_t i;
    if (flags & SRV_OPEN_ALLOW_SHARED)
        return 0;
    if (!(real = resolved(path))) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    for (i = 0; i < 3; i++) {
        char *p = side_path(real, sides[i]);
        struct stat sb;
        int shared;
        if (!p) {
            snprintf(msg, n, "out of memory");
            free(real);
            return -1;
        }
        shared = stat(p, &sb) == 0 && (sb.st_mode & 066);
        if (shared)
            snprintf(msg, n,
                     "%s can be read or written by group or others (mode %04o), but a registry holds patient data: "
                     "make it owner-only (chmod 600 %s), or start with --allow-shared-db to accept a shared registry",
                     p, (unsigned)(sb.st_mode & 07777), p);
        free(p);
        if (shared) {
            free(real);
            return -1;
        }
    }
    free(real);
    return 0;
}

/* Take a handle on the file (creating it, owner-only, when the path does
** not exist and flags allow), before SQLite opens it, and note its device
** and inode.  A log left without its file means the registry was deleted
** or moved: never replaced silently by a new, empty one. */
static int guard_open(srv_registry *r, unsigned flags, char *msg, size_t n)
{
    struct stat sb;
    int fd = -1;
    if (stat(r->path, &sb) != 0) {
        if (errno != ENOENT) {
            snprintf(msg, n, "%s", strerror(errno));
            return -1;
        }
        if (!(flags & SRV_OPEN_CREATE)) {
            snprintf(msg, n, "no such registry");
            return -1;
        }
        if (lstat(r->path, &sb) == 0) {
            snprintf(msg, n, "a symbolic link to a file that does not exist: no registry is created through it");
            return -1;
        }
        {
            /* (An empty log is what a read-only reader leaves: no data.) */
            char *p = side_path(r->path, "-wal");
            int left = p && lstat(p, &sb) == 0 && sb.st_size > 0;
            if (left)
                snprintf(msg, n,
                         "the registry file does not exist, but its write-ahead log does (%s, %lld bytes): the "
                         "registry was deleted or moved. Refusing to create a new, empty registry in its place: "
                         "restore the registry file, or remove %s-wal and %s-shm to start an empty one",
                         p, (long long)sb.st_size, r->path, r->path);
            free(p);
            if (left)
                return -1;
        }
        /* The mode is set again after open: the umask may have taken bits
        ** away, and SQLite gives the log and the index this file's mode. */
        fd = open(r->path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0 && fchmod(fd, 0600) != 0) {
            snprintf(msg, n, "setting mode 0600 on the new registry: %s", strerror(errno));
            close(fd);
            return -1;
        }
        if (fd >= 0)
            r->created = 1;
        else if (errno != EEXIST) {
            snprintf(msg, n, "creating the registry: %s", strerror(errno));
            return -1;
        }
    }
    if (fd < 0 && (fd = open(r->path, O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(msg, n, "%s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(msg, n, "not a regular file");
        close(fd);
        return -1;
    }
    r->db_fd = fd;
    r->db_dev = sb.st_dev;
    r->db_ino = sb.st_ino;
    return 0;
}

/* Where SQLite keeps the log: beside the file, links resolved. */
static int set_log_path(srv_registry *r, char *msg, size_t n)
{
    char *real = resolved(r->path);
    r->wal_path = real ? side_path(real, "-wal") : NULL;
    free(real);
    if (!r->wal_path)
        snprintf(msg, n, "out of memory");
    return r->wal_path ? 0 : -1;
}

/* The same for the write-ahead log, once SQLite has opened it. */
static int guard_log(srv_registry *r, char *msg, size_t n)
{
    const char *p = r->wal_path;
    struct stat sb;
    int ok = 0;
    r->wal_fd = open(p, O_RDONLY | O_CLOEXEC);
    if (r->wal_fd >= 0 && fstat(r->wal_fd, &sb) == 0) {
        r->wal_dev = sb.st_dev;
        r->wal_ino = sb.st_ino;
        ok = 1;
    } else {
        snprintf(msg, n, "%s: %s", p, strerror(errno));
    }
    return ok ? 0 : -1;
}

/* Does the path still name the file opened (log: the write-ahead log)?
** 1 yes; 0 no, for good: it was deleted (ENOENT) or replaced (another
** device or inode); -1 it cannot be told now (another error of stat:
** EACCES, EIO, ENOMEM...).  why says what happened when not 1. */
static int still_there(const srv_registry *r, int log, char *why, size_t n)
{
    const char *what = log ? "write-ahead log (-wal file)" : "file";
    struct stat sb;
    if (stat(log ? r->wal_path : r->path, &sb) != 0) {
        if (errno == ENOENT) {
            snprintf(why, n, "the registry %s was deleted while the server was running", what);
            return 0;
        }
        snprintf(why, n, "the registry %s cannot be checked now (%s)", what, strerror(errno));
        return -1;
    }
    if (sb.st_dev != (log ? r->wal_dev : r->db_dev) || sb.st_ino != (log ? r->wal_ino : r->db_ino)) {
        snprintf(why, n, "the registry %s was replaced by another file while the server was running", what);
        return 0;
    }
    return 1;
}

/* Refuse writes from now on (under smu); the first reason stays. */
static void refuse_locked(srv_registry *r, const char *why)
{
    if (!r->refused) {
        r->refused = 1;
        snprintf(r->refused_why, sizeof r->refused_why, "%s", why);
    }
}

static void refuse(srv_registry *r, const char *why)
{
    pthread_mutex_lock(&r->smu);
    refuse_locked(r, why);
    pthread_mutex_unlock(&r->smu);
}

/* 1 and why when writes are refused, checking the file first.  A file
** deleted or replaced refuses every later write; one that cannot be
** checked now (a transient error) refuses this one, and is checked again
** the next time. */
static int refused(srv_registry *r, char *why, size_t n)
{
    int gone, db, log = 1;
    if (r->readonly) {
        snprintf(why, n, "the registry was opened read-only");
        return 1;
    }
    pthread_mutex_lock(&r->smu);
    gone = r->refused;
    if (gone)
        snprintf(why, n, "%s", r->refused_why);
    pthread_mutex_unlock(&r->smu);
    if (gone)
        return 1;
    if ((db = still_there(r, 0, why, n)) == 0 || (log = still_there(r, 1, why, n)) == 0) {
        refuse(r, why);
        return 1;
    }
    return db < 0 || log < 0;
}

int srv_registry_health(srv_registry *r, char *reason, size_t n)
{
    char why[sizeof r->refused_why];
    if (refused(r, why, sizeof why)) {
        snprintf(reason, n, "%s", why);
        return SRV_UNAVAILABLE;
    }
    snprintf(reason, n, "%s", "");
    return SRV_OK;
}

int srv_registry_created(const srv_registry *r)
{
    return r->created;
}

/* ---- writes: one at a time, acknowledged once on disk ---- */

/* db's open handle on the write-ahead log, or NULL. */
static sqlite3_file *log_file(sqlite3 *db)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
        return NULL;
    return f;
}

/* Sync the write-ahead log through the syncer connection's handle on it
** (one thread at a time: the one that set r->syncing). */
static int sync_log(srv_registry *r)
{
    sqlite3_file *f = log_file(r->syncer);
    return f ? f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) : SQLITE_IOERR_FSYNC;
}

/* Wait until write number `ticket` is on disk, running the sync if no
** other thread is: one sync covers every write committed before it.  A
** failed sync refuses every later write. */
static int sync_to(srv_registry *r, unsigned long long ticket)
{
    int ok;
    pthread_mutex_lock(&r->smu);
    while (r->synced < ticket && !r->sync_failed) {
        if (r->syncing) {
            pthread_cond_wait(&r->scv, &r->smu);
        } else {
            unsigned long long upto = r->committed;
            int rc;
            r->syncing = 1;
            pthread_mutex_unlock(&r->smu);
            rc = sync_log(r);
            pthread_mutex_lock(&r->smu);
            r->syncing = 0;
            if (rc == SQLITE_OK) {
                r->synced = upto;
            } else {
                char why[160];
                snprintf(why, sizeof why, "syncing the write-ahead log to disk failed (%s)", sqlite3_errstr(rc));
                r->sync_failed = 1;
                refuse_locked(r, why);
            }
            pthread_cond_broadcast(&r->scv);
        }
    }
    ok = r->synced >= ticket;
    pthread_mutex_unlock(&r->smu);
    return ok ? SRV_OK : SRV_FAIL;
}

unsigned long long srv__patient_gen(srv_registry *r, long long pid)
{
    unsigned long long g;
    pthread_mutex_lock(&r->smu);
    g = r->gen[(unsigned long long)pid % SRV__GEN_SLOTS] + r->epoch;
    pthread_mutex_unlock(&r->smu);
    return g;
}

void srv__note_other_writers(srv_registry *r)
{
    sqlite3_int64 dv = srv__pragma_int(r->writer, "PRAGMA data_version");
    if (dv != r->data_version) {
        r->data_version = dv;
        pthread_mutex_lock(&r->smu);
        r->epoch++;
        pthread_mutex_unlock(&r->smu);
    }
}

int srv__write_begin(srv_registry *r, sqlite3 **db, sqlite3_int64 *changes, sarx_error *err)
{
    char why[sizeof r->refused_why];
    int rc;
    *db = NULL;
    if (!r->readonly)
        pthread_mutex_lock(&r->wlock);
    if (refused(r, why, sizeof why)) {
        if (!r->readonly)
            pthread_mutex_unlock(&r->wlock);
        srv_error(err, SARX_EIO, "", "", "", "registry: writes are refused, and nothing was written: %s", why);
        return SRV_UNAVAILABLE;
    }
    *changes = sqlite3_total_changes64(r->writer);
    if ((rc = sqlite3_exec(r->writer, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) {
        rc = srv__fail(r->writer, rc, "starting a write", err);
        pthread_mutex_unlock(&r->wlock);
        return rc;
    }
    srv__note_other_writers(r);
    *db = r->writer;
    return SRV_OK;
}

int srv__write_end(srv_registry *r, long long pid, sqlite3_int64 changes, int rc, const char *what,
                   sarx_error *err)
{
    unsigned long long ticket = 0;
    if (rc == SRV_OK) {
        int c = sqlite3_exec(r->writer, "COMMIT", NULL, NULL, NULL);
        if (c != SQLITE_OK) {
            int ext = sqlite3_extended_errcode(r->writer);
            rc = srv__fail(r->writer, c, "committing", err);
            if (ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_DIR_FSYNC) {
                /* (COMMIT syncs the log's header when it starts the log
                ** again.)  As after any failed sync: no checkpoint, and
                ** the log left as it is on shutdown. */
                pthread_mutex_lock(&r->smu);
                r->sync_failed = 1;
                refuse_locked(r, "syncing the write-ahead log to disk failed (disk I/O error)");
                pthread_mutex_unlock(&r->smu);
            }
        }
    }
    if (!sqlite3_get_autocommit(r->writer))
        sqlite3_exec(r->writer, "ROLLBACK", NULL, NULL, NULL);
    if (rc == SRV_OK && sqlite3_total_changes64(r->writer) != changes) {
        pthread_mutex_lock(&r->smu);
        ticket = ++r->committed;
        r->gen[(unsigned long long)pid % SRV__GEN_SLOTS]++;
        pthread_mutex_unlock(&r->smu);
    }
    pthread_mutex_unlock(&r->wlock);
    if (ticket && sync_to(r, ticket)) {
        srv_error(err, SARX_EIO, "id", "", "",
                  "registry: the change to %s was written, but syncing it to disk failed, so it may or may not "
                  "survive a restart: check %s before sending it again. No further write is accepted",
                  what, what);
        rc = SRV_UNKNOWN;
    }
    return rc;
}

/* The writer's log hook, after each commit (under wlock): past
** CHECKPOINT_FRAMES pages, wake the checkpoint thread. */
static int log_hook(void *ud, sqlite3 *db, const char *schema, int frames)
{
    srv_registry *r = ud;
    (void)db;
    (void)schema;
    if (frames >= CHECKPOINT_FRAMES) {
        pthread_mutex_lock(&r->cmu);
        if (!r->cwanted) {
            r->cwanted = 1;
            pthread_cond_signal(&r->ccv);
        }
        pthread_mutex_unlock(&r->cmu);
    }
    return SQLITE_OK;
}

/* No checkpoint once writes are refused: after a failed sync the log on
** disk may not hold what the page cache shows, and a file that is gone
** needs none. */
static int writes_refused(srv_registry *r)
{
    int v;
    pthread_mutex_lock(&r->smu);
    v = r->refused;
    pthread_mutex_unlock(&r->smu);
    return v;
}

static void *checkpoint_thread(void *ud)
{
    srv_registry *r = ud;
    pthread_mutex_lock(&r->cmu);
    for (;;) {
        while (!r->cwanted && !r->cstop)
            pthread_cond_wait(&r->ccv, &r->cmu);
        if (r->cstop)
            break;
        pthread_mutex_unlock(&r->cmu);
        /* Failures are not fatal: the log grows and the next round retries. */
        if (!writes_refused(r)) {
            sqlite3_wal_checkpoint_v2(r->checkpointer, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            pthread_mutex_lock(&r->wlock);
            sqlite3_wal_checkpoint_v2(r->checkpointer, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            pthread_mutex_unlock(&r->wlock);
        }
        pthread_mutex_lock(&r->cmu);
        r->cwanted = 0;
    }
    pthread_mutex_unlock(&r->cmu);
    return NULL;
}

/* ---- open and close ---- */

static int setup(sqlite3 *db, char *msg, size_t n)
{
    static const char *const pragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                                          "PRAGMA foreign_keys=ON"};
    size_t i;
    for (i = 0; i < sizeof pragmas / sizeof *pragmas; i++)
        if (sqlite3_exec(db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(msg, n, "%s: %s", pragmas[i], sqlite3_errmsg(db));
            return -1;
        }
    return 0;
}

static int open_conn(const char *path, sqlite3 **db, char *msg, size_t n)
{
    /* Never SQLITE_OPEN_CREATE: the file was created (owner-only) or found
    ** by guard_open, and SQLite must not create one at a path that was
    ** emptied since. */
    int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(msg, n, "%s", *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        return -1;
    }
    sqlite3_busy_timeout(*db, 5000);
    sqlite3_extended_result_codes(*db, 1);
    return 0;
}

/* "file:" URI of path with immutable=1 (percent-escaping what a URI
** reserves), malloc'd. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path), i, k = 0;
    char *u = malloc(3 * n + 32);
    if (!u)
        return NULL;
    k += (size_t)sprintf(u, "file:%s", path[0] == '/' ? "//" : "");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f)
            k += (size_t)sprintf(u + k, "%%%02X", c);
        else
            u[k++] = (char)c;
    }
    strcpy(u + k, "?immutable=1");
    return u;
}

/* Can nothing be created beside the file (a read-only filesystem or
** directory)? */
static int dir_readonly(const char *path)
{
    char *dir = strdup(path), *slash;
    struct statvfs vs;
    int ro;
    if (!dir)
        return 0;
    slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    ro = (statvfs(dir, &vs) == 0 && (vs.f_flag & ST_RDONLY)) || access(dir, W_OK) != 0;
    free(dir);
    return ro;
}

/* A read-only connection, with a first read to open the log.  A WAL
** database is read through its index (-shm), which SQLite creates beside
** the file; where nothing can be created and there is no log (the registry
** was closed cleanly), the file alone is the whole registry and is read as
** immutable.  A log that cannot be read through an index holds changes
** that are not in the file: refused, never read past. */
static int open_readonly(const char *path, sqlite3 **db, char *msg, size_t n)
{
    int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    struct stat sb;
    char *wal, *uri;
    int log_there;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(*db, 5000);
        sqlite3_extended_result_codes(*db, 1);
        rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
    }
    if ((rc & 0xff) != SQLITE_CANTOPEN && (rc & 0xff) != SQLITE_READONLY) {
        snprintf(msg, n, "%s", *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        return -1;
    }
    sqlite3_close_v2(*db);
    *db = NULL;
    {
        char *real = resolved(path);
        wal = real ? side_path(real, "-wal") : NULL;
        free(real);
    }
    if (!wal) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    log_there = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    if (log_there || !dir_readonly(path)) {
        if (log_there)
            snprintf(msg, n, "its write-ahead log (-wal file) holds changes that are not in the file yet, and its "
                             "index (-shm file) cannot be created here (read-only file or filesystem): copy the "
                             "registry with its -wal file to a writable place and run this there");
        else
            snprintf(msg, n, "it cannot be opened read-only (%s)", sqlite3_errstr(rc));
        return -1;
    }
    if (!(uri = immutable_uri(path))) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(*db, 1);
        rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        snprintf(msg, n, "%s", *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

static char *definitions_json(const sarx_ctx *ctx)
{
    json_t *o = json_object();
    size_t i;
    char *s;
    for (i = 0; o && i < sarx_definition_count(ctx); i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        json_object_set_new(o, sarx_definition_id(d), json_string(sarx_definition_version(d)));
    }
    s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

/* The writer, syncer and checkpointer (read-write only), migrated. */
static int open_writer(srv_registry *r, char *msg, size_t n)
{
    if (open_conn(r->path, &r->writer, msg, n) || srv__schema_open(r, r->writer, msg, n) ||
        setup(r->writer, msg, n) || sqlite3_exec(r->writer, "PRAGMA cache_size=-16384", NULL, NULL, NULL) != SQLITE_OK ||
        open_conn(r->path, &r->syncer, msg, n) || setup(r->syncer, msg, n) ||
        open_conn(r->path, &r->checkpointer, msg, n) || setup(r->checkpointer, msg, n) ||
        srv__dictionary_open(r, msg, n))
        return -1;
    sqlite3_wal_hook(r->writer, log_hook, r);
    /* A read opens the syncer's handle on the log. */
    if (sqlite3_exec(r->syncer, "SELECT count(*) FROM meta", NULL, NULL, NULL) != SQLITE_OK || !log_file(r->syncer)) {
        snprintf(msg, n, "cannot open the write-ahead log");
        return -1;
    }
    if (guard_log(r, msg, n))
        return -1;
    {
        /* The file SQLite opened is the one guard_open holds. */
        int moved = 1;
        char why[sizeof r->refused_why];
        if (still_there(r, 0, why, sizeof why) != 1 ||
            sqlite3_file_control(r->writer, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK || moved) {
            snprintf(msg, n, "the registry file changed while it was being opened");
            return -1;
        }
    }
    return 0;
}

int srv_registry_open(const char *path, int nconn, unsigned flags, const sarx_ctx *ctx, srv_registry **out,
                      char *msg, size_t n)
{
    srv_registry *r;
    int i;
    *out = NULL;
    if (nconn < 1)
        nconn = 1;
    r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    r->db_fd = r->wal_fd = -1;
    r->ctx = ctx;
    r->readonly = (flags & SRV_OPEN_READONLY) != 0;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    pthread_mutex_init(&r->wlock, NULL);
    pthread_mutex_init(&r->smu, NULL);
    pthread_cond_init(&r->scv, NULL);
    pthread_mutex_init(&r->cmu, NULL);
    pthread_cond_init(&r->ccv, NULL);
    if (!(r->path = strdup(path)) || !(r->conn = calloc((size_t)nconn, sizeof *r->conn)) ||
        !(r->free_ = calloc((size_t)nconn, sizeof *r->free_)) || !(r->zc = calloc((size_t)nconn, sizeof *r->zc)) ||
        !(r->zd = calloc((size_t)nconn, sizeof *r->zd)) || !(r->defs_json = definitions_json(ctx))) {
        snprintf(msg, n, "out of memory");
        goto fail;
    }
    if (r->readonly) {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            snprintf(msg, n, "%s", errno == ENOENT ? "no such registry" : strerror(errno));
            goto fail;
        }
    } else if (check_private(path, flags, msg, n) || guard_open(r, flags, msg, n) || set_log_path(r, msg, n) ||
               open_writer(r, msg, n)) {
        goto fail;
    }
    for (i = 0; i < nconn; i++) {
        r->nconn = i + 1;
        if (r->readonly ? open_readonly(path, &r->conn[i], msg, n)
                        : open_conn(path, &r->conn[i], msg, n) || setup(r->conn[i], msg, n))
            goto fail;
        if (!(r->zc[i] = ZSTD_createCCtx()) || !(r->zd[i] = ZSTD_createDCtx()) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(r->zc[i], ZSTD_c_checksumFlag, 1))) {
            snprintf(msg, n, "out of memory");
            goto fail;
        }
        r->free_[r->nfree++] = i;
    }
    if (r->readonly && (srv__schema_open(r, r->conn[0], msg, n) || srv__dictionary_open(r, msg, n)))
        goto fail;
    for (i = 0; r->cdict && i < nconn; i++)
        if (ZSTD_isError(ZSTD_CCtx_refCDict(r->zc[i], r->cdict))) {
            snprintf(msg, n, "out of memory");
            goto fail;
        }
    if (!r->readonly) {
        if (pthread_create(&r->cthread, NULL, checkpoint_thread, r) != 0) {
            snprintf(msg, n, "cannot start the checkpoint thread");
            goto fail;
        }
        r->cstarted = 1;
    }
    *out = r;
    return 0;
fail:
    srv_registry_close(r);
    return -1;
}

/* What becomes of the log at the path once every connection is closed. */
enum { LOG_LEAVE, LOG_REMOVE, LOG_KEEP };

/* Before closing.  Normally the last connection to close checkpoints the
** log into the file and deletes the log by its name.  After a failed sync
** neither may happen: the log on disk is what a restart must recover from.
** When the file at the path is no longer ours (deleted, or replaced),
** SQLite skips that checkpoint and leaves our log under the path, where
** the next open would replay it into whatever file is there now: our log
** is copied into our file (wherever it is now) and, once every connection
** is closed, removed (LOG_REMOVE), but only when every frame of it was
** copied or our file is gone for good; otherwise it holds changes our file
** lacks, and is kept (LOG_KEEP, srv_registry_close).  When the log at the
** path is no longer ours, or the path cannot be checked, ours is copied
** into our file and the path left alone. */
static int close_safely(srv_registry *r)
{
    char why[sizeof r->refused_why];
    int failed, db_ours, log_ours, whole = 0, i;
    struct stat sb;
    if (r->readonly || !r->writer || r->wal_fd < 0)
        return LOG_LEAVE;
    pthread_mutex_lock(&r->smu);
    failed = r->sync_failed;
    pthread_mutex_unlock(&r->smu);
    db_ours = still_there(r, 0, why, sizeof why);
    log_ours = still_there(r, 1, why, sizeof why);
    if (!failed && db_ours == 1 && log_ours == 1)
        return LOG_LEAVE; /* SQLite's own close */
    if (!failed) {
        int frames = -1, copied = -1;
        whole = sqlite3_wal_checkpoint_v2(r->writer, "main", SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) ==
                    SQLITE_OK &&
                frames >= 0 && copied == frames;
    }
    for (i = 0; i < r->nconn; i++)
        sqlite3_db_config(r->conn[i], SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_db_config(r->writer, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_db_config(r->syncer, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_db_config(r->checkpointer, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    if (failed || db_ours != 0 || log_ours != 1)
        return LOG_LEAVE;
    if (whole || (fstat(r->db_fd, &sb) == 0 && sb.st_nlink == 0))
        return LOG_REMOVE;
    return LOG_KEEP;
}

/* Our log, at the path, holds changes our file (moved, or replaced at the
** path) lacks.  With no file at the path it stays there: the next start
** refuses to create a registry beside it.  With another file there, it
** would be replayed into that file: it is set aside, as PATH-wal.kept
** (.kept.1 ...).  Either way, said on stderr. */
static void keep_log(const srv_registry *r)
{
    struct stat sb;
    char *aside;
    size_t k;
    if (stat(r->path, &sb) != 0) {
        fprintf(stderr,
                "sarx: WARNING: the registry file %s was moved or deleted while the server ran, and its write-ahead "
                "log could not be copied into it whole: the log is kept as %s. Put the registry file back at %s "
                "to recover those changes (the next start refuses to create a registry beside the log).\n",
                r->path, r->wal_path, r->path);
        return;
    }
    if (!(aside = malloc(strlen(r->wal_path) + 16))) {
        k = 100;
    } else {
        for (k = 0; k < 100; k++) {
            if (k)
                sprintf(aside, "%s.kept.%u", r->wal_path, (unsigned)k);
            else
                sprintf(aside, "%s.kept", r->wal_path);
            if (link(r->wal_path, aside) == 0) {
                unlink(r->wal_path);
                break;
            }
            if (errno != EEXIST) {
                k = 100;
                break;
            }
        }
    }
    if (k < 100)
        fprintf(stderr,
                "sarx: WARNING: the registry file %s was replaced while the server ran, and its write-ahead log "
                "could not be copied whole into the file that was opened: the log is set aside as %s, so that it "
                "is never replayed into the file there now. To recover those changes, put the registry file that "
                "was opened back at a path P and rename %s to P-wal.\n",
                r->path, aside, aside);
    else
        fprintf(stderr,
                "sarx: WARNING: the registry file %s was replaced while the server ran, and its write-ahead log %s "
                "could not be copied whole into the file that was opened, nor set aside: it is removed, so that it "
                "is never replayed into the file there now. Changes since the last checkpoint are lost.\n",
                r->path, r->wal_path);
    if (k >= 100)
        unlink(r->wal_path);
    free(aside);
}

void srv_registry_close(srv_registry *r)
{
    int i, log;
    if (!r)
        return;
    if (r->cstarted) {
        pthread_mutex_lock(&r->cmu);
        r->cstop = 1;
        pthread_cond_signal(&r->ccv);
        pthread_mutex_unlock(&r->cmu);
        pthread_join(r->cthread, NULL);
    }
    log = close_safely(r);
    for (i = 0; i < r->nconn; i++) {
        sqlite3_close_v2(r->conn[i]);
        ZSTD_freeCCtx(r->zc[i]);
        ZSTD_freeDCtx(r->zd[i]);
    }
    sqlite3_close_v2(r->checkpointer);
    sqlite3_close_v2(r->syncer);
    sqlite3_close_v2(r->writer);
    if (log != LOG_LEAVE) {
        char why[sizeof r->refused_why];
        if (still_there(r, 1, why, sizeof why) == 1) {
            if (log == LOG_REMOVE)
                unlink(r->wal_path);
            else
                keep_log(r);
        }
    }
    /* Only now: closing a descriptor of the file drops the process's POSIX
    ** locks on it, SQLite's included. */
    if (r->db_fd >= 0)
        close(r->db_fd);
    if (r->wal_fd >= 0)
        close(r->wal_fd);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->wlock);
    pthread_mutex_destroy(&r->smu);
    pthread_cond_destroy(&r->scv);
    pthread_mutex_destroy(&r->cmu);
    pthread_cond_destroy(&r->ccv);
    free(r->conn);
    free(r->free_);
    free(r->zc);
    free(r->zd);
    ZSTD_freeCDict(r->cdict);
    free(r->defs_json);
    free(r->path);
    free(r->wal_path);
    free(r);
}
