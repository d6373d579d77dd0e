/* test-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-auth"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-schema.h"
#include "dossier-store.h"
#include "dossier-test-util.h"
#include "dossier-validate.h"

/* Users, roles, sessions: passwords never stored in clear, wrong and inactive
 * accounts refused, failures slowed down (on a fake clock, nothing sleeps) and
 * recorded, the idle lock, and the role matrix enforced by the store itself. */

#define ADMIN_PASSWORD "admin-secret-1"
#define ENGINEER_PASSWORD "engineer-secret-2"
#define QA_PASSWORD "qa-secret-3"
#define REGULATORY_PASSWORD "regulatory-secret-4"
#define CLEAR_PASSWORD "Correct-Horse-Battery-77"

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
  DtRows        rows;
  gint64        now;    /* the fake clock, µs since the epoch */
  gint64        admin;
  gint64        engineer;
  gint64        qa;
  gint64        regulatory;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *)data)->now;
}

static void
advance (Fixture *f,
         gint64   seconds)
{
  f->now += seconds * G_USEC_PER_SEC;
}

static void
sign_in (Fixture    *f,
         const char *login,
         const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_store_sign_in (f->store, login, password, &error));
  g_assert_no_error (error);
}

/* A database with a record of every kind (written before any account existed) and
 * one account per role. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "auth.db", NULL);
  f->store = dt_open (f->path);
  f->now = g_get_real_time ();
  dossier_auth_set_clock (f->store, fake_clock, f);
  dt_populate (f->store, &f->rows);

  f->admin = dossier_auth_create_user (f->store, "admin", "Ada Admin", DOSSIER_ROLE_ADMINISTRATOR,
                                       ADMIN_PASSWORD, &error);
  g_assert_no_error (error);
  sign_in (f, "admin", ADMIN_PASSWORD);
  f->engineer = dossier_auth_create_user (f->store, "eng", "Erin Engineer", DOSSIER_ROLE_ENGINEER,
                                          ENGINEER_PASSWORD, &error);
  g_assert_no_error (error);
  f->qa = dossier_auth_create_user (f->store, "qa", "Quinn Reviewer", DOSSIER_ROLE_QA_REVIEWER,
                                    QA_PASSWORD, &error);
  g_assert_no_error (error);
  f->regulatory = dossier_auth_create_user (f->store, "reg", "Rita Regulatory", DOSSIER_ROLE_REGULATORY,
                                            REGULATORY_PASSWORD, &error);
  g_assert_no_error (error);
  dossier_store_sign_out (f->store);
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

static gint64
count_attempts (Fixture    *f,
                const char *login,
                const char *outcome)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM login_attempt WHERE login = '%s' AND outcome = '%s'",
                                          login, outcome);

  return dt_query_int (f->store, sql);
}

/* Bootstrap --------------------------------------------------------------------- */

static void
test_bootstrap (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  g_autoptr(DossierStore) store = dt_open (path);
  g_autoptr(GError) error = NULL;
  DtRows rows;
  gint64 id;

  /* Without accounts everything is as before: written as the operating-system user. */
  g_assert_false (dossier_auth_has_accounts (store));
  dt_populate (store, &rows);
  g_assert_cmpstr (dossier_store_get_actor (store), ==, g_get_user_name ());
  g_assert_null (dossier_store_get_user (store));

  g_assert_false (dossier_store_sign_in (store, "admin", ADMIN_PASSWORD, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);

  /* Signatures and sign-in records are never written through the generic writes. */
  g_assert_cmpint (dossier_store_insert (store, "login_attempt", (DossierField[]) { { NULL } }, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The first account is an administrator. */
  g_assert_cmpint (dossier_auth_create_user (store, "eng", "Erin", DOSSIER_ROLE_ENGINEER,
                                             ENGINEER_PASSWORD, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dossier_auth_has_accounts (store));

  id = dossier_auth_create_user (store, "admin", "Ada", DOSSIER_ROLE_ADMINISTRATOR, ADMIN_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (dossier_auth_has_accounts (store));

  /* From now on writes need someone signed in. */
  g_assert_false (dossier_store_update (store, "patient", rows.patient,
                                        (DossierField[]) { { "birth_year", "1970" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (dossier_auth_create_user (store, "eng", "Erin", DOSSIER_ROLE_ENGINEER,
                                             ENGINEER_PASSWORD, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);

  g_assert_true (dossier_store_sign_in (store, "admin", ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_store_get_actor (store), ==, "admin");
  g_assert_cmpint (dossier_auth_create_user (store, "eng", "Erin", DOSSIER_ROLE_ENGINEER,
                                             ENGINEER_PASSWORD, &error), >, 0);
  g_assert_no_error (error);

  /* Logins are plain and unique. */
  g_assert_cmpint (dossier_auth_create_user (store, "eng", "Other", DOSSIER_ROLE_ENGINEER,
                                             ENGINEER_PASSWORD, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (dossier_auth_create_user (store, "Eng Two", "Other", DOSSIER_ROLE_ENGINEER,
                                             ENGINEER_PASSWORD, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (dossier_auth_create_user (store, "eng2", "Other", DOSSIER_ROLE_ENGINEER,
                                             "short", &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  dt_assert_audit_clean (store);
  g_clear_object (&store);
  dt_remove_tree (dir);
}

/* Passwords ----------------------------------------------------------------------- */

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static void
test_password_not_stored (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 id;

  sign_in (f, "admin", ADMIN_PASSWORD);
  id = dossier_auth_create_user (f->store, "carol", "Carol Clear", DOSSIER_ROLE_ENGINEER, CLEAR_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_auth_set_password (f->store, id, NULL, CLEAR_PASSWORD "!", &error));
  g_assert_no_error (error);
  /* A failed attempt leaves no trace of the password it tried. */
  dossier_store_sign_out (f->store);
  g_assert_false (dossier_store_sign_in (f->store, "carol", CLEAR_PASSWORD, &error));
  g_clear_error (&error);
  sign_in (f, "carol", CLEAR_PASSWORD "!");

  hash = dt_query_text (f->store, "SELECT password_hash FROM user_account WHERE login = 'carol'");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, CLEAR_PASSWORD));

  /* The bytes of the database, its log and the trail hold no password. */
  g_assert_false (file_contains (f->path, CLEAR_PASSWORD));
  g_assert_false (file_contains (wal, CLEAR_PASSWORD));
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM audit_log WHERE instr (coalesce (old_value, '') || "
                                           "coalesce (new_value, '') || coalesce (reason, ''), 'Correct-Horse') > 0"), ==, 0);
  g_clear_object (&f->store);
  g_assert_false (file_contains (f->path, CLEAR_PASSWORD));
  g_assert_false (file_contains (wal, CLEAR_PASSWORD));

  /* SQL itself refuses anything but an Argon2id hash, even with the trail switched
   * off. */
  g_assert_false (dt_sqlite3 (f->path, "DROP TRIGGER auditgen_user_account_update;"
                              "UPDATE user_account SET password_hash = 'plain' WHERE login = 'carol'",
                              &out, &err));
  g_assert_nonnull (strstr (err, "CHECK"));
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown_error = NULL;

  g_assert_false (dossier_store_sign_in (f->store, "eng", "not-the-password", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_assert_null (dossier_store_get_user (f->store));
  g_assert_cmpstr (dossier_store_get_actor (f->store), ==, g_get_user_name ());

  /* An unknown login reads the same as a wrong password. */
  g_assert_false (dossier_store_sign_in (f->store, "nobody", "whatever-it-is", &unknown_error));
  g_assert_error (unknown_error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (unknown_error->message, ==, error->message);

  /* Both are recorded, and the records are in the audit trail. */
  g_assert_cmpint (count_attempts (f, "eng", "wrong-password"), ==, 1);
  g_assert_cmpint (count_attempts (f, "nobody", "unknown-user"), ==, 1);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM audit_log WHERE table_name = 'login_attempt' "
                                           "AND action = 'create' AND instr (new_value, 'wrong-password') > 0"), ==, 1);

  g_clear_error (&error);
  sign_in (f, "eng", ENGINEER_PASSWORD);
  g_assert_cmpstr (dossier_store_get_user (f->store)->login, ==, "eng");
  g_assert_cmpint (count_attempts (f, "eng", "success"), ==, 1);
  dt_assert_audit_clean (f->store);
}

static void
test_inactive (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, "eng", ENGINEER_PASSWORD);
  g_assert_true (dossier_store_update (f->store, "patient", f->rows.patient,
                                       (DossierField[]) { { "birth_year", "1970" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);

  /* Deactivated by an administrator of another session… */
  {
    g_autoptr(DossierStore) other = dt_open (f->path);

    g_assert_true (dossier_store_sign_in (other, "admin", ADMIN_PASSWORD, &error));
    g_assert_no_error (error);
    g_assert_true (dossier_auth_set_active (other, f->engineer, FALSE, "left the company", &error));
    g_assert_no_error (error);
  }

  /* …the open session can no longer write, and signing in again is refused even
   * with the right password. */
  g_assert_false (dossier_store_update (f->store, "patient", f->rows.patient,
                                        (DossierField[]) { { "birth_year", "1971" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);

  dossier_store_sign_out (f->store);
  g_assert_false (dossier_store_sign_in (f->store, "eng", ENGINEER_PASSWORD, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (error->message, "deactivated"));
  g_assert_cmpint (count_attempts (f, "eng", "inactive"), ==, 1);
  g_clear_error (&error);

  /* The last administrator cannot be deactivated. */
  sign_in (f, "admin", ADMIN_PASSWORD);
  g_assert_false (dossier_auth_set_active (f->store, f->admin, FALSE, "oops", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (dossier_auth_set_roles (f->store, f->admin, DOSSIER_ROLE_ENGINEER, "oops", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (dossier_store_get_user (f->store)->roles == DOSSIER_ROLE_ADMINISTRATOR);
  dt_assert_audit_clean (f->store);
}

/* Slowing down failures -------------------------------------------------------------- */

static void
test_failure_delay (void)
{
  const DossierAuthPolicy policy = { 3, 5, 300 };
  const struct { guint failures; guint delay; } cases[] = {
    { 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, 5 }, { 4, 10 }, { 5, 20 }, { 6, 40 }, { 7, 80 },
    { 8, 160 }, { 9, 300 }, { 10, 300 }, { 40, 300 }, { G_MAXUINT, 300 },
  };
  const DossierAuthPolicy no_delay = { 3, 0, 300 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (dossier_auth_failure_delay (&policy, cases[i].failures), ==, cases[i].delay);
  g_assert_cmpuint (dossier_auth_failure_delay (&no_delay, 10), ==, 0);
}

static void
test_throttle (Fixture       *f,
               gconstpointer  data)
{
  DossierAuthPolicy policy;
  g_autoptr(GError) error = NULL;

  dossier_auth_get_policy (f->store, &policy);
  g_assert_cmpuint (policy.free_attempts, ==, 3);
  g_assert_cmpuint (policy.delay_seconds, ==, 5);
  g_assert_cmpuint (policy.max_delay_seconds, ==, 300);

  /* Three free failures… */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa"), ==, 0);
      g_assert_false (dossier_store_sign_in (f->store, "qa", "guess", &error));
      g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
      g_clear_error (&error);
      advance (f, 1);
    }

  /* …then the next attempt waits 5 s from the last failure, 4 s from now, and one
   * made earlier is refused without looking at the password, right or not. */
  g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa"), ==, 4);
  g_assert_false (dossier_store_sign_in (f->store, "qa", QA_PASSWORD, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (error->message, "Try again in 4 seconds"));
  g_clear_error (&error);
  g_assert_cmpint (count_attempts (f, "qa", "throttled"), ==, 1);
  g_assert_null (dossier_store_get_user (f->store));

  /* Another failure after the wait doubles it; a refused early attempt does not. */
  advance (f, 4);
  g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa"), ==, 0);
  g_assert_false (dossier_store_sign_in (f->store, "qa", "guess", &error));
  g_assert_nonnull (strstr (error->message, "10 seconds"));
  g_clear_error (&error);
  g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa"), ==, 10);
  g_assert_cmpint (dt_query_int (f->store, "SELECT delay_seconds FROM login_attempt WHERE login = 'qa' "
                                           "ORDER BY id DESC LIMIT 1"), ==, 10);

  /* Other logins are not held up. */
  sign_in (f, "eng", ENGINEER_PASSWORD);
  dossier_store_sign_out (f->store);

  /* After the wait the right password works, and success starts the count afresh. */
  advance (f, 10);
  sign_in (f, "qa", QA_PASSWORD);
  g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa"), ==, 0);
  dossier_store_sign_out (f->store);
  g_assert_false (dossier_store_sign_in (f->store, "qa", "guess", &error));
  g_clear_error (&error);
  g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa"), ==, 0);

  /* Every attempt is in the trail. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM login_attempt WHERE login = 'qa'"), ==, 7);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM audit_log WHERE table_name = 'login_attempt' "
                                           "AND action = 'create' AND instr (new_value, '\"login\":\"qa\"') > 0"), ==, 7);
  dt_assert_audit_clean (f->store);
}

/* The idle lock ---------------------------------------------------------------------- */

static void
test_idle_lock_due (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;

  g_assert_false (dossier_auth_idle_lock_due (0, 14 * minute, 15));
  g_assert_false (dossier_auth_idle_lock_due (0, 15 * minute - 1, 15));
  g_assert_true (dossier_auth_idle_lock_due (0, 15 * minute, 15));
  g_assert_true (dossier_auth_idle_lock_due (1000, 1000 + 61 * minute, 60));
  /* 0 minutes: never. */
  g_assert_false (dossier_auth_idle_lock_due (0, 1000 * minute, 0));
}

static void
test_idle_lock (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const DossierField birth_1970[] = { { "birth_year", "1970" }, { NULL } };
  const DossierField birth_1971[] = { { "birth_year", "1971" }, { NULL } };

  g_assert_cmpuint (dossier_auth_get_idle_lock_minutes (f->store), ==, 15);
  sign_in (f, "eng", ENGINEER_PASSWORD);

  /* Activity keeps the session open… */
  advance (f, 14 * 60);
  g_assert_false (dossier_auth_is_locked (f->store));
  g_assert_true (dossier_store_update (f->store, "patient", f->rows.patient, birth_1970, NULL, &error));
  g_assert_no_error (error);
  advance (f, 14 * 60);
  dossier_auth_note_activity (f->store);
  advance (f, 14 * 60);
  g_assert_false (dossier_auth_is_locked (f->store));

  /* …fifteen minutes without any locks it, and the store refuses to write. */
  advance (f, 60);
  g_assert_true (dossier_auth_is_locked (f->store));
  g_assert_false (dossier_store_update (f->store, "patient", f->rows.patient, birth_1971, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  /* Activity does not undo a lock; only the password does. */
  dossier_auth_note_activity (f->store);
  g_assert_true (dossier_auth_is_locked (f->store));
  g_assert_false (dossier_auth_unlock (f->store, "wrong", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);
  g_assert_true (dossier_auth_is_locked (f->store));
  g_assert_true (dossier_auth_unlock (f->store, ENGINEER_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_false (dossier_auth_is_locked (f->store));
  g_assert_true (dossier_store_update (f->store, "patient", f->rows.patient, birth_1971, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_attempts (f, "eng", "success"), ==, 2);

  /* The time is a setting; 0 never locks; a locked session can be locked by hand. */
  dossier_store_sign_out (f->store);
  sign_in (f, "admin", ADMIN_PASSWORD);
  g_assert_true (dossier_store_set_setting (f->store, "auth.idle_lock_minutes", "0", "kiosk test", &error));
  g_assert_no_error (error);
  advance (f, 24 * 3600);
  g_assert_false (dossier_auth_is_locked (f->store));
  dossier_auth_lock (f->store);
  g_assert_true (dossier_auth_is_locked (f->store));
}

/* Roles ------------------------------------------------------------------------------ */

/* What each role may do through the store's generic writes, written out here on its
 * own so that a change to the matrix in dossier-auth.c is a deliberate one.  Letters:
 * E engineer, Q QA reviewer, R regulatory, A administrator, - nobody; for insert,
 * update and delete. */
static const struct
{
  const char *table;
  const char *roles[3];
} expected_matrix[] = {
  { "setting", { "A", "A", "A" } },
  { "manufacturer", { "R", "R", "R" } },
  { "manufacturing_site", { "R", "R", "R" } },
  { "institution", { "R", "R", "R" } },
  { "clinician", { "R", "R", "R" } },
  { "patient", { "ER", "ER", "ER" } },
  { "filing", { "R", "R", "R" } },
  { "product", { "R", "R", "R" } },
  { "product_model", { "R", "R", "R" } },
  { "dossier", { "E", "E", "E" } },
  { "design_input", { "E", "E", "E" } },
  { "design_iteration", { "E", "E", "E" } },
  { "parameter_value", { "E", "E", "E" } },
  { "design_confirmation", { "E", "E", "E" } },
  { "material_lot", { "E", "E", "E" } },
  { "processing_step", { "E", "E", "E" } },
  { "step_material", { "E", "E", "E" } },
  { "inspection", { "E", "E", "E" } },
  { "release", { "-", "Q", "-" } },
  { "delivery", { "E", "E", "E" } },
  { "use_record", { "E", "E", "E" } },
  { "adverse_event", { "EQR", "EQR", "EQR" } },
  { "attachment", { "E", "E", "E" } },
  { "envelope", { "R", "R", "R" } },
  { "envelope_parameter", { "R", "R", "R" } },
  { "envelope_category", { "R", "R", "R" } },
  { "envelope_rule", { "R", "R", "R" } },
  { "check_rule", { "A", "A", "A" } },
  { "user_account", { "A", "A", "-" } },
  { "login_attempt", { "-", "-", "-" } },
  { "signature", { "-", "-", "-" } },
  { "package_import", { "-", "-", "-" } },
  { "imported_dossier", { "-", "-", "-" } },
  { "imported_history", { "-", "-", "-" } },
  { "imported_signature", { "-", "-", "-" } },
  { "annual_report_run", { "-", "-", "-" } },
};

static DossierRoles
roles_of_letters (const char *letters)
{
  DossierRoles roles = DOSSIER_ROLE_NONE;

  for (const char *p = letters; *p; p++)
    switch (*p)
      {
      case 'E': roles |= DOSSIER_ROLE_ENGINEER; break;
      case 'Q': roles |= DOSSIER_ROLE_QA_REVIEWER; break;
      case 'R': roles |= DOSSIER_ROLE_REGULATORY; break;
      case 'A': roles |= DOSSIER_ROLE_ADMINISTRATOR; break;
      case '-': break;
      default: g_assert_not_reached ();
      }

  return roles;
}

static void
test_role_matrix (Fixture       *f,
                  gconstpointer  data)
{
  const struct { const char *login; const char *password; DossierRoles role; } users[] = {
    { "eng", ENGINEER_PASSWORD, DOSSIER_ROLE_ENGINEER },
    { "qa", QA_PASSWORD, DOSSIER_ROLE_QA_REVIEWER },
    { "reg", REGULATORY_PASSWORD, DOSSIER_ROLE_REGULATORY },
    { "admin", ADMIN_PASSWORD, DOSSIER_ROLE_ADMINISTRATOR },
  };
  const DossierTable *tables;
  guint n_tables = 0;
  guint n_checked = 0;

  /* Every table the store knows is in the expected matrix, and the other way round. */
  tables = dossier_schema_tables (&n_tables);
  for (guint t = 0; t < n_tables; t++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (expected_matrix); i++)
        found |= g_str_equal (expected_matrix[i].table, tables[t].name);
      if (!found)
        g_error ("table %s has no line in the expected role matrix", tables[t].name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (expected_matrix); i++)
    g_assert_nonnull (dossier_schema_lookup_table (expected_matrix[i].table));

  /* The matrix, and the store's own check for each role signed in. */
  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      sign_in (f, users[u].login, users[u].password);

      for (guint i = 0; i < G_N_ELEMENTS (expected_matrix); i++)
        for (DossierAuthOperation op = DOSSIER_AUTH_INSERT; op <= DOSSIER_AUTH_DELETE; op++)
          {
            DossierRoles expected = roles_of_letters (expected_matrix[i].roles[op]);
            g_autoptr(GError) error = NULL;
            gboolean allowed;

            g_assert_cmpint (dossier_auth_required_roles (expected_matrix[i].table, op), ==, expected);

            allowed = dossier_auth_check_permission (f->store, expected_matrix[i].table, op, &error);
            if (allowed != ((expected & users[u].role) != 0))
              g_error ("%s, table %s, operation %d: %s", users[u].login, expected_matrix[i].table, op,
                       allowed ? "allowed" : error->message);
            if (!allowed)
              g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
            n_checked++;
          }

      dossier_store_sign_out (f->store);
    }

  g_assert_cmpuint (n_checked, ==, G_N_ELEMENTS (users) * G_N_ELEMENTS (expected_matrix) * 3);
}

/* Real writes, one per kind of record, tried by every role: the store refuses, not
 * only the user interface. */
static void
test_role_writes (Fixture       *f,
                  gconstpointer  data)
{
  const char *logins[] = { "eng", "qa", "reg", "admin" };
  const char *passwords[] = { ENGINEER_PASSWORD, QA_PASSWORD, REGULATORY_PASSWORD, ADMIN_PASSWORD };
  char buf[4][32];

#define ID(i, v) (g_snprintf (buf[i], sizeof buf[i], "%" G_GINT64_FORMAT, (v)), buf[i])

  for (guint u = 0; u < G_N_ELEMENTS (logins); u++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInputStream) content = g_memory_input_stream_new_from_data ("scan", 4, NULL);
      g_autofree char *site_name = g_strdup_printf ("Site of %s", logins[u]);
      g_autofree char *lot_no = g_strdup_printf ("L-%s", logins[u]);
      g_autofree char *login = g_strdup_printf ("new-%s", logins[u]);
      gboolean engineer = u == 0, regulatory = u == 2, admin = u == 3;
      gboolean ok;

      sign_in (f, logins[u], passwords[u]);

      /* An engineer edits a dossier. */
      ok = dossier_store_update (f->store, "dossier", f->rows.matched,
                                 (DossierField[]) { { "notes", logins[u] }, { NULL } }, NULL, &error);
      g_assert_true (ok == engineer);
      if (!ok)
        {
          g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
          /* The message names the role that is needed. */
          g_assert_nonnull (strstr (error->message, "Design engineer"));
        }
      g_clear_error (&error);

      ok = dossier_store_insert (f->store, "material_lot", (DossierField[]) {
        { "material", "PEEK" }, { "lot_no", lot_no }, { NULL } }, &error) > 0;
      g_assert_true (ok == engineer);
      g_clear_error (&error);

      ok = dossier_store_add_attachment (f->store, f->rows.matched, "design", "scan.pdf", NULL,
                                         content, NULL, &error) > 0;
      g_assert_true (ok == engineer);
      g_clear_error (&error);

      ok = dossier_store_delete (f->store, "adverse_event", f->rows.adverse_event, "test", &error);
      g_assert_true (ok == !admin);
      if (ok)
        {
          /* Put it back for the next role. */
          g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM adverse_event"), ==, 0);
          f->rows.adverse_event = dossier_store_insert (f->store, "adverse_event", (DossierField[]) {
            { "dossier_id", ID (0, f->rows.customized) }, { "occurred_on", "2026-02-10" },
            { "severity", "other" }, { "description", "Again" }, { NULL } }, &error);
          g_assert_no_error (error);
        }
      g_clear_error (&error);

      /* Regulatory staff keep the reference data and filings. */
      ok = dossier_store_insert (f->store, "manufacturing_site", (DossierField[]) {
        { "name", site_name }, { NULL } }, &error) > 0;
      g_assert_true (ok == regulatory);
      if (!ok)
        g_assert_nonnull (strstr (error->message, "Regulatory affairs"));
      g_clear_error (&error);

      ok = dossier_store_update (f->store, "filing", f->rows.filing,
                                 (DossierField[]) { { "intended_use", logins[u] }, { NULL } }, "test", &error);
      g_assert_true (ok == regulatory);
      g_clear_error (&error);

      /* Administrators keep the accounts and the settings. */
      ok = dossier_store_set_setting (f->store, "retention.default_years", u == 3 ? "11" : "12", "test", &error);
      g_assert_true (ok == admin);
      g_clear_error (&error);

      ok = dossier_auth_create_user (f->store, login, "New", DOSSIER_ROLE_ENGINEER, ENGINEER_PASSWORD, &error) > 0;
      g_assert_true (ok == admin);
      if (!ok)
        g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);

      /* Nobody enters a release or a signature by hand. */
      g_assert_cmpint (dossier_store_insert (f->store, "release", (DossierField[]) {
        { "dossier_id", ID (1, f->rows.matched) }, { "released_by", "x" },
        { "released_at", "2026-01-28T10:00:00+08:00" }, { NULL } }, &error), ==, 0);
      g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);

      /* Nor approves or releases by setting the status. */
      if (engineer)
        {
          g_assert_false (dossier_store_update (f->store, "dossier", f->rows.matched,
                                                (DossierField[]) { { "status", "released" }, { NULL } }, NULL, &error));
          g_assert_nonnull (error);
          g_clear_error (&error);
          g_assert_false (dossier_store_update (f->store, "dossier", f->rows.matched,
                                                (DossierField[]) { { "status", "processing" }, { NULL } }, NULL, &error));
          g_assert_nonnull (error);
          g_clear_error (&error);
        }

      dossier_store_sign_out (f->store);
    }

  /* What was written carries the login of who wrote it. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM audit_log WHERE table_name = 'material_lot' "
                                           "AND action = 'create' AND actor = 'eng'"), ==, 1);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM audit_log WHERE table_name = 'manufacturing_site' "
                                           "AND action = 'create' AND actor = 'reg'"), ==, 1);
  dt_assert_audit_clean (f->store);
#undef ID
}

static void
test_actor (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, "eng", ENGINEER_PASSWORD);
  g_assert_cmpstr (dossier_store_get_actor (f->store), ==, "eng");

  /* Nobody acts under another name while signed in. */
  dossier_store_set_actor (f->store, "qa");
  g_assert_false (dossier_store_update (f->store, "patient", f->rows.patient,
                                        (DossierField[]) { { "birth_year", "1970" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  dossier_store_set_actor (f->store, "eng");

  /* Signed out, the store is read-only again. */
  dossier_store_sign_out (f->store);
  g_assert_cmpstr (dossier_store_get_actor (f->store), ==, g_get_user_name ());
  g_assert_false (dossier_store_update (f->store, "patient", f->rows.patient,
                                        (DossierField[]) { { "birth_year", "1970" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
}

static void
test_passwords_change (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Users change their own with the old one… */
  sign_in (f, "eng", ENGINEER_PASSWORD);
  g_assert_false (dossier_auth_set_password (f->store, f->engineer, "wrong-old", "new-engineer-pass", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);
  g_assert_true (dossier_auth_set_password (f->store, f->engineer, ENGINEER_PASSWORD, "new-engineer-pass", &error));
  g_assert_no_error (error);
  /* …but not other people's. */
  g_assert_false (dossier_auth_set_password (f->store, f->qa, NULL, "new-qa-password", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  dossier_store_sign_out (f->store);

  g_assert_false (dossier_store_sign_in (f->store, "eng", ENGINEER_PASSWORD, &error));
  g_clear_error (&error);
  sign_in (f, "eng", "new-engineer-pass");
  dossier_store_sign_out (f->store);

  /* An administrator resets anyone's. */
  sign_in (f, "admin", ADMIN_PASSWORD);
  g_assert_true (dossier_auth_set_password (f->store, f->qa, NULL, "reset-by-admin", &error));
  g_assert_no_error (error);
  dossier_store_sign_out (f->store);
  sign_in (f, "qa", "reset-by-admin");
  dt_assert_audit_clean (f->store);
}

static void
test_demo_users (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(DossierStore) store = dt_open (path);
  g_autoptr(GError) error = NULL;
  const DossierDemoUser *users;
  guint n_users = 0;
  DossierRoles all = DOSSIER_ROLE_NONE;

  users = dossier_auth_get_demo_users (&n_users);
  g_assert_cmpuint (n_users, >=, 4);
  g_assert_true (dossier_auth_seed_demo_users (store, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < n_users; i++)
    {
      g_assert_true (dossier_store_sign_in (store, users[i].login, users[i].password, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dossier_store_get_user (store)->roles, ==, users[i].roles);
      all |= users[i].roles;
      dossier_store_sign_out (store);
    }
  /* Every role has someone to try it with. */
  g_assert_cmpint (all, ==, DOSSIER_ROLES_ALL);

  g_assert_false (dossier_auth_seed_demo_users (store, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  dt_assert_audit_clean (store);
  g_clear_object (&store);
  dt_remove_tree (dir);
}

static void
test_roles_text (void)
{
  DossierRoles roles = DOSSIER_ROLE_NONE;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (dossier_roles_parse (" qa-reviewer, engineer ", &roles, &error));
  g_assert_no_error (error);
  g_assert_cmpint (roles, ==, DOSSIER_ROLE_ENGINEER | DOSSIER_ROLE_QA_REVIEWER);
  text = dossier_roles_to_string (roles);
  g_assert_cmpstr (text, ==, "engineer,qa-reviewer");
  g_assert_false (dossier_roles_parse ("engineer,boss", &roles, &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_false (dossier_roles_parse ("", &roles, &error));
  g_clear_error (&error);

  g_assert_true (dossier_auth_validate_login ("zhang.wei", NULL));
  g_assert_true (dossier_auth_validate_login ("qa-2", NULL));
  g_assert_false (dossier_auth_validate_login ("Zhang", NULL));
  g_assert_false (dossier_auth_validate_login ("1abc", NULL));
  g_assert_false (dossier_auth_validate_login ("张伟", NULL));
  g_assert_false (dossier_auth_validate_login ("a b", NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* Hashing at the production cost takes a tenth of a second per password; these
   * tests hash dozens. */
  _dossier_auth_set_hash_limits_for_testing (1, 8192);

  g_test_add_func ("/auth/roles-text", test_roles_text);
  g_test_add_func ("/auth/bootstrap", test_bootstrap);
  g_test_add ("/auth/password-not-stored", Fixture, NULL, fixture_set_up, test_password_not_stored, fixture_tear_down);
  g_test_add ("/auth/wrong-password", Fixture, NULL, fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/auth/inactive", Fixture, NULL, fixture_set_up, test_inactive, fixture_tear_down);
  g_test_add_func ("/auth/failure-delay", test_failure_delay);
  g_test_add ("/auth/throttle", Fixture, NULL, fixture_set_up, test_throttle, fixture_tear_down);
  g_test_add_func ("/auth/idle-lock-due", test_idle_lock_due);
  g_test_add ("/auth/idle-lock", Fixture, NULL, fixture_set_up, test_idle_lock, fixture_tear_down);
  g_test_add ("/auth/role-matrix", Fixture, NULL, fixture_set_up, test_role_matrix, fixture_tear_down);
  g_test_add ("/auth/role-writes", Fixture, NULL, fixture_set_up, test_role_writes, fixture_tear_down);
  g_test_add ("/auth/actor", Fixture, NULL, fixture_set_up, test_actor, fixture_tear_down);
  g_test_add ("/auth/password-change", Fixture, NULL, fixture_set_up, test_passwords_change, fixture_tear_down);
  g_test_add_func ("/auth/demo-users", test_demo_users);

  return g_test_run ();
}
