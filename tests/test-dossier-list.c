/* test-dossier-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-dossier-list"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-dossier-list.h"
#include "dossier-store.h"

/* Enough dossiers to span more pages than the list may keep in memory. */
#define N_DOSSIERS 1250
#define MAX_CACHED_PAGES 8

/* How the i-th dossier created is made. */
static gboolean
is_customized (guint i)
{
  return i % 50 == 49;
}

static gboolean
is_second (guint i)
{
  return !is_customized (i) && i % 3 == 0;
}

static gboolean
is_review (guint i)
{
  return i % 10 == 0;
}

static gboolean
is_implantable (guint i)
{
  return i % 2 == 1;
}

static guint
count_where (gboolean (*predicate) (guint))
{
  guint n = 0;

  for (guint i = 0; i < N_DOSSIERS; i++)
    if (predicate (i))
      n++;
  return n;
}

#define N_CUSTOMIZED count_where (is_customized)
#define N_REVIEW count_where (is_review)

typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        institution;
  gint64        institution2;
  GPtrArray    *unit_numbers; /* by creation order */
} Data;

static Data data;

static gint64
insert (const char         *table,
        const DossierField *fields)
{
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_store_insert (data.store, table, fields, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("dossier-list-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
populate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *inst = NULL;
  g_autofree char *inst2 = NULL;
  g_autofree char *clin = NULL;
  g_autofree char *clin2 = NULL;
  g_autofree char *model = NULL;
  g_autofree char *filing = NULL;
  gint64 product;
  gint64 patients[10];

  data.dir = make_tmpdir ();
  path = g_build_filename (data.dir, "list.db", NULL);
  data.store = dossier_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data.store);

  g_assert_true (dossier_store_begin (data.store, &error));
  g_assert_no_error (error);

  data.institution = insert ("institution", (DossierField[]) {
    { "name_zh", "广东省人民医院" },
    { "practising_licence", "PDY12345644010011A1001" },
    { "province_code", "440000" },
    { NULL } });
  data.institution2 = insert ("institution", (DossierField[]) {
    { "name_zh", "北京协和医院" },
    { "practising_licence", "PDY12345611010011A1001" },
    { "province_code", "110000" },
    { NULL } });
  inst = g_strdup_printf ("%" G_GINT64_FORMAT, data.institution);
  inst2 = g_strdup_printf ("%" G_GINT64_FORMAT, data.institution2);

  clin = g_strdup_printf ("%" G_GINT64_FORMAT, insert ("clinician", (DossierField[]) {
    { "institution_id", inst },
    { "name_zh", "李明" },
    { "certificate_no", "110440100012345" },
    { NULL } }));
  clin2 = g_strdup_printf ("%" G_GINT64_FORMAT, insert ("clinician", (DossierField[]) {
    { "institution_id", inst2 },
    { "name_zh", "王芳" },
    { "certificate_no", "110110100012345" },
    { NULL } }));

  for (guint i = 0; i < G_N_ELEMENTS (patients); i++)
    {
      g_autofree char *code = g_strdup_printf ("P-2026-%04u", i + 1);

      patients[i] = insert ("patient", (DossierField[]) {
        { "code", code },
        { "sex", i % 2 ? "male" : "female" },
        { "birth_year", "1970" },
        { NULL } });
    }

  product = insert ("product", (DossierField[]) {
    { "certificate_no", "国械注准20203130123" },
    { "device_class", "3" },
    { "name_zh", "3D打印髋臼杯" },
    { NULL } });
  {
    g_autofree char *product_id = g_strdup_printf ("%" G_GINT64_FORMAT, product);

    model = g_strdup_printf ("%" G_GINT64_FORMAT, insert ("product_model", (DossierField[]) {
      { "product_id", product_id },
      { "code", "AC-52" },
      { NULL } }));
  }

  filing = g_strdup_printf ("%" G_GINT64_FORMAT, insert ("filing", (DossierField[]) {
    { "number", "粤械定制备20250001号" },
    { "province_code", "440000" },
    { "filed_on", "2025-03-01" },
    { "status", "filed" },
    { "institution_id", inst },
    { "device_name", "定制式颅骨修补板" },
    { "case_threshold", "50" },
    { NULL } }));

  data.unit_numbers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_DOSSIERS; i++)
    {
      g_autofree char *patient = g_strdup_printf ("%" G_GINT64_FORMAT, patients[i % G_N_ELEMENTS (patients)]);
      gboolean customized = is_customized (i);
      gboolean second = is_second (i);
      char *unit_no = NULL;
      gint64 id;

      id = dossier_store_create_dossier (data.store, (DossierField[]) {
        { "kind", customized ? "customized" : "patient-matched" },
        { "status", is_review (i) ? "order" : "design" },
        { "institution_id", second ? inst2 : inst },
        { "clinician_id", second ? clin2 : clin },
        { "patient_id", patient },
        { "model_id", customized ? NULL : model },
        { "filing_id", customized ? filing : NULL },
        { "body_days", is_implantable (i) ? "3650" : "7" },
        { NULL } }, &unit_no, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      g_ptr_array_add (data.unit_numbers, unit_no);
    }

  g_assert_true (dossier_store_commit (data.store, &error));
  g_assert_no_error (error);
}

static guint
expected_second (void)
{
  return count_where (is_second);
}

/* Checks every summary field of d against how the i-th dossier was made. */
static void
assert_dossier (DossierDossier *d,
                guint           i)
{
  g_autofree char *patient = g_strdup_printf ("P-2026-%04u", i % 10 + 1);

  g_assert_nonnull (d);
  g_assert_cmpint (dossier_dossier_get_id (d), >, 0);
  g_assert_cmpstr (dossier_dossier_get_unit_no (d), ==, g_ptr_array_index (data.unit_numbers, i));
  g_assert_cmpstr (dossier_dossier_get_patient_code (d), ==, patient);
  g_assert_cmpstr (dossier_dossier_get_status (d), ==, is_review (i) ? "order" : "design");
  g_assert_cmpstr (dossier_dossier_get_institution_name (d), ==, is_second (i) ? "北京协和医院" : "广东省人民医院");
  g_assert_cmpstr (dossier_dossier_get_clinician_name (d), ==, is_second (i) ? "王芳" : "李明");
  g_assert_true (dossier_dossier_get_implantable (d) == is_implantable (i));
  if (is_customized (i))
    {
      g_assert_cmpstr (dossier_dossier_get_kind (d), ==, "customized");
      g_assert_cmpstr (dossier_dossier_get_product_name (d), ==, "定制式颅骨修补板");
      g_assert_cmpstr (dossier_dossier_get_reference (d), ==, "粤械定制备20250001号");
    }
  else
    {
      g_assert_cmpstr (dossier_dossier_get_kind (d), ==, "patient-matched");
      g_assert_cmpstr (dossier_dossier_get_product_name (d), ==, "3D打印髋臼杯");
      g_assert_cmpstr (dossier_dossier_get_reference (d), ==, "AC-52");
    }
  g_assert_nonnull (dossier_dossier_get_created_at (d));
  g_assert_nonnull (dossier_dossier_get_updated_at (d));
}

static DossierDossier *
item (DossierDossierList *list,
      guint               position)
{
  return g_list_model_get_item (G_LIST_MODEL (list), position);
}

static void
test_count_and_items (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  g_autoptr(DossierDossier) first = NULL;
  g_autoptr(DossierDossier) middle = NULL;
  g_autoptr(DossierDossier) last = NULL;
  g_autoptr(DossierDossier) beyond = NULL;
  guint n;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == DOSSIER_TYPE_DOSSIER);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, N_DOSSIERS);

  /* Newest first: the last created is at the top. */
  first = item (list, 0);
  assert_dossier (first, N_DOSSIERS - 1);
  middle = item (list, n / 2);
  assert_dossier (middle, N_DOSSIERS - 1 - n / 2);
  last = item (list, n - 1);
  assert_dossier (last, 0);
  g_assert_cmpstr (dossier_dossier_get_institution_name (last), ==, "北京协和医院");
  g_assert_false (dossier_dossier_get_implantable (last));      /* 7 days */

  /* Every row of every page, including page boundaries. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierDossier) d = item (list, i);
      assert_dossier (d, N_DOSSIERS - 1 - i);
    }

  beyond = item (list, n);
  g_assert_null (beyond);
  g_assert_null (item (list, G_MAXUINT));

  g_assert_null (dossier_dossier_list_get_error (list));
}

static void
test_customized (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  g_autoptr(DossierDossier) d = NULL;

  dossier_dossier_list_set_kind (list, "customized");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CUSTOMIZED);

  /* A customized unit shows its filing's device name and number. */
  d = item (list, 0);
  g_assert_nonnull (d);
  g_assert_cmpstr (dossier_dossier_get_kind (d), ==, "customized");
  g_assert_cmpstr (dossier_dossier_get_product_name (d), ==, "定制式颅骨修补板");
  g_assert_cmpstr (dossier_dossier_get_reference (d), ==, "粤械定制备20250001号");

  dossier_dossier_list_set_kind (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_DOSSIERS);
}

static guint
n_items (DossierDossierList *list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

static void
test_search (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  const char *unit_no = g_ptr_array_index (data.unit_numbers, 123);
  g_autofree char *tail = g_strdup (unit_no + strlen (unit_no) - 6);
  g_autoptr(DossierDossier) found = NULL;

  /* A unit-number substring (6 characters: the trigram index). */
  dossier_dossier_list_set_search (list, tail);
  g_assert_cmpstr (dossier_dossier_list_get_search (list), ==, tail);
  g_assert_cmpuint (n_items (list), ==, 1);
  found = item (list, 0);
  g_assert_cmpstr (dossier_dossier_get_unit_no (found), ==, unit_no);

  /* Chinese institution names, 4 characters (index) and 2 characters (LIKE). */
  dossier_dossier_list_set_search (list, "人民医院");
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS - expected_second ());
  dossier_dossier_list_set_search (list, "协和");
  g_assert_cmpuint (n_items (list), ==, expected_second ());
  dossier_dossier_list_set_search (list, "医院");
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS);

  /* Many hits and few hits are read by different query plans; both must give
   * the same rows in the same order. */
  {
    const char *queries[] = { "人民医院", "协和", "医院" };

    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        guint position = 0;

        dossier_dossier_list_set_search (list, queries[q]);
        for (int i = N_DOSSIERS - 1; i >= 0; i--)
          {
            g_autoptr(DossierDossier) d = NULL;

            if (q == 0 && is_second (i))
              continue;
            if (q == 1 && !is_second (i))
              continue;
            d = item (list, position++);
            assert_dossier (d, i);
          }
        g_assert_cmpuint (position, ==, n_items (list));
      }
  }

  /* Words are matched independently: institution plus clinician. */
  dossier_dossier_list_set_search (list, "  北京协和医院   王芳 ");
  g_assert_cmpstr (dossier_dossier_list_get_search (list), ==, "北京协和医院   王芳");
  g_assert_cmpuint (n_items (list), ==, expected_second ());
  dossier_dossier_list_set_search (list, "北京协和医院 李明");
  g_assert_cmpuint (n_items (list), ==, 0);

  /* One character, and the filing number through the index. */
  dossier_dossier_list_set_search (list, "粤");
  g_assert_cmpuint (n_items (list), ==, N_CUSTOMIZED);
  dossier_dossier_list_set_search (list, "械定制备2025");
  g_assert_cmpuint (n_items (list), ==, N_CUSTOMIZED);

  /* Case does not matter for Latin letters, either way of matching. */
  dossier_dossier_list_set_search (list, "ac-52");
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS - N_CUSTOMIZED);
  dossier_dossier_list_set_search (list, "ac");
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS - N_CUSTOMIZED);

  /* What users type is data, never syntax: FTS5 operators, quotes, LIKE
   * wildcards and SQL find nothing and raise no error. */
  {
    const char *hostile[] = {
      "\"", "\"\"", "a\"b", "NEAR(医院", "医院 OR 协和", "*", "%", "_", "%%", "\\",
      "'); DROP TABLE dossier; --", "医院\" OR \"", "P-2026-0001\" *",
    };

    for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
      {
        dossier_dossier_list_set_search (list, hostile[i]);
        g_assert_null (dossier_dossier_list_get_error (list));
        g_assert_cmpuint (n_items (list), ==, 0);
      }
  }
  g_assert_cmpint (dossier_store_count (data.store, "dossier"), ==, N_DOSSIERS);

  /* Blank search is no search. */
  dossier_dossier_list_set_search (list, "   ");
  g_assert_null (dossier_dossier_list_get_search (list));
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS);
  dossier_dossier_list_set_search (list, NULL);
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS);
}

static void
test_filters (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);

  dossier_dossier_list_set_status (list, "order");
  g_assert_cmpuint (n_items (list), ==, N_REVIEW);
  for (guint i = 0; i < N_REVIEW; i++)
    {
      g_autoptr(DossierDossier) d = item (list, i);
      g_assert_cmpstr (dossier_dossier_get_status (d), ==, "order");
    }

  /* Filters combine with each other and with search. */
  dossier_dossier_list_set_institution (list, data.institution2);
  g_assert_cmpuint (n_items (list), >, 0);
  g_assert_cmpuint (n_items (list), <, N_REVIEW);
  dossier_dossier_list_set_search (list, "人民医院");
  g_assert_cmpuint (n_items (list), ==, 0);
  dossier_dossier_list_set_search (list, NULL);

  dossier_dossier_list_set_status (list, NULL);
  g_assert_cmpuint (n_items (list), ==, expected_second ());
  dossier_dossier_list_set_institution (list, 0);
  dossier_dossier_list_set_status (list, "cancelled");
  g_assert_cmpuint (n_items (list), ==, 0);
  dossier_dossier_list_set_status (list, "");
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS);
}

static void
test_sort (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  g_autofree char *prev_unit = NULL;
  g_autofree char *prev_updated = NULL;
  gint64 prev_id = G_MAXINT64;

  g_assert_cmpint (dossier_dossier_list_get_sort (list), ==, DOSSIER_SORT_UPDATED_DESC);
  for (guint i = 0; i < N_DOSSIERS; i++)
    {
      g_autoptr(DossierDossier) d = item (list, i);
      const char *updated = dossier_dossier_get_updated_at (d);

      g_assert_nonnull (d);
      if (prev_updated != NULL)
        {
          int cmp = strcmp (updated, prev_updated);

          g_assert_cmpint (cmp, <=, 0);
          if (cmp == 0)
            g_assert_cmpint (dossier_dossier_get_id (d), <, prev_id);
        }
      g_free (prev_updated);
      prev_updated = g_strdup (updated);
      prev_id = dossier_dossier_get_id (d);
    }

  dossier_dossier_list_set_sort (list, DOSSIER_SORT_UNIT_NO);
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS);
  for (guint i = 0; i < N_DOSSIERS; i++)
    {
      g_autoptr(DossierDossier) d = item (list, i);

      if (prev_unit != NULL)
        g_assert_cmpstr (dossier_dossier_get_unit_no (d), >, prev_unit);
      g_free (prev_unit);
      prev_unit = g_strdup (dossier_dossier_get_unit_no (d));
    }
  g_assert_cmpstr (prev_unit, ==, g_ptr_array_index (data.unit_numbers, N_DOSSIERS - 1));
}

typedef struct
{
  guint n_emissions;
  guint position;
  guint removed;
  guint added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  /* The model must already answer with the new contents. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, added);

  changes->n_emissions++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static void
test_items_changed (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  Changes changes = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  dossier_dossier_list_set_search (list, "协和");
  g_assert_cmpuint (changes.n_emissions, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, N_DOSSIERS);
  g_assert_cmpuint (changes.added, ==, expected_second ());

  /* The same search again changes nothing and says nothing. */
  dossier_dossier_list_set_search (list, "协和");
  g_assert_cmpuint (changes.n_emissions, ==, 1);

  dossier_dossier_list_set_status (list, "order");
  g_assert_cmpuint (changes.n_emissions, ==, 2);
  g_assert_cmpuint (changes.removed, ==, expected_second ());

  dossier_dossier_list_set_sort (list, DOSSIER_SORT_UNIT_NO);
  g_assert_cmpuint (changes.n_emissions, ==, 3);
  g_assert_cmpuint (changes.removed, ==, changes.added);

  dossier_dossier_list_set_institution (list, data.institution2);
  g_assert_cmpuint (changes.n_emissions, ==, 4);

  dossier_dossier_list_set_kind (list, "patient-matched");
  g_assert_cmpuint (changes.n_emissions, ==, 5);

  dossier_dossier_list_set_search (list, NULL);
  dossier_dossier_list_set_status (list, NULL);
  dossier_dossier_list_set_institution (list, 0);
  dossier_dossier_list_set_kind (list, NULL);
  dossier_dossier_list_set_sort (list, DOSSIER_SORT_UPDATED_DESC);
  g_assert_cmpuint (changes.n_emissions, ==, 10);
  g_assert_cmpuint (changes.added, ==, N_DOSSIERS);

  g_signal_handlers_disconnect_by_data (list, &changes);
}

static void
test_bounded_cache (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  GHashTable *seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *ids = g_new (gint64, N_DOSSIERS);
  GWeakRef weak;

  g_assert_cmpuint (dossier_dossier_list_get_cached_pages (list), ==, 0);

  /* Walk the whole list: every row is there once, and memory stays bounded. */
  for (guint i = 0; i < N_DOSSIERS; i++)
    {
      g_autoptr(DossierDossier) d = item (list, i);

      g_assert_nonnull (d);
      ids[i] = dossier_dossier_get_id (d);
      g_assert_false (g_hash_table_contains (seen, &ids[i]));
      g_hash_table_add (seen, &ids[i]);
      g_assert_cmpuint (dossier_dossier_list_get_cached_pages (list), <=, MAX_CACHED_PAGES);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_DOSSIERS);
  g_assert_cmpuint (dossier_dossier_list_get_cached_pages (list), ==, MAX_CACHED_PAGES);
  g_hash_table_unref (seen);

  /* The first item's page was evicted long ago: the list holds no reference
   * to it any more, and asking again reads it afresh. */
  {
    DossierDossier *d = item (list, 0);

    g_weak_ref_init (&weak, d);
    g_object_unref (d);
  }
  /* Touch pages far away until page 0 is evicted again. */
  for (guint i = 0; i < MAX_CACHED_PAGES; i++)
    {
      g_autoptr(DossierDossier) d = item (list, N_DOSSIERS - 1 - i * 100);
      g_assert_nonnull (d);
    }
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  /* Recently used pages stay: jumping back and forth between two positions
   * does not reload anything. */
  {
    g_autoptr(DossierDossier) a = item (list, 5);
    g_autoptr(DossierDossier) b = item (list, N_DOSSIERS - 5);
    g_autoptr(DossierDossier) a2 = item (list, 5);
    g_autoptr(DossierDossier) b2 = item (list, N_DOSSIERS - 5);

    g_assert_true (a == a2);
    g_assert_true (b == b2);
    g_assert_cmpint (dossier_dossier_get_id (a), ==, ids[5]);
  }

  /* Changing the query drops the cache. */
  dossier_dossier_list_set_search (list, "协和");
  g_assert_cmpuint (dossier_dossier_list_get_cached_pages (list), ==, 0);
}

/* Runs last: it adds a dossier (dossiers cannot be deleted). */
static void
test_reload (void)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (data.store);
  /* The second is a patient-matched one (the newest is customized). */
  g_autoptr(DossierDossier) template = item (list, 1);
  g_autoptr(DossierDossier) newest = NULL;
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unit_no = NULL;
  Changes changes = { 0 };
  gint64 id;

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  row = dossier_store_get_row (data.store, "dossier", dossier_dossier_get_id (template), &error);
  g_assert_no_error (error);

  id = dossier_store_create_dossier (data.store, (DossierField[]) {
    { "kind", "patient-matched" },
    { "institution_id", g_hash_table_lookup (row, "institution_id") },
    { "clinician_id", g_hash_table_lookup (row, "clinician_id") },
    { "patient_id", g_hash_table_lookup (row, "patient_id") },
    { "model_id", g_hash_table_lookup (row, "model_id") },
    { NULL } }, &unit_no, &error);
  g_assert_no_error (error);

  /* Until reloaded, the list answers from its cached count. */
  g_assert_cmpuint (n_items (list), ==, N_DOSSIERS);

  /* A reload after a write picks up the new row, in one signal. */
  dossier_dossier_list_reload (list);
  g_assert_cmpuint (changes.n_emissions, ==, 1);
  g_assert_cmpuint (changes.removed, ==, N_DOSSIERS);
  g_assert_cmpuint (changes.added, ==, N_DOSSIERS + 1);

  newest = item (list, 0);
  g_assert_cmpint (dossier_dossier_get_id (newest), ==, id);
  g_assert_cmpstr (dossier_dossier_get_unit_no (newest), ==, unit_no);
  g_assert_false (dossier_dossier_get_implantable (newest)); /* no duration given */

  g_signal_handlers_disconnect_by_data (list, &changes);
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(DossierStore) store = dossier_store_open (path, &error);
  g_autoptr(DossierDossierList) list = NULL;
  Changes changes = { 0 };

  g_assert_no_error (error);
  list = dossier_dossier_list_new (store);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  g_assert_cmpuint (n_items (list), ==, 0);
  g_assert_null (item (list, 0));
  dossier_dossier_list_set_search (list, "医院");
  g_assert_cmpuint (n_items (list), ==, 0);
  /* Nothing to nothing is not a change. */
  g_assert_cmpuint (changes.n_emissions, ==, 0);
  g_assert_true (dossier_dossier_list_get_store (list) == store);

  /* A failing query is reported, not swallowed, and does not stick. */
  g_assert_cmpint (sqlite3_exec (dossier_store_get_handle (store), "DROP TABLE search_dossier",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  dossier_dossier_list_set_search (list, "人民医院");
  g_assert_nonnull (dossier_dossier_list_get_error (list));
  g_assert_error ((GError *)dossier_dossier_list_get_error (list), DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED);
  g_assert_cmpuint (n_items (list), ==, 0);
  dossier_dossier_list_set_search (list, NULL);
  g_assert_null (dossier_dossier_list_get_error (list));

  g_clear_object (&list);
  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  populate ();

  g_test_add_func ("/dossier-list/count-and-items", test_count_and_items);
  g_test_add_func ("/dossier-list/customized", test_customized);
  g_test_add_func ("/dossier-list/search", test_search);
  g_test_add_func ("/dossier-list/filters", test_filters);
  g_test_add_func ("/dossier-list/sort", test_sort);
  g_test_add_func ("/dossier-list/items-changed", test_items_changed);
  g_test_add_func ("/dossier-list/bounded-cache", test_bounded_cache);
  g_test_add_func ("/dossier-list/empty", test_empty);
  g_test_add_func ("/dossier-list/reload", test_reload);

  ret = g_test_run ();

  g_clear_object (&data.store);
  g_clear_pointer (&data.unit_numbers, g_ptr_array_unref);
  remove_tree (data.dir);
  g_free (data.dir);

  return ret;
}
