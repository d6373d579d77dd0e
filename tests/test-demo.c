/* test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-demo.h"
#include "dossier-history.h"
#include "dossier-signature.h"
#include "dossier-schema.h"
#include "dossier-store.h"
#include "dossier-validate.h"

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("dossier-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "demo.db", NULL);
  fixture->store = dossier_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
query_int (DossierStore *store,
           const char   *sql,
           const char   *arg)
{
  sqlite3 *db = dossier_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* The showcase unit in inspection: processed, inspected, its record reviewed. */
static const char *
ready_unit (DossierStore *store)
{
  static char unit[32];
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (dossier_store_get_handle (store),
                                       "SELECT unit_no FROM dossier WHERE status = 'inspection'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_strlcpy (unit, (const char *)sqlite3_column_text (stmt, 0), sizeof unit);
  sqlite3_finalize (stmt);

  return unit;
}

static void
assert_audit_clean (DossierStore *store)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_problem_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_store_audit_verify (store, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("audit problem: %s", ((DossierAuditProblem *)g_ptr_array_index (problems, i))->message);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
assert_every_choice_used (DossierStore *store,
                          const char   *column_name)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *column = dossier_schema_lookup_column (table, column_name);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM dossier WHERE %s = ?1", column_name);

  g_assert_nonnull (column);
  g_assert_nonnull (column->choices);
  for (const DossierChoice *c = column->choices; c->value != NULL; c++)
    {
      if (query_int (store, sql, c->value) < 1)
        g_error ("no demo dossier has %s “%s”", column_name, c->value);
    }
}

static void
test_showcase (Fixture       *fixture,
               gconstpointer  data)
{
  DossierStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autofree char *filing_number = NULL;
  g_autofree char *actor = g_strdup (dossier_store_get_actor (store));
  g_autofree char *uscc = NULL;
  g_autofree char *province = NULL;
  g_autofree char *filed_on = NULL;

  g_assert_false (dossier_demo_is_demo_database (store));
  g_assert_true (dossier_demo_seed (store, 0, NULL, &error));
  g_assert_no_error (error);

  /* The seed's own actors are gone again. */
  g_assert_cmpstr (dossier_store_get_actor (store), ==, actor);

  g_assert_cmpint (dossier_store_count (store, "manufacturer"), ==, 1);
  g_assert_cmpint (dossier_store_count (store, "manufacturing_site"), ==, 2);
  g_assert_cmpint (dossier_store_count (store, "institution"), ==, 3);
  g_assert_cmpint (dossier_store_count (store, "clinician"), >=, 6);
  g_assert_cmpint (dossier_store_count (store, "clinician"), <=, 9);
  g_assert_cmpint (dossier_store_count (store, "product"), ==, 2);
  g_assert_cmpint (dossier_store_count (store, "product_model"), >=, 4);
  g_assert_cmpint (dossier_store_count (store, "filing"), ==, 1);
  g_assert_cmpint (dossier_store_count (store, "dossier"), ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpint (dossier_store_count (store, "patient"), ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpint (dossier_store_count (store, "design_input"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "design_iteration"), >, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpint (dossier_store_count (store, "parameter_value"), >, 50);
  g_assert_cmpint (dossier_store_count (store, "design_confirmation"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "material_lot"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "processing_step"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "step_material"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "inspection"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "release"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "delivery"), >, 0);
  g_assert_cmpint (dossier_store_count (store, "use_record"), >=, 1);
  g_assert_cmpint (dossier_store_count (store, "adverse_event"), ==, 1);
  g_assert_cmpint (dossier_store_count (store, "attachment"), ==, 0);

  assert_every_choice_used (store, "status");
  assert_every_choice_used (store, "kind");

  /* A failed inspection that was repeated, an adverse event of severity "other", and
   * the numbers the regulator would check. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM inspection WHERE result = ?1", "fail"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM adverse_event WHERE severity = ?1", "other"), ==, 1);

  {
    g_autoptr(GHashTable) manufacturer = dossier_store_get_row (store, "manufacturer", 1, &error);

    g_assert_no_error (error);
    uscc = g_strdup (g_hash_table_lookup (manufacturer, "uscc"));
  }
  g_assert_true (dossier_validate_uscc (uscc, NULL));

  {
    g_autoptr(GHashTable) filing = dossier_store_get_row (store, "filing", 1, &error);

    g_assert_no_error (error);
    filing_number = g_strdup (g_hash_table_lookup (filing, "number"));
    province = g_strdup (g_hash_table_lookup (filing, "province_code"));
    filed_on = g_strdup (g_hash_table_lookup (filing, "filed_on"));
    g_assert_cmpstr (g_hash_table_lookup (filing, "status"), ==, "filed");
  }
  g_assert_true (dossier_validate_filing_number (DOSSIER_DEFAULT_FILING_PATTERN, filing_number, province,
                                                 (int)g_ascii_strtoll (filed_on, NULL, 10), NULL));

  /* The one design value outside its model's registered range. */
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM parameter_value v JOIN design_iteration i ON i.id = v.iteration_id "
                              "JOIN dossier d ON d.id = i.dossier_id JOIN product_model m ON m.id = d.model_id "
                              "WHERE v.name = 'outer_diameter' AND v.value = ?1 AND m.code = 'AC-52'", "61.0"), >=, 1);

  /* The store's own check finds it too, and only there: every other patient-matched
   * dossier is inside its registered size range. */
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (dossier_store_get_handle (store),
                                         "SELECT d.id, p.code FROM dossier d JOIN patient p ON p.id = d.patient_id "
                                         "WHERE d.kind = 'patient-matched' AND d.status NOT IN ('order', 'cancelled') ORDER BY d.id",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        gboolean out_of_range = g_str_equal ((const char *)sqlite3_column_text (stmt, 1), "JC2-2026-0069");
        g_autoptr(DossierCheckReport) report = dossier_check_dossier (store, id, NULL, &error);
        gboolean has_range = FALSE;

        g_assert_no_error (error);
        for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
          {
            const DossierCheckFinding *f = dossier_check_report_get_finding (report, i);

            if (g_str_equal (f->rule_id, "ENV-RANGE"))
              {
                has_range = TRUE;
                g_assert_cmpstr (f->parameter, ==, "outer_diameter");
              }
          }
        if (out_of_range)
          g_assert_true (has_range);
        else
          g_assert_cmpuint (dossier_check_report_get_n_errors (report), ==, 0);
      }
    sqlite3_finalize (stmt);
  }

  /* Guides leave the body with the surgery; implants stay. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM dossier WHERE body_days = ?1", "1"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM dossier WHERE body_days = ?1", "3650"), >, 0);

  /* Marked as the demonstration database. */
  g_assert_true (dossier_demo_is_demo_database (store));

  /* The people of the demo are accounts whose passwords the README gives, and every
   * dossier record in the trail names one of them. */
  {
    guint n_users = 0;
    const DossierDemoUser *users = dossier_auth_get_demo_users (&n_users);

    g_assert_cmpint (dossier_store_count (store, "user_account"), ==, n_users);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE table_name = ?1 "
                                "AND actor NOT IN (SELECT login FROM user_account)", "dossier"), ==, 0);
    g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE table_name = ?1", "dossier"), >, 0);

    /* A QA reviewer can sign in with the documented password and release the unit
     * waiting for release; its signatures so far all hold. */
    for (guint i = 0; i < n_users; i++)
      if (g_str_equal (users[i].login, "li.na"))
        {
          g_assert_true (dossier_store_sign_in (store, users[i].login, users[i].password, &error));
          g_assert_no_error (error);
        }
    g_assert_true (dossier_signature_can_sign (store, dossier_store_lookup_id (store, "dossier", "unit_no", ready_unit (store), &error),
                                               DOSSIER_SIGN_POINT_RELEASE, &error));
    g_assert_no_error (error);

    /* Its history shows the signatures so far, each made by its signer. */
    {
      g_autoptr(GPtrArray) history = dossier_store_dossier_audit (store,
                                                                  dossier_store_lookup_id (store, "dossier", "unit_no",
                                                                                           ready_unit (store), NULL),
                                                                  &error);
      guint n_signatures = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < history->len; i++)
        {
          const DossierAuditEntry *e = g_ptr_array_index (history, i);

          if (g_str_equal (e->table_name, "signature"))
            {
              g_assert_cmpstr (e->action, ==, "create");
              g_assert_nonnull (strstr (e->new_value, e->actor));
              n_signatures++;
            }
        }
      /* Design review, design approval, processing record review. */
      g_assert_cmpuint (n_signatures, ==, 3);
    }
    dossier_store_sign_out (store);
  }
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_problem_free);
    guint n_checked = 0;

    g_assert_true (dossier_signature_verify (store, NULL, 0, problems, &n_checked, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
    /* Review and approval of every designed unit, processing review and release of the
     * released ones. */
    g_assert_cmpuint (n_checked, ==, query_int (store, "SELECT 2 * count(*) FROM dossier WHERE status NOT IN (?1, 'design', 'design-review')", "order") +
                                     query_int (store, "SELECT count(*) FROM dossier WHERE status = ?1", "design-review") +
                                     query_int (store, "SELECT count(*) FROM dossier WHERE status IN (?1, 'released', 'delivered', 'used', 'closed')", "inspection") +
                                     query_int (store, "SELECT count(*) FROM dossier WHERE status IN (?1, 'delivered', 'used', 'closed')", "released"));
  }

  assert_audit_clean (store);

  /* Demo data never lands on top of other data. */
  g_assert_false (dossier_demo_seed (store, 0, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (dossier_store_count (store, "dossier"), ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpstr (dossier_store_get_actor (store), ==, actor);
}

static void
test_synthetic (Fixture       *fixture,
                gconstpointer  data)
{
  DossierStore *store = fixture->store;
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_demo_seed (store, 500, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (dossier_store_count (store, "dossier"), ==, 500);
  g_assert_cmpint (dossier_store_count (store, "patient"), ==, 500);
  g_assert_cmpint (dossier_store_count (store, "institution"), ==, 3);
  assert_every_choice_used (store, "status");
  assert_every_choice_used (store, "kind");

  /* Customized units only go to the filing's partner institution (the store checks
   * this; the synthetic part must respect it too), and every dossier is searchable. */
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM dossier d JOIN filing f ON f.id = d.filing_id "
                              "WHERE d.institution_id <> f.institution_id", NULL), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM search_dossier", NULL), ==, 500);

  assert_audit_clean (store);
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autoptr(DossierStore) other = dossier_store_open (other_path, &error);
  const char *sql = "SELECT group_concat (kind || status || coalesce (model_id, '') || ordered_on || patient_age, ',') "
                    "FROM (SELECT * FROM dossier ORDER BY id)";
  sqlite3_stmt *a = NULL, *b = NULL;

  g_assert_no_error (error);
  g_assert_true (dossier_demo_seed (fixture->store, 200, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_demo_seed (other, 200, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (dossier_store_get_handle (fixture->store), sql, -1, &a, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (dossier_store_get_handle (other), sql, -1, &b, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (a), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_step (b), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (a, 0), ==, (const char *)sqlite3_column_text (b, 0));
  sqlite3_finalize (a);
  sqlite3_finalize (b);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = g_strdup (dossier_store_get_actor (fixture->store));

  g_cancellable_cancel (cancellable);
  g_assert_false (dossier_demo_seed (fixture->store, 2000, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Nothing was kept, so the database can still be seeded. */
  g_assert_true (dossier_store_is_empty (fixture->store));
  g_assert_cmpstr (dossier_store_get_actor (fixture->store), ==, actor);
  g_assert_true (dossier_demo_seed (fixture->store, 0, NULL, &error));
  g_assert_no_error (error);
  assert_audit_clean (fixture->store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/demo/showcase", Fixture, NULL, fixture_set_up, test_showcase, fixture_tear_down);
  g_test_add ("/demo/synthetic", Fixture, NULL, fixture_set_up, test_synthetic, fixture_tear_down);
  g_test_add ("/demo/deterministic", Fixture, NULL, fixture_set_up, test_deterministic, fixture_tear_down);
  g_test_add ("/demo/cancelled", Fixture, NULL, fixture_set_up, test_cancelled, fixture_tear_down);

  return g_test_run ();
}
