/* test-cli-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-report"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-auth.h"
#include "dossier-demo.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* Runs the real dossier-cli (DOSSIER_CLI) for `annual-report`: the report of the demo
 * database, its refusals and exit statuses, the deadline, and the permission. */

typedef struct
{
  char     *dir;
  char     *db;
  gboolean  accounts;   /* the demo came with accounts: sign in as wang.fang */
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* env: "NAME=value" pairs or NULL. */
static void
run_cli (Run                *run,
         const char * const *env,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("DOSSIER_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer)cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_unsetenv (launcher, "DOSSIER_PASSWORD");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      g_autofree char *name = g_strndup (env[i], eq - env[i]);

      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

/* Runs `dossier-cli --db DB [--user wang.fang] annual-report ARGS…`. */
static void
run_report (Fixture            *f,
            Run                *run,
            const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *env[] = { "DOSSIER_PASSWORD=wang.fang-demo", NULL };

  g_ptr_array_add (argv, (gpointer)"--db");
  g_ptr_array_add (argv, f->db);
  if (f->accounts)
    {
      g_ptr_array_add (argv, (gpointer)"--user");
      g_ptr_array_add (argv, (gpointer)"wang.fang");
    }
  g_ptr_array_add (argv, (gpointer)"annual-report");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  run_cli (run, f->accounts ? env : NULL, (const char * const *)argv->pdata);
}

#define REPORT(f, run, ...) run_report (f, run, (const char *[]) { __VA_ARGS__, NULL })

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in:\n%s", needle, haystack);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = dt_make_tmpdir ();
  f->db = g_build_filename (f->dir, "cli.db", NULL);
  store = dt_open (f->db);
  g_assert_true (dossier_demo_seed (store, 0, NULL, &error));
  g_assert_no_error (error);
  f->accounts = dossier_auth_has_accounts (store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
test_write (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *xml = g_build_filename (f->dir, "report-2025.xml", NULL);
  g_autofree char *html = g_build_filename (f->dir, "report-2025.html", NULL);
  g_autofree char *xml2 = g_build_filename (f->dir, "again.xml", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };

  /* The form. */
  REPORT (f, &run, "--year", "2025", "--filing", "粤械定制备20240003号", "--out", xml, "--html", html);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Wrote the annual report for 2025");
  g_assert_true (g_file_get_contents (xml, &text, NULL, NULL));
  assert_contains (text, "<annualReport schemaVersion=\"1.0\" year=\"2025\" xmlns=\"urn:io.github.dossier:annual-report:1\">");
  assert_contains (text, "<scope kind=\"filing\" filing=\"粤械定制备20240003号\"/>");
  assert_contains (text, "delivered=\"1\"");
  g_assert_true (g_file_test (html, G_FILE_TEST_IS_REGULAR));

  /* The same bytes again, with a time stamp given. */
  REPORT (f, &again, "--year", "2025", "--filing", "粤械定制备20240003号", "--out", xml2,
          "--generated-at", "2026-01-20T09:00:00+08:00");
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (g_file_get_contents (xml2, &text2, NULL, NULL));
  assert_contains (text2, "<generatedAt>2026-01-20T09:00:00+08:00</generatedAt>");
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *xml = g_build_filename (f->dir, "report.xml", NULL);
  g_auto(Run) unknown = { 0 };
  g_auto(Run) first = { 0 };
  g_auto(Run) exists = { 0 };
  g_auto(Run) no_year = { 0 };
  g_auto(Run) no_out = { 0 };
  g_auto(Run) bad_time = { 0 };
  g_auto(Run) extra = { 0 };

  REPORT (f, &unknown, "--year", "2025", "--filing", "粤械定制备20999999号", "--out", xml);
  g_assert_cmpint (unknown.status, ==, 2);
  assert_contains (unknown.err, "There is no filing with number “粤械定制备20999999号”.");
  g_assert_false (g_file_test (xml, G_FILE_TEST_EXISTS));

  REPORT (f, &first, "--year", "2025", "--out", xml);
  g_assert_cmpint (first.status, ==, 0);
  REPORT (f, &exists, "--year", "2025", "--out", xml);
  g_assert_cmpint (exists.status, ==, 2);
  assert_contains (exists.err, "already exists");

  REPORT (f, &no_year, "--out", xml);
  g_assert_cmpint (no_year.status, ==, 2);
  assert_contains (no_year.err, "--year");
  REPORT (f, &no_out, "--year", "2025");
  g_assert_cmpint (no_out.status, ==, 2);
  REPORT (f, &bad_time, "--year", "2025", "--out", "x.xml", "--generated-at", "yesterday");
  g_assert_cmpint (bad_time.status, ==, 2);
  REPORT (f, &extra, "--year", "2025", "--out", "x.xml", "surplus");
  g_assert_cmpint (extra.status, ==, 2);
  assert_contains (extra.err, "Unexpected argument “surplus”");
}

static void
test_deadline (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *xml = g_build_filename (f->dir, "report.xml", NULL);
  g_auto(Run) due = { 0 };
  g_auto(Run) overdue = { 0 };
  g_auto(Run) written = { 0 };
  g_auto(Run) after = { 0 };
  g_auto(Run) bad = { 0 };

  REPORT (f, &due, "--deadline", "--today", "2027-01-10");
  g_assert_cmpint (due.status, ==, 0);
  assert_contains (due.out, "Deadline: 01-31 of the following year; reminders from 30 days before.");
  assert_contains (due.out, "The annual report for 2026 is due on 31 January 2027 (21 days).");

  REPORT (f, &overdue, "--deadline", "--today", "2027-02-03");
  assert_contains (overdue.out, "The annual report for 2026 was due on 31 January 2027 (3 days ago).");

  REPORT (f, &written, "--year", "2026", "--out", xml);
  g_assert_cmpint (written.status, ==, 0);
  REPORT (f, &after, "--deadline", "--today", "2027-02-03");
  assert_contains (after.out, "No reminder is due.");
  assert_contains (after.out, "The annual report for 2027 is due on 31 January 2028");

  REPORT (f, &bad, "--deadline", "--today", "2027-02-30");
  g_assert_cmpint (bad.status, ==, 2);
}

/* Generating is a regulatory task: an engineer is refused. */
static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DossierStore) store = dt_open (f->db);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = g_build_filename (f->dir, "report.xml", NULL);
  const char *env[] = { "DOSSIER_PASSWORD=eng-password", NULL };
  g_auto(Run) run = { 0 };

  /* The demo's administrator, or the first account of a database without any. */
  if (!f->accounts)
    {
      g_assert_cmpint (dossier_auth_create_user (store, "admin", "Ada Admin", DOSSIER_ROLE_ADMINISTRATOR,
                                                 "admin-demo", &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_true (dossier_store_sign_in (store, "admin", "admin-demo", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_auth_create_user (store, "eng", "Erin Engineer", DOSSIER_ROLE_ENGINEER,
                                             "eng-password", &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&store);

  run_cli (&run, env, (const char *[]) { "--db", f->db, "--user", "eng", "annual-report", "--year", "2025",
                                         "--out", xml, NULL });
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "Generating the annual report needs the role");
  g_assert_false (g_file_test (xml, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  _dossier_auth_set_hash_limits_for_testing (1, 8192);

  g_test_add ("/cli-report/write", Fixture, NULL, fixture_set_up, test_write, fixture_tear_down);
  g_test_add ("/cli-report/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/cli-report/deadline", Fixture, NULL, fixture_set_up, test_deadline, fixture_tear_down);
  g_test_add ("/cli-report/permission", Fixture, NULL, fixture_set_up, test_permission, fixture_tear_down);

  return g_test_run ();
}
