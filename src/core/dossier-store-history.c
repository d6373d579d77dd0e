/* dossier-store-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-history"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "dossier-history.h"
#include "dossier-store-private.h"

/* Reading the audit trail of one dossier.
 *
 * The trail refers to rows by table and id only.  The rows of a dossier are found
 * two ways: those that exist now, by their dossier_id, and those deleted since (or
 * removed behind Dossier's back), by the copy of the row that their create and
 * delete entries carry as JSON.  Parameter values and step materials belong to the
 * dossier through their design iteration and processing step.
 *
 * Row ids are not AUTOINCREMENT, so the id of a deleted row can be given to a new
 * row of another dossier.  Each entry is therefore attributed by the lifetime it
 * belongs to: the row as its latest create entry up to that point recorded it (the
 * delete entry's copy, or the row as it is now, when the trail has no create entry
 * because the row was written outside Dossier).
 *
 * CASE keeps json_extract() away from values that are not JSON (field values of
 * updates, or tampered text), which it would otherwise fail on. */

#define CHILD_TABLES \
  "'design_input', 'design_iteration', 'design_confirmation', 'processing_step', " \
  "'inspection', 'release', 'delivery', 'use_record', 'adverse_event', 'attachment', " \
  "'signature'"

#define JSON_OR_NULL(v) "(CASE WHEN json_valid (" v ") THEN " v " END)"

/* The JSON copy of a's row in the lifetime a belongs to. */
#define ROW_OF_ENTRY \
  "coalesce ((SELECT " JSON_OR_NULL ("c.new_value") " FROM audit_log c" \
  "  WHERE c.table_name = a.table_name AND c.row_id = a.row_id AND c.action = 'create'" \
  "  AND c.seq <= a.seq ORDER BY c.seq DESC LIMIT 1)," \
  " (CASE WHEN a.action = 'delete' THEN " JSON_OR_NULL ("a.old_value") " END))"

/* The JSON copy of the row a create or delete entry carries. */
#define ROW_IN_ENTRY \
  "(CASE a.action WHEN 'create' THEN " JSON_OR_NULL ("a.new_value") \
  " ELSE " JSON_OR_NULL ("a.old_value") " END)"

#define ENTRY_COLUMNS \
  "a.seq, a.at, a.actor, a.action, a.table_name, a.row_id, a.field, a.old_value, " \
  "a.new_value, a.reason"

/* Parameter values hang off a design iteration, step materials off a step. */
#define PARENT_TABLE \
  "(CASE a.table_name WHEN 'parameter_value' THEN 'design_iteration' ELSE 'processing_step' END)"
#define PARENT_PATH \
  "(CASE a.table_name WHEN 'parameter_value' THEN '$.iteration_id' ELSE '$.step_id' END)"

#define LIVE_ROWS(table) \
  "    UNION ALL SELECT '" table "', id, 1 FROM \"" table "\" WHERE dossier_id = ?1"

static const char history_sql[] =
  /* Rows of the child tables: live ones (live = 1) and ones the trail knows.  The
   * trail is read in one pass; instr() skips most entries before any JSON is
   * parsed (SQLite writes the row copies without spaces, as "dossier_id":7). */
  "WITH direct (table_name, row_id, live) AS MATERIALIZED ("
  "  SELECT table_name, row_id, max (live) FROM ("
  "    SELECT 'dossier' AS table_name, 0 AS row_id, 0 AS live WHERE 0"
  LIVE_ROWS ("design_input")
  LIVE_ROWS ("design_iteration")
  LIVE_ROWS ("design_confirmation")
  LIVE_ROWS ("processing_step")
  LIVE_ROWS ("inspection")
  LIVE_ROWS ("release")
  LIVE_ROWS ("delivery")
  LIVE_ROWS ("use_record")
  LIVE_ROWS ("adverse_event")
  LIVE_ROWS ("attachment")
  LIVE_ROWS ("signature")
  "    UNION ALL SELECT a.table_name, a.row_id, 0 FROM audit_log a NOT INDEXED"
  "      WHERE a.table_name IN (" CHILD_TABLES ") AND a.action IN ('create', 'delete')"
  "      AND (CASE WHEN instr (coalesce (a.new_value, a.old_value),"
  "                            '\"dossier_id\":' || ?1) > 0"
  "           THEN json_extract (" ROW_IN_ENTRY ", '$.dossier_id') END) = ?1"
  "  ) GROUP BY table_name, row_id"
  "), "
  /* Rows that belong to a design iteration or processing step of those; live_parent
   * is the parent a live row has now. */
  "nested (table_name, row_id, parent_table, live_parent) AS MATERIALIZED ("
  "  SELECT table_name, row_id, parent_table, max (live_parent) FROM ("
  "    SELECT 'parameter_value' AS table_name, id AS row_id,"
  "      'design_iteration' AS parent_table, iteration_id AS live_parent"
  "      FROM parameter_value WHERE iteration_id IN"
  "        (SELECT row_id FROM direct WHERE table_name = 'design_iteration' AND live)"
  "    UNION ALL SELECT 'step_material', id, 'processing_step', step_id"
  "      FROM step_material WHERE step_id IN"
  "        (SELECT row_id FROM direct WHERE table_name = 'processing_step' AND live)"
  "    UNION ALL SELECT table_name, row_id, parent_table, NULL FROM ("
  "      SELECT a.table_name AS table_name, a.row_id AS row_id, " PARENT_TABLE " AS parent_table,"
  "        json_extract (" ROW_IN_ENTRY ", " PARENT_PATH ") AS parent_id"
  "      FROM audit_log a NOT INDEXED"
  "      WHERE a.table_name IN ('parameter_value', 'step_material')"
  "      AND a.action IN ('create', 'delete'))"
  "      WHERE (parent_table, parent_id) IN (SELECT table_name, row_id FROM direct)"
  "  ) GROUP BY table_name, row_id"
  ") "
  /* The dossier's own entries. */
  "SELECT " ENTRY_COLUMNS " FROM audit_log a WHERE a.table_name = 'dossier' AND a.row_id = ?1 "
  "UNION ALL "
  /* Entries of child rows, in the lifetimes that belonged to this dossier. */
  "SELECT " ENTRY_COLUMNS " FROM direct d"
  "  JOIN audit_log a ON a.table_name = d.table_name AND a.row_id = d.row_id"
  "  WHERE coalesce (json_extract (" ROW_OF_ENTRY ", '$.dossier_id'),"
  "                  CASE WHEN d.live THEN ?1 END) = ?1 "
  "UNION ALL "
  /* Entries of nested rows whose parent, at the time, belonged to this dossier. */
  "SELECT seq, at, actor, action, table_name, row_id, field, old_value, new_value, reason FROM ("
  "  SELECT " ENTRY_COLUMNS ", n.parent_table AS parent_table,"
  "    coalesce (json_extract (" ROW_OF_ENTRY ", " PARENT_PATH "), n.live_parent) AS parent_id"
  "  FROM nested n JOIN audit_log a ON a.table_name = n.table_name AND a.row_id = n.row_id) x"
  "  WHERE coalesce ((SELECT json_extract (" JSON_OR_NULL ("p.new_value") ", '$.dossier_id')"
  "                   FROM audit_log p WHERE p.table_name = x.parent_table"
  "                   AND p.row_id = x.parent_id AND p.action = 'create' AND p.seq <= x.seq"
  "                   ORDER BY p.seq DESC LIMIT 1),"
  "                  (SELECT ?1 FROM direct d WHERE d.table_name = x.parent_table"
  "                   AND d.row_id = x.parent_id AND d.live)) = ?1 "
  "ORDER BY 1";

/* A dossier imported from a filing package (dossier-import.c) has its history from
 * the exporting database, kept verbatim in imported_history, followed by this
 * database's own entries after the import.  The import wrote the dossier's
 * imported_dossier row after every other row of the dossier, so the creation entry
 * of that row is where the dossier's own history here begins; the import's creation
 * entries before it are the database's record of the import, not the dossier's. */
static const char imported_sql[] =
  "SELECT seq, at, actor, action, table_name, row_id, field, old_value, new_value, reason "
  "FROM imported_history WHERE dossier_id = ?1 ORDER BY position";

static const char import_end_sql[] =
  "SELECT max (a.seq) FROM imported_dossier i JOIN audit_log a ON a.table_name = 'imported_dossier' "
  "AND a.row_id = i.id AND a.action = 'create' WHERE i.dossier_id = ?1";

void
dossier_audit_entry_free (DossierAuditEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->table_name);
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->reason);
  g_free (entry);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static gboolean read_entries (DossierStore  *store,
                              const char    *sql,
                              gint64         dossier_id,
                              gint64         after_seq,
                              GPtrArray     *entries,
                              GError       **error);

GPtrArray *
dossier_store_dossier_audit (DossierStore  *store,
                             gint64         dossier_id,
                             GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  gint64 after_seq = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (dossier_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_entry_free);

  /* Schema 4 added imports. */
  if (dossier_store_get_schema_version (store) >= 4)
    {
      if (!read_entries (store, imported_sql, dossier_id, G_MININT64, entries, error))
        return NULL;
      if (!(stmt = _dossier_store_prepare (store, import_end_sql, error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1, dossier_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        after_seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _dossier_store_set_error (store, error, rc, _("Reading the audit trail"));
          return NULL;
        }
    }

  if (!read_entries (store, history_sql, dossier_id, after_seq, entries, error))
    return NULL;

  return g_steal_pointer (&entries);
}

static gboolean
read_entries (DossierStore  *store,
              const char    *sql,
              gint64         dossier_id,
              gint64         after_seq,
              GPtrArray     *entries,
              GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, dossier_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierAuditEntry *entry;

      if (sqlite3_column_int64 (stmt, 0) <= after_seq)
        continue;

      entry = g_new0 (DossierAuditEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->at = column_text (stmt, 1);
      entry->actor = column_text (stmt, 2);
      entry->action = column_text (stmt, 3);
      entry->table_name = column_text (stmt, 4);
      entry->row_id = sqlite3_column_int64 (stmt, 5);
      entry->field = column_text (stmt, 6);
      entry->old_value = column_text (stmt, 7);
      entry->new_value = column_text (stmt, 8);
      entry->reason = column_text (stmt, 9);
      entry->imported = sql == imported_sql;
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the audit trail"));

  return TRUE;
}

gboolean
dossier_store_read_begin (DossierStore  *store,
                          gboolean      *started,
                          GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (started != NULL, FALSE);

  /* Inside the caller's transaction the reads already share one snapshot. */
  *started = FALSE;
  if (!sqlite3_get_autocommit (dossier_store_get_handle (store)))
    return TRUE;

  /* Deferred: a read takes no write lock, so it never blocks a writer. */
  if (!_dossier_store_exec (store, "BEGIN DEFERRED", error))
    return FALSE;

  *started = TRUE;
  return TRUE;
}

void
dossier_store_read_end (DossierStore *store,
                        gboolean      started)
{
  g_return_if_fail (DOSSIER_IS_STORE (store));

  /* Nothing was written, so ending the snapshot cannot lose anything. */
  if (started)
    _dossier_store_exec (store, "COMMIT", NULL);
}
