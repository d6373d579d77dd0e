/* dossier-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The application ID stored in the SQLite header ("DSSR"), which is how a Dossier
 * database is told apart from any other SQLite file. */
#define DOSSIER_STORE_APPLICATION_ID 0x44535352

#define DOSSIER_STORE_ERROR (dossier_store_error_quark ())

typedef enum
{
  DOSSIER_STORE_ERROR_NOT_FOUND,      /* no such file, or no such row */
  DOSSIER_STORE_ERROR_NOT_A_DATABASE, /* not SQLite at all */
  DOSSIER_STORE_ERROR_NOT_DOSSIER,    /* SQLite, but some other application's */
  DOSSIER_STORE_ERROR_TOO_NEW,        /* made by a newer Dossier */
  DOSSIER_STORE_ERROR_CORRUPT,
  DOSSIER_STORE_ERROR_READ_ONLY,
  DOSSIER_STORE_ERROR_LOCKED,         /* another process held the lock past the timeout */
  DOSSIER_STORE_ERROR_CONSTRAINT,     /* duplicate, unknown reference, immutable field… */
  DOSSIER_STORE_ERROR_INVALID,        /* a value failed validation (message names the field) */
  DOSSIER_STORE_ERROR_FAILED,
  DOSSIER_STORE_ERROR_PERMISSION_DENIED,     /* the signed-in user's roles do not allow it (message names the role needed) */
  DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED, /* not signed in, wrong password, inactive account, locked session, too many attempts */
  DOSSIER_STORE_ERROR_REASON_REQUIRED,       /* the change touches signed content and needs a reason */
} DossierStoreError;

GQuark dossier_store_error_quark (void);

/* One column value given to dossier_store_insert() / dossier_store_update().  Values
 * are text as a person or a file gives them; NULL stores SQL NULL.  Arrays end with
 * a field whose column is NULL. */
typedef struct
{
  const char *column;
  const char *value;
} DossierField;

#define DOSSIER_STORE_DEFAULT_BUSY_TIMEOUT_MS 5000

/* One SQLite connection.  A store is not thread-safe: use it from one thread at a
 * time (long work in a thread opens a store of its own on the same file). */
#define DOSSIER_TYPE_STORE (dossier_store_get_type ())
G_DECLARE_FINAL_TYPE (DossierStore, dossier_store, DOSSIER, STORE, GObject)

char         *dossier_store_default_path       (void);
DossierStore *dossier_store_open               (const char    *path,
                                                GError       **error);
/* Another connection to the same database file, for work in another thread (a
 * store is not thread-safe), acting as the same user: the signed-in session, its
 * lock state and the audit actor are copied, without asking the password again.
 * That is safe because it stays in this process, which has already authenticated
 * the user, and gives nothing the session does not already have; the two sessions
 * then go their own ways (signing out of one does not sign out the other).  Open it
 * in the thread that owns self, outside a transaction, then hand it over. */
DossierStore *dossier_store_open_sibling       (DossierStore  *self,
                                                GError       **error);
const char   *dossier_store_get_path           (DossierStore  *self);
int           dossier_store_get_schema_version (DossierStore  *self);
int           dossier_store_latest_schema_version (void);
gboolean      dossier_store_is_empty           (DossierStore  *self);

const char   *dossier_store_get_actor          (DossierStore  *self);
void          dossier_store_set_actor          (DossierStore  *self,
                                                const char    *actor);

/* Transactions nest: the outermost one is BEGIN IMMEDIATE … COMMIT, inner ones are
 * savepoints.  Every write function below opens its own when none is open. */
gboolean      dossier_store_begin              (DossierStore  *self,
                                                GError       **error);
gboolean      dossier_store_commit             (DossierStore  *self,
                                                GError       **error);
void          dossier_store_rollback           (DossierStore  *self);

/* Generic, validated, audited writes.  table and columns must be ones the schema
 * describes (see dossier-schema.h); values are validated before any SQL runs, and a
 * failure names the field and the problem. */
gint64        dossier_store_insert             (DossierStore       *self,
                                                const char         *table,
                                                const DossierField *fields,
                                                GError            **error);
gboolean      dossier_store_update             (DossierStore       *self,
                                                const char         *table,
                                                gint64              id,
                                                const DossierField *fields,
                                                const char         *reason,
                                                GError            **error);
gboolean      dossier_store_delete             (DossierStore       *self,
                                                const char         *table,
                                                gint64              id,
                                                const char         *reason,
                                                GError            **error);

/* Reads.  dossier_store_get_row() returns column → text (NULL values absent). */
GHashTable   *dossier_store_get_row            (DossierStore  *self,
                                                const char    *table,
                                                gint64         id,
                                                GError       **error);
/* The rows of table whose column equals value, ordered by id; each element is a
 * GHashTable as from dossier_store_get_row(). */
GPtrArray    *dossier_store_list_rows          (DossierStore  *self,
                                                const char    *table,
                                                const char    *column,
                                                gint64         value,
                                                GError       **error);
gint64        dossier_store_lookup_id          (DossierStore  *self,
                                                const char    *table,
                                                const char    *column,
                                                const char    *value,
                                                GError       **error);
char         *dossier_store_get_setting        (DossierStore  *self,
                                                const char    *key);
gboolean      dossier_store_set_setting        (DossierStore  *self,
                                                const char    *key,
                                                const char    *value,
                                                const char    *reason,
                                                GError       **error);
gint64        dossier_store_count              (DossierStore  *self,
                                                const char    *table);

/* The next unique unit number from the configured pattern, reserved in the current
 * transaction (so a rolled-back dossier gives its number back). */
char         *dossier_store_next_unit_number   (DossierStore  *self,
                                                int            year,
                                                GError       **error);

/* Creates a dossier with a fresh unit number; fields must not contain unit_no,
 * created_at or updated_at. Returns the row id, or 0 on error. */
gint64        dossier_store_create_dossier     (DossierStore       *self,
                                                const DossierField *fields,
                                                char              **unit_no,
                                                GError            **error);

/* Attachments: content streamed into a content-addressed file beside the database,
 * then the row committed; see dossier-store-attachments.c. */
gint64        dossier_store_add_attachment     (DossierStore  *self,
                                                gint64         dossier_id,
                                                const char    *section,
                                                const char    *original_name,
                                                const char    *media_type,
                                                GInputStream  *content,
                                                GCancellable  *cancellable,
                                                GError       **error);
GInputStream *dossier_store_open_attachment    (DossierStore  *self,
                                                gint64         attachment_id,
                                                GError       **error);
char         *dossier_store_get_attachment_dir (DossierStore  *self);

/* The audit trail. */
typedef enum
{
  DOSSIER_AUDIT_PROBLEM_CHAIN,       /* hash or link of an entry does not match */
  DOSSIER_AUDIT_PROBLEM_UNSEALED,    /* an entry outside the chain */
  DOSSIER_AUDIT_PROBLEM_MISMATCH,    /* a value differs from what the trail says */
  DOSSIER_AUDIT_PROBLEM_UNRECORDED,  /* a row the trail never saw created */
  DOSSIER_AUDIT_PROBLEM_VANISHED,    /* a row deleted without a trail entry */
  DOSSIER_AUDIT_PROBLEM_ATTACHMENT,  /* attachment content missing or of the wrong size */
  DOSSIER_AUDIT_PROBLEM_DISABLED,    /* an audit or guard trigger was removed */
} DossierAuditProblemKind;

typedef struct
{
  DossierAuditProblemKind kind;
  gint64  seq;          /* audit entry, or 0 */
  char   *table_name;   /* or NULL */
  gint64  row_id;       /* or 0 */
  char   *field;        /* or NULL */
  char   *message;      /* a full sentence naming the entry or record */
} DossierAuditProblem;

void          dossier_audit_problem_free       (DossierAuditProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierAuditProblem, dossier_audit_problem_free)

/* Checks the hash chain and replays the trail against the current data.  Returns
 * FALSE only when the check could not run; problems (element type
 * DossierAuditProblem) are appended to the array. */
gboolean      dossier_store_audit_verify       (DossierStore  *self,
                                                GPtrArray     *problems,
                                                GError       **error);

/* The newest sealed entry: record it outside the database to anchor the chain. */
gboolean      dossier_store_audit_head         (DossierStore  *self,
                                                gint64        *seq,
                                                char         **hash,
                                                GError       **error);

/* Low level, for the store's own modules and for tests. */
gpointer      dossier_store_get_handle         (DossierStore  *self); /* sqlite3 * */

G_END_DECLS
