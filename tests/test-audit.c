/* test-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-audit"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-store.h"
#include "dossier-test-util.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

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
  f->path = g_build_filename (f->dir, "audit.db", NULL);
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

static gint64
last_seq (Fixture *f)
{
  return dt_query_int (f->store, "SELECT coalesce (max (seq), 0) FROM audit_log");
}

/* An audit entry as text (NULL for SQL NULL). */
typedef struct
{
  gint64  seq;
  char   *at;
  char   *actor;
  char   *action;
  char   *table_name;
  gint64  row_id;
  char   *field;
  char   *old_value;
  char   *new_value;
  char   *reason;
  char   *prev_hash;
  char   *hash;
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->at);
  g_free (e->actor);
  g_free (e->action);
  g_free (e->table_name);
  g_free (e->field);
  g_free (e->old_value);
  g_free (e->new_value);
  g_free (e->reason);
  g_free (e->prev_hash);
  g_free (e->hash);
  g_free (e);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           i)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL ? NULL : g_strdup ((const char *)sqlite3_column_text (stmt, i));
}

/* The canonical serialisation of docs/audit-trail.md, written again here from the
 * document, so that an outside verifier following it gets the same hashes. */
static void
append_canonical (GString      *s,
                  sqlite3_stmt *stmt,
                  int           i)
{
  switch (sqlite3_column_type (stmt, i))
    {
    case SQLITE_NULL:
      g_string_append (s, "N\n");
      break;
    case SQLITE_INTEGER:
      g_string_append_printf (s, "I%" G_GINT64_FORMAT "\n", (gint64)sqlite3_column_int64 (stmt, i));
      break;
    case SQLITE_FLOAT:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append_printf (s, "R%s\n", g_ascii_formatd (buf, sizeof buf, "%.17g", sqlite3_column_double (stmt, i)));
        break;
      }
    case SQLITE_TEXT:
      g_string_append_printf (s, "T%d:", sqlite3_column_bytes (stmt, i));
      g_string_append_len (s, (const char *)sqlite3_column_text (stmt, i), sqlite3_column_bytes (stmt, i));
      g_string_append_c (s, '\n');
      break;
    default:
      {
        const guint8 *data = sqlite3_column_blob (stmt, i);
        int len = sqlite3_column_bytes (stmt, i);

        g_string_append_printf (s, "B%d:", len);
        for (int k = 0; k < len; k++)
          g_string_append_printf (s, "%02x", data[k]);
        g_string_append_c (s, '\n');
      }
    }
}

#define ENTRY_SQL "SELECT seq, at, actor, action, table_name, row_id, field, old_value, new_value, reason, " \
                  "prev_hash, hash FROM audit_log"

/* Entries with seq > after, in order; with the hash recomputed from the content and
 * the stored prev_hash. */
static GPtrArray *
read_entries (DossierStore *store,
              gint64        after,
              GPtrArray   **computed)
{
  sqlite3 *db = dossier_store_get_handle (store);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  sqlite3_stmt *stmt = NULL;

  if (computed != NULL)
    *computed = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_prepare_v2 (db, ENTRY_SQL " WHERE seq > ?1 ORDER BY seq", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, after);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Entry *e = g_new0 (Entry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->at = column_text (stmt, 1);
      e->actor = column_text (stmt, 2);
      e->action = column_text (stmt, 3);
      e->table_name = column_text (stmt, 4);
      e->row_id = sqlite3_column_int64 (stmt, 5);
      e->field = column_text (stmt, 6);
      e->old_value = column_text (stmt, 7);
      e->new_value = column_text (stmt, 8);
      e->reason = column_text (stmt, 9);
      e->prev_hash = column_text (stmt, 10);
      e->hash = column_text (stmt, 11);
      g_ptr_array_add (entries, e);

      if (computed != NULL)
        {
          g_autoptr(GString) s = g_string_new ("dossier-audit-v1\n");

          g_string_append (s, e->prev_hash != NULL ? e->prev_hash : "");
          g_string_append_c (s, '\n');
          for (int i = 0; i < 10; i++)
            append_canonical (s, stmt, i);
          g_ptr_array_add (*computed, g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)s->str, s->len));
        }
    }
  sqlite3_finalize (stmt);

  return entries;
}

static char *
json_field (DossierStore *store,
            const char   *json,
            const char   *field)
{
  sqlite3 *db = dossier_store_get_handle (store);
  g_autofree char *path = g_strdup_printf ("$.%s", field);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT json_extract (?1, ?2)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = column_text (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static void
assert_timestamp (const char *at)
{
  /* ISO 8601 with a UTC offset, so that entries from machines in different zones
   * compare; main() runs the tests in UTC+8, so that is the offset. */
  g_assert_nonnull (at);
  if (!g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([+-][0-9]{2}:[0-9]{2}|Z)$",
                             at, 0, 0))
    g_error ("“%s” is not an ISO 8601 time with a UTC offset", at);
  g_assert_true (g_str_has_suffix (at, "+08:00"));
}

/* Entries ----------------------------------------------------------------------- */

static void
test_entries (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gint64 base, id;
  Entry *e;

  dossier_store_set_actor (f->store, "alice");
  g_assert_cmpstr (dossier_store_get_actor (f->store), ==, "alice");

  /* Create: one entry with the whole row. */
  base = last_seq (f);
  id = dt_insert (f->store, "patient", (DossierField[]) {
    { "code", "P-AUDIT-1" }, { "sex", "female" }, { "birth_year", "1980" }, { NULL } });
  entries = read_entries (f->store, base, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->action, ==, "create");
  g_assert_cmpstr (e->table_name, ==, "patient");
  g_assert_cmpint (e->row_id, ==, id);
  g_assert_cmpstr (e->actor, ==, "alice");
  g_assert_null (e->field);
  g_assert_null (e->old_value);
  g_assert_null (e->reason);
  assert_timestamp (e->at);
  value = json_field (f->store, e->new_value, "code");
  g_assert_cmpstr (value, ==, "P-AUDIT-1");
  g_clear_pointer (&value, g_free);
  value = json_field (f->store, e->new_value, "birth_year");
  g_assert_cmpstr (value, ==, "1980");
  g_clear_pointer (&value, g_free);
  /* The id is the entry's row_id, not part of the recorded values. */
  value = json_field (f->store, e->new_value, "id");
  g_assert_null (value);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Update: one entry per changed field, in column order, with the reason. */
  dossier_store_set_actor (f->store, "bob");
  base = last_seq (f);
  dt_update (f->store, "patient", id, (DossierField[]) {
    { "code", "P-AUDIT-1" }, { "sex", "male" }, { "birth_year", "1981" }, { NULL } }, "Transcription error");
  entries = read_entries (f->store, base, NULL);
  g_assert_cmpuint (entries->len, ==, 2);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->action, ==, "update");
  g_assert_cmpint (e->row_id, ==, id);
  g_assert_cmpstr (e->field, ==, "sex");
  g_assert_cmpstr (e->old_value, ==, "female");
  g_assert_cmpstr (e->new_value, ==, "male");
  g_assert_cmpstr (e->reason, ==, "Transcription error");
  g_assert_cmpstr (e->actor, ==, "bob");
  assert_timestamp (e->at);
  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->field, ==, "birth_year");
  g_assert_cmpstr (e->old_value, ==, "1980");
  g_assert_cmpstr (e->new_value, ==, "1981");
  g_assert_cmpstr (e->reason, ==, "Transcription error");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* An update that changes nothing leaves nothing; the reason does not leak into
   * the next write. */
  base = last_seq (f);
  dt_update (f->store, "patient", id, (DossierField[]) { { "sex", "male" }, { NULL } }, "No change");
  g_assert_cmpint (last_seq (f), ==, base);
  dt_update (f->store, "patient", id, (DossierField[]) { { "sex", "unknown" }, { NULL } }, NULL);
  entries = read_entries (f->store, base, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_null (((Entry *)g_ptr_array_index (entries, 0))->reason);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* A dossier's own bookkeeping column is not recorded. */
  base = last_seq (f);
  dt_update (f->store, "dossier", f->rows.customized, (DossierField[]) { { "notes", "Rush order" }, { NULL } }, "Clinic call");
  entries = read_entries (f->store, base, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((Entry *)g_ptr_array_index (entries, 0))->field, ==, "notes");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Delete: one entry with the whole row as it was. */
  base = last_seq (f);
  g_assert_true (dossier_store_delete (f->store, "patient", id, "Registered twice", &error));
  g_assert_no_error (error);
  entries = read_entries (f->store, base, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->action, ==, "delete");
  g_assert_cmpint (e->row_id, ==, id);
  g_assert_cmpstr (e->reason, ==, "Registered twice");
  g_assert_null (e->new_value);
  value = json_field (f->store, e->old_value, "sex");
  g_assert_cmpstr (value, ==, "unknown");
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* The id of the deleted row may be given again; the trail keeps both apart. */
  id = dt_insert (f->store, "patient", (DossierField[]) { { "code", "P-AUDIT-2" }, { "sex", "female" }, { NULL } });
  dt_assert_audit_clean (f->store);
}

/* Entries are written in the transaction of the change: visible inside it, gone
 * with its rollback, sealed by its commit. */
static void
test_same_transaction (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 base = last_seq (f);
  gint64 id;

  g_assert_true (dossier_store_begin (f->store, &error));
  id = dt_insert (f->store, "patient", (DossierField[]) { { "code", "P-TX-1" }, { "sex", "male" }, { NULL } });
  dt_update (f->store, "patient", id, (DossierField[]) { { "sex", "female" }, { NULL } }, "fix");
  dt_update (f->store, "institution", f->rows.institution, (DossierField[]) { { "grade", "三级甲等" }, { NULL } }, NULL);
  g_assert_cmpint (last_seq (f), ==, base + 3);
  /* Not sealed until the commit. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log WHERE hash IS NULL"), ==, 3);
  dossier_store_rollback (f->store);

  g_assert_cmpint (last_seq (f), ==, base);
  g_assert_cmpint (dossier_store_lookup_id (f->store, "patient", "code", "P-TX-1", NULL), ==, 0);

  g_assert_true (dossier_store_begin (f->store, &error));
  id = dt_insert (f->store, "patient", (DossierField[]) { { "code", "P-TX-2" }, { "sex", "male" }, { NULL } });
  dt_update (f->store, "patient", id, (DossierField[]) { { "sex", "female" }, { NULL } }, "fix");
  g_assert_true (dossier_store_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (last_seq (f), ==, base + 2);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log WHERE hash IS NULL"), ==, 0);
  dt_assert_audit_clean (f->store);
}

static void
test_chain (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) computed = NULL;
  g_autoptr(GPtrArray) entries = read_entries (f->store, 0, &computed);
  const char *prev = GENESIS;
  gint64 head_seq = 0;
  g_autofree char *head_hash = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (entries->len, >, 30);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);

      /* seq has no gaps, each entry links to the one before, and its hash is what
       * the documented serialisation gives. */
      g_assert_cmpint (e->seq, ==, i + 1);
      g_assert_cmpstr (e->prev_hash, ==, prev);
      g_assert_nonnull (e->hash);
      g_assert_cmpuint (strlen (e->hash), ==, 64);
      g_assert_cmpstr (e->hash, ==, g_ptr_array_index (computed, i));
      assert_timestamp (e->at);
      g_assert_nonnull (e->actor);
      prev = e->hash;
    }

  g_assert_true (dossier_store_audit_head (f->store, &head_seq, &head_hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (head_seq, ==, entries->len);
  g_assert_cmpstr (head_hash, ==, prev);

  dt_assert_audit_clean (f->store);
}

/* The migration writes the settings; the trail records them in its own name, so that
 * a fresh database verifies and a later change to them behind the back does not. */
static void
test_baseline (void)
{
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "fresh.db", NULL);
  g_autoptr(DossierStore) store = dt_open (path);
  g_autoptr(GPtrArray) entries = read_entries (store, 0, NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *out = NULL;
  gint64 n_settings = dossier_store_count (store, "setting");
  gint64 row;
  DossierAuditProblem *p;

  g_assert_cmpint (n_settings, >=, 6);
  g_assert_cmpuint (entries->len, >=, n_settings);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);
      g_autofree char *sql = NULL;

      /* Every row the migrations wrote is recorded once, in their name. */
      g_assert_cmpstr (e->action, ==, "create");
      if (!g_regex_match_simple ("^dossier \\(schema migration [0-9]+\\)$", e->actor, 0, 0))
        g_error ("entry %" G_GINT64_FORMAT " is by “%s”", e->seq, e->actor);
      g_assert_nonnull (strstr (e->reason, "schema migration"));
      sql = g_strdup_printf ("SELECT count(*) FROM \"%s\" WHERE id = %" G_GINT64_FORMAT, e->table_name, e->row_id);
      g_assert_cmpint (dt_query_int (store, sql), ==, 1);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE table_name = '%s' AND row_id = %" G_GINT64_FORMAT,
                             e->table_name, e->row_id);
      g_assert_cmpint (dt_query_int (store, sql), ==, 1);
    }
  /* The settings of the first schema among them. */
  g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM setting s WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                                        "WHERE a.table_name = 'setting' AND a.row_id = s.id AND a.action = 'create' "
                                        "AND a.actor LIKE 'dossier (schema migration %')"), ==, 0);
  g_assert_cmpint (dt_query_int (store, "SELECT count(*) FROM audit_log WHERE table_name = 'setting' "
                                        "AND actor = 'dossier (schema migration 1)'"), ==, 6);
  dt_assert_audit_clean (store);
  g_clear_object (&store);

  /* Change a shipped figure from outside. */
  g_free (dt_sqlite3_ok (path, "DROP TRIGGER auditgen_setting_update;"
                               "UPDATE setting SET value = '2' WHERE key = 'retention.default_years';"));
  out = dt_sqlite3_ok (path, "SELECT id FROM setting WHERE key = 'retention.default_years'");
  row = g_ascii_strtoll (out, NULL, 10);

  store = dt_open (path);
  problems = dt_audit_problems (store);
  p = dt_find_problem (problems, DOSSIER_AUDIT_PROBLEM_MISMATCH, 0);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->table_name, ==, "setting");
  g_assert_cmpint (p->row_id, ==, row);
  g_assert_cmpstr (p->field, ==, "value");
  /* Switching the trail off is a finding of its own. */
  p = dt_find_problem (problems, DOSSIER_AUDIT_PROBLEM_DISABLED, 0);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->table_name, ==, "setting");
  g_assert_nonnull (strstr (p->message, "auditgen_setting_update"));
  g_assert_cmpuint (problems->len, ==, 2);

  g_clear_object (&store);
  dt_remove_tree (dir);
}

/* Tampering ----------------------------------------------------------------------- */

typedef struct
{
  const char              *name;
  /* SQL run with the sqlite3 tool; %S is replaced with the chosen entry's seq, %N
   * with seq + 1, %L with the last seq, %P with the patient's id. */
  const char              *sql;
  DossierAuditProblemKind  kind;
  gint64                   problem_seq;     /* 0: any; 1: the chosen one; 2: the next */
  const char              *table;           /* for data problems */
  const char              *field;
  const char              *needles[3];      /* in the message; %S/%N as above */
} TamperCase;

enum { ANY_SEQ, CHOSEN_SEQ, NEXT_SEQ };

static const TamperCase tamper_cases[] = {
  { "edit new_value",
    "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET new_value = 'female' WHERE seq = %S;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, CHOSEN_SEQ, NULL, NULL, { "%S", "changed" } },
  { "edit actor",
    "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = %S;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, CHOSEN_SEQ, NULL, NULL, { "%S" } },
  { "edit time",
    "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET at = '2020-01-01T00:00:00+08:00' WHERE seq = %S;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, CHOSEN_SEQ, NULL, NULL, { "%S" } },
  { "edit reason",
    "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET reason = 'as agreed' WHERE seq = %S;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, CHOSEN_SEQ, NULL, NULL, { "%S" } },
  { "edit value and its hash",
    NULL /* done in C: the hash needs computing */,
    DOSSIER_AUDIT_PROBLEM_CHAIN, NEXT_SEQ, NULL, NULL, { "%N", "does not link" } },
  { "delete one entry",
    "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE seq = %S;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, NEXT_SEQ, NULL, NULL, { "%S", "missing" } },
  { "delete entries",
    "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE seq BETWEEN %S AND %N;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, ANY_SEQ, NULL, NULL, { "%S", "%N", "missing" } },
  { "delete the last entry",
    "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE seq = %L;",
    DOSSIER_AUDIT_PROBLEM_UNRECORDED, ANY_SEQ, "material_lot", NULL, { "material_lot" } },
  { "insert an unsealed entry",
    "INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value, new_value) "
    "VALUES ('2026-01-01T00:00:00+08:00', 'mallory', 'update', 'patient', %P, 'sex', 'female', 'female');",
    DOSSIER_AUDIT_PROBLEM_UNSEALED, ANY_SEQ, NULL, NULL, { "not sealed" } },
  { "insert a sealed-looking entry",
    "INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value, new_value, prev_hash, hash) "
    "SELECT '2026-01-01T00:00:00+08:00', 'mallory', 'update', 'patient', %P, 'sex', 'female', 'female', hash, "
    "'1111111111111111111111111111111111111111111111111111111111111111' FROM audit_log WHERE seq = %L;",
    DOSSIER_AUDIT_PROBLEM_CHAIN, ANY_SEQ, NULL, NULL, { NULL } },
  { "change a value behind the back",
    "DROP TRIGGER auditgen_patient_update; UPDATE patient SET sex = 'male' WHERE id = %P;",
    DOSSIER_AUDIT_PROBLEM_MISMATCH, ANY_SEQ, "patient", "sex", { "patient", "sex", "male" } },
  { "insert a row behind the back",
    "DROP TRIGGER auditgen_patient_insert; INSERT INTO patient (code, sex) VALUES ('P-GHOST-1', 'male');",
    DOSSIER_AUDIT_PROBLEM_UNRECORDED, ANY_SEQ, "patient", NULL, { "patient", "no creation entry" } },
  { "delete a row behind the back",
    "DROP TRIGGER auditgen_adverse_event_delete; DELETE FROM adverse_event;",
    DOSSIER_AUDIT_PROBLEM_VANISHED, ANY_SEQ, "adverse_event", NULL, { "adverse_event", "deleted" } },
};

static char *
expand (const char *text,
        gint64      seq,
        gint64      last,
        gint64      patient)
{
  g_autoptr(GString) s = g_string_new (text);
  g_autofree char *s_seq = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  g_autofree char *n_seq = g_strdup_printf ("%" G_GINT64_FORMAT, seq + 1);
  g_autofree char *l_seq = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  g_autofree char *p_id = g_strdup_printf ("%" G_GINT64_FORMAT, patient);

  g_string_replace (s, "%S", s_seq, 0);
  g_string_replace (s, "%N", n_seq, 0);
  g_string_replace (s, "%L", l_seq, 0);
  g_string_replace (s, "%P", p_id, 0);

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Changes an entry and gives it the hash its new content would have, as somebody
 * who read docs/audit-trail.md would: only the link to the next entry gives it away. */
static void
edit_and_rehash (const char *path,
                 gint64      seq)
{
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GPtrArray) computed = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("DROP TRIGGER audit_log_append_only_update;"
                         "UPDATE audit_log SET actor = 'mallory' WHERE seq = %" G_GINT64_FORMAT ";", seq);
  g_free (dt_sqlite3_ok (path, sql));

  store = dt_open (path);
  entries = read_entries (store, seq - 1, &computed);
  g_clear_object (&store);

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE audit_log SET hash = '%s' WHERE seq = %" G_GINT64_FORMAT ";",
                         (char *)g_ptr_array_index (computed, 0), seq);
  g_free (dt_sqlite3_ok (path, sql));
}

static void
test_tampering (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      const TamperCase *c = &tamper_cases[i];
      g_autofree char *dir = dt_make_tmpdir ();
      g_autofree char *path = g_build_filename (dir, "tampered.db", NULL);
      g_autoptr(DossierStore) store = dt_open (path);
      g_autoptr(GPtrArray) problems = NULL;
      DossierAuditProblem *p;
      gint64 seq, last, want_seq;
      DtRows rows;

      dt_populate (store, &rows);
      dt_update (store, "patient", rows.patient, (DossierField[]) { { "sex", "unknown" }, { NULL } }, "Asked again");
      dt_update (store, "patient", rows.patient, (DossierField[]) { { "birth_year", "1970" }, { NULL } }, "ID card");
      dt_insert (store, "material_lot", (DossierField[]) { { "material", "PEEK" }, { "lot_no", "P-77" }, { NULL } });
      dt_assert_audit_clean (store);

      /* An entry in the middle: the update of the patient's sex. */
      seq = dt_query_int (store, "SELECT seq FROM audit_log WHERE table_name = 'patient' AND field = 'sex'");
      last = dt_query_int (store, "SELECT max (seq) FROM audit_log");
      g_assert_cmpint (seq, >, 1);
      g_assert_cmpint (seq, <, last - 1);
      g_clear_object (&store);

      if (c->sql != NULL)
        {
          g_autofree char *sql = expand (c->sql, seq, last, rows.patient);
          g_free (dt_sqlite3_ok (path, sql));
        }
      else
        edit_and_rehash (path, seq);

      store = dt_open (path);
      problems = dt_audit_problems (store);
      g_test_message ("%s: %u problems", c->name, problems->len);
      for (guint k = 0; k < problems->len; k++)
        g_test_message ("  %s", ((DossierAuditProblem *)g_ptr_array_index (problems, k))->message);

      want_seq = c->problem_seq == CHOSEN_SEQ ? seq : c->problem_seq == NEXT_SEQ ? seq + 1 : 0;
      p = dt_find_problem (problems, c->kind, want_seq);
      if (p == NULL)
        g_error ("%s: no problem of kind %d (entry %" G_GINT64_FORMAT ") found", c->name, c->kind, want_seq);
      if (c->table != NULL)
        g_assert_cmpstr (p->table_name, ==, c->table);
      if (c->field != NULL)
        g_assert_cmpstr (p->field, ==, c->field);
      if (c->kind == DOSSIER_AUDIT_PROBLEM_MISMATCH)
        g_assert_cmpint (p->row_id, ==, rows.patient);
      if (c->kind == DOSSIER_AUDIT_PROBLEM_VANISHED)
        g_assert_cmpint (p->row_id, ==, rows.adverse_event);
      for (guint n = 0; n < G_N_ELEMENTS (c->needles) && c->needles[n] != NULL; n++)
        {
          g_autofree char *needle = expand (c->needles[n], seq, last, rows.patient);

          if (strstr (p->message, needle) == NULL)
            g_error ("%s: the message should mention “%s”: %s", c->name, needle, p->message);
        }

      /* An unsealed entry at the end stops the application from writing on top of
       * it, rather than sealing it into the chain as if it were its own. */
      if (c->kind == DOSSIER_AUDIT_PROBLEM_UNSEALED)
        {
          g_autoptr(GError) error = NULL;

          g_assert_cmpint (dossier_store_insert (store, "patient", (DossierField[]) {
            { "code", "P-AFTER-1" }, { "sex", "male" }, { NULL } }, &error), ==, 0);
          g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CORRUPT);
          g_clear_pointer (&problems, g_ptr_array_unref);
          problems = dt_audit_problems (store);
          g_assert_nonnull (dt_find_problem (problems, DOSSIER_AUDIT_PROBLEM_UNSEALED, 0));
        }

      g_clear_object (&store);
      dt_remove_tree (dir);
    }
}

/* Without dropping triggers another program cannot write audited tables at all. */
static void
test_outside_write_refused (Fixture       *f,
                            gconstpointer  data)
{
  static const char *statements[] = {
    "UPDATE patient SET sex = 'male' WHERE id = 1",
    "INSERT INTO patient (code, sex) VALUES ('P-OUT-1', 'male')",
    "DELETE FROM adverse_event",
    "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1",
    "DELETE FROM audit_log WHERE seq = 1",
  };
  gint64 n_entries = last_seq (f);

  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autofree char *err = NULL;

      if (dt_sqlite3 (f->path, statements[i], NULL, &err))
        g_error ("sqlite3 “%s” should have failed", statements[i]);
      g_test_message ("%s: %s", statements[i], err);
      g_assert_true (strstr (err, "dossier_audit_") != NULL || strstr (err, "append-only") != NULL);
    }

  f->store = dt_open (f->path);
  g_assert_cmpint (last_seq (f), ==, n_entries);
  dt_assert_audit_clean (f->store);
}

/* The guard triggers hold on the application's own connection too. */
static void
test_guard_triggers (Fixture       *f,
                     gconstpointer  data)
{
  static const char *statements[] = {
    "UPDATE audit_log SET new_value = 'x' WHERE seq = 3",
    "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3",
    "UPDATE audit_log SET hash = NULL WHERE seq = 3",
    "UPDATE audit_log SET prev_hash = hash WHERE seq = 3",
    "UPDATE audit_log SET seq = 100000 WHERE seq = 3",
    "DELETE FROM audit_log WHERE seq = 3",
    "DELETE FROM audit_log",
  };
  sqlite3 *db = dossier_store_get_handle (f->store);
  g_autofree char *hash_before = dt_query_text (f->store, "SELECT hash FROM audit_log WHERE seq = 3");
  g_autofree char *hash_after = NULL;
  gint64 n_entries = last_seq (f);

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      char *message = NULL;
      int rc = sqlite3_exec (db, statements[i], NULL, NULL, &message);

      g_test_message ("%s: %s", statements[i], message);
      g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (message, "append-only"));
      sqlite3_free (message);
    }

  g_assert_cmpint (last_seq (f), ==, n_entries);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log"), ==, n_entries);
  hash_after = dt_query_text (f->store, "SELECT hash FROM audit_log WHERE seq = 3");
  g_assert_cmpstr (hash_after, ==, hash_before);
  dt_assert_audit_clean (f->store);
}

int
main (int   argc,
      char *argv[])
{
  /* A zone away from UTC (China Standard Time, as a POSIX rule so that no time
   * zone database is needed), so that the offset in the entries is visible. */
  g_setenv ("TZ", "CST-8", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/audit/entries", test_entries);
  ADD ("/audit/same-transaction", test_same_transaction);
  ADD ("/audit/chain", test_chain);
  g_test_add_func ("/audit/baseline", test_baseline);
  g_test_add_func ("/audit/tampering", test_tampering);
  ADD ("/audit/outside-write-refused", test_outside_write_refused);
  ADD ("/audit/guard-triggers", test_guard_triggers);

#undef ADD

  return g_test_run ();
}
