/* dossier-auth.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Users, roles and sessions.
 *
 * Accounts live in the database (table user_account); passwords are kept only as
 * Argon2id hashes (libsodium).  While a database has no account at all, every write
 * is made as the operating-system user, as before accounts existed.  Once one
 * exists, every write through the store needs a signed-in user whose roles allow it
 * (dossier_auth_required_roles()); the store refuses otherwise with
 * DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED or DOSSIER_STORE_ERROR_PERMISSION_DENIED,
 * and the audit trail names the signed-in user's login.
 *
 * Failed password attempts are recorded (table login_attempt, audited) and slow down
 * the next attempt for the same login: the store refuses an attempt made before the
 * delay has passed, without checking the password, and says how long to wait
 * (dossier_auth_get_retry_delay()).  Nothing here sleeps.  A session locks after the
 * configured idle time; a locked session cannot write until the password is entered
 * again (dossier_auth_unlock()). */

typedef enum
{
  DOSSIER_ROLE_NONE          = 0,
  DOSSIER_ROLE_ENGINEER      = 1 << 0, /* "engineer": edits dossiers */
  DOSSIER_ROLE_QA_REVIEWER   = 1 << 1, /* "qa-reviewer": reviews, approves, releases */
  DOSSIER_ROLE_REGULATORY    = 1 << 2, /* "regulatory": filings, products, envelopes */
  DOSSIER_ROLE_ADMINISTRATOR = 1 << 3, /* "administrator": users and settings */
} DossierRoles;

#define DOSSIER_ROLES_ALL (DOSSIER_ROLE_ENGINEER | DOSSIER_ROLE_QA_REVIEWER | \
                           DOSSIER_ROLE_REGULATORY | DOSSIER_ROLE_ADMINISTRATOR)

/* One role (a single bit): its stored key ("qa-reviewer") and translated label. */
const char   *dossier_role_to_string   (DossierRoles   role);
const char   *dossier_role_get_label   (DossierRoles   role);
/* The same in English, whatever the language (records that must not depend on it). */
const char   *dossier_role_get_label_en (DossierRoles  role);
gboolean      dossier_role_from_string (const char    *text,
                                        DossierRoles  *role);
/* A set: "engineer,qa-reviewer" (any order, spaces allowed) ↔ bits.  The string form
 * made here is in the order of the enum. */
gboolean      dossier_roles_parse      (const char    *text,
                                        DossierRoles  *roles,
                                        GError       **error);
char         *dossier_roles_to_string  (DossierRoles   roles);
char         *dossier_roles_get_label  (DossierRoles   roles); /* "Design engineer, QA reviewer" */

/* Validators of the user_account columns (used by dossier-schema.c). */
gboolean      dossier_auth_validate_login (const char  *value,
                                           GError     **error);
gboolean      dossier_auth_validate_roles (const char  *value,
                                           GError     **error);

/* Permissions ----------------------------------------------------------------- */

typedef enum
{
  DOSSIER_AUTH_INSERT,
  DOSSIER_AUTH_UPDATE,
  DOSSIER_AUTH_DELETE,
} DossierAuthOperation;

/* The roles that may do op on table through the store's generic writes (any one of
 * them suffices).  DOSSIER_ROLE_NONE: nobody; such rows are written only by Dossier's
 * own modules (signatures, sign-in attempts, the release record of a release
 * sign-off). */
DossierRoles  dossier_auth_required_roles  (const char           *table,
                                            DossierAuthOperation  op);
/* Whether the database has any user account (then writes need a signed-in user). */
gboolean      dossier_auth_has_accounts    (DossierStore         *store);
/* The check the store makes before every write, for showing what is allowed: TRUE
 * when the current session may do op on table now. */
gboolean      dossier_auth_check_permission (DossierStore        *store,
                                             const char          *table,
                                             DossierAuthOperation op,
                                             GError             **error);

/* Accounts -------------------------------------------------------------------- */

typedef struct
{
  gint64        id;
  char         *login;
  char         *full_name;
  DossierRoles  roles;
  gboolean      active;
  char         *created_at;
  char         *password_changed_at;
} DossierUser;

void          dossier_user_free            (DossierUser   *user);
DossierUser  *dossier_user_copy            (const DossierUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierUser, dossier_user_free)

/* Creates an account.  On a database without accounts this is the first
 * administrator (roles must include DOSSIER_ROLE_ADMINISTRATOR) and needs nobody
 * signed in; afterwards it needs a signed-in administrator.  The password is checked
 * against the policy (auth.password_min_length) and only its hash is stored.
 * Returns the account id, or 0. */
gint64        dossier_auth_create_user     (DossierStore  *store,
                                            const char    *login,
                                            const char    *full_name,
                                            DossierRoles   roles,
                                            const char    *password,
                                            GError       **error);
/* Administrator only.  Refused when it would leave no active administrator. */
gboolean      dossier_auth_set_roles       (DossierStore  *store,
                                            gint64         user_id,
                                            DossierRoles   roles,
                                            const char    *reason,
                                            GError       **error);
gboolean      dossier_auth_set_active      (DossierStore  *store,
                                            gint64         user_id,
                                            gboolean       active,
                                            const char    *reason,
                                            GError       **error);
/* A user changes their own password (old_password required), or an administrator
 * sets another user's (old_password NULL). */
gboolean      dossier_auth_set_password    (DossierStore  *store,
                                            gint64         user_id,
                                            const char    *old_password,
                                            const char    *new_password,
                                            GError       **error);
/* Every account, ordered by login; element type DossierUser. */
GPtrArray    *dossier_auth_list_users      (DossierStore  *store,
                                            GError       **error);
/* NULL with DOSSIER_STORE_ERROR_NOT_FOUND when there is no such login. */
DossierUser  *dossier_auth_lookup_user     (DossierStore  *store,
                                            const char    *login,
                                            GError       **error);

/* Sessions -------------------------------------------------------------------- */

/* Checks the password, records the attempt and makes login the acting user (and the
 * audit actor).  Must not be called inside a transaction: a failed attempt is
 * committed on its own so that it counts.  Errors are
 * DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED with a message for the person. */
gboolean      dossier_store_sign_in        (DossierStore  *store,
                                            const char    *login,
                                            const char    *password,
                                            GError       **error);
void          dossier_store_sign_out       (DossierStore  *store);
/* The signed-in user, or NULL (owned by the store; valid until sign-out). */
const DossierUser *dossier_store_get_user  (DossierStore  *store);

/* Asks the signed-in user's password again (the same checks and records as signing
 * in); used before a signature and to unlock. */
gboolean      dossier_auth_reauthenticate  (DossierStore  *store,
                                            const char    *password,
                                            GError       **error);

/* Idle lock.  The GUI calls dossier_auth_note_activity() on user input and asks
 * dossier_auth_is_locked() on a timer to show the lock screen; the store itself
 * refuses writes of a session that has been idle too long. */
void          dossier_auth_note_activity   (DossierStore  *store);
gboolean      dossier_auth_is_locked       (DossierStore  *store);
void          dossier_auth_lock            (DossierStore  *store);
gboolean      dossier_auth_unlock          (DossierStore  *store,
                                            const char    *password,
                                            GError       **error);
/* Setting auth.idle_lock_minutes (0: never lock). */
guint         dossier_auth_get_idle_lock_minutes (DossierStore *store);
/* Pure: whether a session last active at last_activity_us is due to lock at now_us
 * (microseconds since the epoch). */
gboolean      dossier_auth_idle_lock_due   (gint64         last_activity_us,
                                            gint64         now_us,
                                            guint          idle_minutes);

/* Slowing down failed attempts. */
typedef struct
{
  guint free_attempts;      /* failures that are not delayed */
  guint delay_seconds;      /* the first delay */
  guint max_delay_seconds;  /* the delay doubles up to this */
} DossierAuthPolicy;

/* From the settings auth.failed_attempts_free, auth.failed_delay_seconds and
 * auth.failed_delay_max_seconds (defaults 3, 5, 300). */
void          dossier_auth_get_policy      (DossierStore       *store,
                                            DossierAuthPolicy  *policy);
/* Pure: seconds the next attempt must wait after that many consecutive failures. */
guint         dossier_auth_failure_delay   (const DossierAuthPolicy *policy,
                                            guint                    consecutive_failures);
/* Seconds from now before an attempt for login is accepted (0: now). */
guint         dossier_auth_get_retry_delay (DossierStore  *store,
                                            const char    *login);

/* The clock the idle lock and the delays use, in microseconds since the epoch;
 * tests replace it.  NULL restores the real clock. */
typedef gint64 (*DossierAuthClockFunc) (gpointer user_data);
void          dossier_auth_set_clock       (DossierStore         *store,
                                            DossierAuthClockFunc  func,
                                            gpointer              user_data);

/* Demo accounts ------------------------------------------------------------------ */

typedef struct
{
  const char   *login;
  const char   *full_name;
  DossierRoles  roles;
  const char   *password;   /* documented in the README: demo databases only */
} DossierDemoUser;

const DossierDemoUser *dossier_auth_get_demo_users (guint *n_users);
/* Creates the demo accounts on a database that has none (as the last step of
 * seeding: once accounts exist, further writes need a signed-in user). */
gboolean      dossier_auth_seed_demo_users (DossierStore  *store,
                                            GError       **error);

G_END_DECLS
