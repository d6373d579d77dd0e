/* test-crash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dossier-store.h"
#include "dossier-test-util.h"

/* Crash safety: a child process writes through the store as fast as it can and is
 * killed with SIGKILL at random moments; afterwards everything it reported as
 * committed must be there, whole, with its audit trail, and nothing else may be
 * half there.  The child is this program started with --writer, so that it is a
 * fresh process with no state shared with the test. */

#define SEED 20261123
#define ROW_ROUNDS 60
#define ATTACHMENT_ROUNDS 30
#define TIME_BUDGET_US (30 * G_USEC_PER_SEC)

/* This program, to start as the writer (argv[0] rather than /proc/self/exe, which is
 * valgrind itself when the test runs under it). */
static char *self_path;

static void
report (const char *line)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  gsize len = strlen (text);
  const char *p = text;

  /* write(2) rather than stdio: what is reported must be out of the process before
   * the next transaction starts, with no buffer to lose in the kill. */
  while (len > 0)
    {
      gssize n = write (STDOUT_FILENO, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (3);
      p += n;
      len -= n;
    }
}

static G_GNUC_NORETURN void
writer_failed (const char *what,
               GError     *error)
{
  g_printerr ("writer: %s: %s\n", what, error != NULL ? error->message : "?");
  _exit (2);
}

/* Each transaction creates a patient as "male" and then changes it to "female" with
 * an update, so that a half-applied transaction would show as a male patient. */
static void
write_rows (DossierStore *store)
{
  for (guint n = 1;; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = g_strdup_printf ("C-%d-%u", (int)getpid (), n);
      g_autofree char *line = NULL;
      gint64 id;

      if (!dossier_store_begin (store, &error))
        writer_failed ("begin", error);
      id = dossier_store_insert (store, "patient", (DossierField[]) {
        { "code", code }, { "sex", "male" }, { NULL } }, &error);
      if (id == 0)
        writer_failed ("insert", error);
      if (!dossier_store_update (store, "patient", id, (DossierField[]) {
            { "sex", "female" }, { "birth_year", "1990" }, { NULL } }, "crash test", &error))
        writer_failed ("update", error);
      if (!dossier_store_commit (store, &error))
        writer_failed ("commit", error);

      line = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      report (line);
    }
}

static void
write_attachments (DossierStore *store)
{
  gint64 dossier = dt_query_int (store, "SELECT min (id) FROM dossier");
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32)getpid ());

  for (guint n = 1;; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInputStream) in = NULL;
      g_autofree char *name = g_strdup_printf ("part-%u.bin", n);
      g_autofree char *line = NULL;
      gint64 id;

      in = dt_random_stream_new (g_rand_int_range (rand, 64 * 1024, 3 * 1024 * 1024), g_rand_int (rand));
      id = dossier_store_add_attachment (store, dossier, "processing", name, NULL, in, NULL, &error);
      if (id == 0)
        writer_failed ("add attachment", error);

      line = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      report (line);
    }
}

static int
run_writer (const char *mode,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = dossier_store_open (path, &error);

  if (store == NULL)
    writer_failed ("open", error);
  dossier_store_set_actor (store, "crash-writer");
  report ("ready");

  if (g_str_equal (mode, "rows"))
    write_rows (store);
  else
    write_attachments (store);

  return 0;
}

/* The parent side ------------------------------------------------------------------ */

typedef struct
{
  guint  rounds;
  guint  killed_running;
  GArray *committed;   /* gint64 ids the children reported */
} Outcome;

static gboolean
read_line (int      fd,
           GString *line)
{
  char c;

  g_string_truncate (line, 0);
  for (;;)
    {
      gssize n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      if (c == '\n')
        return TRUE;
      g_string_append_c (line, c);
    }
}

/* Starts a writer, lets it run for a random 1–30 ms (counted from when it is ready,
 * or from its start for every fifth round, to hit the opening as well), kills it and
 * collects what it reported. */
static void
run_round (const char *mode,
           const char *path,
           GRand      *rand,
           guint       round,
           Outcome    *outcome)
{
  const char *argv[] = { self_path, "--writer", mode, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) rest = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gboolean early = round % 5 == 4;
  gulong delay_us = g_rand_int_range (rand, 1000, 30001);
  int out_fd = -1;
  int status = 0;
  GPid pid;
  char buf[4096];
  gssize n;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  if (!early)
    {
      if (!read_line (out_fd, line) || !g_str_equal (line->str, "ready"))
        {
          waitpid (pid, &status, 0);
          g_error ("round %u: the writer did not start (status %d)", round, status);
        }
    }
  g_usleep (delay_us);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
    g_error ("round %u: the writer ended by itself (status %d) instead of being killed", round, status);

  while ((n = read (out_fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (rest, buf, n);
  close (out_fd);

  /* Only whole lines count: a line cut by the kill was not reported. */
  lines = g_strsplit (rest->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      gint64 id;

      if (g_str_equal (lines[i], "ready"))
        continue;
      id = g_ascii_strtoll (lines[i], NULL, 10);
      g_assert_cmpint (id, >, 0);
      g_array_append_val (outcome->committed, id);
    }

  outcome->rounds++;
  if (!early)
    outcome->killed_running++;
}

static void
assert_integrity (DossierStore *store)
{
  g_autofree char *integrity = dt_query_text (store, "PRAGMA integrity_check");
  g_autofree char *foreign = dt_query_text (store, "SELECT count(*) FROM pragma_foreign_key_check");

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpstr (foreign, ==, "0");
}

static void
test_crash_rows (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "crash.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(DossierStore) store = dt_open (path);
  g_autoptr(GHashTable) reported = g_hash_table_new (g_int64_hash, g_int64_equal);
  Outcome outcome = { 0, 0, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  gint64 start = g_get_monotonic_time ();
  gint64 n_patients;

  g_clear_object (&store);

  for (guint round = 0; round < ROW_ROUNDS; round++)
    {
      run_round ("rows", path, rand, round, &outcome);
      if (round >= 50 && g_get_monotonic_time () - start > TIME_BUDGET_US)
        break;
    }

  g_test_message ("%u rounds in %.1f s, %u commits reported", outcome.rounds,
                  (g_get_monotonic_time () - start) / 1e6, outcome.committed->len);
  g_assert_cmpuint (outcome.rounds, >=, 50);
  /* Otherwise the kills never met a running transaction and nothing was tested. */
  g_assert_cmpuint (outcome.committed->len, >=, outcome.killed_running);

  store = dt_open (path);
  assert_integrity (store);

  /* Everything reported is there and complete: no transaction is half applied. */
  for (guint i = 0; i < outcome.committed->len; i++)
    {
      gint64 *id = &g_array_index (outcome.committed, gint64, i);
      g_autofree char *sex = dt_row_value (store, "patient", *id, "sex");

      g_assert_cmpstr (sex, ==, "female");
      g_hash_table_add (reported, id);
    }
  g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM patient WHERE sex <> 'female' OR birth_year IS NOT 1990"), ==, 0);

  /* A commit may have happened just before a kill, unreported: never more than one
   * per round. */
  n_patients = dossier_store_count (store, "patient");
  g_assert_cmpint (n_patients, >=, g_hash_table_size (reported));
  g_assert_cmpint (n_patients, <=, g_hash_table_size (reported) + outcome.rounds);

  /* Every row has its creation entry and its two update entries. */
  g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM patient p WHERE "
                                        "(SELECT count(*) FROM audit_log a WHERE a.table_name = 'patient' "
                                        "AND a.row_id = p.id) <> 3"), ==, 0);
  g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM audit_log WHERE hash IS NULL"), ==, 0);
  dt_assert_audit_clean (store);

  /* And the store goes on writing on top of it. */
  dt_insert (store, "patient", (DossierField[]) { { "code", "C-AFTER-1" }, { "sex", "female" }, { "birth_year", "1990" }, { NULL } });
  dt_assert_audit_clean (store);

  g_clear_object (&store);
  dt_assert_no_side_files (path);
  g_array_unref (outcome.committed);
  dt_remove_tree (dir);
}

static void
test_crash_attachments (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "crash-files.db", NULL);
  g_autofree char *files = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 1);
  g_autoptr(DossierStore) store = dt_open (path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0, 0, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  gint64 start = g_get_monotonic_time ();
  DtRows ids;

  dt_populate (store, &ids);
  files = dossier_store_get_attachment_dir (store);
  g_clear_object (&store);

  for (guint round = 0; round < ATTACHMENT_ROUNDS; round++)
    {
      run_round ("attachments", path, rand, round, &outcome);
      if (g_get_monotonic_time () - start > TIME_BUDGET_US)
        break;
    }
  g_test_message ("%u rounds in %.1f s, %u attachments reported", outcome.rounds,
                  (g_get_monotonic_time () - start) / 1e6, outcome.committed->len);

  store = dt_open (path);
  assert_integrity (store);
  for (guint i = 0; i < outcome.committed->len; i++)
    {
      g_autoptr(GHashTable) row = dossier_store_get_row (store, "attachment",
                                                          g_array_index (outcome.committed, gint64, i), &error);
      g_assert_no_error (error);
    }

  /* No row without its whole content. */
  rows = dossier_store_list_rows (store, "attachment", "dossier_id", ids.customized, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >=, outcome.committed->len);
  for (guint i = 0; i < rows->len; i++)
    {
      GHashTable *row = g_ptr_array_index (rows, i);
      const char *sha256 = g_hash_table_lookup (row, "sha256");
      char sub[3] = { sha256[0], sha256[1], 0 };
      g_autofree char *file = g_build_filename (files, sub, sha256, NULL);
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (file, FALSE, &error);
      g_autofree char *actual = NULL;
      g_autofree char *size = NULL;

      g_assert_no_error (error);
      size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_mapped_file_get_length (mapped));
      g_assert_cmpstr (size, ==, g_hash_table_lookup (row, "size"));
      actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)g_mapped_file_get_contents (mapped),
                                            g_mapped_file_get_length (mapped));
      g_assert_cmpstr (actual, ==, sha256);
    }
  dt_assert_audit_clean (store);
  g_clear_object (&store);

  g_array_unref (outcome.committed);
  dt_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc == 4 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2], argv[3]);

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  self_path = g_canonicalize_filename (argv[0], NULL);

  g_test_add_func ("/crash/rows", test_crash_rows);
  g_test_add_func ("/crash/attachments", test_crash_attachments);

  status = g_test_run ();
  g_free (self_path);

  return status;
}
