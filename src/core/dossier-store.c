/* dossier-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-store"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "dossier-auth-private.h"
#include "dossier-core-resources.h"
#include "dossier-check.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"
#include "dossier-validate.h"

#define MIGRATIONS_PATH RESOURCE_BASE "/migrations"

struct _DossierStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  char       *actor;
  char       *reason;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  int         schema_version;

  /* Transaction state: nesting depth, and the last audit entry sealed before the
   * outermost transaction began (everything after it is sealed on commit). */
  guint       depth;
  gint64      audit_base;
};

G_DEFINE_FINAL_TYPE (DossierStore, dossier_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (dossier-store-error-quark, dossier_store_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_ACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
dossier_store_finalize (GObject *object)
{
  DossierStore *self = (DossierStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Leaves no -wal/-shm behind when this is the last connection. */
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (dossier_store_parent_class)->finalize (object);
}

static void
dossier_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DossierStore *self = DOSSIER_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_store_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DossierStore *self = DOSSIER_STORE (object);

  switch (prop_id)
    {
    case PROP_ACTOR:
      dossier_store_set_actor (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_store_class_init (DossierStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_store_finalize;
  object_class->get_property = dossier_store_get_property;
  object_class->set_property = dossier_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_store_init (DossierStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  /* Until there are user accounts, the operating-system user is who acts. */
  self->actor = g_strdup (g_get_user_name ());
}

/* Errors ---------------------------------------------------------------------- */

gboolean
_dossier_store_set_error (DossierStore  *self,
                          GError       **error,
                          int            rc,
                          const char    *what)
{
  const char *detail = self != NULL && self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  const char *path = self != NULL && self->path != NULL ? self->path : "";

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_LOCKED,
                   _("The database “%s” is locked by another program. Close the other program or try again in a moment."),
                   path);
      break;

    case SQLITE_CORRUPT:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged and cannot be used (%s). Restore it from a backup."),
                   path, detail);
      break;

    case SQLITE_NOTADB:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a database file."), path);
      break;

    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY,
                   _("The database “%s” cannot be written (%s). Check that its folder is writable."),
                   path, detail);
      break;

    case SQLITE_FULL:
    case SQLITE_IOERR:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   _("Could not write the database “%s” (%s). Nothing was saved."), path, detail);
      break;

    case SQLITE_CONSTRAINT:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   _("%s was refused: %s"), what, detail);
      break;

    default:
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   _("%s failed: %s"), what, detail);
      break;
    }

  return FALSE;
}

/* Statements ------------------------------------------------------------------ */

sqlite3_stmt *
_dossier_store_prepare (DossierStore  *self,
                        const char    *sql,
                        GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_assert (DOSSIER_IS_STORE (self));

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _dossier_store_set_error (self, error, rc, _("Reading the database"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_dossier_store_exec (DossierStore  *self,
                     const char    *sql,
                     GError       **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _dossier_store_set_error (self, error, rc, _("Updating the database"));

  return TRUE;
}

char *
_dossier_quote_identifier (const char *name)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
_dossier_store_now (void)
{
  static GTimeZone *local;
  g_autoptr(GDateTime) now = NULL;

  /* Looking the zone up reads the zone file each time; once is enough, the zone
   * itself knows its daylight-saving rules. */
  if (g_once_init_enter (&local))
    g_once_init_leave (&local, g_time_zone_new_local ());
  now = g_date_time_new_now (local);

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%f%:z");
}

const char *
_dossier_store_get_reason (DossierStore *self)
{
  return self->reason;
}

void
_dossier_store_set_reason (DossierStore *self,
                           const char   *reason)
{
  g_free (self->reason);
  self->reason = reason != NULL && *reason != '\0' ? g_strdup (reason) : NULL;
}

/* Opening --------------------------------------------------------------------- */

char *
dossier_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "dossier", "dossier.db", NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Migration files are named NNNN-description.sql; their number is the schema version
 * they produce, and they are applied in order. */
static GPtrArray *
list_migrations (void)
{
  g_auto(GStrv) names = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  dossier_core_register_resource ();
  names = g_resources_enumerate_children (MIGRATIONS_PATH, 0, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (list, g_strdup (names[i]));
  g_ptr_array_sort (list, compare_strings);

  return list;
}

int
dossier_store_latest_schema_version (void)
{
  g_autoptr(GPtrArray) list = list_migrations ();

  return list->len;
}

static gboolean
query_int (DossierStore  *self,
           const char    *sql,
           gint64        *out,
           GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (self, sql, error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Reading the database"));

  return TRUE;
}

static gboolean
migrate (DossierStore  *self,
         GError       **error)
{
  g_autoptr(GPtrArray) migrations = list_migrations ();

  for (guint i = self->schema_version; i < migrations->len; i++)
    {
      const char *name = g_ptr_array_index (migrations, i);
      g_autofree char *path = g_build_path ("/", MIGRATIONS_PATH, name, NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *pragma = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *actor = NULL;
      g_autofree char *saved_actor = NULL;
      g_autoptr(GHashTable) before = NULL;
      int version = i + 1;

      bytes = g_resources_lookup_data (path, 0, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      /* Each migration is one transaction: a crash leaves the previous version. */
      if (!dossier_store_begin (self, error))
        return FALSE;

      reason = g_strdup_printf ("schema migration %d (%s)", version, name);
      _dossier_store_set_reason (self, reason);

      /* Rows a migration writes are the migration's doing, not the user's: the audit
       * triggers of the previous schema record them under the same name as the
       * baseline does. */
      actor = g_strdup_printf ("dossier (schema migration %d)", version);
      saved_actor = g_strdup (self->actor);
      dossier_store_set_actor (self, actor);

      pragma = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d;",
                                version, DOSSIER_STORE_APPLICATION_ID);

      /* What the trail knew before, so that the baseline covers only the tables and
       * columns this migration adds, never values changed behind the trail's back. */
      g_clear_pointer (&before, g_hash_table_unref);
      if (!(before = _dossier_audit_snapshot_columns (self, error)) ||
          !_dossier_store_exec (self, sql, error) ||
          !_dossier_audit_install_triggers (self, error) ||
          !_dossier_audit_baseline (self, version, before, error) ||
          !_dossier_store_exec (self, pragma, error) ||
          !dossier_store_commit (self, error))
        {
          _dossier_store_set_reason (self, NULL);
          dossier_store_set_actor (self, saved_actor);
          dossier_store_rollback (self);
          g_prefix_error (error, _("Could not upgrade the database “%s” to schema %d: "), self->path, version);
          return FALSE;
        }

      _dossier_store_set_reason (self, NULL);
      dossier_store_set_actor (self, saved_actor);
      self->schema_version = version;
      g_debug ("Migrated %s to schema %d", self->path, version);
    }

  return TRUE;
}

static int
busy_timeout (void)
{
  const char *env = g_getenv ("DOSSIER_BUSY_TIMEOUT_MS");

  if (env != NULL && *env != '\0')
    return (int)CLAMP (g_ascii_strtoll (env, NULL, 10), 0, 600000);

  return DOSSIER_STORE_DEFAULT_BUSY_TIMEOUT_MS;
}

static gboolean
check_writable (const char  *path,
                gboolean     exists,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *target = exists ? path : dir;

  if (!exists && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("The folder “%s” for the database does not exist."), dir);
      return FALSE;
    }

  /* SQLite needs to create its write-ahead log beside the file, so the folder must be
   * writable as well as the file itself. */
  if (g_access (target, W_OK) != 0 || g_access (dir, W_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY,
                   _("The database “%s” is in a read-only location (%s). Choose a writable folder."),
                   path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

#define QUICK_CHECK_MAX_BYTES (G_GOFFSET_CONSTANT (32) * 1024 * 1024)

gboolean
_dossier_store_quick_check (DossierStore  *self,
                            GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check (1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        result = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    return _dossier_store_set_error (self, error, rc, _("Checking the database"));

  if (g_strcmp0 (result, "ok") != 0)
    {
      const char *detail = result != NULL ? result : "?";

      /* The first problem, on one line, without SQLite's heading. */
      g_strdelimit (result, "\n", ' ');
      if (g_str_has_prefix (detail, "*** in database main *** "))
        detail += strlen ("*** in database main *** ");
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged and cannot be used (%s). Restore it from a backup."),
                   self->path, detail);
      return FALSE;
    }

  return TRUE;
}

/* sibling: another connection to a file this process has open already, which was
 * checked and migrated then; it skips the page check and the attachment clean-up. */
static DossierStore *
open_store (const char  *path,
            gboolean     sibling,
            GError     **error)
{
  g_autoptr(DossierStore) self = NULL;
  gint64 application_id = 0;
  gint64 user_version = 0;
  gint64 n_objects = 0;
  gboolean exists;
  GStatBuf st;
  int latest;
  int rc;

  self = g_object_new (DOSSIER_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  exists = g_stat (path, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is a folder, not a database file."), path);
      return NULL;
    }

  if (!check_writable (path, exists, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      _dossier_store_set_error (self, error, rc, _("Opening the database"));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, busy_timeout ());

  /* Look before touching: nothing below writes until the file is known to be ours. */
  if (!query_int (self, "PRAGMA application_id", &application_id, error) ||
      !query_int (self, "PRAGMA user_version", &user_version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    {
      return NULL;
    }

  if (application_id != DOSSIER_STORE_APPLICATION_ID &&
      (application_id != 0 || user_version != 0 || n_objects != 0))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_DOSSIER,
                   _("“%s” is a database of another application, not a Dossier database. It was left untouched."),
                   path);
      return NULL;
    }

  latest = dossier_store_latest_schema_version ();
  if (user_version > latest)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was created by a newer version of Dossier (schema %d); this version understands up to schema %d. Update Dossier to open it."),
                   path, (int)user_version, latest);
      return NULL;
    }
  self->schema_version = (int)user_version;

  /* Damage in a page that opening does not read would otherwise only show up later,
   * maybe after new records were written into the damaged file.  The quick check
   * reads every page once (about three seconds per gigabyte), so larger files are
   * left to dossier_store_audit_verify(), which always runs it, rather than slowing
   * every start. */
  if (!sibling && n_objects > 0 && exists && st.st_size <= QUICK_CHECK_MAX_BYTES &&
      !_dossier_store_quick_check (self, error))
    return NULL;

  /* Write-ahead logging lets readers go on while one writer commits; FULL syncing
   * makes every committed change survive a power cut, not only a crash. */
  if (!_dossier_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_dossier_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      /* Savepoint journals and sort indexes in memory: on disk they cost most of the
       * time of a large transaction (seeding 100,000 dossiers: 101 s → 33 s). */
      !_dossier_store_exec (self, "PRAGMA temp_store = MEMORY", error) ||
      !_dossier_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;

  _dossier_audit_register_functions (self);

  if (!migrate (self, error))
    return NULL;

  if (!sibling)
    _dossier_attachments_collect_garbage (self);

  return g_steal_pointer (&self);
}

DossierStore *
dossier_store_open (const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (path, FALSE, error);
}

DossierStore *
dossier_store_open_sibling (DossierStore  *self,
                            GError       **error)
{
  g_autoptr(DossierStore) sibling = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Inside a transaction the new connection would not see what this one has not
   * committed yet, and would wait for its lock to write. */
  if (self->depth > 0)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                           _("A second connection cannot be opened during a change."));
      return NULL;
    }

  if (!(sibling = open_store (self->path, TRUE, error)))
    return NULL;

  dossier_store_set_actor (sibling, self->actor);
  _dossier_auth_copy_session (self, sibling);

  return g_steal_pointer (&sibling);
}

const char *
dossier_store_get_path (DossierStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);

  return self->path;
}

int
dossier_store_get_schema_version (DossierStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), 0);

  return self->schema_version;
}

gpointer
dossier_store_get_handle (DossierStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);

  return self->db;
}

const char *
dossier_store_get_actor (DossierStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);

  return self->actor;
}

void
dossier_store_set_actor (DossierStore *self,
                         const char   *actor)
{
  g_return_if_fail (DOSSIER_IS_STORE (self));
  g_return_if_fail (actor != NULL && *actor != '\0');

  if (g_strcmp0 (self->actor, actor) == 0)
    return;

  g_free (self->actor);
  self->actor = g_strdup (actor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}

gboolean
dossier_store_is_empty (DossierStore *self)
{
  return dossier_store_count (self, "dossier") == 0 &&
         dossier_store_count (self, "institution") == 0 &&
         dossier_store_count (self, "manufacturer") == 0;
}

/* Transactions ---------------------------------------------------------------- */

gboolean
dossier_store_begin (DossierStore  *self,
                     GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);

  if (self->depth == 0)
    {
      /* IMMEDIATE takes the write lock now, so a busy database fails here, before any
       * work, rather than at commit. */
      if (!_dossier_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->audit_base = _dossier_audit_last_seq (self, error);
      if (self->audit_base < 0)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SAVEPOINT s%u", self->depth);
      if (!_dossier_store_exec (self, sql, error))
        return FALSE;
    }

  self->depth++;
  return TRUE;
}

gboolean
dossier_store_commit (DossierStore  *self,
                      GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    {
      if (!_dossier_audit_seal (self, self->audit_base, error) ||
          !_dossier_store_exec (self, "COMMIT", error))
        {
          /* The caller rolls back; depth stays so that rollback matches. */
          return FALSE;
        }
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("RELEASE s%u", self->depth - 1);
      if (!_dossier_store_exec (self, sql, error))
        return FALSE;
    }

  self->depth--;
  return TRUE;
}

void
dossier_store_rollback (DossierStore *self)
{
  g_return_if_fail (DOSSIER_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO s%u; RELEASE s%u",
                                              self->depth - 1, self->depth - 1);
      sqlite3_exec (self->db, sql, NULL, NULL, NULL);
    }

  self->depth--;
}

/* Generic writes -------------------------------------------------------------- */

static GHashTable *row_from_statement (sqlite3_stmt *stmt);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);

  return FALSE;
}

static gboolean
row_exists (DossierStore  *self,
            const char    *table,
            const char    *column,
            const char    *value,
            gint64         except_id,
            gboolean      *exists,
            GError       **error)
{
  g_autofree char *qt = _dossier_quote_identifier (table);
  g_autofree char *qc = _dossier_quote_identifier (column);
  g_autoptr(GString) sql = g_string_new ("SELECT 1 FROM ");
  sqlite3_stmt *stmt;
  int rc;

  g_string_append (sql, qt);
  g_string_append (sql, " WHERE ");
  g_string_append (sql, qc);
  g_string_append (sql, " = ?1 AND id IS NOT ?2 LIMIT 1");

  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (except_id > 0)
    sqlite3_bind_int64 (stmt, 2, except_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Reading the database"));

  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Checks one value: the format, then that a referenced row exists and that a unique
 * value is not taken, so that the message can say exactly what is wrong. */
static gboolean
check_field (DossierStore         *self,
             const DossierTable   *table,
             const DossierColumn  *column,
             const char           *value,
             gint64                id,
             char                **normalized,
             GError              **error)
{
  gboolean exists;

  if (!dossier_schema_check_value (table, column, value, normalized, error))
    return FALSE;

  if (*normalized == NULL)
    return TRUE;

  if (column->kind == DOSSIER_COLUMN_REFERENCE)
    {
      if (!row_exists (self, column->ref_table, "id", *normalized, 0, &exists, error))
        goto failed;
      if (!exists)
        {
          invalid (error, _("%s: no such record (%s, id %s)"), _(column->label),
                   dossier_schema_table_label (column->ref_table), *normalized);
          goto failed;
        }
    }

  if (column->flags & DOSSIER_COLUMN_UNIQUE)
    {
      if (!row_exists (self, table->name, column->name, *normalized, id, &exists, error))
        goto failed;
      if (exists)
        {
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                       _("%s: “%s” is already used by another %s"), _(column->label),
                       *normalized, dossier_schema_table_label (table->name));
          goto failed;
        }
    }

  return TRUE;

failed:
  /* Callers take the value only on success. */
  g_clear_pointer (normalized, g_free);
  return FALSE;
}

static GHashTable *
read_row (DossierStore  *self,
          const char    *table,
          gint64         id,
          GError       **error)
{
  g_autofree char *qt = _dossier_quote_identifier (table);
  g_autoptr(GString) sql = g_string_new ("SELECT * FROM ");
  g_autoptr(GHashTable) row = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_string_append (sql, qt);
  g_string_append (sql, " WHERE id = ?1");

  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = row_from_statement (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with id %" PRId64 "."),
                   dossier_schema_table_label (table), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _dossier_store_set_error (self, error, rc, _("Reading the database"));
      return NULL;
    }

  return g_steal_pointer (&row);
}

GHashTable *
dossier_store_get_row (DossierStore  *self,
                       const char    *table,
                       gint64         id,
                       GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  if (dossier_schema_lookup_table (table) == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table “%s”", table);
      return NULL;
    }

  return read_row (self, table, id, error);
}

static GHashTable *
row_from_statement (sqlite3_stmt *stmt)
{
  GHashTable *row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
      g_hash_table_insert (row, g_strdup (sqlite3_column_name (stmt, i)),
                           g_strdup ((const char *)sqlite3_column_text (stmt, i)));

  return row;
}

GPtrArray *
dossier_store_list_rows (DossierStore  *self,
                         const char    *table,
                         const char    *column,
                         gint64         value,
                         GError       **error)
{
  const DossierTable *t;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *qt = NULL;
  g_autofree char *qc = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL && column != NULL, NULL);

  t = dossier_schema_lookup_table (table);
  if (t == NULL || (!g_str_equal (column, "id") && dossier_schema_lookup_column (t, column) == NULL))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table or column “%s.%s”", table, column);
      return NULL;
    }

  qt = _dossier_quote_identifier (table);
  qc = _dossier_quote_identifier (column);
  sql = g_string_new ("SELECT * FROM ");
  g_string_append_printf (sql, "%s WHERE %s = ?1 ORDER BY id", qt, qc);

  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  sqlite3_bind_int64 (stmt, 1, value);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_statement (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (self, error, rc, _("Reading the database"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

static gboolean
lookup_int (DossierStore  *self,
            const char    *sql,
            const char    *text_arg,
            gint64         int_arg,
            gint64        *out,
            GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (self, sql, error)))
    return FALSE;
  if (text_arg != NULL)
    sqlite3_bind_text (stmt, 1, text_arg, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, int_arg);

  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Reading the database"));

  return TRUE;
}

/* Checks that span several fields of one row, on the row as it would be after the
 * write. */
static gboolean
check_row (DossierStore  *self,
           const char    *table,
           GHashTable    *row,
           gboolean       inserting,
           GError       **error)
{
  if (g_str_equal (table, "filing"))
    {
      const char *number = g_hash_table_lookup (row, "number");
      const char *filed_on = g_hash_table_lookup (row, "filed_on");
      const char *status = g_hash_table_lookup (row, "status");

      if (number != NULL)
        {
          g_autofree char *pattern = dossier_store_get_setting (self, "filing.number_pattern");
          g_autoptr(GError) local_error = NULL;
          int year = filed_on != NULL ? (int)g_ascii_strtoll (filed_on, NULL, 10) : 0;

          if (!dossier_validate_filing_number (pattern, number, g_hash_table_lookup (row, "province_code"),
                                               year, &local_error))
            return invalid (error, _("%s: %s"), _("Filing number"), local_error->message);
        }

      if (status != NULL && !g_str_equal (status, "draft") && (number == NULL || filed_on == NULL))
        return invalid (error, _("Status: a filing that is not a draft needs its filing number and filing date"));
    }
  else if (g_str_equal (table, "product"))
    {
      const char *number = g_hash_table_lookup (row, "certificate_no");
      const char *klass = g_hash_table_lookup (row, "device_class");
      g_autoptr(GError) local_error = NULL;

      if (number != NULL && klass != NULL &&
          !dossier_validate_registration_number (number, (int)g_ascii_strtoll (klass, NULL, 10), &local_error))
        return invalid (error, _("%s: %s"), _("Registration certificate number"), local_error->message);
    }
  else if (g_str_equal (table, "dossier"))
    {
      const char *kind = g_hash_table_lookup (row, "kind");
      const char *filing = g_hash_table_lookup (row, "filing_id");
      const char *model = g_hash_table_lookup (row, "model_id");
      const char *institution = g_hash_table_lookup (row, "institution_id");
      const char *clinician = g_hash_table_lookup (row, "clinician_id");
      gint64 value = 0;

      if (g_strcmp0 (kind, "customized") == 0)
        {
          if (filing == NULL)
            return invalid (error, _("Filing: a customized device needs the filing it is made under"));
          if (model != NULL)
            return invalid (error, _("Registered model: a customized device is not a registered product model"));
          if (!lookup_int (self, "SELECT institution_id FROM filing WHERE id = ?1", filing, 0, &value, error))
            return FALSE;
          if (institution != NULL && value != g_ascii_strtoll (institution, NULL, 10))
            return invalid (error, _("Institution: a customized device may only be ordered by the filing’s partner institution"));
          if (inserting)
            {
              g_autoptr(GHashTable) f = read_row (self, "filing", g_ascii_strtoll (filing, NULL, 10), error);
              const char *status;

              if (f == NULL)
                return FALSE;
              status = g_hash_table_lookup (f, "status");
              if (!g_str_equal (status, "filed") && !g_str_equal (status, "changed"))
                return invalid (error, _("Filing: the filing is not in force (status “%s”); only a filed filing can take new dossiers"),
                                status);
            }
        }
      else if (g_strcmp0 (kind, "patient-matched") == 0)
        {
          if (model == NULL)
            return invalid (error, _("Registered model: a patient-matched device needs its registered product model"));
          if (filing != NULL)
            return invalid (error, _("Filing: a patient-matched device is registered, not filed"));
        }

      if (clinician != NULL && institution != NULL)
        {
          if (!lookup_int (self, "SELECT institution_id FROM clinician WHERE id = ?1", clinician, 0, &value, error))
            return FALSE;
          if (value != g_ascii_strtoll (institution, NULL, 10))
            return invalid (error, _("Ordering clinician: the clinician does not work at the ordering institution"));
        }

      /* Only what is in force may take new units: a clinician, institution or
       * registered product that was deactivated keeps its history, nothing more. */
      if (inserting)
        {
          static const struct { const char *column; const char *sql; const char *message; } active[] = {
            { "institution_id", "SELECT active FROM institution WHERE id = ?1",
              N_("Institution: the institution is no longer active") },
            { "clinician_id", "SELECT active FROM clinician WHERE id = ?1",
              N_("Ordering clinician: the clinician is no longer active") },
            { "model_id", "SELECT p.active FROM product_model m JOIN product p ON p.id = m.product_id WHERE m.id = ?1",
              N_("Registered model: the registered product is no longer active") },
          };

          for (guint i = 0; i < G_N_ELEMENTS (active); i++)
            {
              const char *ref = g_hash_table_lookup (row, active[i].column);

              if (ref == NULL)
                continue;
              if (!lookup_int (self, active[i].sql, ref, 0, &value, error))
                return FALSE;
              if (value == 0)
                return invalid (error, "%s", _(active[i].message));
            }
        }

      /* A unit enters the workflow at its start; every later step is reached by a
       * change of status, where the gates below and the sign-offs apply.  Created in
       * a late status, it would have skipped them. */
      if (inserting)
        {
          const char *status = g_hash_table_lookup (row, "status");

          if (status != NULL && !g_str_equal (status, "order") && !g_str_equal (status, "design") &&
              !g_str_equal (status, "cancelled"))
            return invalid (error, _("Status: a new dossier starts with its order or design; later steps are reached through the workflow"));
        }

      /* No unit reaches design approval or release while an error of its check
       * stands (dossier-check.c); the gate compares with the stored status. */
      if (!inserting && g_hash_table_lookup (row, "id") != NULL && g_hash_table_lookup (row, "status") != NULL &&
          !dossier_check_gate (self, g_ascii_strtoll (g_hash_table_lookup (row, "id"), NULL, 10),
                               g_hash_table_lookup (row, "status"), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
touch_dossier (DossierStore        *self,
               const DossierTable  *table,
               GHashTable          *row,
               GError             **error)
{
  const char *id;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (table->dossier_column == NULL || g_str_equal (table->name, "dossier"))
    return TRUE;

  id = g_hash_table_lookup (row, table->dossier_column);
  if (id == NULL)
    return TRUE;

  if (!(stmt = _dossier_store_prepare (self, "UPDATE dossier SET updated_at = ?1 WHERE id = ?2", error)))
    return FALSE;

  now = _dossier_store_now ();
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Saving"));

  return TRUE;
}

static void
bind_value (sqlite3_stmt *stmt,
            int           index,
            const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static gint64
insert_row (DossierStore        *self,
            const char          *table_name,
            const DossierField  *fields,
            gboolean             internal,
            GError             **error)
{
  const DossierTable *table;
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autofree char *qt = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GString) values = NULL;
  g_autoptr(DossierWriteGuard) guard = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  table = dossier_schema_lookup_table (table_name);
  if (table == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table “%s”", table_name);
      return 0;
    }

  row = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  columns = g_ptr_array_new ();

  for (const DossierField *f = fields; f != NULL && f->column != NULL; f++)
    {
      const DossierColumn *column = dossier_schema_lookup_column (table, f->column);
      char *normalized = NULL;

      if (column == NULL)
        return invalid (error, _("%s has no field “%s”"), _(table->label), f->column);
      if ((column->flags & DOSSIER_COLUMN_GENERATED) && !internal)
        return invalid (error, _("%s: this field is set by Dossier and cannot be entered"), _(column->label));
      if (g_hash_table_contains (row, column->name))
        return invalid (error, _("%s: given twice"), _(column->label));
      if (!check_field (self, table, column, f->value, 0, &normalized, error))
        return 0;

      g_hash_table_insert (row, (gpointer)column->name, normalized);
      g_ptr_array_add (columns, (gpointer)column);
    }

  /* Who may write, and which signatures the row is part of (dossier-auth.c). */
  if (!_dossier_auth_before_write (self, table_name, DOSSIER_AUTH_INSERT, row, &guard, error))
    return 0;

  for (const DossierColumn *c = table->columns; c->name != NULL; c++)
    if ((c->flags & DOSSIER_COLUMN_REQUIRED) && g_hash_table_lookup (row, c->name) == NULL)
      {
        if (c->flags & DOSSIER_COLUMN_DEFAULTED)
          continue;
        return invalid (error, _("%s: is required"), _(c->label));
      }

  if (!check_row (self, table_name, row, TRUE, error))
    return 0;

  qt = _dossier_quote_identifier (table_name);
  sql = g_string_new ("INSERT INTO ");
  values = g_string_new (NULL);
  g_string_append (sql, qt);
  g_string_append (sql, " (");
  for (guint i = 0; i < columns->len; i++)
    {
      const DossierColumn *column = g_ptr_array_index (columns, i);
      g_autofree char *qc = _dossier_quote_identifier (column->name);

      g_string_append_printf (sql, "%s%s", i ? ", " : "", qc);
      g_string_append_printf (values, "%s?%u", i ? ", " : "", i + 1);
    }
  if (columns->len == 0)
    g_string_append (sql, ") DEFAULT VALUES");
  else
    g_string_append_printf (sql, ") VALUES (%s)", values->str);

  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    return 0;

  for (guint i = 0; i < columns->len; i++)
    {
      const DossierColumn *column = g_ptr_array_index (columns, i);
      bind_value (stmt, i + 1, g_hash_table_lookup (row, column->name));
    }

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("Adding a %s"), _(table->label));
      _dossier_store_set_error (self, error, rc, what);
      return 0;
    }

  id = sqlite3_last_insert_rowid (self->db);

  if (!touch_dossier (self, table, row, error))
    return 0;

  if (!_dossier_auth_after_write (self, guard, id, row, self->reason, error))
    return 0;

  return id;
}

/* Like dossier_store_insert(), but may set generated columns; the caller holds a
 * transaction. */
gint64
_dossier_store_insert_internal (DossierStore        *self,
                                const char          *table,
                                const DossierField  *fields,
                                GError             **error)
{
  g_assert (self->depth > 0);

  return insert_row (self, table, fields, TRUE, error);
}

gint64
dossier_store_insert (DossierStore        *self,
                      const char          *table,
                      const DossierField  *fields,
                      GError             **error)
{
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), 0);
  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!dossier_store_begin (self, error))
    return 0;

  id = insert_row (self, table, fields, FALSE, error);
  if (id == 0 || !dossier_store_commit (self, error))
    {
      dossier_store_rollback (self);
      return 0;
    }

  return id;
}

static gboolean
update_row (DossierStore        *self,
            const char          *table_name,
            gint64               id,
            const DossierField  *fields,
            gboolean             internal,
            GError             **error)
{
  const DossierTable *table;
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autofree char *qt = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(DossierWriteGuard) guard = NULL;
  sqlite3_stmt *stmt;
  guint n;
  int rc;

  table = dossier_schema_lookup_table (table_name);
  if (table == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table “%s”", table_name);
      return FALSE;
    }

  if (!(row = read_row (self, table_name, id, error)))
    return FALSE;

  if (!_dossier_auth_before_write (self, table_name, DOSSIER_AUTH_UPDATE, row, &guard, error))
    return FALSE;

  columns = g_ptr_array_new ();

  for (const DossierField *f = fields; f != NULL && f->column != NULL; f++)
    {
      const DossierColumn *column = dossier_schema_lookup_column (table, f->column);
      char *normalized = NULL;

      if (column == NULL)
        return invalid (error, _("%s has no field “%s”"), _(table->label), f->column);
      if ((column->flags & DOSSIER_COLUMN_GENERATED) && !internal)
        return invalid (error, _("%s: this field is set by Dossier and cannot be changed"), _(column->label));
      if (!check_field (self, table, column, f->value, id, &normalized, error))
        return FALSE;
      if (column->flags & DOSSIER_COLUMN_IMMUTABLE &&
          g_strcmp0 (normalized, g_hash_table_lookup (row, column->name)) != 0)
        {
          g_free (normalized);
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                       _("%s: cannot be changed once recorded"), _(column->label));
          return FALSE;
        }

      g_hash_table_insert (row, g_strdup (column->name), normalized);
      g_ptr_array_add (columns, (gpointer)column);
    }

  if (!check_row (self, table_name, row, FALSE, error))
    return FALSE;

  if (g_str_equal (table_name, "dossier") && !internal)
    {
      g_hash_table_insert (row, g_strdup ("updated_at"), _dossier_store_now ());
      g_ptr_array_add (columns, (gpointer)dossier_schema_lookup_column (table, "updated_at"));
    }

  if (columns->len == 0)
    return TRUE;

  qt = _dossier_quote_identifier (table_name);
  sql = g_string_new ("UPDATE ");
  g_string_append (sql, qt);
  g_string_append (sql, " SET ");
  for (n = 0; n < columns->len; n++)
    {
      const DossierColumn *column = g_ptr_array_index (columns, n);
      g_autofree char *qc = _dossier_quote_identifier (column->name);

      g_string_append_printf (sql, "%s%s = ?%u", n ? ", " : "", qc, n + 1);
    }
  g_string_append_printf (sql, " WHERE id = ?%u", n + 1);

  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    return FALSE;

  for (guint i = 0; i < columns->len; i++)
    {
      const DossierColumn *column = g_ptr_array_index (columns, i);
      bind_value (stmt, i + 1, g_hash_table_lookup (row, column->name));
    }
  sqlite3_bind_int64 (stmt, n + 1, id);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("Changing a %s"), _(table->label));
      return _dossier_store_set_error (self, error, rc, what);
    }

  if (!touch_dossier (self, table, row, error))
    return FALSE;

  return _dossier_auth_after_write (self, guard, id, row, self->reason, error);
}

gboolean
dossier_store_update (DossierStore        *self,
                      const char          *table,
                      gint64               id,
                      const DossierField  *fields,
                      const char          *reason,
                      GError             **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!dossier_store_begin (self, error))
    return FALSE;

  _dossier_store_set_reason (self, reason);
  if (!update_row (self, table, id, fields, FALSE, error) ||
      !dossier_store_commit (self, error))
    {
      _dossier_store_set_reason (self, NULL);
      dossier_store_rollback (self);
      return FALSE;
    }
  _dossier_store_set_reason (self, NULL);

  return TRUE;
}

gboolean
dossier_store_delete (DossierStore  *self,
                      const char    *table_name,
                      gint64         id,
                      const char    *reason,
                      GError       **error)
{
  const DossierTable *table;
  g_autoptr(GHashTable) row = NULL;
  g_autofree char *qt = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(DossierWriteGuard) guard = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);
  g_return_val_if_fail (table_name != NULL, FALSE);

  table = dossier_schema_lookup_table (table_name);
  if (table == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table “%s”", table_name);
      return FALSE;
    }

  if (g_str_equal (table_name, "dossier"))
    {
      /* A unit number once given is never reused or forgotten; a dossier is
       * cancelled, not deleted. */
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   _("A dossier cannot be deleted; set its status to cancelled instead."));
      return FALSE;
    }

  if (!dossier_store_begin (self, error))
    return FALSE;

  if (!(row = read_row (self, table_name, id, error)) ||
      !_dossier_auth_before_write (self, table_name, DOSSIER_AUTH_DELETE, row, &guard, error))
    goto failed;

  qt = _dossier_quote_identifier (table_name);
  sql = g_string_new ("DELETE FROM ");
  g_string_append (sql, qt);
  g_string_append (sql, " WHERE id = ?1");

  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    goto failed;

  _dossier_store_set_reason (self, reason);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  _dossier_store_set_reason (self, NULL);

  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   _("This record (%s) is still used by other records and cannot be deleted."),
                   _(table->label));
      goto failed;
    }
  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (self, error, rc, _("Deleting"));
      goto failed;
    }

  if (!touch_dossier (self, table, row, error) ||
      !_dossier_auth_after_write (self, guard, id, row, reason, error) ||
      !dossier_store_commit (self, error))
    goto failed;

  return TRUE;

failed:
  dossier_store_rollback (self);
  return FALSE;
}

gint64
dossier_store_lookup_id (DossierStore  *self,
                         const char    *table,
                         const char    *column,
                         const char    *value,
                         GError       **error)
{
  const DossierTable *t;
  g_autofree char *qt = NULL;
  g_autofree char *qc = NULL;
  g_autoptr(GString) sql = NULL;
  gint64 id = 0;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), 0);
  g_return_val_if_fail (table != NULL && column != NULL && value != NULL, 0);

  t = dossier_schema_lookup_table (table);
  if (t == NULL || dossier_schema_lookup_column (t, column) == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table or column “%s.%s”", table, column);
      return 0;
    }

  qt = _dossier_quote_identifier (table);
  qc = _dossier_quote_identifier (column);
  sql = g_string_new ("SELECT id FROM ");
  g_string_append_printf (sql, "%s WHERE %s = ?1", qt, qc);

  if (!lookup_int (self, sql->str, value, 0, &id, error))
    return 0;

  if (id == 0)
    g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                 _("There is no %s with %s “%s”."), dossier_schema_table_label (table),
                 dossier_schema_column_label (table, column), value);

  return id;
}

gint64
dossier_store_count (DossierStore *self,
                     const char   *table)
{
  g_autofree char *qt = NULL;
  g_autoptr(GString) sql = NULL;
  gint64 n = 0;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), 0);
  g_return_val_if_fail (dossier_schema_lookup_table (table) != NULL, 0);

  qt = _dossier_quote_identifier (table);
  sql = g_string_new ("SELECT count(*) FROM ");
  g_string_append (sql, qt);
  if (!query_int (self, sql->str, &n, NULL))
    return 0;

  return n;
}

char *
dossier_store_get_setting (DossierStore *self,
                           const char   *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(stmt = _dossier_store_prepare (self, "SELECT value FROM setting WHERE key = ?1", NULL)))
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

gboolean
dossier_store_set_setting (DossierStore  *self,
                           const char    *key,
                           const char    *value,
                           const char    *reason,
                           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  /* Patterns are compiled before they are stored, so that a bad one never reaches
   * the numbers made from it. */
  if (g_str_has_suffix (key, "_pattern"))
    {
      g_autoptr(DossierPattern) pattern = dossier_pattern_new (value, &local_error);

      if (pattern == NULL)
        return invalid (error, _("%s: %s"), key, local_error->message);

      /* A unit has no province to put in its number, and its serial starts again
       * each year, so without the year the numbers of one year would repeat those
       * of the last. */
      if (g_str_equal (key, "dossier.unit_number_pattern") &&
          (dossier_pattern_has_province (pattern) || strstr (value, "{YYYY}") == NULL))
        return invalid (error, _("%s: a unit number pattern needs the year {YYYY} and cannot contain {PROVINCE}"),
                        key);
    }

  id = dossier_store_lookup_id (self, "setting", "key", key, &local_error);
  if (id == 0)
    {
      const DossierField fields[] = { { "key", key }, { "value", value }, { NULL } };
      g_clear_error (&local_error);
      return dossier_store_insert (self, "setting", fields, error) != 0;
    }
  else
    {
      const DossierField fields[] = { { "value", value }, { NULL } };
      return dossier_store_update (self, "setting", id, fields, reason, error);
    }
}

char *
dossier_store_next_unit_number (DossierStore  *self,
                                int            year,
                                GError       **error)
{
  g_autofree char *source = NULL;
  g_autoptr(DossierPattern) pattern = NULL;
  sqlite3_stmt *stmt;
  gint64 serial = 0;
  char *number;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);

  source = dossier_store_get_setting (self, "dossier.unit_number_pattern");
  pattern = dossier_pattern_new (source != NULL ? source : "DSR-{YYYY}-{NNNNNN}", error);
  if (pattern == NULL)
    {
      g_prefix_error (error, _("Unit number pattern: "));
      return NULL;
    }

  if (!dossier_store_begin (self, error))
    return NULL;

  /* The serial table is bookkeeping, not a record: it is not audited, and the upsert
   * runs inside the caller's transaction so a rolled-back dossier frees its number. */
  if (!(stmt = _dossier_store_prepare (self,
                                       "INSERT INTO serial (name, year, last) VALUES ('unit', ?1, 1) "
                                       "ON CONFLICT (name, year) DO UPDATE SET last = last + 1 "
                                       "RETURNING last", error)))
    goto failed;

  sqlite3_bind_int (stmt, 1, year);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    serial = sqlite3_column_int64 (stmt, 0);
  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (self, error, rc, _("Reserving a unit number"));
      goto failed;
    }

  number = dossier_pattern_format (pattern, NULL, year, serial, error);
  if (number == NULL)
    {
      g_prefix_error (error, _("Unit number: "));
      goto failed;
    }

  if (!dossier_store_commit (self, error))
    {
      g_free (number);
      goto failed;
    }

  return number;

failed:
  dossier_store_rollback (self);
  return NULL;
}

gint64
dossier_store_create_dossier (DossierStore        *self,
                              const DossierField  *fields,
                              char               **unit_no,
                              GError             **error)
{
  g_autoptr(GArray) all = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *number = NULL;
  g_autofree char *stamp = NULL;
  DossierField f;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!dossier_store_begin (self, error))
    return 0;

  number = dossier_store_next_unit_number (self, g_date_time_get_year (now), error);
  if (number == NULL)
    goto failed;

  stamp = _dossier_store_now ();
  all = g_array_new (TRUE, TRUE, sizeof (DossierField));
  for (const DossierField *p = fields; p != NULL && p->column != NULL; p++)
    {
      if (g_str_equal (p->column, "unit_no") || g_str_equal (p->column, "created_at") ||
          g_str_equal (p->column, "updated_at"))
        {
          invalid (error, _("%s: this field is set by Dossier and cannot be entered"),
                   dossier_schema_column_label ("dossier", p->column));
          goto failed;
        }
      g_array_append_val (all, *p);
    }
  f = (DossierField) { "unit_no", number };
  g_array_append_val (all, f);
  f = (DossierField) { "created_at", stamp };
  g_array_append_val (all, f);
  f = (DossierField) { "updated_at", stamp };
  g_array_append_val (all, f);

  id = insert_row (self, "dossier", (const DossierField *)(gpointer)all->data, TRUE, error);
  if (id == 0 || !dossier_store_commit (self, error))
    goto failed;

  if (unit_no != NULL)
    *unit_no = g_steal_pointer (&number);

  return id;

failed:
  dossier_store_rollback (self);
  return 0;
}

void
dossier_audit_problem_free (DossierAuditProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->table_name);
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}
