/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-store.h"
#include "dossier-test-util.h"

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
  f->path = g_build_filename (f->dir, "store.db", NULL);
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

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static gint64
audit_count (Fixture *f)
{
  return dt_query_int (f->store, "SELECT count(*) FROM audit_log");
}

/* Checks a refused write: the code, and that the message names what is wrong. */
static void
assert_refused (const char   *what,
                const GError *error,
                int           code,
                const char  **needles)
{
  if (error == NULL)
    g_error ("%s: should have been refused", what);
  g_test_message ("%s: %s", what, error->message);
  if (error->domain != DOSSIER_STORE_ERROR || error->code != code)
    g_error ("%s: expected error code %d, got %s %d: %s", what, code,
             g_quark_to_string (error->domain), error->code, error->message);
  for (guint i = 0; needles != NULL && needles[i] != NULL; i++)
    if (strstr (error->message, needles[i]) == NULL)
      g_error ("%s: the message should mention “%s”: %s", what, needles[i], error->message);
}

/* Round trips ----------------------------------------------------------------- */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *institution = NULL;
  gint64 id, clinician;

  id = dt_insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "  四川大学华西医院" },
    { "name_en", "West China Hospital" },
    { "practising_licence", "ABC-1234" },
    { "province_code", "510000" },
    { "active", "yes" },
    { NULL } });
  institution = id_text (id);

  row = dossier_store_get_row (f->store, "institution", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (row, "id"), ==, institution);
  g_assert_cmpstr (g_hash_table_lookup (row, "name_zh"), ==, "  四川大学华西医院");
  g_assert_cmpstr (g_hash_table_lookup (row, "name_en"), ==, "West China Hospital");
  g_assert_cmpstr (g_hash_table_lookup (row, "practising_licence"), ==, "ABC-1234");
  g_assert_cmpstr (g_hash_table_lookup (row, "province_code"), ==, "510000");
  /* Booleans are stored as 0/1 whatever the input said. */
  g_assert_cmpstr (g_hash_table_lookup (row, "active"), ==, "1");
  /* Columns with an SQL default come back with it. */
  g_assert_cmpstr (g_hash_table_lookup (row, "grade"), ==, "");
  g_clear_pointer (&row, g_hash_table_unref);

  g_assert_cmpint (dossier_store_lookup_id (f->store, "institution", "practising_licence", "ABC-1234", &error), ==, id);
  g_assert_no_error (error);
  g_assert_cmpint (dossier_store_lookup_id (f->store, "institution", "practising_licence", "ZZZ-9999", &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  dt_update (f->store, "institution", id, (DossierField[]) {
    { "name_en", "West China Hospital, Sichuan University" },
    { "active", "no" },
    { NULL } }, "Official English name");
  row = dossier_store_get_row (f->store, "institution", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (row, "name_en"), ==, "West China Hospital, Sichuan University");
  g_assert_cmpstr (g_hash_table_lookup (row, "active"), ==, "0");
  g_assert_cmpstr (g_hash_table_lookup (row, "name_zh"), ==, "  四川大学华西医院");
  g_clear_pointer (&row, g_hash_table_unref);

  /* Integers are normalised; NULL clears an optional value. */
  clinician = dt_insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", institution },
    { "name_zh", "赵医生" },
    { "certificate_no", "110510000000042" },
    { NULL } });
  dt_update (f->store, "patient", f->rows.patient, (DossierField[]) { { "birth_year", NULL }, { NULL } }, NULL);
  row = dossier_store_get_row (f->store, "patient", f->rows.patient, &error);
  g_assert_no_error (error);
  g_assert_false (g_hash_table_contains (row, "birth_year"));
  g_clear_pointer (&row, g_hash_table_unref);

  list = dossier_store_list_rows (f->store, "clinician", "institution_id", id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (g_ptr_array_index (list, 0), "name_zh"), ==, "赵医生");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (dossier_store_delete (f->store, "clinician", clinician, "Entered by mistake", &error));
  g_assert_no_error (error);
  g_assert_null (dossier_store_get_row (f->store, "clinician", clinician, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (dossier_store_delete (f->store, "institution", id, "Closed", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_store_count (f->store, "institution"), ==, 2);

  /* Deleting or changing what is not there says so. */
  g_assert_false (dossier_store_delete (f->store, "institution", id, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dossier_store_update (f->store, "institution", id,
                                        (DossierField[]) { { "name_en", "x" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A write that touches a dossier's record marks the dossier as changed. */
  {
    g_autofree char *before = dt_row_value (f->store, "dossier", f->rows.customized, "updated_at");
    g_autofree char *after = NULL;
    g_autofree char *dossier = id_text (f->rows.customized);

    g_usleep (2000);
    dt_insert (f->store, "design_input", (DossierField[]) {
      { "dossier_id", dossier }, { "title", "Surgeon's sketch" }, { NULL } });
    after = dt_row_value (f->store, "dossier", f->rows.customized, "updated_at");
    g_assert_cmpstr (before, <, after);
  }

  dt_assert_audit_clean (f->store);
}

/* Validation ------------------------------------------------------------------ */

typedef struct
{
  const char  *what;
  const char  *table;
  DossierField fields[10];
  int          code;
  const char  *needles[4];
} InsertCase;

#define LONG_201 \
  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十" \
  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十" \
  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十" \
  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十" \
  "多"

#define INST_OK { "practising_licence", "NEW-0001" }, { "province_code", "440000" }

/* "@I" in a value stands for the first institution's id. */
static const InsertCase insert_cases[] = {
  { "required missing", "institution", { INST_OK, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Name (Chinese)", "required" } },
  { "required empty", "patient", { { "code", "" }, { "sex", "male" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Patient code", "required" } },
  { "required NULL", "patient", { { "code", "P-0009" }, { "sex", NULL }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Sex", "required" } },
  { "unknown column", "institution", { { "name_zh", "医院" }, INST_OK, { "colour", "red" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "colour", "Institution" } },
  { "given twice", "patient", { { "code", "P-0009" }, { "code", "P-0010" }, { "sex", "male" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Patient code", "twice" } },
  { "generated column", "attachment",
    { { "dossier_id", "1" }, { "section", "other" }, { "original_name", "a.txt" },
      { "sha256", "0000000000000000000000000000000000000000000000000000000000000000" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "SHA-256", "set by Dossier" } },
  { "generated unit number", "dossier", { { "unit_no", "DSR-2026-999999" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Unit number", "set by Dossier" } },
  { "bad integer", "filing",
    { { "province_code", "440000" }, { "institution_id", "@I" }, { "device_name", "x" },
      { "case_threshold", "ten" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Cases before registration", "whole number", "ten" } },
  { "integer with spaces", "filing",
    { { "province_code", "440000" }, { "institution_id", "@I" }, { "device_name", "x" },
      { "case_threshold", " 5" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Cases before registration", "whole number" } },
  { "out of range", "filing",
    { { "province_code", "440000" }, { "institution_id", "@I" }, { "device_name", "x" },
      { "case_threshold", "0" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Cases before registration", "between 1 and 100000", "found 0" } },
  { "out of range, too big", "product",
    { { "certificate_no", "国械注准20203130999" }, { "device_class", "4" }, { "name_zh", "x" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Device class", "between 1 and 3" } },
  { "integer overflow", "product",
    { { "certificate_no", "国械注准20203130999" }, { "device_class", "99999999999999999999" }, { "name_zh", "x" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Device class" } },
  { "bad date", "filing",
    { { "province_code", "440000" }, { "institution_id", "@I" }, { "device_name", "x" },
      { "case_threshold", "5" }, { "filed_on", "2020-02-30" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Filing date" } },
  { "bad date format", "material_lot",
    { { "material", "PEEK" }, { "lot_no", "1" }, { "received_on", "1/2/2026" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Received on" } },
  { "bad timestamp", "release",
    { { "dossier_id", "2" }, { "released_by", "QA" }, { "released_at", "2026-01-28 10:00" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Released at" } },
  { "bad choice", "patient", { { "code", "P-0009" }, { "sex", "f" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Sex", "female, male, unknown", "“f”" } },
  { "bad boolean", "institution", { { "name_zh", "医院" }, INST_OK, { "active", "maybe" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Active", "yes or no" } },
  { "bad decimal", "parameter_value", { { "iteration_id", "1" }, { "name", "x" }, { "value", "1,5" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Value", "decimal" } },
  { "too long", "institution", { { "name_zh", LONG_201 }, INST_OK, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Name (Chinese)", "200" } },
  { "invalid UTF-8", "institution", { { "name_zh", "医院" }, { "name_en", "Bad \xff\xfe name" }, INST_OK, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Name (English)", "UTF-8" } },
  { "invalid UTF-8 in an identifier", "patient", { { "code", "P-\xc3\x28" }, { "sex", "male" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Patient code", "UTF-8" } },
  { "bad identifier", "institution", { { "name_zh", "医院" }, { "practising_licence", "x" }, { "province_code", "440000" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Practising licence number" } },
  { "bad province", "institution", { { "name_zh", "医院" }, { "practising_licence", "NEW-0001" }, { "province_code", "990000" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Province" } },
  { "bad reference", "clinician",
    { { "institution_id", "first" }, { "name_zh", "张" }, { "certificate_no", "110440000999999" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Institution", "whole number" } },
  { "unknown reference", "clinician",
    { { "institution_id", "999" }, { "name_zh", "张" }, { "certificate_no", "110440000999999" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Institution", "999" } },
  { "unknown dossier", "design_input", { { "dossier_id", "999" }, { "title", "x" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Dossier", "999" } },
  { "duplicate practising licence", "institution",
    { { "name_zh", "另一家医院" }, { "practising_licence", "PDY00001X44010415A1002" }, { "province_code", "440000" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Practising licence number", "PDY00001X44010415A1002", "already used" } },
  { "duplicate patient code", "patient", { { "code", "P-2026-0001" }, { "sex", "male" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Patient code", "P-2026-0001", "already used" } },
  { "duplicate certificate", "clinician",
    { { "institution_id", "@I" }, { "name_zh", "张" }, { "certificate_no", "110440000123456" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Practising certificate number", "already used" } },
  { "filing number of another province", "filing",
    { { "number", "京械定制备20200002号" }, { "province_code", "440000" }, { "filed_on", "2020-05-01" },
      { "status", "filed" }, { "institution_id", "@I" }, { "device_name", "x" }, { "case_threshold", "5" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Filing number" } },
  { "filed without number", "filing",
    { { "province_code", "440000" }, { "status", "filed" }, { "institution_id", "@I" }, { "device_name", "x" },
      { "case_threshold", "5" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Status", "filing number" } },
  { "end before start (SQL check)", "processing_step",
    { { "dossier_id", "1" }, { "position", "7" }, { "step_type", "Polishing" },
      { "started_at", "2026-01-25T09:00:00+08:00" }, { "ended_at", "2026-01-24T09:00:00+08:00" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Processing step" } },
  { "duplicate version (SQL unique)", "design_iteration",
    { { "dossier_id", "1" }, { "version", "1" }, { "designed_on", "2026-01-21" }, { "designer", "Li" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Design iteration" } },
};

static void
test_insert_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *institution = id_text (f->rows.institution);

  for (guint i = 0; i < G_N_ELEMENTS (insert_cases); i++)
    {
      const InsertCase *c = &insert_cases[i];
      g_autoptr(GError) error = NULL;
      DossierField fields[G_N_ELEMENTS (c->fields)];
      gint64 rows_before = dossier_store_count (f->store, c->table);
      gint64 audit_before = audit_count (f);
      g_autofree char *dossier_updated = dt_row_value (f->store, "dossier", 1, "updated_at");
      g_autofree char *dossier_updated_after = NULL;
      gint64 id;

      for (guint n = 0; n < G_N_ELEMENTS (fields); n++)
        {
          fields[n] = c->fields[n];
          if (g_strcmp0 (fields[n].value, "@I") == 0)
            fields[n].value = institution;
        }

      id = dossier_store_insert (f->store, c->table, fields, &error);
      g_assert_cmpint (id, ==, 0);
      assert_refused (c->what, error, c->code, (const char **)c->needles);

      /* Refused means nothing written: no row, no trail, no touched dossier. */
      g_assert_cmpint (dossier_store_count (f->store, c->table), ==, rows_before);
      g_assert_cmpint (audit_count (f), ==, audit_before);
      dossier_updated_after = dt_row_value (f->store, "dossier", 1, "updated_at");
      g_assert_cmpstr (dossier_updated_after, ==, dossier_updated);
    }

  dt_assert_audit_clean (f->store);
}

typedef struct
{
  const char  *what;
  const char  *table;
  gsize        row;      /* offset of the id in DtRows */
  DossierField fields[4];
  int          code;
  const char  *needles[4];
} UpdateCase;

#define ROW(member) G_STRUCT_OFFSET (DtRows, member)

static const UpdateCase update_cases[] = {
  { "required emptied", "institution", ROW (institution), { { "name_zh", "" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Name (Chinese)", "required" } },
  { "unknown column", "patient", ROW (patient), { { "name", "Zhang San" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "name", "Patient" } },
  { "bad choice", "dossier", ROW (customized), { { "status", "shipped" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Status", "order, design", "cancelled" } },
  { "out of range", "dossier", ROW (customized), { { "patient_age", "151" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Patient age", "between 0 and 150" } },
  { "bad integer", "dossier", ROW (customized), { { "body_days", "30.5" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Intended days in the body", "whole number" } },
  { "bad date", "dossier", ROW (customized), { { "ordered_on", "2026-13-01" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Order date" } },
  { "invalid UTF-8", "dossier", ROW (customized), { { "notes", "\xed\xa0\x80" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Notes", "UTF-8" } },
  { "generated", "dossier", ROW (customized), { { "created_at", "2020-01-01T00:00:00Z" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Created", "set by Dossier" } },
  { "generated attachment hash", "attachment", ROW (attachment),
    { { "sha256", "0000000000000000000000000000000000000000000000000000000000000000" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "SHA-256" } },
  { "unknown reference", "clinician", ROW (clinician), { { "institution_id", "999" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Institution", "999" } },
  { "duplicate licence", "institution", ROW (institution2), { { "practising_licence", "PDY00001X44010415A1002" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Practising licence number", "already used" } },
  { "patient code is immutable", "patient", ROW (patient), { { "code", "P-2026-0099" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Patient code", "cannot be changed" } },
  { "dossier institution is immutable", "dossier", ROW (customized), { { "institution_id", "2" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Institution", "cannot be changed" } },
  { "dossier patient is immutable", "dossier", ROW (customized), { { "patient_id", "2" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Patient", "cannot be changed" } },
  { "dossier kind is immutable", "dossier", ROW (customized), { { "kind", "patient-matched" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Kind", "cannot be changed" } },
  /* The unit number is also generated, and that is what the message says. */
  { "unit number", "dossier", ROW (customized), { { "unit_no", "DSR-2000-000001" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Unit number", "cannot be changed" } },
  { "setting key is immutable", "setting", 0, { { "key", "something.else" }, { NULL } },
    DOSSIER_STORE_ERROR_CONSTRAINT, { "Key", "cannot be changed" } },
  { "clinician of another institution", "dossier", ROW (customized), { { "clinician_id", "2" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Ordering clinician", "institution" } },
  { "model on a customized dossier", "dossier", ROW (customized), { { "model_id", "1" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Registered model" } },
  { "filing on a patient-matched dossier", "dossier", ROW (matched), { { "filing_id", "1" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Filing" } },
  { "customized without filing", "dossier", ROW (customized), { { "filing_id", NULL }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Filing" } },
  { "filing of another institution", "dossier", ROW (customized), { { "filing_id", "@F2" }, { NULL } },
    DOSSIER_STORE_ERROR_INVALID, { "Institution", "partner institution" } },
};

static void
test_update_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_filing = NULL;
  g_autofree char *institution2 = id_text (f->rows.institution2);

  /* A filing of the second institution, for the partner check. */
  other_filing = id_text (dt_insert (f->store, "filing", (DossierField[]) {
    { "number", "京械定制备20210012号" }, { "province_code", "110000" }, { "filed_on", "2021-04-01" },
    { "status", "filed" }, { "institution_id", institution2 }, { "device_name", "定制式下颌骨" },
    { "case_threshold", "20" }, { NULL } }));

  for (guint i = 0; i < G_N_ELEMENTS (update_cases); i++)
    {
      const UpdateCase *c = &update_cases[i];
      gint64 id = c->row != 0 ? G_STRUCT_MEMBER (gint64, &f->rows, c->row) : 1;
      g_autoptr(GHashTable) before = dossier_store_get_row (f->store, c->table, id, NULL);
      g_autoptr(GHashTable) after = NULL;
      gint64 audit_before = audit_count (f);
      DossierField fields[G_N_ELEMENTS (c->fields)];
      GHashTableIter iter;
      gpointer key, value;

      for (guint n = 0; n < G_N_ELEMENTS (fields); n++)
        {
          fields[n] = c->fields[n];
          if (g_strcmp0 (fields[n].value, "@F2") == 0)
            fields[n].value = other_filing;
        }

      g_assert_nonnull (before);
      g_assert_false (dossier_store_update (f->store, c->table, id, fields, "test", &error));
      assert_refused (c->what, error, c->code, (const char **)c->needles);
      g_clear_error (&error);

      /* The row is exactly as it was, and the trail did not move. */
      after = dossier_store_get_row (f->store, c->table, id, NULL);
      g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
      g_hash_table_iter_init (&iter, before);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_assert_cmpstr (g_hash_table_lookup (after, key), ==, value);
      g_assert_cmpint (audit_count (f), ==, audit_before);
    }

  /* Giving an immutable field its own value is not a change. */
  dt_update (f->store, "patient", f->rows.patient, (DossierField[]) {
    { "code", "P-2026-0001" }, { "birth_year", "1969" }, { NULL } }, "Birth year corrected");

  dt_assert_audit_clean (f->store);
}

/* Behind the store, SQL itself keeps the binding of a unit. */
static void
test_binding_trigger (Fixture       *f,
                      gconstpointer  data)
{
  static const char *statements[] = {
    "UPDATE dossier SET unit_no = 'X-1' WHERE id = 1",
    "UPDATE dossier SET patient_id = 2 WHERE id = 1",
    "UPDATE dossier SET institution_id = 2 WHERE id = 1",
    "UPDATE dossier SET kind = 'patient-matched', filing_id = NULL, model_id = 1 WHERE id = 1",
  };
  sqlite3 *db = dossier_store_get_handle (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      char *message = NULL;
      int rc = sqlite3_exec (db, statements[i], NULL, NULL, &message);

      g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (message, "immutable"));
      sqlite3_free (message);
    }
}

static void
test_delete_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 audit_before = audit_count (f);
  gint64 spare;

  g_assert_false (dossier_store_delete (f->store, "dossier", f->rows.customized, "test", &error));
  assert_refused ("delete a dossier", error, DOSSIER_STORE_ERROR_CONSTRAINT,
                  (const char *[]) { "cancelled", NULL });
  g_clear_error (&error);
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, 2);

  /* Still referenced by clinicians, filings and dossiers. */
  g_assert_false (dossier_store_delete (f->store, "institution", f->rows.institution, "test", &error));
  assert_refused ("delete a referenced institution", error, DOSSIER_STORE_ERROR_CONSTRAINT,
                  (const char *[]) { "Institution", "still used", NULL });
  g_clear_error (&error);
  {
    g_autofree char *name = dt_row_value (f->store, "institution", f->rows.institution, "name_zh");
    g_assert_nonnull (name);
  }

  g_assert_false (dossier_store_delete (f->store, "patient", f->rows.patient, "test", &error));
  assert_refused ("delete a referenced patient", error, DOSSIER_STORE_ERROR_CONSTRAINT,
                  (const char *[]) { "Patient", "still used", NULL });
  g_clear_error (&error);

  g_assert_false (dossier_store_delete (f->store, "material_lot", f->rows.lot, "test", &error));
  assert_refused ("delete a used material lot", error, DOSSIER_STORE_ERROR_CONSTRAINT,
                  (const char *[]) { "Material lot", "still used", NULL });
  g_clear_error (&error);

  g_assert_cmpint (audit_count (f), ==, audit_before);

  /* An unreferenced row goes, with its trail entry. */
  spare = dt_insert (f->store, "patient", (DossierField[]) { { "code", "P-SPARE-1" }, { "sex", "unknown" }, { NULL } });
  g_assert_true (dossier_store_delete (f->store, "patient", spare, "Duplicate", &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_count (f), ==, audit_before + 2);

  dt_assert_audit_clean (f->store);
}

/* Dossier rules ----------------------------------------------------------------- */

typedef struct
{
  const char *what;
  const char *kind;
  const char *institution;
  const char *clinician;
  const char *filing;
  const char *model;
  const char *needles[4];
} DossierCase;

/* "1"/"2": the first/second institution and its clinician; "F1": the filed filing of
 * institution 1, "D1": a draft filing of institution 1, "F2": a filed filing of
 * institution 2. */
static const DossierCase dossier_cases[] = {
  { "customized without filing", "customized", "1", "1", NULL, NULL, { "Filing", "customized" } },
  { "customized with a model", "customized", "1", "1", "F1", "1", { "Registered model" } },
  { "customized, another institution's filing", "customized", "1", "1", "F2", NULL, { "Institution", "partner institution" } },
  { "customized, filing not in force", "customized", "1", "1", "D1", NULL, { "Filing", "not in force", "draft" } },
  { "patient-matched without model", "patient-matched", "1", "1", NULL, NULL, { "Registered model" } },
  { "patient-matched with a filing", "patient-matched", "1", "1", "F1", "1", { "Filing", "registered" } },
  { "clinician of another institution", "patient-matched", "1", "2", NULL, "1", { "Ordering clinician", "institution" } },
  { "clinician of another institution (customized)", "customized", "1", "2", "F1", NULL, { "Ordering clinician" } },
};

static void
test_dossier_rules (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *f1 = id_text (f->rows.filing);
  g_autofree char *f2 = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *serial_before = NULL;
  g_autofree char *serial_after = NULL;
  g_autofree char *unit_no = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  f2 = id_text (dt_insert (f->store, "filing", (DossierField[]) {
    { "number", "京械定制备20210012号" }, { "province_code", "110000" }, { "filed_on", "2021-04-01" },
    { "status", "filed" }, { "institution_id", "2" }, { "device_name", "定制式下颌骨" },
    { "case_threshold", "20" }, { NULL } }));
  d1 = id_text (dt_insert (f->store, "filing", (DossierField[]) {
    { "province_code", "440000" }, { "institution_id", "1" }, { "device_name", "草稿" },
    { "case_threshold", "20" }, { NULL } }));

  serial_before = dt_query_text (f->store, "SELECT group_concat (year || ':' || last) FROM serial");

  for (guint i = 0; i < G_N_ELEMENTS (dossier_cases); i++)
    {
      const DossierCase *c = &dossier_cases[i];
      const char *filing = c->filing == NULL ? NULL :
                           g_str_equal (c->filing, "F1") ? f1 :
                           g_str_equal (c->filing, "F2") ? f2 : d1;
      DossierField fields[] = {
        { "kind", c->kind },
        { "institution_id", c->institution },
        { "clinician_id", c->clinician },
        { "patient_id", "1" },
        { "filing_id", filing },
        { "model_id", c->model },
        { NULL }
      };
      g_autofree char *number = NULL;

      id = dossier_store_create_dossier (f->store, fields, &number, &error);
      g_assert_cmpint (id, ==, 0);
      g_assert_null (number);
      assert_refused (c->what, error, DOSSIER_STORE_ERROR_INVALID, (const char **)c->needles);
      g_clear_error (&error);
    }

  /* Refused dossiers did not use up unit numbers. */
  serial_after = dt_query_text (f->store, "SELECT group_concat (year || ':' || last) FROM serial");
  g_assert_cmpstr (serial_after, ==, serial_before);
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, 2);

  /* The filing's partner institution with its own clinician is fine, for another patient too. */
  id = dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", "1" }, { "clinician_id", "1" },
    { "patient_id", "2" }, { "filing_id", f1 }, { NULL } }, &unit_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_nonnull (unit_no);

  /* Unit number and timestamps cannot be given. */
  g_assert_cmpint (dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", "1" }, { "clinician_id", "1" },
    { "patient_id", "2" }, { "filing_id", f1 }, { "unit_no", "MINE-1" }, { NULL } }, NULL, &error), ==, 0);
  assert_refused ("unit number given", error, DOSSIER_STORE_ERROR_INVALID,
                  (const char *[]) { "Unit number", NULL });
  g_clear_error (&error);
  g_assert_cmpint (dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", "1" }, { "clinician_id", "1" },
    { "patient_id", "2" }, { "filing_id", f1 }, { "created_at", "2020-01-01T00:00:00Z" }, { NULL } }, NULL, &error), ==, 0);
  assert_refused ("creation time given", error, DOSSIER_STORE_ERROR_INVALID,
                  (const char *[]) { "Created", NULL });
  g_clear_error (&error);

  /* A filing that is cancelled later keeps its dossiers: only new ones are refused. */
  dt_update (f->store, "filing", f->rows.filing, (DossierField[]) { { "status", "cancelled" }, { NULL } }, "Withdrawn");
  dt_update (f->store, "dossier", f->rows.customized, (DossierField[]) { { "status", "design" }, { NULL } }, NULL);
  g_assert_cmpint (dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", "1" }, { "clinician_id", "1" },
    { "patient_id", "2" }, { "filing_id", f1 }, { NULL } }, NULL, &error), ==, 0);
  assert_refused ("cancelled filing", error, DOSSIER_STORE_ERROR_INVALID,
                  (const char *[]) { "not in force", "cancelled", NULL });
  g_clear_error (&error);

  dt_assert_audit_clean (f->store);
}

/* Unit numbers ------------------------------------------------------------------ */

static char *
create_dossier (DossierStore  *store,
                GError       **error)
{
  char *number = NULL;
  gint64 id;

  id = dossier_store_create_dossier (store, (DossierField[]) {
    { "kind", "patient-matched" }, { "institution_id", "2" }, { "clinician_id", "2" },
    { "patient_id", "2" }, { "model_id", "1" }, { NULL } }, &number, error);
  g_assert_true ((id > 0) == (number != NULL));

  return number;
}

/* prefix, this year, separator, serial in digits. */
static char *
expected_number (const char *prefix,
                 const char *separator,
                 int         digits,
                 gint64      serial)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_strdup_printf ("%s%d%s%0*" G_GINT64_FORMAT, prefix, g_date_time_get_year (now),
                          separator, digits, serial);
}

static void
test_unit_numbers (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *pattern = NULL;
  gint64 audit_before;
  static const char *bad_patterns[] = {
    "",                          /* empty */
    "DSR-{YYYY}",                /* no serial */
    "DSR-{YYYY}-{NNNN",          /* unbalanced */
    "DSR-{YYYY}-{XXXX}",         /* unknown placeholder */
    "{PROVINCE}-{YYYY}-{NNNN}",  /* a unit has no province to put there */
    "DSR-{NNNNNN}",              /* serials restart each year: no year means repeats */
  };

  /* The default pattern, one serial a year: 1, 2, 3… */
  for (gint64 n = 1; n <= 5; n++)
    {
      g_autofree char *number = create_dossier (f->store, &error);
      g_autofree char *expected = expected_number ("DSR-", "-", 6, n + 2);

      g_assert_no_error (error);
      g_assert_cmpstr (number, ==, expected);
      g_assert_false (g_hash_table_contains (seen, number));
      g_hash_table_add (seen, g_steal_pointer (&number));
    }

  /* A new pattern applies to the next number; the serial goes on. */
  g_assert_true (dossier_store_set_setting (f->store, "dossier.unit_number_pattern", "SZ{YYYY}/{NNNN}",
                                            "New label layout", &error));
  g_assert_no_error (error);
  pattern = dossier_store_get_setting (f->store, "dossier.unit_number_pattern");
  g_assert_cmpstr (pattern, ==, "SZ{YYYY}/{NNNN}");
  {
    g_autofree char *number = create_dossier (f->store, &error);
    g_autofree char *expected = expected_number ("SZ", "/", 4, 8);

    g_assert_no_error (error);
    g_assert_cmpstr (number, ==, expected);
  }

  /* Bad patterns are refused before they are stored. */
  audit_before = audit_count (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad_patterns); i++)
    {
      g_autofree char *current = NULL;

      g_assert_false (dossier_store_set_setting (f->store, "dossier.unit_number_pattern", bad_patterns[i],
                                                 "test", &error));
      assert_refused (bad_patterns[i], error, DOSSIER_STORE_ERROR_INVALID,
                      (const char *[]) { "dossier.unit_number_pattern", NULL });
      g_clear_error (&error);
      current = dossier_store_get_setting (f->store, "dossier.unit_number_pattern");
      g_assert_cmpstr (current, ==, "SZ{YYYY}/{NNNN}");
    }
  g_assert_cmpint (audit_count (f), ==, audit_before);

  {
    g_autofree char *number = create_dossier (f->store, &error);
    g_autofree char *expected = expected_number ("SZ", "/", 4, 9);

    g_assert_no_error (error);
    g_assert_cmpstr (number, ==, expected);
  }

  dt_assert_audit_clean (f->store);
}

/* A dossier whose creation is rolled back never existed, so nobody can have seen its
 * number on a record: the store gives the number back and the next dossier gets it.
 * Committed numbers are therefore never skipped and never duplicated. */
static void
test_unit_number_rollback (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *next = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (dossier_store_begin (f->store, &error));
  first = create_dossier (f->store, &error);
  g_assert_no_error (error);
  expected = expected_number ("DSR-", "-", 6, 3);
  g_assert_cmpstr (first, ==, expected);
  dossier_store_rollback (f->store);

  g_assert_cmpint (dossier_store_lookup_id (f->store, "dossier", "unit_no", first, NULL), ==, 0);
  again = create_dossier (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, first);
  next = create_dossier (f->store, &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = expected_number ("DSR-", "-", 6, 4);
  g_assert_cmpstr (next, ==, expected);

  /* Every committed number once, in order. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(DISTINCT unit_no) FROM dossier"), ==, 4);
  dt_assert_audit_clean (f->store);
}

/* Two connections creating dossiers in turn still get distinct, consecutive numbers. */
static void
test_unit_numbers_two_stores (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(DossierStore) other = dt_open (f->path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *number = create_dossier (i % 2 ? other : f->store, &error);
      g_autofree char *expected = expected_number ("DSR-", "-", 6, i + 3);

      g_assert_no_error (error);
      g_assert_cmpstr (number, ==, expected);
    }
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(DISTINCT unit_no) FROM dossier"), ==, 12);
}

/* Transactions ------------------------------------------------------------------ */

static gint64
insert_patient (DossierStore *store,
                const char   *code)
{
  return dt_insert (store, "patient", (DossierField[]) { { "code", code }, { "sex", "unknown" }, { NULL } });
}

static gboolean
has_patient (Fixture    *f,
             const char *code)
{
  return dossier_store_lookup_id (f->store, "patient", "code", code, NULL) != 0;
}

static void
test_nested_transactions (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 audit_before = audit_count (f);

  /* begin, begin, rollback inner, commit outer: the outer writes stay. */
  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "T-OUTER-1");
  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "T-INNER-1");
  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "T-INNERMOST-1");
  g_assert_true (dossier_store_commit (f->store, &error));
  dossier_store_rollback (f->store);
  insert_patient (f->store, "T-OUTER-2");
  g_assert_true (dossier_store_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_true (has_patient (f, "T-OUTER-1"));
  g_assert_true (has_patient (f, "T-OUTER-2"));
  g_assert_false (has_patient (f, "T-INNER-1"));
  g_assert_false (has_patient (f, "T-INNERMOST-1"));
  /* One create entry per patient that exists. */
  g_assert_cmpint (audit_count (f), ==, audit_before + 2);

  /* Commit inner, roll back outer: nothing stays. */
  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "T-GONE-1");
  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "T-GONE-2");
  g_assert_true (dossier_store_commit (f->store, &error));
  dossier_store_rollback (f->store);
  g_assert_false (has_patient (f, "T-GONE-1"));
  g_assert_false (has_patient (f, "T-GONE-2"));
  g_assert_cmpint (audit_count (f), ==, audit_before + 2);

  /* The store is usable afterwards, and the chain is whole. */
  insert_patient (f->store, "T-AFTER-1");
  dt_assert_audit_clean (f->store);
}

/* A write that fails inside a transaction leaves nothing of itself, and the
 * transaction goes on. */
static void
test_failed_write_in_transaction (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *serial_before = NULL;
  g_autofree char *serial_after = NULL;
  g_autofree char *updated_before = NULL;
  g_autofree char *updated_after = NULL;
  g_autofree char *dossier = id_text (f->rows.customized);
  gint64 audit_before = audit_count (f);
  gint64 steps_before = dossier_store_count (f->store, "processing_step");

  serial_before = dt_query_text (f->store, "SELECT group_concat (year || ':' || last) FROM serial");
  updated_before = dt_row_value (f->store, "dossier", f->rows.customized, "updated_at");

  g_assert_true (dossier_store_begin (f->store, &error));
  insert_patient (f->store, "T-KEPT-1");

  /* Fails in SQL (a CHECK the store does not know about), after validation. */
  g_assert_cmpint (dossier_store_insert (f->store, "processing_step", (DossierField[]) {
    { "dossier_id", dossier }, { "position", "9" }, { "step_type", "Sterilisation" },
    { "started_at", "2026-02-01T10:00:00+08:00" }, { "ended_at", "2026-02-01T09:00:00+08:00" },
    { NULL } }, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Fails after the unit number was reserved. */
  g_assert_cmpint (dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "patient-matched" }, { "institution_id", "2" }, { "clinician_id", "1" },
    { "patient_id", "2" }, { "model_id", "1" }, { NULL } }, NULL, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Fails in an update of several fields, the first of them valid. */
  g_assert_false (dossier_store_update (f->store, "dossier", f->rows.customized, (DossierField[]) {
    { "notes", "half" }, { "patient_age", "-1" }, { NULL } }, "test", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  insert_patient (f->store, "T-KEPT-2");
  g_assert_true (dossier_store_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_true (has_patient (f, "T-KEPT-1"));
  g_assert_true (has_patient (f, "T-KEPT-2"));
  g_assert_cmpint (dossier_store_count (f->store, "processing_step"), ==, steps_before);
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, 2);
  serial_after = dt_query_text (f->store, "SELECT group_concat (year || ':' || last) FROM serial");
  g_assert_cmpstr (serial_after, ==, serial_before);
  updated_after = dt_row_value (f->store, "dossier", f->rows.customized, "updated_at");
  g_assert_cmpstr (updated_after, ==, updated_before);
  {
    g_autofree char *notes = dt_row_value (f->store, "dossier", f->rows.customized, "notes");
    g_assert_cmpstr (notes, ==, "");
  }
  g_assert_cmpint (audit_count (f), ==, audit_before + 2);
  dt_assert_audit_clean (f->store);
}

/* Settings ---------------------------------------------------------------------- */

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *reason = NULL;

  value = dossier_store_get_setting (f->store, "retention.default_years");
  g_assert_cmpstr (value, ==, "10");
  g_clear_pointer (&value, g_free);
  g_assert_null (dossier_store_get_setting (f->store, "no.such.setting"));

  g_assert_true (dossier_store_set_setting (f->store, "retention.default_years", "15", "QA decision 2026-04", &error));
  g_assert_no_error (error);
  value = dossier_store_get_setting (f->store, "retention.default_years");
  g_assert_cmpstr (value, ==, "15");
  g_clear_pointer (&value, g_free);
  reason = dt_query_text (f->store, "SELECT reason FROM audit_log WHERE table_name = 'setting' "
                                    "AND field = 'value' ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (reason, ==, "QA decision 2026-04");

  g_assert_true (dossier_store_set_setting (f->store, "ui.greeting", "你好", NULL, &error));
  g_assert_no_error (error);
  value = dossier_store_get_setting (f->store, "ui.greeting");
  g_assert_cmpstr (value, ==, "你好");

  g_assert_false (dossier_store_set_setting (f->store, "filing.number_pattern", "{YYYY", "test", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  dt_assert_audit_clean (f->store);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/insert-refused", test_insert_refused);
  ADD ("/store/update-refused", test_update_refused);
  ADD ("/store/binding-trigger", test_binding_trigger);
  ADD ("/store/delete-refused", test_delete_refused);
  ADD ("/store/dossier/rules", test_dossier_rules);
  ADD ("/store/dossier/unit-numbers", test_unit_numbers);
  ADD ("/store/dossier/unit-number-rollback", test_unit_number_rollback);
  ADD ("/store/dossier/unit-numbers-two-stores", test_unit_numbers_two_stores);
  ADD ("/store/transaction/nested", test_nested_transactions);
  ADD ("/store/transaction/failed-write", test_failed_write_in_transaction);
  ADD ("/store/settings", test_settings);

#undef ADD

  return g_test_run ();
}
