/* dossier-store-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-audit"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-store-private.h"

/* The audit trail.
 *
 * Entries are written by SQL triggers that this file generates for every user-data
 * table after each migration, so that no code path can change a row without leaving
 * an entry in the same transaction.  The triggers call three functions that exist
 * only on the application's own connection (who acts, when, and why); a program that
 * opens the file directly cannot write audited tables without first dropping the
 * triggers, and that is exactly what verification detects.
 *
 * Entry layout: a create is one entry whose new_value is a JSON object of the row; an
 * update is one entry per changed field with its old and new value; a delete is one
 * entry whose old_value is the JSON object of the row.  Columns named "id" and
 * "updated_at" are bookkeeping and are not recorded.
 *
 * Sealing: before each commit the store links every new entry into a SHA-256 chain.
 * The hash of an entry is SHA-256 over the canonical serialisation
 *
 *   "dossier-audit-v1\n" prev_hash "\n" then for each of seq, at, actor, action,
 *   table_name, row_id, field, old_value, new_value, reason one line:
 *     "N"                  for NULL
 *     "I" <decimal>        for an integer
 *     "R" <%.17g>          for a real (C locale)
 *     "T" <bytes> ":" text for text (length in bytes, then the UTF-8 bytes)
 *     "B" <bytes> ":" hex  for a blob
 *
 * where prev_hash is the hash of the previous entry (64 zeros for the first one).
 */

static const char *excluded_columns[] = { "id", "updated_at", NULL };

static void
audit_now (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  g_autofree char *now = _dossier_store_now ();

  sqlite3_result_text (context, now, -1, SQLITE_TRANSIENT);
}

static void
audit_actor (sqlite3_context  *context,
             int               argc,
             sqlite3_value   **argv)
{
  DossierStore *self = sqlite3_user_data (context);

  sqlite3_result_text (context, dossier_store_get_actor (self), -1, SQLITE_TRANSIENT);
}

static void
audit_reason (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  DossierStore *self = sqlite3_user_data (context);
  const char *reason = _dossier_store_get_reason (self);

  if (reason != NULL)
    sqlite3_result_text (context, reason, -1, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (context);
}

void
_dossier_audit_register_functions (DossierStore *self)
{
  sqlite3 *db = dossier_store_get_handle (self);

  sqlite3_create_function (db, "dossier_audit_now", 0, SQLITE_UTF8, self, audit_now, NULL, NULL);
  sqlite3_create_function (db, "dossier_audit_actor", 0, SQLITE_UTF8, self, audit_actor, NULL, NULL);
  sqlite3_create_function (db, "dossier_audit_reason", 0, SQLITE_UTF8, self, audit_reason, NULL, NULL);
}

static gboolean
is_excluded (const char *column)
{
  return g_strv_contains (excluded_columns, column);
}

/* Tables that carry user data: all with an integer id, but the trail itself and the
 * derived search index. */
static GPtrArray *
audited_tables (DossierStore  *self,
                GError       **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dossier_store_prepare (self,
                                 "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                 "AND name NOT LIKE 'search\\_%' ESCAPE '\\' "
                                 "AND name NOT IN ('audit_log', 'serial', 'check_result') "
                                 "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (self, error, rc, _("Reading the database"));
      return NULL;
    }

  return g_steal_pointer (&tables);
}

static GPtrArray *
table_columns (DossierStore  *self,
               const char    *table,
               GError       **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* table_xinfo as a table-valued function takes the table name as a bound value. */
  stmt = _dossier_store_prepare (self, "SELECT name FROM pragma_table_info (?1) ORDER BY cid", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);
      if (!is_excluded (name))
        g_ptr_array_add (columns, g_strdup (name));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (self, error, rc, _("Reading the database"));
      return NULL;
    }

  return g_steal_pointer (&columns);
}

static char *
quote_literal (const char *text)
{
  g_autoptr(GString) s = g_string_new ("'");

  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (s, '\'');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* json_object ('a', PREFIX."a", 'b', PREFIX."b", …) */
static char *
json_of_row (GPtrArray  *columns,
             const char *prefix)
{
  g_autoptr(GString) s = g_string_new ("json_object (");

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *lit = quote_literal (g_ptr_array_index (columns, i));
      g_autofree char *ident = _dossier_quote_identifier (g_ptr_array_index (columns, i));

      g_string_append_printf (s, "%s%s, %s.%s", i ? ", " : "", lit, prefix, ident);
    }
  g_string_append (s, ")");

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
install_table_triggers (DossierStore  *self,
                        const char    *table,
                        GError       **error)
{
  g_autoptr(GPtrArray) columns = table_columns (self, table, error);
  g_autofree char *qt = _dossier_quote_identifier (table);
  g_autofree char *lt = quote_literal (table);
  g_autofree char *json_new = NULL;
  g_autofree char *json_old = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *head = "INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value, new_value, reason) ";

  if (columns == NULL)
    return FALSE;

  json_new = json_of_row (columns, "NEW");
  json_old = json_of_row (columns, "OLD");

  g_string_append_printf (sql,
                          "CREATE TRIGGER \"auditgen_%s_insert\" AFTER INSERT ON %s BEGIN %s"
                          "VALUES (dossier_audit_now (), dossier_audit_actor (), 'create', %s, NEW.id, NULL, NULL, %s, dossier_audit_reason ()); END;\n",
                          table, qt, head, lt, json_new);

  g_string_append_printf (sql,
                          "CREATE TRIGGER \"auditgen_%s_delete\" AFTER DELETE ON %s BEGIN %s"
                          "VALUES (dossier_audit_now (), dossier_audit_actor (), 'delete', %s, OLD.id, NULL, %s, NULL, dossier_audit_reason ()); END;\n",
                          table, qt, head, lt, json_old);

  /* One entry per changed field, in column order. */
  g_string_append_printf (sql,
                          "CREATE TRIGGER \"auditgen_%s_update\" AFTER UPDATE ON %s BEGIN %s"
                          "SELECT dossier_audit_now (), dossier_audit_actor (), 'update', %s, NEW.id, f, o, n, dossier_audit_reason () FROM (",
                          table, qt, head, lt);
  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *lit = quote_literal (g_ptr_array_index (columns, i));
      g_autofree char *ident = _dossier_quote_identifier (g_ptr_array_index (columns, i));

      g_string_append_printf (sql, "%sSELECT %u AS k, %s AS f, OLD.%s AS o, NEW.%s AS n",
                              i ? " UNION ALL " : "", i, lit, ident, ident);
    }
  g_string_append (sql, ") WHERE o IS NOT n ORDER BY k; END;\n");

  /* Row ids are what the trail refers to. */
  g_string_append_printf (sql,
                          "CREATE TRIGGER \"auditgen_%s_id\" BEFORE UPDATE OF id ON %s WHEN NEW.id IS NOT OLD.id "
                          "BEGIN SELECT RAISE (ABORT, 'record ids are immutable'); END;\n",
                          table, qt);

  return _dossier_store_exec (self, sql->str, error);
}

gboolean
_dossier_audit_install_triggers (DossierStore  *self,
                                 GError       **error)
{
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tables = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dossier_store_prepare (self,
                                 "SELECT name FROM sqlite_schema WHERE type = 'trigger' "
                                 "AND name LIKE 'auditgen\\_%' ESCAPE '\\'", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (old, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Reading the database"));

  for (guint i = 0; i < old->len; i++)
    {
      g_autofree char *ident = _dossier_quote_identifier (g_ptr_array_index (old, i));
      g_autofree char *sql = g_strconcat ("DROP TRIGGER ", ident, NULL);

      if (!_dossier_store_exec (self, sql, error))
        return FALSE;
    }

  if (!(tables = audited_tables (self, error)))
    return FALSE;

  for (guint i = 0; i < tables->len; i++)
    if (!install_table_triggers (self, g_ptr_array_index (tables, i), error))
      return FALSE;

  return TRUE;
}

/* The value the trail says a field of a row has now: the newest of the row's create
 * entry (read from its JSON) and the field's own update entries. */
static char *
expected_value_sql (const char *column)
{
  g_autofree char *lit = quote_literal (column);
  g_autofree char *path = g_strdup_printf ("$.%s", column);
  g_autofree char *lpath = quote_literal (path);

  return g_strdup_printf ("(SELECT CASE a.action WHEN 'create' THEN (CASE WHEN json_valid (a.new_value) THEN json_extract (a.new_value, %s) END) "
                          "ELSE a.new_value END FROM audit_log a WHERE a.table_name = ?1 AND a.row_id = t.id "
                          "AND (a.action = 'create' OR a.field = %s) ORDER BY a.seq DESC LIMIT 1)",
                          lpath, lit);
}

/* The audited tables and their recorded columns: table name → GPtrArray of names. */
GHashTable *
_dossier_audit_snapshot_columns (DossierStore  *self,
                                 GError       **error)
{
  g_autoptr(GHashTable) snapshot = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GPtrArray) tables = NULL;

  /* Before the first migration there are no tables, and no trail to ask. */
  if (dossier_store_get_schema_version (self) == 0)
    return g_steal_pointer (&snapshot);

  if (!(tables = audited_tables (self, error)))
    return NULL;

  for (guint i = 0; i < tables->len; i++)
    {
      GPtrArray *columns = table_columns (self, g_ptr_array_index (tables, i), error);

      if (columns == NULL)
        return NULL;
      g_hash_table_insert (snapshot, g_strdup (g_ptr_array_index (tables, i)), columns);
    }

  return g_steal_pointer (&snapshot);
}

static gboolean
contains_string (GPtrArray  *array,
                 const char *s)
{
  return array != NULL && g_ptr_array_find_with_equal_func (array, s, g_str_equal, NULL);
}

static gboolean
baseline_new_table (DossierStore  *self,
                    const char    *table,
                    GPtrArray     *columns,
                    GError       **error)
{
  g_autofree char *qt = _dossier_quote_identifier (table);
  g_autofree char *json = json_of_row (columns, "t");
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_string_append_printf (sql,
                          "INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value, new_value, reason) "
                          "SELECT dossier_audit_now (), dossier_audit_actor (), 'create', ?1, t.id, NULL, NULL, %s, dossier_audit_reason () "
                          "FROM %s t WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.table_name = ?1 AND a.row_id = t.id "
                          "AND a.action = 'create') ORDER BY t.id",
                          json, qt);
  if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Recording the audit baseline"));

  return TRUE;
}

/* After a migration, the rows of the tables it added get a create entry, and the
 * values of the columns it added get an update entry, both in the migration's own
 * name.  Changes a migration makes to columns that already existed are recorded by
 * the triggers of the previous schema.  Nothing else is touched: a value changed
 * behind the trail's back before the upgrade stays a finding of verification. */
gboolean
_dossier_audit_baseline (DossierStore  *self,
                         int            version,
                         GHashTable    *before,
                         GError       **error)
{
  g_autoptr(GPtrArray) tables = audited_tables (self, error);
  g_autofree char *actor = g_strdup_printf ("dossier (schema migration %d)", version);
  g_autofree char *saved_actor = g_strdup (dossier_store_get_actor (self));

  if (tables == NULL)
    return FALSE;

  dossier_store_set_actor (self, actor);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autoptr(GPtrArray) columns = table_columns (self, table, error);
      g_autofree char *qt = _dossier_quote_identifier (table);
      g_autoptr(GString) sql = g_string_new (NULL);
      GPtrArray *old_columns = g_hash_table_lookup (before, table);
      gboolean new_table = !g_hash_table_contains (before, table);

      if (columns == NULL)
        goto failed;

      if (new_table && !baseline_new_table (self, table, columns, error))
        goto failed;

      for (guint c = 0; !new_table && c < columns->len; c++)
        {
          const char *column = g_ptr_array_index (columns, c);
          g_autofree char *qc = NULL;
          g_autofree char *lc = NULL;
          g_autofree char *expected = NULL;
          sqlite3_stmt *stmt;
          int rc;

          if (contains_string (old_columns, column))
            continue;

          qc = _dossier_quote_identifier (column);
          lc = quote_literal (column);
          expected = expected_value_sql (column);
          g_string_truncate (sql, 0);
          g_string_append_printf (sql,
                                  "INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value, new_value, reason) "
                                  "SELECT dossier_audit_now (), dossier_audit_actor (), 'update', ?1, id, %s, e, v, dossier_audit_reason () "
                                  "FROM (SELECT t.id AS id, t.%s AS v, %s AS e FROM %s t) WHERE v IS NOT e ORDER BY id",
                                  lc, qc, expected, qt);
          if (!(stmt = _dossier_store_prepare (self, sql->str, error)))
            goto failed;
          sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              _dossier_store_set_error (self, error, rc, _("Recording the audit baseline"));
              goto failed;
            }
        }
    }

  dossier_store_set_actor (self, saved_actor);
  return TRUE;

failed:
  dossier_store_set_actor (self, saved_actor);
  return FALSE;
}

gint64
_dossier_audit_last_seq (DossierStore  *self,
                         GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  /* Before the first migration there is no trail yet. */
  if (dossier_store_get_schema_version (self) == 0)
    return 0;

  if (!(stmt = _dossier_store_prepare (self, "SELECT max (seq) FROM audit_log", error)))
    return -1;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      _dossier_store_set_error (self, error, rc, _("Reading the audit trail"));
      return -1;
    }

  return seq;
}

static void
append_value (GString      *s,
              sqlite3_stmt *row,
              int           column)
{
  switch (sqlite3_column_type (row, column))
    {
    case SQLITE_NULL:
      g_string_append (s, "N\n");
      break;

    case SQLITE_INTEGER:
      g_string_append_printf (s, "I%" G_GINT64_FORMAT "\n", (gint64)sqlite3_column_int64 (row, column));
      break;

    case SQLITE_FLOAT:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append_printf (s, "R%s\n", g_ascii_formatd (buf, sizeof buf, "%.17g",
                                                             sqlite3_column_double (row, column)));
        break;
      }

    case SQLITE_TEXT:
      {
        const char *text = (const char *)sqlite3_column_text (row, column);
        int len = sqlite3_column_bytes (row, column);

        g_string_append_printf (s, "T%d:", len);
        g_string_append_len (s, text, len);
        g_string_append_c (s, '\n');
        break;
      }

    case SQLITE_BLOB:
    default:
      {
        const guchar *data = sqlite3_column_blob (row, column);
        int len = sqlite3_column_bytes (row, column);

        g_string_append_printf (s, "B%d:", len);
        for (int i = 0; i < len; i++)
          g_string_append_printf (s, "%02x", data[i]);
        g_string_append_c (s, '\n');
        break;
      }
    }
}

/* row: seq, at, actor, action, table_name, row_id, field, old_value, new_value, reason
 * as columns 0..9. */
char *
_dossier_audit_entry_hash (const char   *prev_hash,
                           sqlite3_stmt *row)
{
  g_autoptr(GString) s = g_string_new ("dossier-audit-v1\n");

  g_string_append (s, prev_hash);
  g_string_append_c (s, '\n');
  for (int i = 0; i < 10; i++)
    append_value (s, row, i);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)s->str, s->len);
}

#define ENTRY_COLUMNS "seq, at, actor, action, table_name, row_id, field, old_value, new_value, reason"

gboolean
_dossier_audit_seal (DossierStore  *self,
                     gint64         after_seq,
                     GError       **error)
{
  g_autofree char *prev = NULL;
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 last = after_seq;
  int rc;

  if (dossier_store_get_schema_version (self) == 0 && after_seq == 0)
    {
      /* The first migration creates the trail inside this very transaction. */
      sqlite3_stmt *probe = NULL;
      if (sqlite3_prepare_v2 (dossier_store_get_handle (self),
                              "SELECT 1 FROM audit_log LIMIT 1", -1, &probe, NULL) != SQLITE_OK)
        {
          sqlite3_finalize (probe);
          return TRUE;
        }
      sqlite3_finalize (probe);
    }

  if (after_seq > 0)
    {
      if (!(stmt = _dossier_store_prepare (self, "SELECT hash FROM audit_log WHERE seq = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after_seq);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
        prev = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (prev == NULL)
        {
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CORRUPT,
                       _("The audit trail is damaged: entry %" PRId64 " is not sealed. Run “dossier-cli audit verify”."),
                       after_seq);
          return FALSE;
        }
    }
  else
    prev = g_strdup (DOSSIER_AUDIT_GENESIS);

  /* In batches, so that a transaction of a million entries does not hold them all
   * in memory, and so that the reading statement is done before the rows change. */
  for (;;)
    {
      sqlite3_stmt *update;

      g_array_set_size (seqs, 0);
      g_ptr_array_set_size (hashes, 0);

      if (!(stmt = _dossier_store_prepare (self, "SELECT " ENTRY_COLUMNS " FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT 2000", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, last);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 seq = sqlite3_column_int64 (stmt, 0);
          char *hash = _dossier_audit_entry_hash (prev, stmt);

          g_array_append_val (seqs, seq);
          g_ptr_array_add (hashes, g_strdup (prev));
          g_ptr_array_add (hashes, hash);
          g_free (prev);
          prev = g_strdup (hash);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _dossier_store_set_error (self, error, rc, _("Sealing the audit trail"));

      if (seqs->len == 0)
        break;

      if (!(update = _dossier_store_prepare (self, "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3", error)))
        return FALSE;
      for (guint i = 0; i < seqs->len; i++)
        {
          sqlite3_reset (update);
          sqlite3_bind_text (update, 1, g_ptr_array_index (hashes, 2 * i), -1, SQLITE_STATIC);
          sqlite3_bind_text (update, 2, g_ptr_array_index (hashes, 2 * i + 1), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (update, 3, g_array_index (seqs, gint64, i));
          rc = sqlite3_step (update);
          if (rc != SQLITE_DONE)
            {
              sqlite3_reset (update);
              return _dossier_store_set_error (self, error, rc, _("Sealing the audit trail"));
            }
        }
      sqlite3_reset (update);
      sqlite3_clear_bindings (update);
      last = g_array_index (seqs, gint64, seqs->len - 1);
    }

  return TRUE;
}

static void
add_problem (GPtrArray               *problems,
             DossierAuditProblemKind  kind,
             gint64                   seq,
             const char              *table,
             gint64                   row_id,
             const char              *field,
             char                    *message)
{
  DossierAuditProblem *p = g_new0 (DossierAuditProblem, 1);

  p->kind = kind;
  p->seq = seq;
  p->table_name = g_strdup (table);
  p->row_id = row_id;
  p->field = g_strdup (field);
  p->message = message;
  g_ptr_array_add (problems, p);
}

static gboolean
verify_chain (DossierStore  *self,
              GPtrArray     *problems,
              GError       **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *prev = g_strdup (DOSSIER_AUDIT_GENESIS);
  gint64 prev_seq = 0;
  int rc;

  /* Not cached: this walks the whole trail once. */
  rc = sqlite3_prepare_v2 (dossier_store_get_handle (self),
                           "SELECT " ENTRY_COLUMNS ", prev_hash, hash FROM audit_log ORDER BY seq",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _dossier_store_set_error (self, error, rc, _("Reading the audit trail"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *stored_prev = (const char *)sqlite3_column_text (stmt, 10);
      const char *stored_hash = (const char *)sqlite3_column_text (stmt, 11);
      g_autofree char *computed = NULL;

      if (stored_hash == NULL)
        {
          add_problem (problems, DOSSIER_AUDIT_PROBLEM_UNSEALED, seq, NULL, 0, NULL,
                       g_strdup_printf (_("Audit entry %" PRId64 " is not sealed into the chain: it was written outside Dossier."), seq));
          continue;
        }

      if (g_strcmp0 (stored_prev, prev) != 0)
        {
          if (seq == prev_seq + 2)
            add_problem (problems, DOSSIER_AUDIT_PROBLEM_CHAIN, seq, NULL, 0, NULL,
                         g_strdup_printf (_("Audit entry %" PRId64 " is missing: the chain is broken before entry %" PRId64 "."),
                                          prev_seq + 1, seq));
          else if (seq != prev_seq + 1)
            add_problem (problems, DOSSIER_AUDIT_PROBLEM_CHAIN, seq, NULL, 0, NULL,
                         g_strdup_printf (_("Audit entries %" PRId64 " to %" PRId64 " are missing: the chain is broken before entry %" PRId64 "."),
                                          prev_seq + 1, seq - 1, seq));
          else
            add_problem (problems, DOSSIER_AUDIT_PROBLEM_CHAIN, seq, NULL, 0, NULL,
                         g_strdup_printf (_("Audit entry %" PRId64 " does not link to entry %" PRId64 ": the chain was altered."),
                                          seq, prev_seq));
        }

      computed = _dossier_audit_entry_hash (stored_prev != NULL ? stored_prev : "", stmt);
      if (!g_str_equal (computed, stored_hash))
        add_problem (problems, DOSSIER_AUDIT_PROBLEM_CHAIN, seq,
                     (const char *)sqlite3_column_text (stmt, 4), sqlite3_column_int64 (stmt, 5), NULL,
                     g_strdup_printf (_("Audit entry %" PRId64 " was changed after it was written (its hash does not match its content)."), seq));

      g_free (prev);
      prev = g_strdup (stored_hash);
      prev_seq = seq;
    }

  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Reading the audit trail"));

  return TRUE;
}

static gboolean
run_problem_query (DossierStore            *self,
                   const char              *sql,
                   const char              *table,
                   const char              *field,
                   DossierAuditProblemKind  kind,
                   GPtrArray               *problems,
                   GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (dossier_store_get_handle (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _dossier_store_set_error (self, error, rc, _("Checking the audit trail"));

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 row_id = sqlite3_column_int64 (stmt, 0);
      char *message;

      switch (kind)
        {
        case DOSSIER_AUDIT_PROBLEM_MISMATCH:
          message = g_strdup_printf (_("%s %" PRId64 ", field “%s”: the value is “%s” but the audit trail says “%s”: it was changed outside Dossier."),
                                     table, row_id, field,
                                     sqlite3_column_type (stmt, 1) == SQLITE_NULL ? "NULL" : (const char *)sqlite3_column_text (stmt, 1),
                                     sqlite3_column_type (stmt, 2) == SQLITE_NULL ? "NULL" : (const char *)sqlite3_column_text (stmt, 2));
          break;

        case DOSSIER_AUDIT_PROBLEM_UNRECORDED:
          message = g_strdup_printf (_("%s %" PRId64 " has no creation entry in the audit trail: it was added outside Dossier."),
                                     table, row_id);
          break;

        case DOSSIER_AUDIT_PROBLEM_VANISHED:
        default:
          message = g_strdup_printf (_("%s %" PRId64 " was deleted without an audit entry: it was removed outside Dossier."),
                                     table, row_id);
          break;
        }

      add_problem (problems, kind, 0, table, row_id, field, message);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Checking the audit trail"));

  return TRUE;
}

/* Replays the trail against the data: every row must have been created through the
 * trail, every field must hold the last value the trail gave it, and every row the
 * trail created and did not delete must still be there. */
static gboolean
trigger_exists (DossierStore  *self,
                const char    *name,
                gboolean      *exists,
                GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (self, "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Checking the audit trail"));

  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* A dropped trigger is how the trail is switched off from outside; whatever was
 * changed while it was off shows up below, but the switch itself is a finding too,
 * since the next change made that way would otherwise go unrecorded. */
static gboolean
verify_triggers (DossierStore  *self,
                 GPtrArray     *problems,
                 GError       **error)
{
  static const char *guards[] = { "audit_log_append_only_delete", "audit_log_append_only_update", NULL };
  static const char *kinds[] = { "insert", "update", "delete", "id", NULL };
  g_autoptr(GPtrArray) tables = audited_tables (self, error);
  gboolean exists;

  if (tables == NULL)
    return FALSE;

  for (guint i = 0; guards[i] != NULL; i++)
    {
      if (!trigger_exists (self, guards[i], &exists, error))
        return FALSE;
      if (!exists)
        add_problem (problems, DOSSIER_AUDIT_PROBLEM_DISABLED, 0, "audit_log", 0, NULL,
                     g_strdup_printf (_("The guard “%s” that keeps the audit trail append-only was removed outside Dossier."),
                                      guards[i]));
    }

  for (guint i = 0; i < tables->len; i++)
    for (guint k = 0; kinds[k] != NULL; k++)
      {
        const char *table = g_ptr_array_index (tables, i);
        g_autofree char *name = g_strdup_printf ("auditgen_%s_%s", table, kinds[k]);

        if (!trigger_exists (self, name, &exists, error))
          return FALSE;
        if (!exists)
          add_problem (problems, DOSSIER_AUDIT_PROBLEM_DISABLED, 0, table, 0, NULL,
                       g_strdup_printf (_("Recording of changes to %s was switched off outside Dossier (trigger “%s” removed)."),
                                        table, name));
      }

  return TRUE;
}

static gboolean
verify_data (DossierStore  *self,
             GPtrArray     *problems,
             GError       **error)
{
  g_autoptr(GPtrArray) tables = audited_tables (self, error);

  if (tables == NULL)
    return FALSE;

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autoptr(GPtrArray) columns = table_columns (self, table, error);
      g_autofree char *qt = _dossier_quote_identifier (table);
      g_autoptr(GString) sql = g_string_new (NULL);

      if (columns == NULL)
        return FALSE;

      g_string_append_printf (sql,
                              "SELECT t.id FROM %s t WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                              "WHERE a.table_name = ?1 AND a.row_id = t.id AND a.action = 'create') ORDER BY t.id",
                              qt);
      if (!run_problem_query (self, sql->str, table, NULL, DOSSIER_AUDIT_PROBLEM_UNRECORDED, problems, error))
        return FALSE;

      g_string_truncate (sql, 0);
      g_string_append_printf (sql,
                              "SELECT a.row_id FROM audit_log a WHERE a.table_name = ?1 AND a.action = 'create' "
                              "AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = a.row_id) "
                              "AND NOT EXISTS (SELECT 1 FROM audit_log b WHERE b.table_name = ?1 AND b.row_id = a.row_id "
                              "AND b.action = 'delete' AND b.seq > a.seq) ORDER BY a.row_id",
                              qt);
      if (!run_problem_query (self, sql->str, table, NULL, DOSSIER_AUDIT_PROBLEM_VANISHED, problems, error))
        return FALSE;

      for (guint c = 0; c < columns->len; c++)
        {
          const char *column = g_ptr_array_index (columns, c);
          g_autofree char *qc = _dossier_quote_identifier (column);
          g_autofree char *expected = expected_value_sql (column);

          g_string_truncate (sql, 0);
          g_string_append_printf (sql,
                                  "SELECT id, v, e FROM (SELECT t.id AS id, t.%s AS v, %s AS e FROM %s t "
                                  "WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.table_name = ?1 AND a.row_id = t.id "
                                  "AND a.action = 'create')) WHERE v IS NOT e ORDER BY id",
                                  qc, expected, qt);
          if (!run_problem_query (self, sql->str, table, column, DOSSIER_AUDIT_PROBLEM_MISMATCH, problems, error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
dossier_store_audit_head (DossierStore  *self,
                          gint64        *seq,
                          char         **hash,
                          GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);
  g_return_val_if_fail (seq != NULL && hash != NULL, FALSE);

  *seq = 0;
  *hash = g_strdup (DOSSIER_AUDIT_GENESIS);

  if (!(stmt = _dossier_store_prepare (self, "SELECT seq, hash FROM audit_log WHERE hash IS NOT NULL "
                                             "ORDER BY seq DESC LIMIT 1", error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (stmt, 0);
      g_free (*hash);
      *hash = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Reading the audit trail"));

  return TRUE;
}

/* Attachment content lives beside the database (see dossier-store-attachments.c).  A
 * record whose file is gone, or has another size, lost its content outside Dossier.
 * Only presence and size are checked: hashing every file would make verification as
 * slow as reading every attachment. */
static gboolean
verify_attachments (DossierStore  *self,
                    GPtrArray     *problems,
                    GError       **error)
{
  g_autofree char *dir = dossier_store_get_attachment_dir (self);
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (dossier_store_get_handle (self),
                           "SELECT id, sha256, size FROM attachment ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return _dossier_store_set_error (self, error, rc, _("Checking the attachments"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *sha256 = (const char *)sqlite3_column_text (stmt, 1);
      gint64 size = sqlite3_column_int64 (stmt, 2);
      g_autofree char *file = NULL;
      char sub[3];
      GStatBuf st;

      if (sha256 == NULL || strlen (sha256) < 2)
        continue;
      sub[0] = sha256[0];
      sub[1] = sha256[1];
      sub[2] = '\0';
      file = g_build_filename (dir, sub, sha256, NULL);

      if (g_stat (file, &st) != 0)
        add_problem (problems, DOSSIER_AUDIT_PROBLEM_ATTACHMENT, 0, "attachment", id, NULL,
                     g_strdup_printf (_("attachment %" PRId64 " has lost its content: the file “%s” is missing."),
                                      id, file));
      else if ((gint64)st.st_size != size)
        add_problem (problems, DOSSIER_AUDIT_PROBLEM_ATTACHMENT, 0, "attachment", id, NULL,
                     g_strdup_printf (_("attachment %" PRId64 ": the file “%s” has %" PRId64 " bytes but the record says %" PRId64 ": it was changed outside Dossier."),
                                      id, file, (gint64)st.st_size, size));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (self, error, rc, _("Checking the attachments"));

  return TRUE;
}

gboolean
dossier_store_audit_verify (DossierStore  *self,
                            GPtrArray     *problems,
                            GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  /* One read transaction, so that the chain and the data are checked at the same
   * instant even while another process writes. */
  if (!_dossier_store_exec (self, "BEGIN", error))
    return FALSE;

  if (!_dossier_store_quick_check (self, error) ||
      !verify_chain (self, problems, error) ||
      !verify_triggers (self, problems, error) ||
      !verify_data (self, problems, error) ||
      !verify_attachments (self, problems, error))
    {
      _dossier_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }

  _dossier_store_exec (self, "COMMIT", NULL);
  return TRUE;
}
