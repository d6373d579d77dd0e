/* test-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-schema"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-schema.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* The description in dossier-schema.c and the SQL in resources/migrations are
 * written by hand, separately; these tests hold them together. */

typedef struct
{
  char         *dir;
  DossierStore *store;
  DtRows        rows;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  f->dir = dt_make_tmpdir ();
  path = g_build_filename (f->dir, "schema.db", NULL);
  f->store = dt_open (path);
  dt_populate (f->store, &f->rows);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
}

typedef struct
{
  char     *name;
  gboolean  notnull;
  gboolean  has_default;
} SqlColumn;

static void
sql_column_free (SqlColumn *c)
{
  g_free (c->name);
  g_free (c);
}

/* name → SqlColumn, from PRAGMA table_info. */
static GHashTable *
sql_columns (DossierStore *store,
             const char   *table)
{
  sqlite3 *db = dossier_store_get_handle (store);
  GHashTable *columns = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)sql_column_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, \"notnull\", dflt_value FROM pragma_table_info (?1)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SqlColumn *c = g_new0 (SqlColumn, 1);

      c->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      c->notnull = sqlite3_column_int (stmt, 1) != 0;
      c->has_default = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      g_hash_table_insert (columns, c->name, c);
    }
  sqlite3_finalize (stmt);

  return columns;
}

/* Columns that a single-column UNIQUE index covers. */
static GHashTable *
sql_unique_columns (DossierStore *store,
                    const char   *table)
{
  sqlite3 *db = dossier_store_get_handle (store);
  GHashTable *unique = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT min (ii.name) FROM pragma_index_list (?1) il, pragma_index_info (il.name) ii "
                                       "WHERE il.\"unique\" AND il.origin <> 'pk' GROUP BY il.name HAVING count(*) = 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (unique, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return unique;
}

/* column → referenced table, from PRAGMA foreign_key_list. */
static GHashTable *
sql_foreign_keys (DossierStore *store,
                  const char   *table)
{
  sqlite3 *db = dossier_store_get_handle (store);
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT \"from\", \"table\" FROM pragma_foreign_key_list (?1)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (keys, g_strdup ((const char *)sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  return keys;
}

static void
test_tables_and_columns (Fixture       *f,
                         gconstpointer  data)
{
  const DossierTable *tables;
  guint n_tables = 0;
  g_autoptr(GHashTable) described = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3 *db = dossier_store_get_handle (f->store);
  sqlite3_stmt *stmt = NULL;
  guint n_audited = 0;

  tables = dossier_schema_tables (&n_tables);
  g_assert_cmpuint (n_tables, >, 0);

  for (guint t = 0; t < n_tables; t++)
    {
      const DossierTable *table = &tables[t];
      g_autoptr(GHashTable) columns = sql_columns (f->store, table->name);
      g_autoptr(GHashTable) unique = sql_unique_columns (f->store, table->name);
      g_autoptr(GHashTable) foreign = sql_foreign_keys (f->store, table->name);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      SqlColumn *sql;

      g_test_message ("table %s", table->name);
      g_assert_false (g_hash_table_contains (described, table->name));
      g_hash_table_add (described, (gpointer)table->name);

      if (g_hash_table_size (columns) == 0)
        g_error ("table %s is described but not in the database", table->name);
      g_assert_nonnull (table->label);
      g_assert_cmpstr (table->label, !=, "");
      g_assert_true (dossier_schema_lookup_table (table->name) == table);
      g_assert_cmpstr (dossier_schema_table_label (table->name), ==, table->label);
      g_assert_true (g_hash_table_contains (columns, "id"));
      if (table->dossier_column != NULL)
        g_assert_true (g_hash_table_contains (columns, table->dossier_column));

      for (const DossierColumn *c = table->columns; c->name != NULL; c++)
        {
          sql = g_hash_table_lookup (columns, c->name);
          if (sql == NULL)
            g_error ("%s.%s is described but not in the database", table->name, c->name);
          g_assert_false (g_hash_table_contains (seen, c->name));
          g_hash_table_add (seen, (gpointer)c->name);

          if (c->label == NULL || *c->label == '\0')
            g_error ("%s.%s has no label", table->name, c->name);
          g_assert_true (dossier_schema_lookup_column (table, c->name) == c);
          g_assert_cmpstr (dossier_schema_column_label (table->name, c->name), ==, c->label);

          if (c->kind == DOSSIER_COLUMN_CHOICE)
            {
              g_assert_nonnull (c->choices);
              g_assert_nonnull (c->choices[0].value);
              for (const DossierChoice *ch = c->choices; ch->value != NULL; ch++)
                {
                  g_assert_nonnull (ch->label);
                  g_assert_cmpstr (ch->label, !=, "");
                  g_assert_cmpstr (dossier_schema_choice_label (c, ch->value), ==, ch->label);
                }
            }

          /* A reference is a foreign key in SQL to the same table, so that SQLite
           * refuses a dangling one even when the store is bypassed. */
          if (c->kind == DOSSIER_COLUMN_REFERENCE)
            {
              const char *target = g_hash_table_lookup (foreign, c->name);

              g_assert_nonnull (dossier_schema_lookup_table (c->ref_table));
              if (g_strcmp0 (target, c->ref_table) != 0)
                g_error ("%s.%s refers to %s, but its SQL foreign key to %s", table->name, c->name,
                         c->ref_table, target != NULL ? target : "nothing");
            }

          /* A column SQL needs must be required by the store (or set by it), or a
           * missing value gives an SQL error instead of a message naming the field. */
          if (sql->notnull && !sql->has_default &&
              !(c->flags & (DOSSIER_COLUMN_REQUIRED | DOSSIER_COLUMN_GENERATED)))
            g_error ("%s.%s is NOT NULL without default in SQL but not required in the schema",
                     table->name, c->name);

          /* Unique both ways: the store gives the message, SQL holds when two
           * writers race. */
          if ((c->flags & DOSSIER_COLUMN_UNIQUE) != g_hash_table_contains (unique, c->name) * DOSSIER_COLUMN_UNIQUE)
            g_error ("%s.%s: unique in the schema %d, in SQL %d", table->name, c->name,
                     (c->flags & DOSSIER_COLUMN_UNIQUE) != 0, g_hash_table_contains (unique, c->name));
        }

      /* Every SQL column but the id is described, so the store can write it. */
      g_hash_table_iter_init (&iter, columns);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&sql))
        if (!g_str_equal (sql->name, "id") && !g_hash_table_contains (seen, sql->name))
          g_error ("%s.%s is in the database but not described", table->name, sql->name);
    }

  /* And every table the audit trail covers (user data, as opposed to bookkeeping
   * and derived data) is described. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' "
                                       "AND name LIKE 'auditgen\\_%\\_insert' ESCAPE '\\'", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);

      n_audited++;
      if (!g_hash_table_contains (described, name))
        g_error ("table %s is in the database but not described", name);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_audited, >=, 20);

  g_assert_null (dossier_schema_lookup_table ("audit_log"));
  g_assert_cmpstr (dossier_schema_column_label ("patient", "no_such_column"), ==, "no_such_column");
}

/* The values listed in "CHECK (column IN ('a', 'b', …))" of the table's SQL. */
static GPtrArray *
sql_check_values (DossierStore *store,
                  const char   *table,
                  const char   *column)
{
  g_autofree char *sql = NULL;
  g_autofree char *query = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GRegex) strings = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GMatchInfo) each = NULL;
  g_autofree char *list = NULL;
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  query = g_strdup_printf ("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = '%s'", table);
  sql = dt_query_text (store, query);
  g_assert_nonnull (sql);

  pattern = g_strdup_printf ("CHECK\\s*\\(\\s*%s\\s+IN\\s*\\(([^)]*)\\)", column);
  regex = g_regex_new (pattern, 0, 0, NULL);
  if (!g_regex_match (regex, sql, 0, &match))
    g_error ("%s.%s is a choice but its SQL has no CHECK (%s IN (…))", table, column, column);
  list = g_match_info_fetch (match, 1);

  strings = g_regex_new ("'([^']*)'", 0, 0, NULL);
  g_regex_match (strings, list, 0, &each);
  while (g_match_info_matches (each))
    {
      g_ptr_array_add (values, g_match_info_fetch (each, 1));
      g_match_info_next (each, NULL);
    }

  return values;
}

/* A row of the table to try values on. */
static gint64
row_of (Fixture    *f,
        const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT min (id) FROM \"%s\"", table);
  gint64 id = dt_query_int (f->store, sql);

  g_assert_cmpint (id, >, 0);
  return id;
}

/* Tries value in table.column with SQL alone, bypassing the store: a copy of an
 * existing row with that one value changed.  Returns the SQLite result. */
static int
raw_insert_copy (Fixture    *f,
                 const char *table,
                 const char *column,
                 const char *value,
                 gint64      id)
{
  sqlite3 *db = dossier_store_get_handle (f->store);
  g_autoptr(GHashTable) columns = sql_columns (f->store, table);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) selected = g_string_new (NULL);
  g_autofree char *sql = NULL;
  GHashTableIter iter;
  SqlColumn *c;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_hash_table_iter_init (&iter, columns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&c))
    {
      if (g_str_equal (c->name, "id"))
        continue;
      g_string_append_printf (names, "%s\"%s\"", names->len ? ", " : "", c->name);
      if (g_str_equal (c->name, column))
        g_string_append_printf (selected, "%s?1", selected->len ? ", " : "");
      else
        g_string_append_printf (selected, "%s\"%s\"", selected->len ? ", " : "", c->name);
    }

  sql = g_strdup_printf ("INSERT INTO \"%s\" (%s) SELECT %s FROM \"%s\" WHERE id = ?2",
                         table, names->str, selected->str, table);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  return rc;
}

/* Stores value in table.column: on row id, or for an immutable column in a new row
 * (a copy of row id, with fresh values where they must be unique). */
static gboolean
try_choice (Fixture              *f,
            const DossierTable   *table,
            const DossierColumn  *column,
            const char           *value,
            gint64                id,
            GError              **error)
{
  if (g_str_equal (table->name, "dossier") && g_str_equal (column->name, "kind"))
    {
      /* A dossier of each kind needs its filing or its registered model. */
      g_autofree char *filing = g_strdup_printf ("%" G_GINT64_FORMAT, f->rows.filing);
      g_autofree char *model = g_strdup_printf ("%" G_GINT64_FORMAT, f->rows.model);
      gboolean customized = g_str_equal (value, "customized");

      return dossier_store_create_dossier (f->store, (DossierField[]) {
        { "kind", value }, { "institution_id", "1" }, { "clinician_id", "1" }, { "patient_id", "1" },
        { customized ? "filing_id" : "model_id", customized ? filing : model }, { NULL } }, NULL, error) > 0;
    }
  else if (g_str_equal (table->name, "dossier") && g_str_equal (column->name, "status"))
    {
      /* The workflow decides which status a dossier may move to (gates, sign-offs);
       * here only the list against the SQL constraint is in question, so the value
       * goes in below the store, on its own connection, and is rolled back. */
      sqlite3 *db = dossier_store_get_handle (f->store);
      sqlite3_stmt *stmt = NULL;
      int rc;

      g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE dossier SET status = ?1 WHERE id = ?2", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT, "%s", sqlite3_errmsg (db));
          return FALSE;
        }
      return TRUE;
    }
  else if (column->flags & DOSSIER_COLUMN_IMMUTABLE)
    {
      g_autoptr(GHashTable) row = dossier_store_get_row (f->store, table->name, id, error);
      g_autoptr(GArray) fields = g_array_new (TRUE, TRUE, sizeof (DossierField));
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
      static guint copies;

      if (row == NULL)
        return FALSE;
      for (const DossierColumn *c = table->columns; c->name != NULL; c++)
        {
          DossierField field = { c->name, g_hash_table_lookup (row, c->name) };

          if (c->flags & DOSSIER_COLUMN_GENERATED)
            continue;
          if (c == column)
            field.value = value;
          else if ((c->flags & DOSSIER_COLUMN_UNIQUE) && field.value != NULL)
            {
              char *fresh = g_strdup_printf ("%s-%u", field.value, ++copies);
              g_ptr_array_add (owned, fresh);
              field.value = fresh;
            }
          g_array_append_val (fields, field);
        }
      return dossier_store_insert (f->store, table->name, (const DossierField *)(gpointer)fields->data, error) > 0;
    }
  else
    {
      g_autofree char *stored = NULL;

      if (!dossier_store_update (f->store, table->name, id,
                                 (DossierField[]) { { column->name, value }, { NULL } }, "test", error))
        return FALSE;
      stored = dt_row_value (f->store, table->name, id, column->name);
      g_assert_cmpstr (stored, ==, value);
      return TRUE;
    }
}

/* Tries every value of the column on one row of its table; a row may refuse some
 * value for reasons of its own (another column's rule), so up to twenty rows are
 * tried.  Each try is rolled back. */
static void
try_all_choices (Fixture             *f,
                 const DossierTable  *table,
                 const DossierColumn *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT group_concat (id) FROM (SELECT id FROM \"%s\" ORDER BY id LIMIT 20)",
                                          table->name);
  g_autofree char *list = dt_query_text (f->store, sql);
  g_auto(GStrv) ids = g_strsplit (list, ",", -1);
  g_autoptr(GError) first_error = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = TRUE;

      g_assert_true (dossier_store_begin (f->store, &error));
      for (const DossierChoice *ch = column->choices; ok && ch->value != NULL; ch++)
        ok = try_choice (f, table, column, ch->value, g_ascii_strtoll (ids[i], NULL, 10), &error);
      dossier_store_rollback (f->store);

      if (ok)
        return;
      if (first_error == NULL)
        first_error = g_steal_pointer (&error);
    }

  g_error ("%s.%s: not every listed value can be stored: %s", table->name, column->name, first_error->message);
}

static void
test_choices (Fixture       *f,
              gconstpointer  data)
{
  const DossierTable *tables;
  guint n_tables = 0;
  guint n_choice_columns = 0;
  guint n_tried = 0;

  tables = dossier_schema_tables (&n_tables);
  for (guint t = 0; t < n_tables; t++)
    for (const DossierColumn *c = tables[t].columns; c->name != NULL; c++)
      {
        g_autoptr(GPtrArray) sql_values = NULL;
        g_autoptr(GError) error = NULL;
        guint n_values = 0;
        gint64 id;
        int rc;

        if (c->kind != DOSSIER_COLUMN_CHOICE)
          continue;

        n_choice_columns++;
        g_test_message ("%s.%s", tables[t].name, c->name);
        sql_values = sql_check_values (f->store, tables[t].name, c->name);

        /* The same list, in the same order… */
        for (const DossierChoice *ch = c->choices; ch->value != NULL; ch++, n_values++)
          {
            if (n_values >= sql_values->len)
              g_error ("%s.%s: “%s” is a choice but SQL does not allow it", tables[t].name, c->name, ch->value);
            g_assert_cmpstr (ch->value, ==, g_ptr_array_index (sql_values, n_values));
          }
        if (n_values != sql_values->len)
          g_error ("%s.%s: SQL allows “%s”, which is not a choice", tables[t].name, c->name,
                   (char *)g_ptr_array_index (sql_values, n_values));

        /* …and every value can be stored, where dt_populate() made a row to try
         * them on. */
        if (dossier_store_count (f->store, tables[t].name) == 0)
          {
            g_test_message ("%s has no row to try values on", tables[t].name);
            continue;
          }
        n_tried++;
        try_all_choices (f, &tables[t], c);
        id = row_of (f, tables[t].name);

        /* Something else is refused by the store, naming the field… */
        if (g_str_equal (tables[t].name, "dossier") && g_str_equal (c->name, "kind"))
          g_assert_cmpint (dossier_store_create_dossier (f->store, (DossierField[]) {
            { c->name, "bespoke" }, { NULL } }, NULL, &error), ==, 0);
        else if (c->flags & DOSSIER_COLUMN_IMMUTABLE)
          g_assert_cmpint (dossier_store_insert (f->store, tables[t].name, (DossierField[]) {
            { c->name, "bespoke" }, { NULL } }, &error), ==, 0);
        else
          g_assert_false (dossier_store_update (f->store, tables[t].name, id,
                                                (DossierField[]) { { c->name, "bespoke" }, { NULL } }, NULL, &error));
        g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
        g_assert_nonnull (strstr (error->message, c->label));

        /* …and by SQL on its own. */
        rc = raw_insert_copy (f, tables[t].name, c->name, "bespoke", id);
        g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT_CHECK);
        /* The same copy with a listed value passes the CHECK (it may still hit a
         * UNIQUE column), which shows that the CHECK refused the value and not
         * something else about the copy.  It is not kept. */
        g_assert_cmpint (sqlite3_exec (dossier_store_get_handle (f->store), "SAVEPOINT probe", NULL, NULL, NULL), ==, SQLITE_OK);
        rc = raw_insert_copy (f, tables[t].name, c->name, c->choices[0].value, id);
        g_assert_cmpint (sqlite3_exec (dossier_store_get_handle (f->store), "ROLLBACK TO probe; RELEASE probe",
                                       NULL, NULL, NULL), ==, SQLITE_OK);
        if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT_UNIQUE)
          g_error ("%s.%s: a copy with a listed value failed with %d", tables[t].name, c->name, rc);
      }

  g_assert_cmpuint (n_choice_columns, >=, 8);
  g_assert_cmpuint (n_tried, >=, 8);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/schema/tables-and-columns", Fixture, NULL, fixture_set_up, test_tables_and_columns, fixture_tear_down);
  g_test_add ("/schema/choices", Fixture, NULL, fixture_set_up, test_choices, fixture_tear_down);

  return g_test_run ();
}
