/* dossier-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-auth"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"
#include "dossier-validate.h"

/* Users, roles, sessions and the permission check of the store's writes.
 *
 * The session (who is signed in, when they were last active, whether the session is
 * locked) belongs to one DossierStore, that is one connection: it is kept as object
 * data on the store so that the store itself needs no knowledge of accounts beyond
 * the two hook calls in its generic writes. */

#define STATE_KEY "dossier-auth-state"

/* Longer passwords are refused: Argon2 takes any length, but nobody types more and a
 * megabyte "password" would only be a way to make the application work hard. */
#define MAX_PASSWORD_BYTES 1024
#define MAX_LOGIN_CHARS 64
/* A login as typed into a sign-in field is recorded with the attempt; garbage is cut
 * to this many characters. */
#define MAX_RECORDED_LOGIN_CHARS 100
/* Consecutive failures are counted over at most this many recent attempts. */
#define MAX_COUNTED_ATTEMPTS 100

static guint64 hash_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static gsize hash_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

typedef struct
{
  DossierUser          *user;           /* signed in, or NULL */
  gboolean              locked;
  gint64                last_activity;  /* µs since the epoch */
  DossierAuthClockFunc  clock;
  gpointer              clock_data;
  guint                 privileged;
} AuthState;

static void
auth_state_free (gpointer data)
{
  AuthState *state = data;

  g_clear_pointer (&state->user, dossier_user_free);
  g_free (state);
}

static AuthState *
get_state (DossierStore *store)
{
  AuthState *state = g_object_get_data (G_OBJECT (store), STATE_KEY);

  if (state == NULL)
    {
      state = g_new0 (AuthState, 1);
      g_object_set_data_full (G_OBJECT (store), STATE_KEY, state, auth_state_free);
    }

  return state;
}

static void
ensure_sodium (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialized, 1);
    }
}

void
_dossier_auth_set_hash_limits_for_testing (guint64 opslimit,
                                           gsize   memlimit)
{
  hash_opslimit = MAX (opslimit, crypto_pwhash_OPSLIMIT_MIN);
  hash_memlimit = MAX (memlimit, crypto_pwhash_MEMLIMIT_MIN);
}

/* Time -------------------------------------------------------------------------- */

gint64
_dossier_auth_now (DossierStore *store)
{
  AuthState *state = get_state (store);

  if (state->clock != NULL)
    return state->clock (state->clock_data);

  return g_get_real_time ();
}

void
dossier_auth_set_clock (DossierStore         *store,
                        DossierAuthClockFunc  func,
                        gpointer              user_data)
{
  AuthState *state;

  g_return_if_fail (DOSSIER_IS_STORE (store));

  state = get_state (store);
  state->clock = func;
  state->clock_data = user_data;
}

char *
_dossier_auth_format_time (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = g_date_time_add (seconds, usec % G_USEC_PER_SEC);

  return g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%f%:z");
}

static gboolean
parse_time (const char *text,
            gint64     *usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || !(dt = g_date_time_new_from_iso8601 (text, NULL)))
    return FALSE;

  *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* Roles ------------------------------------------------------------------------- */

static const struct
{
  DossierRoles  role;
  const char   *key;
  const char   *label;
} role_info[] = {
  { DOSSIER_ROLE_ENGINEER, "engineer", N_("Design engineer") },
  { DOSSIER_ROLE_QA_REVIEWER, "qa-reviewer", N_("QA reviewer") },
  { DOSSIER_ROLE_REGULATORY, "regulatory", N_("Regulatory affairs") },
  { DOSSIER_ROLE_ADMINISTRATOR, "administrator", N_("Administrator") },
};

const char *
dossier_role_to_string (DossierRoles role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_info); i++)
    if (role_info[i].role == role)
      return role_info[i].key;

  g_return_val_if_reached (NULL);
}

const char *
dossier_role_get_label (DossierRoles role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_info); i++)
    if (role_info[i].role == role)
      return _(role_info[i].label);

  g_return_val_if_reached (NULL);
}

const char *
dossier_role_get_label_en (DossierRoles role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_info); i++)
    if (role_info[i].role == role)
      return role_info[i].label;

  g_return_val_if_reached (NULL);
}

gboolean
dossier_role_from_string (const char   *text,
                          DossierRoles *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_info); i++)
    if (g_str_equal (role_info[i].key, text))
      {
        *role = role_info[i].role;
        return TRUE;
      }

  return FALSE;
}

static char *
known_roles (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_info); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", role_info[i].key);

  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
dossier_roles_parse (const char    *text,
                     DossierRoles  *roles,
                     GError       **error)
{
  g_auto(GStrv) parts = NULL;
  DossierRoles result = DOSSIER_ROLE_NONE;

  g_return_val_if_fail (roles != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_EMPTY,
                           _("give at least one role"));
      return FALSE;
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      DossierRoles role;

      g_strstrip (parts[i]);
      if (!dossier_role_from_string (parts[i], &role))
        {
          g_autofree char *known = known_roles ();
          g_autofree char *valid = g_utf8_make_valid (parts[i], -1);

          g_set_error (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                       _("“%s” is not a role; the roles are: %s"), valid, known);
          return FALSE;
        }
      result |= role;
    }

  *roles = result;
  return TRUE;
}

char *
dossier_roles_to_string (DossierRoles roles)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_info); i++)
    if (roles & role_info[i].role)
      g_string_append_printf (s, "%s%s", s->len ? "," : "", role_info[i].key);

  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
dossier_roles_get_label (DossierRoles roles)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_info); i++)
    if (roles & role_info[i].role)
      /* Translators: the separator between role names in a list. */
      g_string_append_printf (s, "%s%s", s->len ? _(", ") : "", _(role_info[i].label));

  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
dossier_auth_validate_login (const char  *value,
                             GError     **error)
{
  gsize len = value != NULL ? strlen (value) : 0;

  if (len == 0)
    {
      g_set_error_literal (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_EMPTY,
                           _("is required"));
      return FALSE;
    }
  if (len > MAX_LOGIN_CHARS)
    {
      g_set_error (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_TOO_LONG,
                   _("use at most %d characters"), MAX_LOGIN_CHARS);
      return FALSE;
    }

  /* Logins are compared byte for byte; allowing only these characters keeps two
   * logins that look alike from being different accounts. */
  for (gsize i = 0; i < len; i++)
    {
      char c = value[i];

      if (!(g_ascii_islower (c) || (i > 0 && (g_ascii_isdigit (c) || c == '.' || c == '_' || c == '-'))))
        {
          g_set_error_literal (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_FORMAT,
                               _("use lower-case letters a–z, digits, “.”, “_” and “-”, starting with a letter"));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
dossier_auth_validate_roles (const char  *value,
                             GError     **error)
{
  DossierRoles roles;

  return dossier_roles_parse (value, &roles, error);
}

/* Users ------------------------------------------------------------------------- */

void
dossier_user_free (DossierUser *user)
{
  if (user == NULL)
    return;

  g_free (user->login);
  g_free (user->full_name);
  g_free (user->created_at);
  g_free (user->password_changed_at);
  g_free (user);
}

DossierUser *
dossier_user_copy (const DossierUser *user)
{
  DossierUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = g_new0 (DossierUser, 1);
  copy->id = user->id;
  copy->login = g_strdup (user->login);
  copy->full_name = g_strdup (user->full_name);
  copy->roles = user->roles;
  copy->active = user->active;
  copy->created_at = g_strdup (user->created_at);
  copy->password_changed_at = g_strdup (user->password_changed_at);

  return copy;
}

#define USER_COLUMNS "id, login, full_name, roles, active, created_at, password_changed_at, password_hash"

static DossierUser *
user_from_statement (sqlite3_stmt  *stmt,
                     char         **password_hash)
{
  DossierUser *user = g_new0 (DossierUser, 1);
  DossierRoles roles = DOSSIER_ROLE_NONE;

  user->id = sqlite3_column_int64 (stmt, 0);
  user->login = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  user->full_name = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  /* Roles changed outside Dossier into something unknown give no rights. */
  if (!dossier_roles_parse ((const char *)sqlite3_column_text (stmt, 3), &roles, NULL))
    roles = DOSSIER_ROLE_NONE;
  user->roles = roles;
  user->active = sqlite3_column_int (stmt, 4) != 0;
  user->created_at = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
  user->password_changed_at = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
  if (password_hash != NULL)
    *password_hash = g_strdup ((const char *)sqlite3_column_text (stmt, 7));

  return user;
}

/* The account with that login or id (login NULL), with its hash when asked for.
 * Returns FALSE only on a database error; *user is NULL when there is none. */
static gboolean
read_user (DossierStore  *store,
           const char    *login,
           gint64         id,
           DossierUser  **user,
           char         **password_hash,
           GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *user = NULL;
  stmt = _dossier_store_prepare (store,
                                 login != NULL
                                 ? "SELECT " USER_COLUMNS " FROM user_account WHERE login = ?1"
                                 : "SELECT " USER_COLUMNS " FROM user_account WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  if (login != NULL)
    sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *user = user_from_statement (stmt, password_hash);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the user accounts"));

  return TRUE;
}

GPtrArray *
dossier_auth_list_users (DossierStore  *store,
                         GError       **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_user_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  if (!(stmt = _dossier_store_prepare (store, "SELECT " USER_COLUMNS " FROM user_account ORDER BY login", error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_statement (stmt, NULL));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the user accounts"));
      return NULL;
    }

  return g_steal_pointer (&users);
}

DossierUser *
dossier_auth_lookup_user (DossierStore  *store,
                          const char    *login,
                          GError       **error)
{
  DossierUser *user = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  if (!read_user (store, login, 0, &user, NULL, error))
    return NULL;

  if (user == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (login, -1);
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("There is no user account “%s”."), valid);
    }

  return user;
}

gboolean
dossier_auth_has_accounts (DossierStore *store)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  /* Before schema 3 there is no account table, hence no accounts. */
  if (dossier_store_get_schema_version (store) < 3)
    return FALSE;

  /* When in doubt, accounts exist: that is the side that asks for more.  Only active
   * accounts count: the inactive accounts an import creates for signers from another
   * database (dossier-import.c) must not lock a database nobody can sign in to yet. */
  if (!(stmt = _dossier_store_prepare (store, "SELECT 1 FROM user_account WHERE active = 1 LIMIT 1", NULL)))
    return TRUE;
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

/* Permissions ------------------------------------------------------------------- */

#define E DOSSIER_ROLE_ENGINEER
#define Q DOSSIER_ROLE_QA_REVIEWER
#define R DOSSIER_ROLE_REGULATORY
#define A DOSSIER_ROLE_ADMINISTRATOR

/* Who may do what through the generic writes: insert, update, delete.  Tables not
 * listed are written by nobody.  Engineers keep the dossiers; QA reviewers sign (the
 * signature module writes for them) and may annotate the release record; regulatory
 * staff keep the reference data, filings, registered products and their size ranges;
 * administrators keep the accounts, the settings and the rule catalogue. */
static const struct
{
  const char   *table;
  DossierRoles  roles[3];
} permissions[] = {
  { "setting", { A, A, A } },
  { "check_rule", { A, A, A } },
  { "user_account", { A, A, 0 } },
  { "manufacturer", { R, R, R } },
  { "manufacturing_site", { R, R, R } },
  { "institution", { R, R, R } },
  { "clinician", { R, R, R } },
  { "patient", { E | R, E | R, E | R } },
  { "filing", { R, R, R } },
  { "product", { R, R, R } },
  { "product_model", { R, R, R } },
  { "envelope", { R, R, R } },
  { "envelope_parameter", { R, R, R } },
  { "envelope_category", { R, R, R } },
  { "envelope_rule", { R, R, R } },
  { "dossier", { E, E, E } },
  { "design_input", { E, E, E } },
  { "design_iteration", { E, E, E } },
  { "parameter_value", { E, E, E } },
  { "design_confirmation", { E, E, E } },
  { "material_lot", { E, E, E } },
  { "processing_step", { E, E, E } },
  { "step_material", { E, E, E } },
  { "inspection", { E, E, E } },
  { "attachment", { E, E, E } },
  { "release", { 0, Q, 0 } },
  { "delivery", { E, E, E } },
  { "use_record", { E, E, E } },
  { "adverse_event", { E | Q | R, E | Q | R, E | Q | R } },
};

#undef E
#undef Q
#undef R
#undef A

/* Rows only Dossier's own modules write, even on a database without accounts: a
 * signature, a sign-in record, an import record or imported history, or the record of
 * a generated annual report made through the generic writes would be a forgery. */
static const char * const module_tables[] = {
  "signature", "login_attempt", "package_import", "imported_dossier", "imported_history",
  "imported_signature", "annual_report_run", NULL
};

DossierRoles
dossier_auth_required_roles (const char           *table,
                             DossierAuthOperation  op)
{
  g_return_val_if_fail (table != NULL, DOSSIER_ROLE_NONE);
  g_return_val_if_fail (op <= DOSSIER_AUTH_DELETE, DOSSIER_ROLE_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (permissions); i++)
    if (g_str_equal (permissions[i].table, table))
      return permissions[i].roles[op];

  return DOSSIER_ROLE_NONE;
}

static const char *
operation_verb (DossierAuthOperation op)
{
  switch (op)
    {
    case DOSSIER_AUTH_INSERT:
      return _("Adding");
    case DOSSIER_AUTH_UPDATE:
      return _("Changing");
    case DOSSIER_AUTH_DELETE:
    default:
      return _("Deleting");
    }
}

static guint
setting_uint (DossierStore *store,
              const char   *key,
              guint         fallback,
              guint         max)
{
  g_autofree char *text = dossier_store_get_setting (store, key);
  guint64 value;

  /* A value an administrator mistyped must not switch the safeguard off. */
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return fallback;

  return (guint)value;
}

guint
dossier_auth_get_idle_lock_minutes (DossierStore *store)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), 15);

  return setting_uint (store, "auth.idle_lock_minutes", 15, 24 * 60);
}

gboolean
dossier_auth_idle_lock_due (gint64 last_activity_us,
                            gint64 now_us,
                            guint  idle_minutes)
{
  if (idle_minutes == 0)
    return FALSE;

  return now_us - last_activity_us >= (gint64)idle_minutes * 60 * G_USEC_PER_SEC;
}

/* Brings the signed-in user up to date with the account as stored, in place, so that
 * what dossier_store_get_user() gave stays valid.  Takes current. */
static void
update_session_user (AuthState   *state,
                     DossierUser *current)
{
  DossierUser *user = state->user;

  g_assert (user != NULL && user->id == current->id);

  user->roles = current->roles;
  user->active = current->active;
  if (g_strcmp0 (user->full_name, current->full_name) != 0)
    {
      g_free (user->full_name);
      user->full_name = g_steal_pointer (&current->full_name);
    }
  if (g_strcmp0 (user->password_changed_at, current->password_changed_at) != 0)
    {
      g_free (user->password_changed_at);
      user->password_changed_at = g_steal_pointer (&current->password_changed_at);
    }
  dossier_user_free (current);
}

/* Whether the signed-in session may act now; locks it when it was idle too long.
 * touch: this is an action of the user (a write), which counts as activity; asking
 * what would be allowed does not. */
static gboolean
check_session (DossierStore  *store,
               AuthState     *state,
               gboolean       touch,
               GError       **error)
{
  gint64 now = _dossier_auth_now (store);
  guint minutes;

  if (state->user == NULL)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                           _("Sign in to make changes: this database has user accounts."));
      return FALSE;
    }

  /* The account as it is now: another session may have deactivated it or changed
   * its roles since this one signed in. */
  {
    DossierUser *current = NULL;

    if (!read_user (store, NULL, state->user->id, &current, NULL, error))
      return FALSE;
    if (current == NULL || !current->active)
      {
        g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                     _("The account “%s” is deactivated. Ask an administrator."), state->user->login);
        dossier_user_free (current);
        return FALSE;
      }
    update_session_user (state, current);
  }

  minutes = dossier_auth_get_idle_lock_minutes (store);
  if (!state->locked && dossier_auth_idle_lock_due (state->last_activity, now, minutes))
    state->locked = TRUE;

  if (state->locked)
    {
      /* Locked by hand or after the idle time: either way the password opens it. */
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                   _("The session of %s is locked. Enter the password to continue."),
                   state->user->full_name);
      return FALSE;
    }

  /* The audit trail must name who acts: nobody may act under another name. */
  if (g_strcmp0 (dossier_store_get_actor (store), state->user->login) != 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   _("Changes are recorded under the signed-in user %s, not under “%s”."),
                   state->user->login, dossier_store_get_actor (store));
      return FALSE;
    }

  if (touch)
    state->last_activity = now;
  return TRUE;
}

gboolean
_dossier_auth_check_session (DossierStore  *store,
                             GError       **error)
{
  return check_session (store, get_state (store), FALSE, error);
}

static gboolean
check_permission (DossierStore          *store,
                  AuthState             *state,
                  const char            *table,
                  DossierAuthOperation   op,
                  gboolean               has_accounts,
                  gboolean               touch,
                  GError               **error)
{
  DossierRoles required;

  if (state->privileged > 0)
    return TRUE;

  if (g_strv_contains (module_tables, table))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   _("%s records are made by Dossier itself and cannot be written directly."),
                   dossier_schema_table_label (table));
      return FALSE;
    }

  /* No accounts yet: everything as before accounts existed. */
  if (!has_accounts)
    return TRUE;

  if (!check_session (store, state, touch, error))
    return FALSE;

  required = dossier_auth_required_roles (table, op);
  if (required == DOSSIER_ROLE_NONE)
    {
      if (g_str_equal (table, "release") && op == DOSSIER_AUTH_INSERT)
        g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                             _("A release is recorded by signing the release, not entered directly."));
      else
        g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                     _("%s a %s is not allowed to anyone."), operation_verb (op),
                     dossier_schema_table_label (table));
      return FALSE;
    }

  if ((state->user->roles & required) == 0)
    {
      g_autofree char *needed = dossier_roles_get_label (required);
      g_autofree char *has = dossier_roles_get_label (state->user->roles);

      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   /* Translators: "Changing a Filing needs the role Regulatory affairs; zhang.wei has the role Design engineer." */
                   _("%s a %s needs the role %s; %s has the role %s."),
                   operation_verb (op), dossier_schema_table_label (table), needed,
                   state->user->login, *has != '\0' ? has : _("none"));
      return FALSE;
    }

  return TRUE;
}

gboolean
dossier_auth_check_permission (DossierStore          *store,
                               const char            *table,
                               DossierAuthOperation   op,
                               GError               **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  return check_permission (store, get_state (store), table, op,
                           dossier_auth_has_accounts (store), FALSE, error);
}

void
_dossier_auth_begin_privileged (DossierStore *store)
{
  get_state (store)->privileged++;
}

void
_dossier_auth_end_privileged (DossierStore *store)
{
  AuthState *state = get_state (store);

  g_return_if_fail (state->privileged > 0);
  state->privileged--;
}

/* The write hooks ------------------------------------------------------------------ */

struct _DossierWriteGuard
{
  char                 *table;
  DossierAuthOperation  op;
  gboolean              check_status;
  char                 *old_status;
  gboolean              check_administrators;
  GArray               *dossiers;   /* gint64 */
  GPtrArray            *snapshots;  /* GArray of DossierValidSignature, parallel to dossiers */
};

void
_dossier_write_guard_free (DossierWriteGuard *guard)
{
  if (guard == NULL)
    return;

  g_free (guard->table);
  g_free (guard->old_status);
  g_clear_pointer (&guard->dossiers, g_array_unref);
  g_clear_pointer (&guard->snapshots, g_ptr_array_unref);
  g_free (guard);
}

static gint64
row_int (GHashTable *row,
         const char *column)
{
  const char *value = g_hash_table_lookup (row, column);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gboolean
collect_ids (DossierStore  *store,
             const char    *sql,
             gint64         key,
             GArray        *ids,
             GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (key <= 0)
    return TRUE;

  if (!(stmt = _dossier_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the database"));

  return TRUE;
}

/* The dossiers whose signed content a row is part of. */
static gboolean
affected_dossiers (DossierStore  *store,
                   const char    *table_name,
                   GHashTable    *row,
                   GArray        *ids,
                   GError       **error)
{
  const DossierTable *table = dossier_schema_lookup_table (table_name);

  if (g_str_equal (table_name, "dossier"))
    {
      gint64 id = row_int (row, "id");
      if (id > 0)
        g_array_append_val (ids, id);
      return TRUE;
    }

  if (table != NULL && table->dossier_column != NULL)
    {
      gint64 id = row_int (row, table->dossier_column);
      if (id > 0)
        g_array_append_val (ids, id);
      return TRUE;
    }

  if (g_str_equal (table_name, "parameter_value"))
    return collect_ids (store, "SELECT dossier_id FROM design_iteration WHERE id = ?1",
                        row_int (row, "iteration_id"), ids, error);

  if (g_str_equal (table_name, "step_material"))
    return collect_ids (store, "SELECT dossier_id FROM processing_step WHERE id = ?1",
                        row_int (row, "step_id"), ids, error);

  if (g_str_equal (table_name, "material_lot"))
    return collect_ids (store,
                        "SELECT DISTINCT p.dossier_id FROM step_material m "
                        "JOIN processing_step p ON p.id = m.step_id WHERE m.lot_id = ?1 "
                        "AND EXISTS (SELECT 1 FROM signature s WHERE s.dossier_id = p.dossier_id)",
                        row_int (row, "id"), ids, error);

  return TRUE;
}

gboolean
_dossier_auth_before_write (DossierStore          *store,
                            const char            *table,
                            DossierAuthOperation   op,
                            GHashTable            *row,
                            DossierWriteGuard    **guard,
                            GError               **error)
{
  AuthState *state;
  g_autoptr(DossierWriteGuard) g = NULL;
  gboolean has_accounts;

  g_assert (DOSSIER_IS_STORE (store));
  g_assert (guard != NULL && *guard == NULL);

  state = get_state (store);
  if (state->privileged > 0)
    return TRUE;

  has_accounts = dossier_auth_has_accounts (store);
  if (!check_permission (store, state, table, op, has_accounts, TRUE, error))
    return FALSE;

  /* Signatures and the workflow rules exist only with accounts. */
  if (!has_accounts)
    return TRUE;

  g = g_new0 (DossierWriteGuard, 1);
  g->table = g_strdup (table);
  g->op = op;
  g->dossiers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);

  if (g_str_equal (table, "dossier"))
    {
      g->check_status = TRUE;
      if (op != DOSSIER_AUTH_INSERT)
        g->old_status = g_strdup (g_hash_table_lookup (row, "status"));
    }
  g->check_administrators = g_str_equal (table, "user_account");

  if (row != NULL && !(g_str_equal (table, "dossier") && op == DOSSIER_AUTH_INSERT))
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (!affected_dossiers (store, table, row, ids, error))
        return FALSE;

      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          GArray *snapshot = _dossier_signature_snapshot (store, id, error);

          if (snapshot == NULL)
            return FALSE;
          if (snapshot->len == 0)
            {
              g_array_unref (snapshot);
              continue;
            }
          g_array_append_val (g->dossiers, id);
          g_ptr_array_add (g->snapshots, snapshot);
        }
    }

  *guard = g_steal_pointer (&g);
  return TRUE;
}

/* A status change through the generic writes must follow the workflow: approval and
 * release are signatures, and what comes after each needs it to hold. */
static gboolean
check_status_change (DossierStore  *store,
                     gint64         dossier_id,
                     const char    *old_status,
                     const char    *new_status,
                     GError       **error)
{
  DossierSignPoint needed;
  gboolean holds = FALSE;

  if (new_status == NULL || g_strcmp0 (old_status, new_status) == 0)
    return TRUE;

  if (g_str_equal (new_status, "design-approved"))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                           _("Status: a dossier becomes design-approved when a QA reviewer signs the design approval."));
      return FALSE;
    }
  if (g_str_equal (new_status, "released"))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                           _("Status: a dossier is released when a QA reviewer signs the release."));
      return FALSE;
    }

  if (g_str_equal (new_status, "processing") || g_str_equal (new_status, "inspection"))
    needed = DOSSIER_SIGN_POINT_DESIGN_APPROVAL;
  else if (g_str_equal (new_status, "delivered") || g_str_equal (new_status, "used") ||
           g_str_equal (new_status, "closed"))
    needed = DOSSIER_SIGN_POINT_RELEASE;
  else
    return TRUE;

  if (dossier_id <= 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   _("Status: a new dossier cannot start as “%s”."), new_status);
      return FALSE;
    }

  if (!_dossier_signature_holds (store, dossier_id, needed, &holds, error))
    return FALSE;

  if (!holds)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   _("Status: “%s” needs a valid signature on the %s first."),
                   new_status, dossier_sign_point_get_label (needed));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_administrators (DossierStore  *store,
                      GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, "SELECT roles FROM user_account WHERE active = 1", error)))
    return FALSE;

  while (!found && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierRoles roles;

      if (dossier_roles_parse ((const char *)sqlite3_column_text (stmt, 0), &roles, NULL))
        found = (roles & DOSSIER_ROLE_ADMINISTRATOR) != 0;
    }
  if (found)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the user accounts"));

  if (!found)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                           _("At least one active administrator must remain, or nobody could manage the accounts."));
      return FALSE;
    }

  return TRUE;
}

static void
refresh_session (DossierStore *store)
{
  AuthState *state = get_state (store);
  DossierUser *user = NULL;

  if (state->user == NULL || !read_user (store, NULL, state->user->id, &user, NULL, NULL) || user == NULL)
    return;

  update_session_user (state, user);
}

gboolean
_dossier_auth_after_write (DossierStore       *store,
                           DossierWriteGuard  *guard,
                           gint64              id,
                           GHashTable         *row,
                           const char         *reason,
                           GError            **error)
{
  if (guard == NULL)
    return TRUE;

  if (guard->check_status && row != NULL &&
      !check_status_change (store, guard->op == DOSSIER_AUTH_INSERT ? 0 : id,
                            guard->old_status, g_hash_table_lookup (row, "status"), error))
    return FALSE;

  if (guard->check_administrators)
    {
      if (!check_administrators (store, error))
        return FALSE;
      refresh_session (store);
    }

  for (guint i = 0; i < guard->dossiers->len; i++)
    if (!_dossier_signature_after_change (store, g_array_index (guard->dossiers, gint64, i),
                                          g_ptr_array_index (guard->snapshots, i), reason, error))
      return FALSE;

  return TRUE;
}

/* Passwords --------------------------------------------------------------------- */

static gboolean
check_password_policy (DossierStore  *store,
                       const char    *login,
                       const char    *password,
                       GError       **error)
{
  guint min_length = setting_uint (store, "auth.password_min_length", 8, 1024);
  gsize bytes = password != NULL ? strlen (password) : 0;

  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                           _("Password: is not valid text"));
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < (glong)min_length)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "Password: use at least %u character",
                                "Password: use at least %u characters", min_length),
                   min_length);
      return FALSE;
    }
  if (bytes > MAX_PASSWORD_BYTES)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("Password: use at most %d bytes"), MAX_PASSWORD_BYTES);
      return FALSE;
    }
  if (login != NULL && g_ascii_strcasecmp (password, login) == 0)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                           _("Password: must not be the login"));
      return FALSE;
    }

  return TRUE;
}

/* The hash in libsodium's string form ("$argon2id$v=19$m=…"), which carries its
 * salt and costs; never the password. */
static char *
hash_password (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  char *result;

  ensure_sodium ();

  if (crypto_pwhash_str_alg (hash, password, strlen (password), hash_opslimit, hash_memlimit,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                           _("Could not hash the password: not enough memory."));
      return NULL;
    }

  result = g_strdup (hash);
  sodium_memzero (hash, sizeof hash);
  return result;
}

static gboolean
verify_hash (const char *hash,
             const char *password)
{
  ensure_sodium ();

  return hash != NULL && password != NULL &&
         strlen (password) <= MAX_PASSWORD_BYTES &&
         crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* An unknown login costs as much time as a wrong password, so that timing does not
 * tell which logins exist. */
static void
verify_dummy (const char *password)
{
  static char *dummy;

  if (g_once_init_enter (&dummy))
    {
      char *hash = hash_password ("dossier: no such account", NULL);
      g_once_init_leave (&dummy, hash != NULL ? hash : g_strdup ("-"));
    }

  verify_hash (dummy, password != NULL ? password : "");
}

/* Creating and changing accounts -------------------------------------------------- */

static gboolean reauthenticate (DossierStore  *store,
                                const char    *password,
                                const char    *purpose,
                                GError       **error);

gint64
dossier_auth_create_user (DossierStore  *store,
                          const char    *login,
                          const char    *full_name,
                          DossierRoles   roles,
                          const char    *password,
                          GError       **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *roles_text = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!dossier_auth_validate_login (login, &local_error))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("%s: %s"), dossier_schema_column_label ("user_account", "login"), local_error->message);
      return 0;
    }
  if ((roles & DOSSIER_ROLES_ALL) == 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("%s: %s"), dossier_schema_column_label ("user_account", "roles"), _("give at least one role"));
      return 0;
    }
  if (!dossier_auth_has_accounts (store) && !(roles & DOSSIER_ROLE_ADMINISTRATOR))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                           _("The first account must be an administrator, so that someone can manage the others."));
      return 0;
    }
  /* Refused before the costly hashing. */
  if (!dossier_auth_check_permission (store, "user_account", DOSSIER_AUTH_INSERT, error) ||
      !check_password_policy (store, login, password, error))
    return 0;

  if (!(hash = hash_password (password, error)))
    return 0;

  roles_text = dossier_roles_to_string (roles & DOSSIER_ROLES_ALL);
  now = _dossier_auth_format_time (_dossier_auth_now (store));

  {
    const DossierField fields[] = {
      { "login", login },
      { "full_name", full_name },
      { "roles", roles_text },
      { "active", "1" },
      { "password_hash", hash },
      { "password_changed_at", now },
      { "created_at", now },
      { NULL }
    };

    if (!dossier_store_begin (store, error))
      return 0;
    id = _dossier_store_insert_internal (store, "user_account", fields, error);
    if (id == 0 || !dossier_store_commit (store, error))
      {
        dossier_store_rollback (store);
        id = 0;
      }
  }

  sodium_memzero (hash, strlen (hash));
  return id;
}

gboolean
dossier_auth_set_roles (DossierStore  *store,
                        gint64         user_id,
                        DossierRoles   roles,
                        const char    *reason,
                        GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if ((roles & DOSSIER_ROLES_ALL) == 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("%s: %s"), dossier_schema_column_label ("user_account", "roles"), _("give at least one role"));
      return FALSE;
    }

  text = dossier_roles_to_string (roles & DOSSIER_ROLES_ALL);
  return dossier_store_update (store, "user_account", user_id,
                               (DossierField[]) { { "roles", text }, { NULL } }, reason, error);
}

gboolean
dossier_auth_set_active (DossierStore  *store,
                         gint64         user_id,
                         gboolean       active,
                         const char    *reason,
                         GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  return dossier_store_update (store, "user_account", user_id,
                               (DossierField[]) { { "active", active ? "1" : "0" }, { NULL } },
                               reason, error);
}

gboolean
dossier_auth_set_password (DossierStore  *store,
                           gint64         user_id,
                           const char    *old_password,
                           const char    *new_password,
                           GError       **error)
{
  AuthState *state;
  g_autoptr(DossierUser) user = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  state = get_state (store);

  if (!read_user (store, NULL, user_id, &user, NULL, error))
    return FALSE;
  if (user == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("There is no user account with id %" PRId64 "."), user_id);
      return FALSE;
    }

  if (old_password != NULL)
    {
      /* One's own password, proven by the old one. */
      if (state->user == NULL || state->user->id != user_id)
        {
          g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                               _("Only the signed-in user can change their own password."));
          return FALSE;
        }
      if (!reauthenticate (store, old_password, "sign-in", error))
        return FALSE;
    }
  else if (!dossier_auth_check_permission (store, "user_account", DOSSIER_AUTH_UPDATE, error))
    return FALSE;

  if (!check_password_policy (store, user->login, new_password, error) ||
      !(hash = hash_password (new_password, error)))
    return FALSE;

  now = _dossier_auth_format_time (_dossier_auth_now (store));

  /* The hash is a generated column: no generic write may set it, so it is written
   * here, with the audit triggers recording the change like any other. */
  if (!dossier_store_begin (store, error))
    return FALSE;
  _dossier_store_set_reason (store, _("password changed"));
  stmt = _dossier_store_prepare (store,
                                 "UPDATE user_account SET password_hash = ?1, password_changed_at = ?2 WHERE id = ?3",
                                 error);
  if (stmt == NULL)
    {
      _dossier_store_set_reason (store, NULL);
      dossier_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, user_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  _dossier_store_set_reason (store, NULL);
  sodium_memzero (hash, strlen (hash));

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Changing the password"));
      dossier_store_rollback (store);
      return FALSE;
    }

  if (!dossier_store_commit (store, error))
    {
      dossier_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

/* Password attempts ---------------------------------------------------------------- */

void
dossier_auth_get_policy (DossierStore      *store,
                         DossierAuthPolicy *policy)
{
  g_return_if_fail (DOSSIER_IS_STORE (store));
  g_return_if_fail (policy != NULL);

  policy->free_attempts = setting_uint (store, "auth.failed_attempts_free", 3, 100);
  policy->delay_seconds = setting_uint (store, "auth.failed_delay_seconds", 5, 24 * 3600);
  policy->max_delay_seconds = setting_uint (store, "auth.failed_delay_max_seconds", 300, 24 * 3600);
}

guint
dossier_auth_failure_delay (const DossierAuthPolicy *policy,
                            guint                    consecutive_failures)
{
  guint steps;
  guint64 delay;

  g_return_val_if_fail (policy != NULL, 0);

  if (consecutive_failures < policy->free_attempts || policy->delay_seconds == 0)
    return 0;

  /* The first delayed failure waits delay_seconds; each further one doubles it. */
  steps = consecutive_failures - policy->free_attempts;
  if (steps >= 32)
    return MAX (policy->max_delay_seconds, policy->delay_seconds);

  delay = (guint64)policy->delay_seconds << steps;
  return (guint)MIN (delay, (guint64)MAX (policy->max_delay_seconds, policy->delay_seconds));
}

static char *
recorded_login (const char *login)
{
  g_autofree char *valid = g_utf8_make_valid (login != NULL ? login : "", -1);

  if (g_utf8_strlen (valid, -1) > MAX_RECORDED_LOGIN_CHARS)
    return g_utf8_substring (valid, 0, MAX_RECORDED_LOGIN_CHARS);

  return g_steal_pointer (&valid);
}

/* The failures since the last success of login, and when the last one was. */
static gboolean
count_failures (DossierStore  *store,
                const char    *login,
                guint         *failures,
                gint64        *last_failure,
                GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *failures = 0;
  *last_failure = 0;

  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT outcome, at FROM login_attempt WHERE login = ?1 "
                                       "ORDER BY id DESC LIMIT " G_STRINGIFY (MAX_COUNTED_ATTEMPTS), error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *outcome = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (outcome, "success") == 0)
        break;
      /* An attempt refused for coming too early proves nothing about the password. */
      if (g_strcmp0 (outcome, "throttled") == 0)
        continue;

      if (*failures == 0)
        parse_time ((const char *)sqlite3_column_text (stmt, 1), last_failure);
      (*failures)++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the sign-in attempts"));

  return TRUE;
}

static guint
retry_delay (DossierStore *store,
             const char   *login,
             gint64        now)
{
  DossierAuthPolicy policy;
  guint failures = 0;
  gint64 last_failure = 0;
  gint64 until;

  if (!count_failures (store, login, &failures, &last_failure, NULL) || failures == 0)
    return 0;

  dossier_auth_get_policy (store, &policy);
  until = last_failure + (gint64)dossier_auth_failure_delay (&policy, failures) * G_USEC_PER_SEC;
  if (until <= now)
    return 0;

  return (guint)((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

guint
dossier_auth_get_retry_delay (DossierStore *store,
                              const char   *login)
{
  g_autofree char *recorded = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);

  if (dossier_store_get_schema_version (store) < 3)
    return 0;

  recorded = recorded_login (login);
  return retry_delay (store, recorded, _dossier_auth_now (store));
}

static gboolean
record_attempt (DossierStore  *store,
                const char    *login,
                gint64         user_id,
                gint64         at,
                const char    *purpose,
                const char    *outcome,
                guint          delay,
                GError       **error)
{
  g_autofree char *stamp = _dossier_auth_format_time (at);
  sqlite3_stmt *stmt;
  int rc;

  if (!dossier_store_begin (store, error))
    return FALSE;

  stmt = _dossier_store_prepare (store,
                                 "INSERT INTO login_attempt (login, user_id, at, purpose, outcome, delay_seconds) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    {
      dossier_store_rollback (store);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (user_id > 0)
    sqlite3_bind_int64 (stmt, 2, user_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, purpose, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, outcome, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, delay);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Recording the sign-in attempt"));
      dossier_store_rollback (store);
      return FALSE;
    }

  if (!dossier_store_commit (store, error))
    {
      dossier_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

/* Checks login's password, slowed down after failures, and records the attempt.
 * On success *user_out is the account. */
static gboolean
check_password (DossierStore  *store,
                const char    *login,
                const char    *password,
                const char    *purpose,
                DossierUser  **user_out,
                GError       **error)
{
  g_autofree char *recorded = recorded_login (login);
  g_autoptr(DossierUser) user = NULL;
  g_autofree char *hash = NULL;
  DossierAuthPolicy policy;
  gint64 now = _dossier_auth_now (store);
  guint failures = 0;
  gint64 last_failure = 0;
  guint wait;
  guint delay;
  const char *outcome;

  if (!sqlite3_get_autocommit (dossier_store_get_handle (store)))
    {
      /* A failure recorded inside the caller's transaction could be rolled back with
       * it, and then it would not count. */
      g_critical ("%s: a password is checked outside any transaction", G_STRFUNC);
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                           _("The password cannot be checked while changes are being saved."));
      return FALSE;
    }

  if (dossier_store_get_schema_version (store) < 3 || !dossier_auth_has_accounts (store))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                           _("This database has no user accounts yet; create an administrator first."));
      return FALSE;
    }

  wait = retry_delay (store, recorded, now);
  if (wait > 0)
    {
      if (!record_attempt (store, recorded, 0, now, purpose, "throttled", wait, error))
        return FALSE;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many failed attempts for “%s”. Try again in %u second.",
                                "Too many failed attempts for “%s”. Try again in %u seconds.", wait),
                   recorded, wait);
      return FALSE;
    }

  if (!read_user (store, recorded, 0, &user, &hash, error))
    return FALSE;

  if (user == NULL)
    {
      verify_dummy (password);
      outcome = "unknown-user";
    }
  else if (!verify_hash (hash, password))
    outcome = "wrong-password";
  else if (!user->active)
    outcome = "inactive";
  else
    outcome = "success";

  if (hash != NULL)
    sodium_memzero (hash, strlen (hash));

  if (g_str_equal (outcome, "success"))
    {
      if (!record_attempt (store, recorded, user->id, now, purpose, outcome, 0, error))
        return FALSE;
      if (user_out != NULL)
        *user_out = g_steal_pointer (&user);
      return TRUE;
    }

  /* The delay the next attempt will wait, recorded with this failure. */
  if (!count_failures (store, recorded, &failures, &last_failure, error))
    return FALSE;
  dossier_auth_get_policy (store, &policy);
  delay = dossier_auth_failure_delay (&policy, failures + 1);

  if (!record_attempt (store, recorded, user != NULL ? user->id : 0, now, purpose, outcome, delay, error))
    return FALSE;

  if (g_str_equal (outcome, "inactive"))
    g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                 _("The account “%s” is deactivated. Ask an administrator."), recorded);
  else if (delay > 0)
    g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The login or the password is wrong. Wait %u second before trying again.",
                              "The login or the password is wrong. Wait %u seconds before trying again.", delay),
                 delay);
  else
    /* The same words for an unknown login and a wrong password, so that the
     * message does not tell which logins exist. */
    g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                         _("The login or the password is wrong."));

  return FALSE;
}

/* Sessions ------------------------------------------------------------------------- */

gboolean
dossier_store_sign_in (DossierStore  *store,
                       const char    *login,
                       const char    *password,
                       GError       **error)
{
  AuthState *state;
  DossierUser *user = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  state = get_state (store);

  if (!check_password (store, login, password, "sign-in", &user, error))
    return FALSE;

  g_clear_pointer (&state->user, dossier_user_free);
  state->user = user;
  state->locked = FALSE;
  state->last_activity = _dossier_auth_now (store);
  dossier_store_set_actor (store, user->login);

  g_debug ("%s signed in", user->login);
  return TRUE;
}

void
dossier_store_sign_out (DossierStore *store)
{
  AuthState *state;

  g_return_if_fail (DOSSIER_IS_STORE (store));

  state = get_state (store);
  g_clear_pointer (&state->user, dossier_user_free);
  state->locked = FALSE;
  dossier_store_set_actor (store, g_get_user_name ());
}

void
_dossier_auth_copy_session (DossierStore *from,
                            DossierStore *to)
{
  AuthState *source = get_state (from);
  AuthState *target = get_state (to);

  g_clear_pointer (&target->user, dossier_user_free);
  target->user = source->user != NULL ? dossier_user_copy (source->user) : NULL;
  target->locked = source->locked;
  target->last_activity = source->last_activity;
  target->clock = source->clock;
  target->clock_data = source->clock_data;
}

const DossierUser *
dossier_store_get_user (DossierStore *store)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return get_state (store)->user;
}

static gboolean
reauthenticate (DossierStore  *store,
                const char    *password,
                const char    *purpose,
                GError       **error)
{
  AuthState *state = get_state (store);
  g_autoptr(DossierUser) user = NULL;
  g_autofree char *login = NULL;

  if (state->user == NULL)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                           _("Nobody is signed in."));
      return FALSE;
    }

  login = g_strdup (state->user->login);
  if (!check_password (store, login, password, purpose, &user, error))
    return FALSE;

  /* The account as it is now: roles may have changed since signing in. */
  update_session_user (state, g_steal_pointer (&user));
  state->last_activity = _dossier_auth_now (store);
  return TRUE;
}

gboolean
dossier_auth_reauthenticate (DossierStore  *store,
                             const char    *password,
                             GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  return reauthenticate (store, password, "signature", error);
}

void
dossier_auth_note_activity (DossierStore *store)
{
  AuthState *state;
  gint64 now;

  g_return_if_fail (DOSSIER_IS_STORE (store));

  state = get_state (store);
  if (state->user == NULL || state->locked)
    return;

  now = _dossier_auth_now (store);
  /* Activity after the lock was due does not undo the lock. */
  if (dossier_auth_idle_lock_due (state->last_activity, now, dossier_auth_get_idle_lock_minutes (store)))
    state->locked = TRUE;
  else
    state->last_activity = now;
}

gboolean
dossier_auth_is_locked (DossierStore *store)
{
  AuthState *state;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  state = get_state (store);
  if (state->user == NULL)
    return FALSE;

  if (!state->locked &&
      dossier_auth_idle_lock_due (state->last_activity, _dossier_auth_now (store),
                                  dossier_auth_get_idle_lock_minutes (store)))
    state->locked = TRUE;

  return state->locked;
}

void
dossier_auth_lock (DossierStore *store)
{
  AuthState *state;

  g_return_if_fail (DOSSIER_IS_STORE (store));

  state = get_state (store);
  if (state->user != NULL)
    state->locked = TRUE;
}

gboolean
dossier_auth_unlock (DossierStore  *store,
                     const char    *password,
                     GError       **error)
{
  AuthState *state;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  state = get_state (store);
  if (!reauthenticate (store, password, "unlock", error))
    return FALSE;

  state->locked = FALSE;
  return TRUE;
}

/* Demo accounts ------------------------------------------------------------------- */

/* The people of the demo data (dossier-demo.c), with passwords the README gives.
 * For demonstration databases only. */
static const DossierDemoUser demo_users[] = {
  { "admin", "系统管理员", DOSSIER_ROLE_ADMINISTRATOR, "admin-demo" },
  { "zhang.wei", "张伟", DOSSIER_ROLE_ENGINEER, "zhang.wei-demo" },
  { "zhou.min", "周敏", DOSSIER_ROLE_ENGINEER, "zhou.min-demo" },
  { "chen.hao", "陈浩", DOSSIER_ROLE_ENGINEER, "chen.hao-demo" },
  { "liu.yang", "刘洋", DOSSIER_ROLE_ENGINEER, "liu.yang-demo" },
  { "li.na", "李娜", DOSSIER_ROLE_QA_REVIEWER, "li.na-demo" },
  { "wang.fang", "王芳", DOSSIER_ROLE_REGULATORY, "wang.fang-demo" },
};

const DossierDemoUser *
dossier_auth_get_demo_users (guint *n_users)
{
  if (n_users != NULL)
    *n_users = G_N_ELEMENTS (demo_users);

  return demo_users;
}

gboolean
dossier_auth_seed_demo_users (DossierStore  *store,
                              GError       **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (dossier_auth_has_accounts (store))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                           _("The database already has user accounts; demo accounts are only added to a database without any."));
      return FALSE;
    }

  if (!dossier_store_begin (store, error))
    return FALSE;

  /* Once the first account exists, the next would need an administrator signed
   * in; seeding an empty database makes them all at once. */
  _dossier_auth_begin_privileged (store);
  for (guint i = 0; ok && i < G_N_ELEMENTS (demo_users); i++)
    ok = dossier_auth_create_user (store, demo_users[i].login, demo_users[i].full_name,
                                   demo_users[i].roles, demo_users[i].password, error) != 0;
  _dossier_auth_end_privileged (store);

  if (!ok || !dossier_store_commit (store, error))
    {
      dossier_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}
