/* test-open.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-open"

/* unshare() and the CLONE_ flags, for the read-only mount. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sched.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dossier-store.h"
#include "dossier-test-util.h"

/* The busy timeout tests/meson.build sets for every core test. */
#define BUSY_TIMEOUT_MS 500

static char *
make_dossier_db (const char *dir,
                 const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(DossierStore) store = dt_open (path);

  dt_insert (store, "patient", (DossierField[]) { { "code", "P-1" }, { "sex", "male" }, { NULL } });
  return path;
}

/* Creating and reopening ------------------------------------------------------ */

static void
test_open_new (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  g_autofree char *mode = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *version = NULL;
  g_autofree char *expected_version = NULL;
  int latest = dossier_store_latest_schema_version ();

  g_assert_cmpint (latest, >=, 1);

  {
    g_autoptr(DossierStore) store = dt_open (path);

    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpstr (dossier_store_get_path (store), ==, path);
    g_assert_cmpint (dossier_store_get_schema_version (store), ==, latest);
    g_assert_true (dossier_store_is_empty (store));

    mode = dt_query_text (store, "PRAGMA journal_mode");
    g_assert_cmpstr (mode, ==, "wal");
    g_assert_cmpint (dt_query_int (store, "PRAGMA application_id"), ==, DOSSIER_STORE_APPLICATION_ID);
    g_assert_cmpint (dt_query_int (store, "PRAGMA user_version"), ==, latest);
    g_assert_cmpint (dt_query_int (store, "PRAGMA foreign_keys"), ==, 1);
    /* synchronous = FULL is 2. */
    g_assert_cmpint (dt_query_int (store, "PRAGMA synchronous"), ==, 2);
  }

  /* The last connection closed: nothing is left beside the file, and what another
   * program sees in the header is ours. */
  dt_assert_no_side_files (path);
  g_clear_pointer (&mode, g_free);
  mode = dt_sqlite3_ok (path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  app_id = dt_sqlite3_ok (path, "PRAGMA application_id");
  g_assert_cmpint (g_ascii_strtoll (app_id, NULL, 10), ==, 0x44535352);
  version = dt_sqlite3_ok (path, "PRAGMA user_version");
  expected_version = g_strdup_printf ("%d", latest);
  g_assert_cmpstr (version, ==, expected_version);

  dt_remove_tree (dir);
}

static void
test_open_reopen (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = make_dossier_db (dir, "reopen.db");
  g_autoptr(DtSnapshot) before = NULL;
  gint64 n_audit;
  gint64 n_settings;

  {
    g_autoptr(DossierStore) store = dt_open (path);

    n_audit = dt_query_int (store, "SELECT count(*) FROM audit_log");
    n_settings = dt_query_int (store, "SELECT count(*) FROM setting");
    g_assert_cmpint (n_audit, >, 0);
    g_assert_cmpint (n_settings, >, 0);
  }

  /* Reopening an up-to-date database must not write anything: no migration, no
   * baseline, not even the header. */
  before = dt_snapshot_take (path);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DossierStore) store = dt_open (path);

      g_assert_cmpint (dossier_store_get_schema_version (store), ==, dossier_store_latest_schema_version ());
      g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM audit_log"), ==, n_audit);
      g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM setting"), ==, n_settings);
      g_assert_cmpint (dossier_store_count (store, "patient"), ==, 1);
    }
  dt_snapshot_assert_same (before);

  dt_remove_tree (dir);
}

/* Refusing files that are not ours -------------------------------------------- */

typedef char *(*MakeFile) (const char *dir);

static char *
make_text_file (const char *dir)
{
  char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, "Line %u of a shopping list, not a database.\n", i);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);

  return path;
}

static char *
make_short_text_file (const char *dir)
{
  char *path = g_build_filename (dir, "short.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "hello\n", -1, &error);
  g_assert_no_error (error);

  return path;
}

static char *
make_directory (const char *dir)
{
  char *path = g_build_filename (dir, "folder.db", NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  return path;
}

static char *
make_other_app_db (const char *dir)
{
  char *path = g_build_filename (dir, "other.db", NULL);

  g_free (dt_sqlite3_ok (path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                               "INSERT INTO notes (body) VALUES ('buy milk');"));
  return path;
}

static char *
make_other_app_id_db (const char *dir)
{
  char *path = g_build_filename (dir, "other-id.db", NULL);

  /* Another application's id, and nothing else in it yet. */
  g_free (dt_sqlite3_ok (path, "PRAGMA application_id = 1196444237; VACUUM;"));
  return path;
}

static char *
make_too_new_db (const char *dir)
{
  char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 99;"
                                          "CREATE TABLE from_the_future (id INTEGER PRIMARY KEY);",
                                          DOSSIER_STORE_APPLICATION_ID);

  g_free (dt_sqlite3_ok (path, sql));
  return path;
}

static void
overwrite (const char *path,
           goffset     offset,
           gsize       len)
{
  int fd = g_open (path, O_WRONLY, 0);
  g_autofree guint8 *junk = g_malloc (len);

  g_assert_cmpint (fd, >=, 0);
  for (gsize i = 0; i < len; i++)
    junk[i] = (guint8)(0x5a ^ (i * 37));
  g_assert_cmpint (pwrite (fd, junk, len, offset), ==, (gssize)len);
  g_assert_cmpint (close (fd), ==, 0);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* Garbage over the header of page 3, a table's root page that opening the database
 * never reads: only a check of the whole file finds it. */
static char *
make_corrupt_page_header (const char *dir)
{
  char *path = make_dossier_db (dir, "corrupt-page.db");

  overwrite (path, 2 * 4096, 200);
  return path;
}

/* Garbage over every page after the first. */
static char *
make_corrupt_pages (const char *dir)
{
  char *path = make_dossier_db (dir, "corrupt-pages.db");
  goffset size = file_size (path);

  overwrite (path, 4096, size - 4096);
  return path;
}

/* Garbage in the middle of the file. */
static char *
make_corrupt_middle (const char *dir)
{
  char *path = make_dossier_db (dir, "corrupt-middle.db");
  goffset size = file_size (path);

  overwrite (path, (size / 2) & ~(goffset)4095, 4096);
  return path;
}

static char *
make_truncated_half (const char *dir)
{
  char *path = make_dossier_db (dir, "truncated-half.db");

  g_assert_cmpint (truncate (path, (file_size (path) / 2) & ~(goffset)4095), ==, 0);
  return path;
}

static char *
make_truncated_page (const char *dir)
{
  char *path = make_dossier_db (dir, "truncated-page.db");

  g_assert_cmpint (truncate (path, 4096), ==, 0);
  return path;
}

static char *
make_bad_header (const char *dir)
{
  char *path = make_dossier_db (dir, "bad-header.db");

  overwrite (path, 0, 16);
  return path;
}

typedef struct
{
  const char *name;
  MakeFile    make;
  int         code;
  int         other_code;   /* also accepted, or -1 */
  const char *needles[4];
} RefuseCase;

static const RefuseCase refuse_cases[] = {
  { "text file", make_text_file, DOSSIER_STORE_ERROR_NOT_A_DATABASE, -1, { "not a database" } },
  { "short text file", make_short_text_file, DOSSIER_STORE_ERROR_NOT_A_DATABASE, -1, { "not a database" } },
  { "folder", make_directory, DOSSIER_STORE_ERROR_NOT_A_DATABASE, -1, { "folder" } },
  { "other application", make_other_app_db, DOSSIER_STORE_ERROR_NOT_DOSSIER, -1, { "another application", "untouched" } },
  { "other application id", make_other_app_id_db, DOSSIER_STORE_ERROR_NOT_DOSSIER, -1, { "another application" } },
  { "too new", make_too_new_db, DOSSIER_STORE_ERROR_TOO_NEW, -1, { "newer", "99" } },
  { "corrupt page header", make_corrupt_page_header, DOSSIER_STORE_ERROR_CORRUPT, -1, { "damaged", "backup" } },
  { "corrupt pages", make_corrupt_pages, DOSSIER_STORE_ERROR_CORRUPT, -1, { "damaged" } },
  { "corrupt middle", make_corrupt_middle, DOSSIER_STORE_ERROR_CORRUPT, -1, { "damaged" } },
  { "truncated half", make_truncated_half, DOSSIER_STORE_ERROR_CORRUPT, -1, { "damaged" } },
  { "truncated to one page", make_truncated_page, DOSSIER_STORE_ERROR_CORRUPT, -1, { "damaged" } },
  { "bad header", make_bad_header, DOSSIER_STORE_ERROR_NOT_A_DATABASE, DOSSIER_STORE_ERROR_CORRUPT, { NULL } },
};

static void
test_open_refused (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *latest = g_strdup_printf ("%d", dossier_store_latest_schema_version ());

  for (guint i = 0; i < G_N_ELEMENTS (refuse_cases); i++)
    {
      const RefuseCase *c = &refuse_cases[i];
      g_autofree char *path = c->make (dir);
      g_autoptr(DtSnapshot) before = dt_snapshot_take (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierStore) store = NULL;

      store = dossier_store_open (path, &error);
      g_test_message ("%s: %s", c->name, error != NULL ? error->message : "(opened)");

      if (store != NULL)
        g_error ("%s: “%s” should have been refused", c->name, path);
      g_assert_nonnull (error);
      g_assert_true (error->domain == DOSSIER_STORE_ERROR);
      if (error->code != c->code && error->code != c->other_code)
        g_error ("%s: expected error code %d, got %d: %s", c->name, c->code, error->code, error->message);

      /* The message is for a person: it says which file. */
      if (strstr (error->message, path) == NULL)
        g_error ("%s: the message should name “%s”: %s", c->name, path, error->message);
      for (guint n = 0; n < G_N_ELEMENTS (c->needles) && c->needles[n] != NULL; n++)
        if (strstr (error->message, c->needles[n]) == NULL)
          g_error ("%s: the message should mention “%s”: %s", c->name, c->needles[n], error->message);
      if (c->code == DOSSIER_STORE_ERROR_TOO_NEW && strstr (error->message, latest) == NULL)
        g_error ("%s: the message should give the supported schema %s: %s", c->name, latest, error->message);

      /* Refusing means not touching: same bytes, same time, no side files. */
      dt_snapshot_assert_same (before);
    }

  dt_remove_tree (dir);
}

static void
test_open_missing_folder (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *folder = g_build_filename (dir, "no-such-folder", NULL);
  g_autofree char *path = g_build_filename (folder, "dossier.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = dossier_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, folder));
  /* Nothing was created on the way. */
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  dt_remove_tree (dir);
}

/* Read-only locations --------------------------------------------------------- */

static void
assert_read_only (const char *path,
                  const char *what)
{
  g_autoptr(DtSnapshot) before = dt_snapshot_take (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = dossier_store_open (path, &error);

  g_test_message ("%s: %s", what, error != NULL ? error->message : "(opened)");
  if (store != NULL)
    g_error ("%s: “%s” should have been refused", what, path);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY);
  if (strstr (error->message, path) == NULL)
    g_error ("%s: the message should name “%s”: %s", what, path, error->message);
  dt_snapshot_assert_same (before);
}

/* /proc refuses new files even to root, so it stands in for a read-only folder
 * where no mount namespace can be made. */
static void
test_open_read_only_proc (void)
{
  assert_read_only ("/proc/dossier-test.db", "new file in /proc");
}

static gboolean
write_file (const char *path,
            const char *text)
{
  int fd = g_open (path, O_WRONLY, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (gssize)strlen (text);
  close (fd);
  return ok;
}

/* Makes dir read-only for this process only: a private mount namespace (with a user
 * namespace when not root) and a read-only bind mount of dir over itself.  Tests
 * run as root, for whom permission bits mean nothing, so this is the honest way to
 * get EROFS. */
static gboolean
make_read_only_mount (const char *dir)
{
  if (unshare (CLONE_NEWNS) != 0)
    {
      g_autofree char *map = g_strdup_printf ("0 %u 1", (guint)getuid ());
      g_autofree char *gmap = g_strdup_printf ("0 %u 1", (guint)getgid ());

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        return FALSE;
      write_file ("/proc/self/setgroups", "deny");
      if (!write_file ("/proc/self/uid_map", map) || !write_file ("/proc/self/gid_map", gmap))
        return FALSE;
    }

  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount (dir, dir, NULL, MS_BIND, NULL) != 0 ||
      mount (NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
    return FALSE;

  return access (dir, W_OK) != 0 && errno == EROFS;
}

static void
test_open_read_only_mount (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("DOSSIER_TEST_RO_DIR");
      g_autofree char *existing = g_build_filename (dir, "existing.db", NULL);
      g_autofree char *fresh = g_build_filename (dir, "fresh.db", NULL);

      if (!make_read_only_mount (dir))
        {
          g_print ("no-namespace: %s\n", g_strerror (errno));
          return;
        }

      assert_read_only (existing, "existing database on a read-only mount");
      assert_read_only (fresh, "new database on a read-only mount");
      g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
      g_print ("checked-read-only-mount\n");
      return;
    }

  {
    g_autofree char *dir = dt_make_tmpdir ();
    g_autofree char *path = make_dossier_db (dir, "existing.db");
    int status = 0;
    pid_t pid;

    /* Whether this machine lets us make a mount namespace at all: a throw-away child
     * tries.  No database is open here, so forking is safe. */
    pid = fork ();
    g_assert_cmpint (pid, >=, 0);
    if (pid == 0)
      _exit (make_read_only_mount (dir) ? 0 : 1);
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
      {
        dt_remove_tree (dir);
        g_test_skip ("No mount namespace can be made here; /store/open/read-only/proc covers read-only locations");
        return;
      }

    g_setenv ("DOSSIER_TEST_RO_DIR", dir, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("DOSSIER_TEST_RO_DIR");
    g_test_trap_assert_passed ();
    g_test_trap_assert_stdout ("*checked-read-only-mount*");

    /* The namespace died with the child: the file is still writable here. */
    dt_assert_no_side_files (path);
    g_object_unref (dt_open (path));
    dt_remove_tree (dir);
  }
}

/* Locks ------------------------------------------------------------------------ */

typedef struct
{
  GPid        pid;
  int         in_fd;
  GIOChannel *out;
} Sqlite3Child;

static void
sqlite3_child_send (Sqlite3Child *child,
                    const char   *sql)
{
  gsize len = strlen (sql);

  g_assert_cmpint (write (child->in_fd, sql, len), ==, (gssize)len);
}

static char *
sqlite3_child_read_line (Sqlite3Child *child)
{
  g_autoptr(GError) error = NULL;
  char *line = NULL;

  g_io_channel_read_line (child->out, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  return line != NULL ? g_strstrip (line) : NULL;
}

static void
sqlite3_child_start (Sqlite3Child *child,
                     const char   *path)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { DT_SQLITE3, "-batch", path, NULL };
  int out_fd;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &child->pid, &child->in_fd, &out_fd, NULL, &error);
  g_assert_no_error (error);
  child->out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (child->out, TRUE);
}

static void
sqlite3_child_finish (Sqlite3Child *child)
{
  int status = 0;

  sqlite3_child_send (child, "ROLLBACK;\n.quit\n");
  close (child->in_fd);
  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  g_spawn_close_pid (child->pid);
  g_clear_pointer (&child->out, g_io_channel_unref);
}

/* Another process holds an exclusive lock on a rollback-journal database: opening
 * gives up after the busy timeout with LOCKED, without touching the file. */
static void
test_open_locked_by_process (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = make_dossier_db (dir, "locked.db");
  g_autofree char *mode = dt_sqlite3_ok (path, "PRAGMA journal_mode = DELETE");
  g_autofree char *line = NULL;
  g_autoptr(DtSnapshot) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = NULL;
  Sqlite3Child child = { 0 };
  gint64 start, elapsed_ms;

  g_assert_cmpstr (mode, ==, "delete");

  sqlite3_child_start (&child, path);
  sqlite3_child_send (&child, "BEGIN EXCLUSIVE;\nSELECT 'locked';\n");
  line = sqlite3_child_read_line (&child);
  g_assert_cmpstr (line, ==, "locked");

  before = dt_snapshot_take (path);
  start = g_get_monotonic_time ();
  store = dossier_store_open (path, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("refused after %" G_GINT64_FORMAT " ms: %s", elapsed_ms,
                  error != NULL ? error->message : "(opened)");

  g_assert_null (store);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, path));
  /* It waited for the lock, but not for ever. */
  g_assert_cmpint (elapsed_ms, >=, BUSY_TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <, 10 * BUSY_TIMEOUT_MS);
  dt_snapshot_assert_same (before);

  sqlite3_child_finish (&child);

  /* Once the other process is gone the same file opens (and becomes WAL). */
  g_clear_error (&error);
  store = dt_open (path);
  g_clear_pointer (&mode, g_free);
  mode = dt_query_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (dossier_store_count (store, "patient"), ==, 1);
  g_clear_object (&store);

  dt_remove_tree (dir);
}

/* Two stores on one file: while the first holds a write transaction, a write through
 * the second fails with LOCKED after about the busy timeout, and succeeds after the
 * first commits. */
static void
test_open_locked_by_store (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "two.db", NULL);
  g_autoptr(DossierStore) first = dt_open (path);
  g_autoptr(DossierStore) second = dt_open (path);
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed_ms, id;

  g_assert_true (dossier_store_begin (first, &error));
  g_assert_no_error (error);
  dt_insert (first, "patient", (DossierField[]) { { "code", "P-0001" }, { "sex", "female" }, { NULL } });

  start = g_get_monotonic_time ();
  id = dossier_store_insert (second, "patient",
                             (DossierField[]) { { "code", "P-0002" }, { "sex", "male" }, { NULL } },
                             &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("refused after %" G_GINT64_FORMAT " ms: %s", elapsed_ms,
                  error != NULL ? error->message : "(inserted)");

  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpint (elapsed_ms, >=, BUSY_TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <, 10 * BUSY_TIMEOUT_MS);
  g_clear_error (&error);

  /* Readers are not blocked by a writer in WAL mode, and do not see its work. */
  g_assert_cmpint (dossier_store_count (second, "patient"), ==, 0);

  g_assert_true (dossier_store_commit (first, &error));
  g_assert_no_error (error);

  id = dt_insert (second, "patient", (DossierField[]) { { "code", "P-0002" }, { "sex", "male" }, { NULL } });
  g_assert_cmpint (dossier_store_count (second, "patient"), ==, 2);
  g_assert_cmpint (dossier_store_count (first, "patient"), ==, 2);
  dt_assert_audit_clean (first);

  g_clear_object (&first);
  g_clear_object (&second);
  dt_assert_no_side_files (path);
  dt_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/new", test_open_new);
  g_test_add_func ("/store/open/reopen", test_open_reopen);
  g_test_add_func ("/store/open/refused", test_open_refused);
  g_test_add_func ("/store/open/missing-folder", test_open_missing_folder);
  g_test_add_func ("/store/open/read-only/proc", test_open_read_only_proc);
  g_test_add_func ("/store/open/read-only/mount", test_open_read_only_mount);
  g_test_add_func ("/store/open/locked/process", test_open_locked_by_process);
  g_test_add_func ("/store/open/locked/store", test_open_locked_by_store);

  return g_test_run ();
}
