/* test-cli-signatures.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-signatures"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-signature.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* Runs the real dossier-cli (DOSSIER_CLI) for `signatures` and `user`: signatures
 * written with the core beforehand, tampering done with the sqlite3 tool.  When the
 * dispatcher does not know the commands yet, every test fails saying so. */

typedef struct
{
  char   *dir;
  char   *db;
  char   *unit_no;
  gint64  dossier;
  gint64  review;
  gint64  parameter;
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

/* input: what standard input gives (NULL: nothing); env: "NAME=value" pairs. */
static void
run_cli (Run                *run,
         const char         *input,
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
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

#define RUN(run, ...) run_cli (run, NULL, NULL, (const char *[]) { __VA_ARGS__, NULL })
#define RUN_INPUT(run, input, ...) run_cli (run, input, NULL, (const char *[]) { __VA_ARGS__, NULL })
#define RUN_ENV(run, env, ...) run_cli (run, NULL, (const char *[]) { env, NULL }, (const char *[]) { __VA_ARGS__, NULL })

/* The commands must be known to the dispatcher (src/cli/dossier-cli.c). */
static void
assert_wired (void)
{
  g_auto(Run) help = { 0 };

  RUN (&help, "--help");
  if (strstr (help.out, "signatures") == NULL || strstr (help.out, "user") == NULL)
    g_error ("dossier-cli does not know the “signatures” and “user” commands yet: add\n"
             "  { \"signatures\", dossier_cli_signatures, N_(\"Check, list and sign the electronic signatures of dossiers\") },\n"
             "  { \"user\", dossier_cli_user, N_(\"Add and list user accounts\") },\n"
             "to commands[] in src/cli/dossier-cli.c and #include \"dossier-cli-signatures.h\" there.");
}

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
  DtRows rows;

  assert_wired ();

  f->dir = dt_make_tmpdir ();
  f->db = g_build_filename (f->dir, "cli.db", NULL);
  store = dt_open (f->db);
  dt_populate (store, &rows);
  f->dossier = rows.customized;
  f->parameter = rows.parameter;
  f->unit_no = dt_row_value (store, "dossier", f->dossier, "unit_no");
  g_assert_true (dossier_store_update (store, "dossier", f->dossier,
                                       (DossierField[]) { { "status", "design" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (dossier_auth_create_user (store, "admin", "Ada Admin", DOSSIER_ROLE_ADMINISTRATOR,
                                             "admin-password", &error), >, 0);
  g_assert_true (dossier_store_sign_in (store, "admin", "admin-password", &error));
  g_assert_cmpint (dossier_auth_create_user (store, "eng", "Erin Engineer", DOSSIER_ROLE_ENGINEER,
                                             "eng-password", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (dossier_store_sign_in (store, "eng", "eng-password", &error));
  f->review = dossier_signature_sign (store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_REVIEW,
                                      "eng-password", "peer review", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->review, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->unit_no);
}

static void
test_verify_valid (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) all = { 0 };
  g_auto(Run) one = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) json = { 0 };

  RUN (&all, "--db", f->db, "signatures", "verify");
  g_assert_cmpint (all.status, ==, 0);
  assert_contains (all.out, "1 signature checked");

  RUN (&one, "--db", f->db, "signatures", "verify", f->unit_no);
  g_assert_cmpint (one.status, ==, 0);

  /* In full: meaning, printed name, login, role, and that it holds. */
  RUN (&list, "--db", f->db, "signatures", "list", f->unit_no);
  g_assert_cmpint (list.status, ==, 0);
  assert_contains (list.out, "Reviewed by Erin Engineer (eng), Design engineer, on ");
  assert_contains (list.out, "Valid");

  RUN (&json, "--db", f->db, "signatures", "verify", "--json");
  g_assert_cmpint (json.status, ==, 0);
  assert_contains (json.out, "\"checked\" : 1");
}

static void
test_verify_usage (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.db", NULL);
  g_auto(Run) unknown = { 0 };
  g_auto(Run) option = { 0 };
  g_auto(Run) no_db = { 0 };
  g_auto(Run) subcommand = { 0 };

  RUN (&unknown, "--db", f->db, "signatures", "verify", "DSR-1999-999999");
  g_assert_cmpint (unknown.status, ==, 2);
  assert_contains (unknown.err, "DSR-1999-999999");

  RUN (&option, "--db", f->db, "signatures", "verify", "--bogus");
  g_assert_cmpint (option.status, ==, 2);

  RUN (&subcommand, "--db", f->db, "signatures", "frobnicate");
  g_assert_cmpint (subcommand.status, ==, 2);

  RUN (&no_db, "--db", missing, "signatures", "verify");
  g_assert_cmpint (no_db.status, ==, 3);
}

static void
test_verify_tampered_content (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *sql = g_strdup_printf ("DROP TRIGGER auditgen_parameter_value_update;"
                                          "UPDATE parameter_value SET value = '1.90' WHERE id = %" G_GINT64_FORMAT,
                                          f->parameter);
  g_autofree char *signature = g_strdup_printf ("signature %" G_GINT64_FORMAT " ", f->review);
  g_auto(Run) verify = { 0 };
  g_auto(Run) audit = { 0 };

  g_free (dt_sqlite3_ok (f->db, sql));

  RUN (&verify, "--db", f->db, "signatures", "verify");
  g_assert_cmpint (verify.status, ==, 1);
  assert_contains (verify.out, f->unit_no);
  assert_contains (verify.out, signature);
  assert_contains (verify.out, "outside Dossier");

  RUN (&audit, "--db", f->db, "audit", "verify");
  g_assert_cmpint (audit.status, ==, 1);
  assert_contains (audit.out, "parameter_value");
}

static void
test_verify_tampered_signature (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *sql = g_strdup_printf ("DROP TRIGGER signature_immutable_update; DROP TRIGGER auditgen_signature_update;"
                                          "UPDATE signature SET signed_at = '2020-01-01T00:00:00.000000+08:00' "
                                          "WHERE id = %" G_GINT64_FORMAT, f->review);
  g_autofree char *signature = g_strdup_printf ("signature %" G_GINT64_FORMAT " ", f->review);
  g_auto(Run) verify = { 0 };
  g_auto(Run) audit = { 0 };

  g_free (dt_sqlite3_ok (f->db, sql));

  RUN (&verify, "--db", f->db, "signatures", "verify", f->unit_no);
  g_assert_cmpint (verify.status, ==, 1);
  assert_contains (verify.out, signature);
  assert_contains (verify.out, "signed_at");

  RUN (&audit, "--db", f->db, "audit", "verify");
  g_assert_cmpint (audit.status, ==, 1);
  assert_contains (audit.out, "signature");
}

static void
test_sign (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Run) wrong = { 0 };
  g_auto(Run) no_user = { 0 };
  g_auto(Run) refused = { 0 };

  RUN_ENV (&wrong, "DOSSIER_PASSWORD=nope", "--db", f->db, "signatures", "sign", f->unit_no,
           "--point", "design-review", "--user", "eng");
  g_assert_cmpint (wrong.status, ==, 2);
  assert_contains (wrong.err, "password");

  RUN (&no_user, "--db", f->db, "signatures", "sign", f->unit_no, "--point", "design-review");
  g_assert_cmpint (no_user.status, ==, 2);

  /* An engineer does not approve: the core refuses, the tool says why. */
  RUN_INPUT (&refused, "eng-password\n", "--db", f->db, "signatures", "sign", f->unit_no,
             "--point", "design-approval", "--user", "eng");
  g_assert_cmpint (refused.status, ==, 2);
  assert_contains (refused.err, "QA reviewer");
}

static void
test_user_add (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "users.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_auto(Run) init = { 0 };
  g_auto(Run) first = { 0 };
  g_auto(Run) not_admin = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) bad_role = { 0 };

  assert_wired ();

  RUN (&init, "--db", db, "init");
  g_assert_cmpint (init.status, ==, 0);

  /* The first account: an administrator, no one to sign in as yet. */
  RUN_INPUT (&first, "first-admin-password\n", "--db", db, "user", "add", "ada",
             "--name", "Ada Admin", "--role", "administrator");
  g_assert_cmpint (first.status, ==, 0);

  /* Later ones need an administrator: not without, not an unknown one. */
  RUN_INPUT (&not_admin, "whatever-it-is\nsecond-password\n", "--db", db, "user", "add", "li.na",
             "--name", "李娜", "--role", "qa-reviewer", "--user", "nobody");
  g_assert_cmpint (not_admin.status, ==, 2);

  RUN_INPUT (&bad_role, "x\n", "--db", db, "user", "add", "x", "--name", "X", "--role", "boss");
  g_assert_cmpint (bad_role.status, ==, 2);

  RUN_INPUT (&second, "first-admin-password\nsecond-password\n", "--db", db, "user", "add", "li.na",
             "--name", "李娜", "--role", "qa-reviewer", "--role", "engineer", "--user", "ada");
  g_assert_cmpint (second.status, ==, 0);

  RUN (&list, "--db", db, "user", "list");
  g_assert_cmpint (list.status, ==, 0);
  assert_contains (list.out, "ada");
  assert_contains (list.out, "李娜");
  assert_contains (list.out, "QA reviewer");

  /* Neither password is anywhere in the files. */
  g_assert_true (g_file_get_contents (db, &data, &length, NULL));
  g_assert_null (g_strstr_len (data, length, "first-admin-password"));
  g_assert_null (g_strstr_len (data, length, "second-password"));
  g_clear_pointer (&data, g_free);
  if (g_file_get_contents (wal, &data, &length, NULL))
    g_assert_null (g_strstr_len (data, length, "second-password"));

  dt_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* The fixtures hash a few passwords in this process; the tool hashes at full cost. */
  _dossier_auth_set_hash_limits_for_testing (1, 8192);

  g_test_add ("/cli-signatures/verify-valid", Fixture, NULL, fixture_set_up, test_verify_valid, fixture_tear_down);
  g_test_add ("/cli-signatures/verify-usage", Fixture, NULL, fixture_set_up, test_verify_usage, fixture_tear_down);
  g_test_add ("/cli-signatures/tampered-content", Fixture, NULL, fixture_set_up, test_verify_tampered_content, fixture_tear_down);
  g_test_add ("/cli-signatures/tampered-signature", Fixture, NULL, fixture_set_up, test_verify_tampered_signature, fixture_tear_down);
  g_test_add ("/cli-signatures/sign", Fixture, NULL, fixture_set_up, test_sign, fixture_tear_down);
  g_test_add_func ("/cli-signatures/user-add", test_user_add);

  return g_test_run ();
}
