/* test-sibling.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sibling"

#include "config.h"

#include "dossier-auth-private.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* dossier_store_open_sibling(): a second connection to the same file for work in
 * another thread, acting as the same signed-in user. */

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
  DtRows        rows;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "sibling.db", NULL);
  f->store = dt_open (f->path);
  dt_populate (f->store, &f->rows);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
create_account (DossierStore *store,
                const char   *login,
                DossierRoles  roles)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);

  g_assert_cmpint (dossier_auth_create_user (store, login, login, roles, password, &error), >, 0);
  g_assert_no_error (error);
}

static void
sign_in (DossierStore *store,
         const char   *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);

  g_assert_true (dossier_store_sign_in (store, login, password, &error));
  g_assert_no_error (error);
}

static gint64
insert_patient (DossierStore  *store,
                const char    *code,
                GError       **error)
{
  return dossier_store_insert (store, "patient", (DossierField[]) {
    { "code", code }, { "sex", "female" }, { "birth_year", "1970" }, { NULL } }, error);
}

/* Without accounts: the same file, the same actor, no user. */
static void
test_no_accounts (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) sibling = NULL;
  gint64 id;

  dossier_store_set_actor (f->store, "tester");
  sibling = dossier_store_open_sibling (f->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sibling);
  g_assert_true (sibling != f->store);
  g_assert_cmpstr (dossier_store_get_path (sibling), ==, f->path);
  g_assert_cmpstr (dossier_store_get_actor (sibling), ==, "tester");
  g_assert_null (dossier_store_get_user (sibling));
  g_assert_cmpint (dossier_store_count (sibling, "dossier"), ==, dossier_store_count (f->store, "dossier"));

  /* What one commits, the other reads. */
  id = insert_patient (sibling, "P-SIB-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dossier_store_lookup_id (f->store, "patient", "code", "P-SIB-0001", NULL), ==, id);
  dt_assert_audit_clean (f->store);
}

/* The signed-in user comes along, without a password, and acts as themself. */
static void
test_session (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) sibling = NULL;
  g_autofree char *sql = NULL;
  const DossierUser *user;
  gint64 id;

  create_account (f->store, "admin", DOSSIER_ROLE_ADMINISTRATOR);
  sign_in (f->store, "admin");
  create_account (f->store, "reg", DOSSIER_ROLE_REGULATORY);
  create_account (f->store, "eng", DOSSIER_ROLE_ENGINEER);
  dossier_store_sign_out (f->store);
  sign_in (f->store, "reg");

  sibling = dossier_store_open_sibling (f->store, &error);
  g_assert_no_error (error);
  user = dossier_store_get_user (sibling);
  g_assert_nonnull (user);
  g_assert_true (user != dossier_store_get_user (f->store));
  g_assert_cmpstr (user->login, ==, "reg");
  g_assert_true (user->roles == DOSSIER_ROLE_REGULATORY);
  g_assert_cmpstr (dossier_store_get_actor (sibling), ==, "reg");
  g_assert_false (dossier_auth_is_locked (sibling));

  /* Its writes are the user's, with the user's permissions… */
  id = insert_patient (sibling, "P-SIB-0002", &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count (*) FROM audit_log WHERE table_name = 'patient' AND row_id = %"
                         G_GINT64_FORMAT " AND actor = 'reg'", id);
  g_assert_cmpint (dt_query_int (f->store, sql), >, 0);
  g_assert_false (dossier_auth_check_permission (sibling, "user_account", DOSSIER_AUTH_INSERT, NULL));

  /* …and no more was recorded than a sign-in: the password was not asked again. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM login_attempt WHERE login = 'reg'"), ==, 1);

  /* The two sessions are separate from now on. */
  dossier_store_sign_out (f->store);
  g_assert_null (dossier_store_get_user (f->store));
  g_assert_nonnull (dossier_store_get_user (sibling));
  g_assert_cmpint (insert_patient (f->store, "P-SIB-0003", &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (insert_patient (sibling, "P-SIB-0004", &error), >, 0);
  g_assert_no_error (error);

  dt_assert_audit_clean (f->store);
}

/* A locked session stays locked in the sibling; nobody signed in stays nobody. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) nobody = NULL;
  g_autoptr(DossierStore) locked = NULL;

  create_account (f->store, "admin", DOSSIER_ROLE_ADMINISTRATOR);
  dossier_store_sign_out (f->store);

  nobody = dossier_store_open_sibling (f->store, &error);
  g_assert_no_error (error);
  g_assert_null (dossier_store_get_user (nobody));
  g_assert_cmpint (insert_patient (nobody, "P-SIB-0005", &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);

  sign_in (f->store, "admin");
  dossier_auth_lock (f->store);
  locked = dossier_store_open_sibling (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_auth_is_locked (locked));
  g_assert_cmpint (insert_patient (locked, "P-SIB-0006", &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
}

static void
test_in_transaction (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) sibling = NULL;

  g_assert_true (dossier_store_begin (f->store, &error));
  sibling = dossier_store_open_sibling (f->store, &error);
  g_assert_null (sibling);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED);
  dossier_store_rollback (f->store);
}

/* What it is for: reading in a worker thread while the first connection writes. */
static gpointer
count_in_thread (gpointer data)
{
  DossierStore *sibling = data;
  gint64 n = dossier_store_count (sibling, "patient");

  g_object_unref (sibling);
  return GINT_TO_POINTER ((int)n);
}

static void
test_thread (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierStore *sibling;
  GThread *thread;
  gint64 before = dossier_store_count (f->store, "patient");

  sibling = dossier_store_open_sibling (f->store, &error);
  g_assert_no_error (error);

  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "P-SIB-0007", &error);
  g_assert_no_error (error);

  /* WAL: the reader goes on during the write and sees what was committed. */
  thread = g_thread_new ("sibling", count_in_thread, sibling);
  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (thread)), ==, before);

  g_assert_true (dossier_store_commit (f->store, &error));
  g_assert_cmpint (dossier_store_count (f->store, "patient"), ==, before + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Accounts are made here by the dozen; the interactive hash cost is for people. */
  _dossier_auth_set_hash_limits_for_testing (0, 0);

  g_test_add ("/sibling/no-accounts", Fixture, NULL, fixture_set_up, test_no_accounts, fixture_tear_down);
  g_test_add ("/sibling/session", Fixture, NULL, fixture_set_up, test_session, fixture_tear_down);
  g_test_add ("/sibling/locked", Fixture, NULL, fixture_set_up, test_locked, fixture_tear_down);
  g_test_add ("/sibling/in-transaction", Fixture, NULL, fixture_set_up, test_in_transaction, fixture_tear_down);
  g_test_add ("/sibling/thread", Fixture, NULL, fixture_set_up, test_thread, fixture_tear_down);

  return g_test_run ();
}
