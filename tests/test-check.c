/* test-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-check"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "dossier-check.h"
#include "dossier-envelope.h"
#include "dossier-test-util.h"

#define TODAY "2026-03-01"
#define CERTIFICATE "国械注准20203130123"

typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        institution;
  gint64        institution2;
  gint64        clinician;
  gint64        clinician2;
  gint64        product;
  gint64        filing;
  guint         serial;
} Fixture;

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *inst = NULL;
  g_autofree char *inst2 = NULL;

  f->dir = dt_make_tmpdir ();
  path = g_build_filename (f->dir, "check.db", NULL);
  f->store = dt_open (path);

  f->institution = dt_insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "岭南医院" }, { "practising_licence", "PDY00001X44010415A1002" },
    { "province_code", "440000" }, { NULL } });
  f->institution2 = dt_insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "申江医院" }, { "practising_licence", "12345678" },
    { "province_code", "310000" }, { NULL } });
  inst = id_text (f->institution);
  inst2 = id_text (f->institution2);
  f->clinician = dt_insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", inst }, { "name_zh", "陈医生" }, { "certificate_no", "110440000123456" }, { NULL } });
  f->clinician2 = dt_insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", inst2 }, { "name_zh", "沈医生" }, { "certificate_no", "000000000000001" }, { NULL } });
  f->product = dt_insert (f->store, "product", (DossierField[]) {
    { "certificate_no", CERTIFICATE }, { "device_class", "3" }, { "name_zh", "髋臼杯" }, { NULL } });
  f->filing = dt_insert (f->store, "filing", (DossierField[]) {
    { "number", "粤械定制备20200001号" }, { "province_code", "440000" }, { "filed_on", "2020-05-01" },
    { "status", "filed" }, { "institution_id", inst }, { "device_name", "定制式骨盆假体" },
    { "main_materials", "TC4 钛合金，多孔结构；配套松质骨螺钉 (cancellous bone screws)" },
    { "case_threshold", "50" }, { NULL } });
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
new_model (Fixture *f)
{
  g_autofree char *product = id_text (f->product);
  g_autofree char *code = g_strdup_printf ("M-%u", ++f->serial);

  return dt_insert (f->store, "product_model", (DossierField[]) {
    { "product_id", product }, { "code", code }, { NULL } });
}

static gint64
new_patient (Fixture *f)
{
  g_autofree char *code = g_strdup_printf ("T-%04u", ++f->serial);

  return dt_insert (f->store, "patient", (DossierField[]) {
    { "code", code }, { "sex", "female" }, { "birth_year", "1960" }, { NULL } });
}

static gint64
new_matched (Fixture *f,
             gint64   model)
{
  g_autofree char *inst = id_text (f->institution);
  g_autofree char *clin = id_text (f->clinician);
  g_autofree char *patient = id_text (new_patient (f));
  g_autofree char *m = id_text (model);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "patient-matched" }, { "institution_id", inst }, { "clinician_id", clin },
    { "patient_id", patient }, { "model_id", m }, { NULL } }, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static const DossierField complete_order[] = {
  { "ordered_on", "2026-01-05" }, { "patient_age", "66" }, { "condition", "骨盆软骨肉瘤" },
  { "treatment_plan", "整块切除后重建" }, { "risks", "感染、脱位" }, { "necessity", "无上市产品可用" },
  { "clinical_data", "CT 0.625 mm" }, { "lesion_site", "左髋臼" }, { "design_requirements", "覆盖缺损" },
  { "delivery_requirements", "灭菌包装" }, { "acceptance_criteria", "尺寸 ±0.2 mm" },
  { "clinician_signed_on", "2026-01-05" }, { "manufacturer_contact", "王芳" },
  { "manufacturer_signed_on", "2026-01-06" },
};

static gint64
new_customized (Fixture    *f,
                gboolean    complete,
                const char *skip)
{
  g_autofree char *inst = id_text (f->institution);
  g_autofree char *clin = id_text (f->clinician);
  g_autofree char *patient = id_text (new_patient (f));
  g_autofree char *filing = id_text (f->filing);
  g_autoptr(GArray) fields = g_array_new (TRUE, TRUE, sizeof (DossierField));
  g_autoptr(GError) error = NULL;
  DossierField field;
  gint64 id;

  field = (DossierField) { "kind", "customized" };
  g_array_append_val (fields, field);
  field = (DossierField) { "institution_id", inst };
  g_array_append_val (fields, field);
  field = (DossierField) { "clinician_id", clin };
  g_array_append_val (fields, field);
  field = (DossierField) { "patient_id", patient };
  g_array_append_val (fields, field);
  field = (DossierField) { "filing_id", filing };
  g_array_append_val (fields, field);
  for (guint i = 0; complete && i < G_N_ELEMENTS (complete_order); i++)
    if (skip == NULL || strstr (skip, complete_order[i].column) == NULL)
      g_array_append_val (fields, complete_order[i]);

  id = dossier_store_create_dossier (f->store, (const DossierField *)(gpointer)fields->data, NULL, &error);
  g_assert_no_error (error);
  return id;
}

typedef struct
{
  const char *name;
  const char *value;
  const char *unit;
  const char *category;
} Value;

static gint64
add_design (Fixture     *f,
            gint64       dossier,
            int          version,
            const Value *values)
{
  g_autofree char *d = id_text (dossier);
  g_autofree char *v = g_strdup_printf ("%d", version);
  g_autofree char *it = NULL;
  gint64 iteration;

  iteration = dt_insert (f->store, "design_iteration", (DossierField[]) {
    { "dossier_id", d }, { "version", v }, { "designed_on", "2026-01-10" }, { "designer", "李工" }, { NULL } });
  it = id_text (iteration);
  for (const Value *p = values; p != NULL && p->name != NULL; p++)
    dt_insert (f->store, "parameter_value", (DossierField[]) {
      { "iteration_id", it }, { "name", p->name }, { "value", p->value }, { "unit", p->unit },
      { "category", p->category }, { NULL } });
  return iteration;
}

/* Writes a value the store would refuse, as an old import or another program might
 * have left it, to see that the check copes. */
static void
add_raw_value (Fixture    *f,
               gint64      iteration,
               const char *name,
               const char *value,
               const char *unit)
{
  sqlite3 *db = dossier_store_get_handle (f->store);
  sqlite3_stmt *stmt = NULL;

  /* Inside a store transaction, so that the audit entry is sealed like any other. */
  g_assert_true (dossier_store_begin (f->store, NULL));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO parameter_value (iteration_id, name, value, unit) VALUES (?1, ?2, ?3, ?4)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, iteration);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, unit, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_true (dossier_store_commit (f->store, NULL));
}

static void
confirm (Fixture    *f,
         gint64      dossier,
         gint64      iteration,
         gint64      clinician,
         const char *date)
{
  g_autofree char *d = id_text (dossier);
  g_autofree char *it = id_text (iteration);
  g_autofree char *c = id_text (clinician);
  g_autofree char *doc = g_strdup_printf ("DC-%u", ++f->serial);

  dt_insert (f->store, "design_confirmation", (DossierField[]) {
    { "dossier_id", d }, { "iteration_id", it }, { "clinician_id", c }, { "confirmed_on", date },
    { "document_no", doc }, { NULL } });
}

/* An effective envelope for model with one numeric parameter "x". */
static gint64
numeric_envelope (Fixture    *f,
                  gint64      model,
                  const char *effective_on,
                  const char *unit,
                  const char *min,
                  const char *max,
                  gboolean    min_inclusive,
                  gboolean    max_inclusive,
                  const char *step,
                  const char *tolerance,
                  const char *resolution)
{
  g_autoptr(DossierEnvelope) e = dossier_envelope_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  dossier_envelope_set_model_id (e, model);
  dossier_envelope_set_effective_on (e, effective_on);
  dossier_envelope_set_certificate_no (e, CERTIFICATE);
  g_assert_true (dossier_envelope_set_numeric (e, "x", unit, min, max, min_inclusive, max_inclusive,
                                               step, tolerance, resolution, &error));
  g_assert_no_error (error);
  id = dossier_envelope_save (e, f->store, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_envelope_make_effective (f->store, id, "test", &error));
  g_assert_no_error (error);
  return id;
}

static DossierCheckReport *
check (Fixture    *f,
       gint64      dossier,
       const char *today)
{
  DossierCheckOptions options = { today != NULL ? today : TODAY, NULL, DOSSIER_CHECK_DEFAULT };
  g_autoptr(GError) error = NULL;
  DossierCheckReport *report = dossier_check_dossier (f->store, dossier, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* The rule IDs of the findings, sorted and comma-separated, leaving out the
 * worst-case tier (which every first unit of a model triggers) unless asked. */
static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static char *
sorted_rule_ids (DossierCheckReport *report,
                 gboolean            with_worst_case)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
    {
      const DossierCheckFinding *finding = dossier_check_report_get_finding (report, i);

      if (!with_worst_case && g_str_equal (finding->rule_id, "ENV-WORST-CASE"))
        continue;
      g_ptr_array_add (ids, finding->rule_id);
    }
  g_ptr_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%s", i ? "," : "", (const char *)g_ptr_array_index (ids, i));
  return g_string_free (s, FALSE);
}

static const DossierCheckFinding *
find_rule (DossierCheckReport *report,
           const char         *rule)
{
  for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
    if (g_str_equal (dossier_check_report_get_finding (report, i)->rule_id, rule))
      return dossier_check_report_get_finding (report, i);
  return NULL;
}

/* Whether checking dossier now reports rule. */
static gboolean
has_rule (Fixture    *f,
          gint64      dossier,
          const char *rule)
{
  g_autoptr(DossierCheckReport) report = check (f, dossier, NULL);

  return find_rule (report, rule) != NULL;
}

/* Boundaries ------------------------------------------------------------------- */

typedef struct
{
  const char *unit, *min, *max;
  gboolean    min_inclusive, max_inclusive;
  const char *step, *tolerance, *resolution;
  const char *value, *value_unit;
  const char *rules;      /* expected rule IDs, sorted, "" for none */
  const char *margin;     /* expected margin, or NULL not to look */
} BoundaryCase;

static const BoundaryCase boundary_cases[] = {
  /* Inclusive limits, exact at the value's resolution. */
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44.0", "mm", "", "0.0" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44", "mm", "", "0" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "43.99", "mm", "ENV-RANGE", "-0.01" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "58", "mm", "", "0" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "58.0000000001", "mm", "ENV-RANGE", "-0.0000000001" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "51", "mm", "", "7" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "-44", "mm", "ENV-RANGE", NULL },
  /* Exclusive limits. */
  { "mm", "44", "58", FALSE, TRUE, NULL, NULL, NULL, "44", "mm", "ENV-RANGE", "0" },
  { "mm", "44", "58", FALSE, TRUE, NULL, NULL, NULL, "44.001", "mm", "", "0.001" },
  { "mm", "44", "58", TRUE, FALSE, NULL, NULL, NULL, "58", "mm", "ENV-RANGE", NULL },
  { "mm", "44", "58", TRUE, FALSE, NULL, NULL, NULL, "57.999", "mm", "", "0.001" },
  { "mm", "0", NULL, FALSE, TRUE, NULL, NULL, NULL, "0.0001", "mm", "", NULL },
  { "mm", "0", NULL, FALSE, TRUE, NULL, NULL, NULL, "0", "mm", "ENV-RANGE", NULL },
  { "mm", NULL, "1.5", TRUE, TRUE, NULL, NULL, NULL, "1.5", "mm", "", "0.0" },
  /* Step grids counted from the minimum. */
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "46.5", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "46.6", "mm", "ENV-STEP", NULL },
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "44", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "58.0", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, "2", NULL, NULL, "46", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, "2", NULL, NULL, "47", "mm", "ENV-STEP", NULL },
  { "mm", "2.0", "4.0", TRUE, TRUE, "0.1", NULL, NULL, "3.3", "mm", "", NULL },
  { "mm", "2.0", "4.0", TRUE, TRUE, "0.1", NULL, NULL, "3.35", "mm", "ENV-STEP", NULL },
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "43.5", "mm", "ENV-RANGE", NULL },
  /* Manufacturing tolerance: a warning when the band crosses a limit. */
  { "mm", "44", "58", TRUE, TRUE, NULL, "0.2", NULL, "44.1", "mm", "ENV-TOLERANCE", "0.1" },
  { "mm", "44", "58", TRUE, TRUE, NULL, "0.2", NULL, "44.2", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, "0.2", NULL, "57.9", "mm", "ENV-TOLERANCE", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, "0.2", NULL, "50", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, "0.2", NULL, "43.9", "mm", "ENV-RANGE", NULL },
  /* Resolution: a reading's noise below the registered resolution does not count. */
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, "0.01", "43.99999999997", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, "0.01", "43.995", "mm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, "0.01", "43.994", "mm", "ENV-RANGE", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "43.99999999997", "mm", "ENV-RANGE", NULL },
  /* Units: compatible ones convert exactly, incompatible or missing ones are errors. */
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "4.4", "cm", "", "0.0" },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "4.39", "cm", "ENV-RANGE", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44000", "µm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44000", "um", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "0.058", "m", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "4.65", "cm", "", NULL },
  { "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL, "4.66", "cm", "ENV-STEP", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44", "mL", "ENV-UNIT", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44", "", "ENV-UNIT", NULL },
  { "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, "44", "°", "ENV-UNIT", NULL },
  { "mL", "10", "20", TRUE, TRUE, NULL, NULL, NULL, "12000", "mm³", "", NULL },
  { "mL", "10", "20", TRUE, TRUE, NULL, NULL, NULL, "12", "cm3", "", NULL },
  { "g", "10", "20", TRUE, TRUE, NULL, NULL, NULL, "0.015", "kg", "", NULL },
  { "%", "60", "80", TRUE, TRUE, NULL, NULL, NULL, "700", "‰", "", NULL },
  { "%", "60", "80", TRUE, TRUE, NULL, NULL, NULL, "0.7", "", "ENV-UNIT", NULL },
  { "°", "5", "15", TRUE, TRUE, NULL, NULL, NULL, "0.2617993877991494", "rad", "", NULL },
  { "°", "5", "15", TRUE, TRUE, NULL, NULL, NULL, "0.2617993878", "rad", "ENV-RANGE", NULL },
  { "°", "5", "15", TRUE, TRUE, NULL, NULL, "0.001", "0.2617993878", "rad", "", NULL },
  { "", "0", "6", TRUE, TRUE, "1", NULL, NULL, "3", "", "", NULL },
  { "", "0", "6", TRUE, TRUE, "1", NULL, NULL, "2.5", "", "ENV-STEP", NULL },
};

static void
test_boundaries (Fixture       *f,
                 gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (boundary_cases); i++)
    {
      const BoundaryCase *c = &boundary_cases[i];
      gint64 model = new_model (f);
      gint64 dossier;
      g_autoptr(DossierCheckReport) report = NULL;
      g_autofree char *ids = NULL;
      const DossierCheckParameter *p;

      numeric_envelope (f, model, "2020-01-01", c->unit, c->min, c->max, c->min_inclusive, c->max_inclusive,
                        c->step, c->tolerance, c->resolution);
      dossier = new_matched (f, model);
      add_design (f, dossier, 1, (Value[]) { { "x", c->value, c->value_unit, NULL }, { NULL } });

      report = check (f, dossier, NULL);
      ids = sorted_rule_ids (report, FALSE);
      if (!g_str_equal (ids, c->rules))
        g_error ("case %u: %s %s in [%s, %s] %s step %s tol %s res %s: expected “%s”, got “%s”", i,
                 c->value, c->value_unit, c->min, c->max, c->unit, c->step, c->tolerance, c->resolution,
                 c->rules, ids);

      p = dossier_check_report_lookup_parameter (report, "x");
      g_assert_nonnull (p);
      g_assert_true (p->registered);
      g_assert_nonnull (p->limits);
      if (c->margin != NULL && g_strcmp0 (p->margin, c->margin) != 0)
        g_error ("case %u: margin of %s should be %s, got %s", i, c->value, c->margin, p->margin);
      if (strstr (c->rules, "ENV-STEP") != NULL)
        g_assert_cmpint (p->step_conformity, ==, DOSSIER_STEP_OFF_GRID);
      else if (c->step != NULL && *c->rules == '\0')
        g_assert_cmpint (p->step_conformity, ==, DOSSIER_STEP_ON_GRID);
      if (strstr (c->rules, "ENV-RANGE") || strstr (c->rules, "ENV-STEP") || strstr (c->rules, "ENV-UNIT"))
        {
          g_assert_cmpint (dossier_check_report_get_verdict (report), ==, DOSSIER_VERDICT_ERROR);
          g_assert_cmpint (p->verdict, ==, DOSSIER_VERDICT_ERROR);
        }
      else
        g_assert_cmpint (dossier_check_report_get_n_errors (report), ==, 0);
    }
}

/* The step finding names the nearest registered sizes. */
static void
test_step_suggestions (Fixture       *f,
                       gconstpointer  data)
{
  gint64 model = new_model (f);
  gint64 dossier;
  g_autoptr(DossierCheckReport) report = NULL;
  const DossierCheckFinding *finding;

  numeric_envelope (f, model, "2020-01-01", "mm", "44", "58", TRUE, TRUE, "0.5", NULL, NULL);
  dossier = new_matched (f, model);
  add_design (f, dossier, 1, (Value[]) { { "x", "46.6", "mm", NULL }, { NULL } });
  report = check (f, dossier, NULL);
  finding = find_rule (report, "ENV-STEP");
  g_assert_nonnull (finding);
  g_assert_cmpstr (g_hash_table_lookup (finding->args, "below"), ==, "46.5 mm");
  g_assert_cmpstr (g_hash_table_lookup (finding->args, "above"), ==, "47 mm");
  g_assert_nonnull (strstr (finding->message, "46.5 mm"));
  g_assert_nonnull (strstr (finding->message, "47 mm"));
  g_assert_cmpint (finding->step, ==, DOSSIER_STEP_OFF_GRID);
}

/* Bad input --------------------------------------------------------------------- */

static void
test_bad_values (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *big = g_strnfill (10 * 1024, '4');
  const struct { const char *value; const char *unit; const char *rule; const char *needle; } cases[] = {
    { "", "mm", "ENV-VALUE", "no number" },
    { "abc", "mm", "ENV-VALUE", "“abc” is not a number" },
    { "NaN", "mm", "ENV-VALUE", "not a finite number" },
    { "inf", "mm", "ENV-VALUE", "not a finite number" },
    { "-Infinity", "mm", "ENV-VALUE", "not a finite number" },
    { big, "mm", "ENV-VALUE", "too long" },
    { "44,5", "mm", "ENV-VALUE", "decimal separator" },
    { "44", "furlong", "ENV-UNIT", "not a unit" },
    { "44", "MM", "ENV-UNIT", "did you mean “mm”" },
    { "44", "mL", "ENV-UNIT", "cannot be compared" },
  };
  gint64 model = new_model (f);

  numeric_envelope (f, model, "2020-01-01", "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 dossier = new_matched (f, model);
      gint64 iteration = add_design (f, dossier, 1, NULL);
      g_autoptr(DossierCheckReport) report = NULL;
      const DossierCheckFinding *finding;

      add_raw_value (f, iteration, "x", cases[i].value, cases[i].unit);
      report = check (f, dossier, NULL);
      finding = find_rule (report, cases[i].rule);
      if (finding == NULL)
        g_error ("case %u: no %s finding", i, cases[i].rule);
      if (strstr (finding->message, cases[i].needle) == NULL)
        g_error ("case %u: message should mention “%s”: %s", i, cases[i].needle, finding->message);
      g_assert_cmpuint (strlen (finding->message), <, 400);
      g_assert_cmpint (finding->severity, ==, DOSSIER_SEVERITY_ERROR);
      g_assert_cmpint (dossier_check_report_get_verdict (report), ==, DOSSIER_VERDICT_ERROR);
    }

  /* Through the store such values never get in, and the message names the field. */
  {
    gint64 dossier = new_matched (f, model);
    gint64 iteration = add_design (f, dossier, 1, NULL);
    g_autofree char *it = id_text (iteration);
    const char *bad[] = { "NaN", "inf", "abc", "44,5", big, NULL };

    for (guint i = 0; bad[i] != NULL; i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_cmpint (dossier_store_insert (f->store, "parameter_value", (DossierField[]) {
          { "iteration_id", it }, { "name", "x" }, { "value", bad[i] }, { "unit", "mm" }, { NULL } }, &error), ==, 0);
        g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
        g_assert_cmpuint (strlen (error->message), <, 300);
      }
  }
}

/* Missing, unknown and categorical parameters ------------------------------------- */

static void
test_missing_unknown_categorical (Fixture       *f,
                                  gconstpointer  data)
{
  gint64 model = new_model (f);
  g_autoptr(DossierEnvelope) e = dossier_envelope_new ();
  g_autoptr(GError) error = NULL;
  const char *grades[] = { "Ti-6Al-4V ELI", "CP-Ti Grade 2", NULL };
  struct { const Value *values; const char *rules; DossierVerdict verdict; } cases[] = {
    { (Value[]) { { "d", "50", "mm", NULL }, { "grade", NULL, "", "Ti-6Al-4V ELI" }, { NULL } }, "", DOSSIER_VERDICT_PASS },
    { (Value[]) { { "d", "50", "mm", NULL }, { NULL } }, "ENV-MISSING", DOSSIER_VERDICT_ERROR },
    { (Value[]) { { "d", "50", "mm", NULL }, { "grade", NULL, "", "CoCrMo" }, { NULL } }, "ENV-CATEGORY", DOSSIER_VERDICT_ERROR },
    { (Value[]) { { "d", "50", "mm", NULL }, { "grade", "5", "", NULL }, { NULL } }, "ENV-CATEGORY", DOSSIER_VERDICT_ERROR },
    { (Value[]) { { "d", NULL, "", "50" }, { "grade", NULL, "", "CP-Ti Grade 2" }, { NULL } }, "ENV-VALUE", DOSSIER_VERDICT_ERROR },
    { (Value[]) { { "d", "50", "mm", NULL }, { "grade", NULL, "", "Ti-6Al-4V ELI" }, { "colour", NULL, "", "blue" }, { NULL } },
      "ENV-UNKNOWN", DOSSIER_VERDICT_WARNING },
    { (Value[]) { { "grade", NULL, "", "Ti-6Al-4V ELI" }, { "dd", "50", "mm", NULL }, { NULL } },
      "ENV-MISSING,ENV-UNKNOWN", DOSSIER_VERDICT_ERROR },
  };

  dossier_envelope_set_model_id (e, model);
  dossier_envelope_set_effective_on (e, "2020-01-01");
  dossier_envelope_set_certificate_no (e, CERTIFICATE);
  g_assert_true (dossier_envelope_set_numeric (e, "d", "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL, &error));
  g_assert_true (dossier_envelope_set_categorical (e, "grade", grades, &error));
  g_assert_true (dossier_envelope_make_effective (f->store, dossier_envelope_save (e, f->store, &error), NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 dossier = new_matched (f, model);
      g_autoptr(DossierCheckReport) report = NULL;
      g_autofree char *ids = NULL;

      add_design (f, dossier, 1, cases[i].values);
      report = check (f, dossier, NULL);
      ids = sorted_rule_ids (report, FALSE);
      if (!g_str_equal (ids, cases[i].rules))
        g_error ("case %u: expected “%s”, got “%s”", i, cases[i].rules, ids);
      /* Without the worst-case tier, which a first unit always has. */
      if (cases[i].verdict != DOSSIER_VERDICT_PASS)
        g_assert_cmpint (dossier_check_report_get_verdict (report), ==, cases[i].verdict);
    }

  /* A missing parameter is listed with its range and no value, for the editor. */
  {
    gint64 dossier = new_matched (f, model);
    g_autoptr(DossierCheckReport) report = NULL;
    const DossierCheckParameter *p;

    add_design (f, dossier, 1, (Value[]) { { "d", "50", "mm", NULL }, { NULL } });
    report = check (f, dossier, NULL);
    p = dossier_check_report_lookup_parameter (report, "grade");
    g_assert_nonnull (p);
    g_assert_null (p->value);
    g_assert_true (p->categorical);
    g_assert_cmpstr (p->allowed[0], ==, "Ti-6Al-4V ELI");
    g_assert_cmpstr (p->allowed[1], ==, "CP-Ti Grade 2");
    g_assert_null (p->allowed[2]);
    g_assert_cmpint (p->verdict, ==, DOSSIER_VERDICT_ERROR);
  }

  /* No design yet: pending before review, an error from review on. */
  {
    gint64 dossier = new_matched (f, model);
    g_autoptr(DossierCheckReport) pending = check (f, dossier, NULL);
    DossierCheckOptions options = { TODAY, "design-review", DOSSIER_CHECK_NO_STORE };
    g_autoptr(DossierCheckReport) review = dossier_check_dossier (f->store, dossier, &options, &error);

    g_assert_no_error (error);
    g_assert_nonnull (find_rule (pending, "ENV-DESIGN-PENDING"));
    g_assert_cmpint (dossier_check_report_get_verdict (pending), ==, DOSSIER_VERDICT_PASS);
    g_assert_nonnull (find_rule (review, "ENV-NO-DESIGN"));
    g_assert_cmpint (dossier_check_report_get_verdict (review), ==, DOSSIER_VERDICT_ERROR);
  }
}

/* Dependency rules ---------------------------------------------------------------- */

static void
test_dependency (Fixture       *f,
                 gconstpointer  data)
{
  gint64 model = new_model (f);
  g_autoptr(DossierEnvelope) e = dossier_envelope_new ();
  g_autoptr(GError) error = NULL;
  struct { const Value *values; const char *rules; } cases[] = {
    { (Value[]) { { "wall_thickness", "3", "mm", NULL }, { "span", "30", "mm", NULL }, { NULL } }, "" },
    { (Value[]) { { "wall_thickness", "3.0", "mm", NULL }, { "span", "30.0", "mm", NULL }, { NULL } }, "" },
    { (Value[]) { { "wall_thickness", "2.99", "mm", NULL }, { "span", "30", "mm", NULL }, { NULL } }, "ENV-DEPENDENCY" },
    { (Value[]) { { "wall_thickness", "0.3", "cm", NULL }, { "span", "30", "mm", NULL }, { NULL } }, "" },
    { (Value[]) { { "wall_thickness", "3", "mm", NULL }, { "span", "3.1", "cm", NULL }, { NULL } }, "ENV-DEPENDENCY" },
    { (Value[]) { { "wall_thickness", "3", "mm", NULL }, { NULL } }, "ENV-MISSING" },
    { (Value[]) { { "wall_thickness", "3", "mL", NULL }, { "span", "30", "mm", NULL }, { NULL } }, "ENV-UNIT" },
    { (Value[]) { { "wall_thickness", "1", "mm", NULL }, { "span", "120", "mm", NULL }, { NULL } },
      "ENV-DEPENDENCY,ENV-RANGE" },
  };

  dossier_envelope_set_model_id (e, model);
  dossier_envelope_set_effective_on (e, "2020-01-01");
  dossier_envelope_set_certificate_no (e, CERTIFICATE);
  g_assert_true (dossier_envelope_set_numeric (e, "wall_thickness", "mm", "0.5", "10", TRUE, TRUE, NULL, NULL, NULL, &error));
  g_assert_true (dossier_envelope_set_numeric (e, "span", "mm", "10", "100", TRUE, TRUE, NULL, NULL, NULL, &error));
  g_assert_true (dossier_envelope_add_rule (e, "wall_thickness >= 0.1 * span", "Wall at least a tenth of the span",
                                            "壁厚不小于跨度的十分之一", "Fatigue test report FT-12", &error));
  g_assert_no_error (error);
  g_assert_true (dossier_envelope_make_effective (f->store, dossier_envelope_save (e, f->store, &error), NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 dossier = new_matched (f, model);
      g_autoptr(DossierCheckReport) report = NULL;
      g_autofree char *ids = NULL;

      add_design (f, dossier, 1, cases[i].values);
      report = check (f, dossier, NULL);
      ids = sorted_rule_ids (report, FALSE);
      if (!g_str_equal (ids, cases[i].rules))
        g_error ("case %u: expected “%s”, got “%s”", i, cases[i].rules, ids);

      if (strstr (cases[i].rules, "ENV-DEPENDENCY") != NULL)
        {
          const DossierCheckFinding *finding = find_rule (report, "ENV-DEPENDENCY");
          g_autoptr(GPtrArray) for_span = dossier_check_report_get_findings_for (report, "span");
          g_autoptr(GPtrArray) for_wall = dossier_check_report_get_findings_for (report, "wall_thickness");

          /* It marks both parameters it names. */
          g_assert_null (finding->parameter);
          g_assert_true (g_strv_contains ((const char * const *)finding->related, "span"));
          g_assert_true (g_strv_contains ((const char * const *)finding->related, "wall_thickness"));
          g_assert_true (g_ptr_array_find (for_span, finding, NULL));
          g_assert_true (g_ptr_array_find (for_wall, finding, NULL));
          g_assert_cmpint (dossier_check_report_lookup_parameter (report, "span")->verdict, ==, DOSSIER_VERDICT_ERROR);
          g_assert_nonnull (strstr (finding->message, "wall_thickness >= 0.1 * span"));
          g_assert_nonnull (strstr (finding->reference, "Fatigue test report FT-12"));
        }
    }
}

/* Version selection by date ----------------------------------------------------- */

static void
test_version_by_date (Fixture       *f,
                      gconstpointer  data)
{
  gint64 model = new_model (f);
  gint64 v1 = numeric_envelope (f, model, "2024-01-01", "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL);
  gint64 v2 = numeric_envelope (f, model, "2025-06-01", "mm", "44", "60", TRUE, TRUE, NULL, NULL, NULL);
  gint64 v3 = numeric_envelope (f, model, "2025-08-01", "mm", "44", "70", TRUE, TRUE, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  struct { const char *confirmed_on; const char *today; gint64 envelope; const char *rules; } cases[] = {
    { "2025-01-10", "2026-01-01", 1, "ENV-RANGE" },     /* confirmed under v1 */
    { "2025-06-01", "2024-02-01", 2, "" },              /* v2 from its effective day */
    { "2025-05-31", "2026-01-01", 1, "ENV-RANGE" },
    { NULL, "2025-07-01", 2, "" },                      /* before confirmation: today */
    { NULL, "2024-12-31", 1, "ENV-RANGE" },
    { NULL, "2026-01-05", 2, "" },                      /* v3 withdrawn: never counts */
    { NULL, "2023-12-31", 0, "ENV-NO-ENVELOPE" },
  };

  g_assert_true (dossier_envelope_withdraw (f->store, v3, "registered by mistake", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 dossier = new_matched (f, model);
      gint64 iteration = add_design (f, dossier, 1, (Value[]) { { "x", "59", "mm", NULL }, { NULL } });
      g_autoptr(DossierCheckReport) report = NULL;
      g_autofree char *ids = NULL;
      gint64 expected = cases[i].envelope == 1 ? v1 : cases[i].envelope == 2 ? v2 : 0;

      if (cases[i].confirmed_on != NULL)
        confirm (f, dossier, iteration, f->clinician, cases[i].confirmed_on);
      report = check (f, dossier, cases[i].today);
      ids = sorted_rule_ids (report, FALSE);
      if (!g_str_equal (ids, cases[i].rules))
        g_error ("case %u: expected “%s”, got “%s”", i, cases[i].rules, ids);
      g_assert_cmpint (dossier_check_report_get_envelope_id (report), ==, expected);
      g_assert_cmpstr (dossier_check_report_get_reference_date (report), ==,
                       cases[i].confirmed_on != NULL ? cases[i].confirmed_on : cases[i].today);
    }

  /* A confirmation of an older version does not cover the newer one: today counts. */
  {
    gint64 dossier = new_matched (f, model);
    gint64 it1 = add_design (f, dossier, 1, (Value[]) { { "x", "59", "mm", NULL }, { NULL } });
    g_autoptr(DossierCheckReport) report = NULL;

    confirm (f, dossier, it1, f->clinician, "2025-01-10");
    add_design (f, dossier, 2, (Value[]) { { "x", "59", "mm", NULL }, { NULL } });
    report = check (f, dossier, "2026-01-01");
    g_assert_cmpstr (dossier_check_report_get_reference_date (report), ==, "2026-01-01");
    g_assert_cmpint (dossier_check_report_get_envelope_id (report), ==, v2);
    g_assert_cmpuint (dossier_check_report_get_n_errors (report), ==, 0);
  }

  /* An end date takes a version out of force. */
  g_assert_true (dossier_store_update (f->store, "envelope", v2, (DossierField[]) { { "valid_until", "2025-12-31" }, { NULL } },
                                       "registration expired", &error));
  g_assert_no_error (error);
  {
    gint64 dossier = new_matched (f, model);
    g_autoptr(DossierCheckReport) report = NULL;

    add_design (f, dossier, 1, (Value[]) { { "x", "50", "mm", NULL }, { NULL } });
    report = check (f, dossier, "2026-01-05");
    g_assert_nonnull (find_rule (report, "ENV-NO-ENVELOPE"));
  }
}

/* The worst-case tier ---------------------------------------------------------------- */

static void
release (Fixture *f,
         gint64   dossier)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_store_update (f->store, "dossier", dossier, (DossierField[]) { { "status", "released" }, { NULL } },
                                       "released", &error));
  g_assert_no_error (error);
}

static void
test_worst_case (Fixture       *f,
                 gconstpointer  data)
{
  gint64 model = new_model (f);
  struct { const char *value; const char *unit; gboolean warns; } cases[] = {
    { "51", "mm", FALSE },
    { "50", "mm", FALSE },
    { "52.0", "mm", FALSE },
    { "5.2", "cm", FALSE },
    { "52.01", "mm", TRUE },
    { "49.99", "mm", TRUE },
    { "59", "mm", TRUE },
  };
  gint64 first;

  numeric_envelope (f, model, "2020-01-01", "mm", "40", "60", TRUE, TRUE, NULL, NULL, NULL);

  /* The very first unit of a model is a new worst case. */
  first = new_matched (f, model);
  add_design (f, first, 1, (Value[]) { { "x", "50", "mm", NULL }, { NULL } });
  {
    g_autoptr(DossierCheckReport) report = check (f, first, NULL);
    const DossierCheckFinding *finding = find_rule (report, "ENV-WORST-CASE");

    g_assert_nonnull (finding);
    g_assert_cmpint (finding->severity, ==, DOSSIER_SEVERITY_WARNING);
    g_assert_cmpint (dossier_check_report_get_verdict (report), ==, DOSSIER_VERDICT_WARNING);
  }
  /* A warning does not stop release. */
  release (f, first);
  {
    gint64 second = new_matched (f, model);
    add_design (f, second, 1, (Value[]) { { "x", "5.2", "cm", NULL }, { NULL } });
    release (f, second);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 dossier = new_matched (f, model);
      g_autoptr(DossierCheckReport) report = NULL;
      const DossierCheckFinding *finding;

      add_design (f, dossier, 1, (Value[]) { { "x", cases[i].value, cases[i].unit, NULL }, { NULL } });
      report = check (f, dossier, NULL);
      finding = find_rule (report, "ENV-WORST-CASE");
      if ((finding != NULL) != cases[i].warns)
        g_error ("case %u (%s %s): worst case expected %d", i, cases[i].value, cases[i].unit, cases[i].warns);
      if (finding != NULL)
        {
          g_assert_cmpstr (g_hash_table_lookup (finding->args, "seen"), ==, "50 – 52 mm");
          g_assert_nonnull (strstr (finding->message, "50 – 52 mm"));
        }
    }
}

/* Customized devices ------------------------------------------------------------- */

static void
test_customized (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inst2 = id_text (f->institution2);
  g_autofree char *filing = id_text (f->filing);
  gint64 ok, incomplete, unconfirmed, older, early, foreign;

  /* A complete, confirmed dossier passes. */
  ok = new_customized (f, TRUE, NULL);
  confirm (f, ok, add_design (f, ok, 1, (Value[]) { { "span", "86", "mm", NULL }, { NULL } }), f->clinician, "2026-01-20");
  {
    g_autoptr(DossierCheckReport) report = check (f, ok, NULL);
    g_autofree char *ids = sorted_rule_ids (report, TRUE);

    g_assert_cmpstr (ids, ==, "");
    g_assert_cmpint (dossier_check_report_get_verdict (report), ==, DOSSIER_VERDICT_PASS);
    /* Its values are shown, though no size range applies. */
    g_assert_false (dossier_check_report_lookup_parameter (report, "span")->registered);
  }

  /* An incomplete order names the missing fields. */
  incomplete = new_customized (f, TRUE, "risks necessity");
  {
    g_autoptr(DossierCheckReport) report = check (f, incomplete, NULL);
    const DossierCheckFinding *finding = find_rule (report, "CUS-ORDER-COMPLETE");

    g_assert_nonnull (finding);
    g_assert_nonnull (strstr (finding->message, "Risks"));
    g_assert_nonnull (strstr (finding->message, "Why a customized device"));
    g_assert_null (strstr (finding->message, "Condition"));
  }
  /* The age may come from the birth year. */
  {
    gint64 aged = new_customized (f, TRUE, "patient_age");
    g_autoptr(DossierCheckReport) report = check (f, aged, NULL);
    g_assert_null (find_rule (report, "CUS-ORDER-COMPLETE"));
  }

  /* Design confirmation matters from design approval on. */
  unconfirmed = new_customized (f, TRUE, NULL);
  add_design (f, unconfirmed, 1, NULL);
  {
    g_autoptr(DossierCheckReport) report = check (f, unconfirmed, NULL);
    DossierCheckOptions options = { TODAY, "design-approved", DOSSIER_CHECK_NO_STORE };
    g_autoptr(DossierCheckReport) approved = dossier_check_dossier (f->store, unconfirmed, &options, &error);

    g_assert_no_error (error);
    g_assert_null (find_rule (report, "CUS-DESIGN-CONFIRMED"));
    g_assert_nonnull (find_rule (approved, "CUS-DESIGN-CONFIRMED"));
    g_assert_nonnull (strstr (find_rule (approved, "CUS-DESIGN-CONFIRMED")->message, "no confirmation"));
  }

  /* A change after confirmation is not covered by it. */
  older = new_customized (f, TRUE, NULL);
  confirm (f, older, add_design (f, older, 1, NULL), f->clinician, "2026-01-20");
  add_design (f, older, 2, NULL);
  {
    DossierCheckOptions options = { TODAY, "processing", DOSSIER_CHECK_NO_STORE };
    g_autoptr(DossierCheckReport) report = dossier_check_dossier (f->store, older, &options, &error);
    const DossierCheckFinding *finding = find_rule (report, "CUS-DESIGN-CONFIRMED");

    g_assert_nonnull (finding);
    g_assert_nonnull (strstr (finding->message, "version 2"));
    g_assert_nonnull (strstr (finding->message, "covers version 1"));
  }

  /* Processing may not start before the confirmation. */
  early = new_customized (f, TRUE, NULL);
  confirm (f, early, add_design (f, early, 1, NULL), f->clinician, "2026-01-20");
  {
    g_autofree char *d = id_text (early);
    g_autoptr(DossierCheckReport) report = NULL;

    dt_insert (f->store, "processing_step", (DossierField[]) {
      { "dossier_id", d }, { "position", "1" }, { "step_type", "SLM" },
      { "started_at", "2026-01-18T09:00:00+08:00" }, { NULL } });
    report = check (f, early, NULL);
    g_assert_nonnull (find_rule (report, "CUS-DESIGN-BEFORE-PROCESSING"));
    g_assert_nonnull (strstr (find_rule (report, "CUS-DESIGN-BEFORE-PROCESSING")->message, "2026-01-18"));
  }

  /* Binding: the confirming clinician must work at the ordering institution. */
  foreign = new_customized (f, TRUE, NULL);
  confirm (f, foreign, add_design (f, foreign, 1, NULL), f->clinician2, "2026-01-20");
  {
    g_autoptr(DossierCheckReport) report = check (f, foreign, NULL);
    g_assert_nonnull (find_rule (report, "CUS-BINDING"));
    g_assert_nonnull (strstr (find_rule (report, "CUS-BINDING")->message, "confirming clinician"));
  }

  /* Binding: an audit entry that changed the patient (written behind the store's
   * back; the binding trigger forbids the change itself). */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO audit_log (at, actor, action, table_name, row_id, field, old_value, new_value) "
                                            "VALUES ('2026-01-01T00:00:00Z', 'x', 'update', 'dossier', %" G_GINT64_FORMAT ", 'patient_id', 1, 2)", ok);
    g_autoptr(DossierCheckReport) report = NULL;

    g_assert_true (dossier_store_begin (f->store, NULL));
    g_assert_cmpint (sqlite3_exec (dossier_store_get_handle (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_true (dossier_store_commit (f->store, NULL));
    report = check (f, ok, NULL);
    g_assert_nonnull (find_rule (report, "CUS-BINDING"));
    g_assert_nonnull (strstr (find_rule (report, "CUS-BINDING")->message, "audit trail"));
  }

  /* Eligibility: terms in the filing; whole words, so cancellous bone is fine. */
  g_assert_false (has_rule (f, incomplete, "CUS-ELIGIBILITY"));
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "main_materials", "TC4 钛合金，表面万古霉素缓释涂层" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DossierCheckReport) report = check (f, incomplete, NULL);
    const DossierCheckFinding *finding = find_rule (report, "CUS-ELIGIBILITY");

    g_assert_nonnull (finding);
    g_assert_cmpstr (g_hash_table_lookup (finding->args, "term"), ==, "万古霉素");
  }
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "main_materials", "Porous titanium seeded with autologous stem cells" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (has_rule (f, incomplete, "CUS-ELIGIBILITY"));
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "main_materials", "Ti-6Al-4V ELI, drug-free" }, { NULL } }, NULL, &error));
  g_assert_true (has_rule (f, incomplete, "CUS-ELIGIBILITY"));
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "main_materials", "Ti-6Al-4V ELI; cancellous bone screws" }, { NULL } }, NULL, &error));
  g_assert_false (has_rule (f, incomplete, "CUS-ELIGIBILITY"));

  /* The filing's partner is the ordering institution. */
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "institution_id", inst2 }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DossierCheckReport) report = check (f, incomplete, NULL);
    g_assert_nonnull (find_rule (report, "CUS-PARTNER"));
    g_assert_nonnull (strstr (find_rule (report, "CUS-PARTNER")->message, "申江医院"));
  }
  {
    g_autofree char *inst = id_text (f->institution);
    g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
      { "institution_id", inst }, { NULL } }, NULL, &error));
  }

  /* A cancelled filing is not in force. */
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "status", "cancelled" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DossierCheckReport) report = check (f, incomplete, NULL);
    g_assert_nonnull (find_rule (report, "CUS-FILING-ACTIVE"));
    g_assert_nonnull (strstr (find_rule (report, "CUS-FILING-ACTIVE")->message, "Cancelled"));
  }
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "status", "filed" }, { NULL } }, NULL, &error));

  /* Cases against the filing's threshold: a warning once reached. */
  g_assert_false (has_rule (f, ok, "CUS-CASE-THRESHOLD"));
  g_assert_true (dossier_store_update (f->store, "filing", f->filing, (DossierField[]) {
    { "case_threshold", "7" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DossierCheckReport) report = check (f, ok, NULL);
    const DossierCheckFinding *finding = find_rule (report, "CUS-CASE-THRESHOLD");

    g_assert_nonnull (finding);
    g_assert_cmpint (finding->severity, ==, DOSSIER_SEVERITY_WARNING);
    g_assert_nonnull (strstr (finding->message, "7 cases"));
  }
  (void)filing;
}

/* Stored results and the inputs hash --------------------------------------------- */

static void
test_stored_results (Fixture       *f,
                     gconstpointer  data)
{
  gint64 model = new_model (f);
  gint64 dossier;
  gint64 iteration;
  g_autofree char *first_hash = NULL;
  g_autoptr(GError) error = NULL;
  DossierCheckSummary summary = { 0 };
  DossierVerdict verdict;
  guint n_errors = 0;

  numeric_envelope (f, model, "2020-01-01", "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL);
  dossier = new_matched (f, model);
  iteration = add_design (f, dossier, 1, (Value[]) { { "x", "61", "mm", NULL }, { NULL } });

  g_assert_false (dossier_check_get_stored (f->store, dossier, &verdict, NULL, NULL, &error));
  g_assert_no_error (error);

  {
    g_autoptr(DossierCheckReport) report = check (f, dossier, NULL);
    g_autoptr(DossierCheckReport) again = check (f, dossier, NULL);

    g_assert_false (dossier_check_report_get_from_store (report));
    g_assert_true (dossier_check_report_get_from_store (again));
    g_assert_cmpstr (dossier_check_report_get_inputs_hash (report), ==, dossier_check_report_get_inputs_hash (again));
    g_assert_cmpint (strlen (dossier_check_report_get_inputs_hash (report)), ==, 64);
    first_hash = g_strdup (dossier_check_report_get_inputs_hash (report));

    /* Read back, it says the same. */
    g_assert_cmpint (dossier_check_report_get_verdict (again), ==, DOSSIER_VERDICT_ERROR);
    g_assert_cmpuint (dossier_check_report_get_n_findings (again), ==, dossier_check_report_get_n_findings (report));
    for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
      {
        const DossierCheckFinding *a = dossier_check_report_get_finding (report, i);
        const DossierCheckFinding *b = dossier_check_report_get_finding (again, i);

        g_assert_cmpstr (a->rule_id, ==, b->rule_id);
        g_assert_cmpstr (a->message, ==, b->message);
        g_assert_cmpstr (a->margin, ==, b->margin);
        g_assert_cmpstr (a->reference, ==, b->reference);
      }
    g_assert_cmpstr (dossier_check_report_lookup_parameter (again, "x")->limits, ==,
                     dossier_check_report_lookup_parameter (report, "x")->limits);

    /* The stored JSON reads back to the same report, ranges and all. */
    {
      g_autoptr(DossierCheckReport) stored = dossier_check_get_stored_report (f->store, dossier, &error);
      const DossierCheckParameter *x;

      g_assert_no_error (error);
      g_assert_nonnull (stored);
      g_assert_true (dossier_check_report_get_from_store (stored));
      g_assert_cmpstr (dossier_check_report_get_inputs_hash (stored), ==, first_hash);
      g_assert_cmpstr (dossier_check_report_get_checked_at (stored), ==, dossier_check_report_get_checked_at (report));
      g_assert_cmpint (dossier_check_report_get_envelope_id (stored), ==, dossier_check_report_get_envelope_id (report));
      g_assert_cmpuint (dossier_check_report_get_n_findings (stored), ==, dossier_check_report_get_n_findings (report));
      for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
        {
          const DossierCheckFinding *a = dossier_check_report_get_finding (report, i);
          const DossierCheckFinding *b = dossier_check_report_get_finding (stored, i);

          g_assert_cmpstr (a->rule_id, ==, b->rule_id);
          g_assert_cmpstr (a->message, ==, b->message);
          g_assert_cmpstr (a->margin, ==, b->margin);
          g_assert_cmpstr (a->reference, ==, b->reference);
          g_assert_cmpstr (a->related[0], ==, b->related[0]);
        }
      x = dossier_check_report_lookup_parameter (stored, "x");
      g_assert_true (x->registered);
      g_assert_cmpstr (x->limits, ==, dossier_check_report_lookup_parameter (report, "x")->limits);
      g_assert_cmpstr (x->maximum, ==, "58");
      g_assert_cmpstr (x->value, ==, "61");
      g_assert_cmpstr (x->margin, ==, "-3");
      g_assert_cmpint (x->verdict, ==, DOSSIER_VERDICT_ERROR);
    }
    g_assert_null (dossier_check_get_stored_report (f->store, 999999, &error));
    g_assert_no_error (error);
  }

  g_assert_true (dossier_check_get_stored (f->store, dossier, &verdict, &n_errors, NULL, &error));
  g_assert_cmpint (verdict, ==, DOSSIER_VERDICT_ERROR);
  g_assert_cmpuint (n_errors, ==, 1);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM check_result"), ==, 1);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log WHERE table_name = 'check_result'"), ==, 0);

  /* A changed input changes the hash and the result. */
  {
    gint64 value = dt_query_int (f->store, "SELECT max (id) FROM parameter_value");
    g_autoptr(DossierCheckReport) report = NULL;

    dt_update (f->store, "parameter_value", value, (DossierField[]) { { "value", "50" }, { NULL } }, "fix");
    report = check (f, dossier, NULL);
    g_assert_false (dossier_check_report_get_from_store (report));
    g_assert_cmpstr (dossier_check_report_get_inputs_hash (report), !=, first_hash);
    g_assert_cmpuint (dossier_check_report_get_n_errors (report), ==, 0);
    g_assert_true (dossier_check_get_stored (f->store, dossier, &verdict, NULL, NULL, NULL));
    g_assert_cmpint (verdict, ==, DOSSIER_VERDICT_WARNING);
  }

  /* So does the rule catalogue: made an error, the worst-case tier blocks. */
  {
    gint64 rule = dt_query_int (f->store, "SELECT id FROM check_rule WHERE code = 'ENV-WORST-CASE'");
    g_autoptr(DossierCheckReport) report = NULL;

    dt_update (f->store, "check_rule", rule, (DossierField[]) { { "severity", "error" }, { NULL } }, "stricter");
    report = check (f, dossier, NULL);
    g_assert_false (dossier_check_report_get_from_store (report));
    g_assert_cmpint (dossier_check_report_get_verdict (report), ==, DOSSIER_VERDICT_ERROR);
    dt_update (f->store, "check_rule", rule, (DossierField[]) { { "severity", "warning" }, { NULL } }, "back");
    g_clear_object (&report);
    report = check (f, dossier, NULL);
    g_assert_false (dossier_check_report_get_from_store (report));
    g_assert_cmpint (dossier_check_report_get_verdict (report), ==, DOSSIER_VERDICT_WARNING);
  }

  /* The binding parts of the catalogue cannot be softened. */
  {
    gint64 rule = dt_query_int (f->store, "SELECT id FROM check_rule WHERE code = 'ENV-RANGE'");

    g_assert_false (dossier_store_update (f->store, "check_rule", rule, (DossierField[]) { { "severity", "warning" }, { NULL } },
                                          "softer", &error));
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    g_assert_false (dossier_store_delete (f->store, "check_rule", rule, "gone", &error));
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }

  /* Checking everything recomputes only what changed. */
  {
    gint64 other = new_matched (f, model);
    add_design (f, other, 1, (Value[]) { { "x", "45", "mm", NULL }, { NULL } });
  }
  g_assert_true (dossier_check_dossiers (f->store, NULL, 0, &(DossierCheckOptions) { TODAY, NULL, 0 }, NULL, NULL,
                                         &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_checked, ==, 2);
  g_assert_cmpuint (summary.n_reused, ==, 1);
  g_assert_cmpuint (summary.n_recomputed, ==, 1);
  g_assert_true (dossier_check_dossiers (f->store, NULL, 0, &(DossierCheckOptions) { TODAY, NULL, 0 }, NULL, NULL,
                                         &summary, NULL, &error));
  g_assert_cmpuint (summary.n_reused, ==, 2);
  g_assert_cmpuint (summary.n_recomputed, ==, 0);
  /* …unless forced. */
  g_assert_true (dossier_check_dossiers (f->store, NULL, 0, &(DossierCheckOptions) { TODAY, NULL, DOSSIER_CHECK_FORCE },
                                         NULL, NULL, &summary, NULL, &error));
  g_assert_cmpuint (summary.n_recomputed, ==, 2);

  /* A new effective version that applies changes the result too. */
  numeric_envelope (f, model, "2021-01-01", "mm", "46", "58", TRUE, TRUE, NULL, NULL, NULL);
  g_assert_true (dossier_check_dossiers (f->store, NULL, 0, &(DossierCheckOptions) { TODAY, NULL, 0 }, NULL, NULL,
                                         &summary, NULL, &error));
  g_assert_cmpuint (summary.n_recomputed, ==, 2);
  g_assert_cmpuint (summary.n_errors, ==, 1);

  (void)iteration;
  dt_assert_audit_clean (f->store);
}

/* The workflow gate -------------------------------------------------------------- */

static void
test_gate (Fixture       *f,
           gconstpointer  data)
{
  static const struct { const char *from; const char *to; gboolean gated; } moves[] = {
    { "order", "design", FALSE },
    { "design", "design-review", FALSE },
    { "design-review", "design-approved", TRUE },
    { "design-approved", "processing", TRUE },
    { "processing", "inspection", TRUE },
    { "inspection", "released", TRUE },
    { "released", "delivered", TRUE },
    { "delivered", "used", FALSE },
    { "used", "closed", FALSE },
    { "design", "used", TRUE },
    { "order", "closed", TRUE },
    { "design", "cancelled", FALSE },
    { "released", "released", FALSE },
    { "design-approved", "design", FALSE },
  };
  gint64 model = new_model (f);
  gint64 dossier, value, customized;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    if (dossier_check_is_gated (moves[i].from, moves[i].to) != moves[i].gated)
      g_error ("%s → %s should %sbe gated", moves[i].from, moves[i].to, moves[i].gated ? "" : "not ");

  numeric_envelope (f, model, "2020-01-01", "mm", "44", "58", TRUE, TRUE, NULL, NULL, NULL);
  dossier = new_matched (f, model);
  add_design (f, dossier, 1, (Value[]) { { "x", "61.0", "mm", NULL }, { NULL } });
  value = dt_query_int (f->store, "SELECT max (id) FROM parameter_value");

  dt_update (f->store, "dossier", dossier, (DossierField[]) { { "status", "design-review" }, { NULL } }, NULL);
  g_assert_false (dossier_store_update (f->store, "dossier", dossier,
                                        (DossierField[]) { { "status", "design-approved" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "ENV-RANGE"));
  g_assert_nonnull (strstr (error->message, "61.0 mm"));
  g_assert_nonnull (strstr (error->message, "Design approved"));
  g_assert_nonnull (strstr (error->message, "Ways forward"));
  g_assert_nonnull (strstr (error->message, "Redesign"));
  g_clear_error (&error);
  status = dt_row_value (f->store, "dossier", dossier, "status");
  g_assert_cmpstr (status, ==, "design-review");

  /* Straight to release is refused as well; cancelling is not. */
  g_assert_false (dossier_store_update (f->store, "dossier", dossier,
                                        (DossierField[]) { { "status", "released" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Fixed, it goes through, and the stored result is the one the gate computed. */
  dt_update (f->store, "parameter_value", value, (DossierField[]) { { "value", "57.5" }, { NULL } }, "redesign");
  g_assert_true (dossier_store_update (f->store, "dossier", dossier,
                                       (DossierField[]) { { "status", "design-approved" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DossierCheckReport) report = check (f, dossier, NULL);
    g_assert_cmpstr (dossier_check_report_get_status (report), ==, "design-approved");
  }

  /* An error appearing later blocks the next gated move. */
  dt_update (f->store, "parameter_value", value, (DossierField[]) { { "value", "58.5" }, { NULL } }, "oops");
  g_assert_false (dossier_store_update (f->store, "dossier", dossier,
                                        (DossierField[]) { { "status", "processing" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (dossier_store_update (f->store, "dossier", dossier,
                                       (DossierField[]) { { "status", "cancelled" }, { NULL } }, "abandoned", &error));
  g_assert_no_error (error);

  /* Other fields of a dossier change without the gate. */
  dt_update (f->store, "dossier", dossier, (DossierField[]) { { "notes", "kept for the record" }, { NULL } }, NULL);

  /* Customized: no processing without a confirmed design. */
  customized = new_customized (f, TRUE, NULL);
  add_design (f, customized, 1, NULL);
  g_assert_false (dossier_store_update (f->store, "dossier", customized,
                                        (DossierField[]) { { "status", "processing" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "CUS-DESIGN-CONFIRMED"));
  g_clear_error (&error);
  confirm (f, customized, dt_query_int (f->store, "SELECT max (id) FROM design_iteration"), f->clinician, "2026-01-20");
  g_assert_true (dossier_store_update (f->store, "dossier", customized,
                                       (DossierField[]) { { "status", "processing" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);

  /* Refusals leave the trail intact. */
  dt_assert_audit_clean (f->store);
}

/* Language and the editor's view ---------------------------------------------------- */

static void
test_language_and_marking (Fixture       *f,
                           gconstpointer  data)
{
  gint64 model = new_model (f);
  g_autoptr(DossierEnvelope) e = dossier_envelope_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  gint64 dossier;

  dossier_envelope_set_model_id (e, model);
  dossier_envelope_set_effective_on (e, "2020-01-01");
  dossier_envelope_set_certificate_no (e, CERTIFICATE);
  g_assert_true (dossier_envelope_set_numeric (e, "outer_diameter", "mm", "44", "58", TRUE, TRUE, "1", "0.2", NULL, &error));
  g_assert_true (dossier_envelope_set_numeric (e, "wall_thickness", "mm", "2.0", "4.0", TRUE, TRUE, "0.1", NULL, NULL, &error));
  dossier_envelope_set_labels (e, "outer_diameter", "Outer diameter", "外径");
  g_assert_true (dossier_envelope_make_effective (f->store, dossier_envelope_save (e, f->store, &error), NULL, &error));
  g_assert_no_error (error);

  dossier = new_matched (f, model);
  add_design (f, dossier, 1, (Value[]) { { "outer_diameter", "61.0", "mm", NULL },
                                          { "wall_thickness", "2.5", "mm", NULL }, { NULL } });

  g_setenv ("LANGUAGE", "en", TRUE);
  {
    g_autoptr(DossierCheckReport) report = check (f, dossier, NULL);
    const DossierCheckParameter *outer = dossier_check_report_lookup_parameter (report, "outer_diameter");
    const DossierCheckParameter *wall = dossier_check_report_lookup_parameter (report, "wall_thickness");
    g_autoptr(GPtrArray) outer_findings = dossier_check_report_get_findings_for (report, "outer_diameter");
    g_auto(GStrv) remedies = dossier_check_report_get_remedies (report);
    const DossierCheckFinding *range = find_rule (report, "ENV-RANGE");

    /* What the editor shows beside each value. */
    g_assert_cmpint (outer->verdict, ==, DOSSIER_VERDICT_ERROR);
    g_assert_cmpstr (outer->limits, ==, "44 ≤ x ≤ 58 mm (44, 45, …, 58 mm), ±0.2 mm");
    g_assert_cmpstr (outer->minimum, ==, "44");
    g_assert_cmpstr (outer->maximum, ==, "58");
    g_assert_cmpstr (outer->margin, ==, "-3.0");
    g_assert_cmpstr (outer->label, ==, "Outer diameter");
    g_assert_cmpuint (outer_findings->len, >=, 1);
    g_assert_true (g_ptr_array_index (outer_findings, 0) == range);
    g_assert_cmpint (wall->step_conformity, ==, DOSSIER_STEP_ON_GRID);
    g_assert_cmpstr (wall->limits, ==, "2.0 ≤ x ≤ 4.0 mm (2.0, 2.1, …, 4.0 mm)");
    g_assert_cmpstr (wall->label, ==, "wall_thickness");

    g_assert_cmpstr (range->message, ==,
                     "Outer diameter = 61.0 mm is outside the registered range 44 ≤ x ≤ 58 mm (44, 45, …, 58 mm), ±0.2 mm.");
    g_assert_cmpstr (range->message_zh, ==, "外径 = 61.0 mm 超出注册尺寸范围 44 ≤ x ≤ 58 mm (44, 45, …, 58 mm), ±0.2 mm。");
    g_assert_nonnull (strstr (range->source, "2019 No. 53"));
    g_assert_nonnull (strstr (range->reference, CERTIFICATE));
    g_assert_true (g_strv_contains ((const char * const *)remedies, "redesign"));
    g_assert_true (g_strv_contains ((const char * const *)remedies, "customized-route"));

    {
      g_autofree char *errors = dossier_check_report_describe_errors (report, 5);
      g_assert_nonnull (strstr (errors, "• Outer diameter = 61.0 mm"));
    }
    {
      g_autoptr(JsonNode) json = dossier_check_report_to_json (report);
      JsonObject *o = json_node_get_object (json);
      g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "error");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "parameters")), ==, 2);
    }
  }

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  {
    g_autoptr(DossierCheckReport) report = check (f, dossier, NULL);
    const DossierCheckFinding *range = find_rule (report, "ENV-RANGE");

    g_assert_true (dossier_check_report_get_from_store (report));
    g_assert_cmpstr (range->message, ==, range->message_zh);
    g_assert_cmpstr (dossier_check_report_lookup_parameter (report, "outer_diameter")->label, ==, "外径");
  }

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/check/boundaries", test_boundaries);
  ADD ("/check/step-suggestions", test_step_suggestions);
  ADD ("/check/bad-values", test_bad_values);
  ADD ("/check/missing-unknown-categorical", test_missing_unknown_categorical);
  ADD ("/check/dependency", test_dependency);
  ADD ("/check/version-by-date", test_version_by_date);
  ADD ("/check/worst-case", test_worst_case);
  ADD ("/check/customized", test_customized);
  ADD ("/check/stored-results", test_stored_results);
  ADD ("/check/gate", test_gate);
  ADD ("/check/language-and-marking", test_language_and_marking);
#undef ADD

  return g_test_run ();
}
