/* test-annual-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dossier-annual-report.h"
#include "dossier-auth-private.h"
#include "dossier-auth.h"
#include "dossier-demo.h"
#include "dossier-test-util.h"

/* The annual report of customized devices: the counts of the demo showcase worked out
 * by hand, edge cases on small hand-built databases (year boundaries, outcomes
 * without dates, the registration threshold), the XML against its schema (ours and
 * xmllint), determinism, refusals, the deadline and reminder arithmetic, and the
 * permission. */

#define DEMO_FILING "粤械定制备20240003号"
#define FILING_A "粤械定制备20200001号"

/* Demo -------------------------------------------------------------------------- */

typedef struct
{
  char         *dir;
  DossierStore *store;
} Fixture;

static void
sign_in_if_needed (DossierStore *store)
{
  g_autoptr(GError) error = NULL;

  /* Demo databases get accounts (wang.fang is the regulatory one); then the report
   * needs her signed in. */
  if (!dossier_auth_has_accounts (store))
    return;
  g_assert_true (dossier_store_sign_in (store, "wang.fang", "wang.fang-demo", &error));
  g_assert_no_error (error);
}

static void
demo_set_up (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = dt_make_tmpdir ();
  db = g_build_filename (f->dir, "dossier.db", NULL);
  f->store = dt_open (db);
  g_assert_true (dossier_demo_seed (f->store, 0, NULL, &error));
  g_assert_no_error (error);
  sign_in_if_needed (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
}

static DossierAnnualReport *
compute (DossierStore *store,
         int           year,
         const char   *filing)
{
  g_autoptr(GError) error = NULL;
  DossierAnnualReportOptions options = { year, filing, NULL };
  DossierAnnualReport *report = dossier_annual_report_compute (store, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_counts (const DossierAnnualCounts *n,
               guint ordered, guint designed, guint produced, guint released, guint delivered,
               guint used, guint not_used, guint returned, guint destroyed, guint cancelled,
               guint design_changes, guint adverse_events)
{
  g_assert_cmpuint (n->ordered, ==, ordered);
  g_assert_cmpuint (n->designed, ==, designed);
  g_assert_cmpuint (n->produced, ==, produced);
  g_assert_cmpuint (n->released, ==, released);
  g_assert_cmpuint (n->delivered, ==, delivered);
  g_assert_cmpuint (n->used, ==, used);
  g_assert_cmpuint (n->not_used, ==, not_used);
  g_assert_cmpuint (n->returned, ==, returned);
  g_assert_cmpuint (n->destroyed, ==, destroyed);
  g_assert_cmpuint (n->cancelled, ==, cancelled);
  g_assert_cmpuint (n->design_changes, ==, design_changes);
  g_assert_cmpuint (n->adverse_events, ==, adverse_events);
}

/* The unit number the demo gave the dossier of a patient (numbers carry the year
 * the demo was seeded). */
static char *
unit_of_patient (DossierStore *store,
                 const char   *patient_code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT d.unit_no FROM dossier d JOIN patient p ON p.id = d.patient_id "
                                          "WHERE p.code = '%s'", patient_code);
  char *unit_no = dt_query_text (store, sql);

  g_assert_nonnull (unit_no);
  return unit_no;
}

/* The showcase has three customized units, all under filing 粤械定制备20240003号
 * (filed 2024-06-18, threshold 30, partner and ordering institution 岭南医科大学附属
 * 第一医院), see showcase[] in src/core/dossier-demo.c.  Dates are the order date plus
 * the PRODUCT_PELVIS timeline:
 *
 *   #3 LN1-2025-0163, delivered: ordered 2025-09-22; version 1 on +3, version 2 on +6
 *      (2025-09-28); confirmed on +8 (2025-09-30); processing (with the rework step)
 *      ends with sterilisation on +16 (2025-10-08 08:00); released on +23
 *      (2025-10-15); delivered on +26 (2025-10-18); no use record.
 *   #6 LN1-2026-0058, processing: ordered 2026-07-20; version 2 on 2026-07-26;
 *      confirmed 2026-07-28; its second processing step is still running.
 *   #9 LN1-2026-0091, design: ordered 2026-10-12; version 1 only, not confirmed.
 *
 * The one adverse event of the showcase is on #2, a patient-matched cup: not part of
 * this report, nor are the other nine patient-matched units. */
static void
test_demo_2025 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DossierAnnualReport) report = compute (f->store, 2025, NULL);
  g_autofree char *unit3 = unit_of_patient (f->store, "LN1-2025-0163");
  const DossierAnnualFiling *filing;
  const DossierAnnualInstitution *inst;
  const DossierAnnualUnit *u;
  const DossierAnnualDesignChange *change;

  g_assert_cmpint (report->year, ==, 2025);
  g_assert_cmpstr (report->period_from, ==, "2025-01-01");
  g_assert_cmpstr (report->period_to, ==, "2025-12-31");
  g_assert_null (report->scope_filing);
  g_assert_cmpstr (report->manufacturer_uscc, ==, "91440112MA5CQ7LD23");
  g_assert_cmpuint (report->filings->len, ==, 1);

  filing = g_ptr_array_index (report->filings, 0);
  g_assert_cmpstr (filing->number, ==, DEMO_FILING);
  g_assert_cmpstr (filing->status, ==, "filed");
  g_assert_cmpstr (filing->filed_on, ==, "2024-06-18");
  g_assert_cmpstr (filing->province_code, ==, "440000");
  g_assert_cmpstr (filing->device_name, ==, "定制式钛合金骨盆重建假体");
  g_assert_cmpstr (filing->institution.name, ==, "岭南医科大学附属第一医院");

  /* Only #3 has events in 2025: ordered, designed (confirmed 09-30), produced
   * (10-08), released (10-15), delivered (10-18), one design change (version 2 on
   * 09-28, before the confirmation of 09-30, so not after it); not used yet. */
  assert_counts (&filing->counts, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0);
  assert_counts (&report->totals, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0);

  /* One ordering institution, the partner itself, with the same counts. */
  g_assert_cmpuint (filing->institutions->len, ==, 1);
  inst = g_ptr_array_index (filing->institutions, 0);
  g_assert_cmpstr (inst->licence, ==, "PDY10234544010419A1001");
  assert_counts (&inst->counts, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0);

  g_assert_cmpuint (filing->units->len, ==, 1);
  u = g_ptr_array_index (filing->units, 0);
  g_assert_cmpstr (u->unit_no, ==, unit3);
  g_assert_cmpstr (u->status, ==, "delivered");
  g_assert_cmpstr (u->ordered_on, ==, "2025-09-22");
  g_assert_cmpstr (u->designed_on, ==, "2025-09-30");
  g_assert_cmpstr (u->produced_on, ==, "2025-10-08");
  g_assert_cmpstr (u->released_on, ==, "2025-10-15");
  g_assert_cmpstr (u->delivered_on, ==, "2025-10-18");
  g_assert_null (u->outcome);
  g_assert_null (u->cancelled_on);

  g_assert_cmpuint (filing->design_changes->len, ==, 1);
  change = g_ptr_array_index (filing->design_changes, 0);
  g_assert_cmpstr (change->unit_no, ==, unit3);
  g_assert_cmpint (change->version, ==, 2);
  g_assert_cmpstr (change->designed_on, ==, "2025-09-28");
  g_assert_cmpstr (change->designer, ==, "张伟");
  g_assert_false (change->after_confirmation);
  g_assert_cmpuint (filing->adverse_events->len, ==, 0);

  /* By the end of 2025 only #3 had been ordered: 1 of 30. */
  g_assert_cmpuint (filing->threshold, ==, 30);
  g_assert_cmpuint (filing->cases, ==, 1);
  g_assert_cmpuint (filing->cases_used, ==, 0);
  g_assert_cmpuint (filing->near_percent, ==, 80);
  g_assert_cmpint (filing->threshold_state, ==, DOSSIER_ANNUAL_THRESHOLD_BELOW);
}

static void
test_demo_2026 (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DossierAnnualReport) report = compute (f->store, 2026, DEMO_FILING);
  g_autofree char *unit6 = unit_of_patient (f->store, "LN1-2026-0058");
  g_autofree char *unit9 = unit_of_patient (f->store, "LN1-2026-0091");
  const DossierAnnualFiling *filing;
  const DossierAnnualUnit *u;

  g_assert_cmpstr (report->scope_filing, ==, DEMO_FILING);
  g_assert_cmpuint (report->filings->len, ==, 1);
  filing = g_ptr_array_index (report->filings, 0);

  /* #6 and #9 were ordered in 2026; only #6 was confirmed (07-28) and changed
   * (version 2 on 07-26); #6 is still in processing, so nothing was produced,
   * released or delivered; #3's events were all in 2025. */
  assert_counts (&filing->counts, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0);

  g_assert_cmpuint (filing->units->len, ==, 2);
  u = g_ptr_array_index (filing->units, 0);
  g_assert_cmpstr (u->unit_no, ==, unit6);
  g_assert_cmpstr (u->designed_on, ==, "2026-07-28");
  g_assert_null (u->produced_on);
  u = g_ptr_array_index (filing->units, 1);
  g_assert_cmpstr (u->unit_no, ==, unit9);
  g_assert_null (u->designed_on);

  /* #3, #6 and #9, none cancelled: 3 of 30. */
  g_assert_cmpuint (filing->cases, ==, 3);
  g_assert_cmpint (filing->threshold_state, ==, DOSSIER_ANNUAL_THRESHOLD_BELOW);
}

/* A filer reports every year, also a year without units: zeros are a valid report.
 * Before the filing was filed there is no filing to report on at all. */
static void
test_demo_empty_years (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) y2024 = compute (f->store, 2024, NULL);
  g_autoptr(DossierAnnualReport) y2023 = compute (f->store, 2023, NULL);
  g_autoptr(GBytes) xml = NULL;

  g_assert_cmpuint (y2024->filings->len, ==, 1);
  assert_counts (&((DossierAnnualFiling *)g_ptr_array_index (y2024->filings, 0))->counts,
                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  xml = dossier_annual_report_to_xml (y2024, &error);
  g_assert_no_error (error);
  g_clear_pointer (&xml, g_bytes_unref);

  g_assert_cmpuint (y2023->filings->len, ==, 0);
  xml = dossier_annual_report_to_xml (y2023, &error);
  g_assert_no_error (error);
  g_assert_nonnull (xml);
}

static void
test_unknown_filing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierAnnualReportOptions options = { 2025, "粤械定制备20999999号", NULL };
  g_autoptr(DossierAnnualReport) report = dossier_annual_report_compute (f->store, &options, &error);

  g_assert_null (report);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "粤械定制备20999999号"));
  g_clear_error (&error);

  options.filing_number = NULL;
  options.generated_at = "yesterday";
  report = dossier_annual_report_compute (f->store, &options, &error);
  g_assert_null (report);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_xml_valid_and_deterministic (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out1 = g_build_filename (f->dir, "report-1.xml", NULL);
  g_autofree char *out2 = g_build_filename (f->dir, "report-2.xml", NULL);
  g_autofree char *html1 = g_build_filename (f->dir, "report-1.html", NULL);
  g_autofree char *html2 = g_build_filename (f->dir, "report-2.html", NULL);
  g_autofree char *xsd = g_test_build_filename (G_TEST_DIST, "..", "resources", "schemas", "annual-report-1.xsd", NULL);
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autofree char *text1 = NULL, *text2 = NULL;
  gboolean has_run = FALSE;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierAnnualReport) report = compute (f->store, 2025, NULL);

      g_assert_true (dossier_annual_report_write_xml (f->store, report, i == 0 ? out1 : out2, &error));
      g_assert_no_error (error);
      g_assert_true (dossier_annual_report_write_html (report, i == 0 ? html1 : html2, &error));
      g_assert_no_error (error);
    }

  /* The second run recorded the first one; that does not change the report. */
  text1 = read_file (out1);
  text2 = read_file (out2);
  g_assert_cmpstr (text1, ==, text2);
  g_assert_nonnull (strstr (text1, "xmlns=\"urn:io.github.dossier:annual-report:1\""));
  g_assert_nonnull (strstr (text1, "schemaVersion=\"1.0\""));
  g_clear_pointer (&text1, g_free);
  g_clear_pointer (&text2, g_free);
  text1 = read_file (html1);
  text2 = read_file (html2);
  g_assert_cmpstr (text1, ==, text2);
  g_assert_true (g_str_has_prefix (text1, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (text1, "@page"));
  g_assert_nonnull (strstr (text1, "Noto Sans CJK SC"));
  g_assert_nonnull (strstr (text1, DEMO_FILING));

  /* Both runs are recorded, and the year counts as reported. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM annual_report_run WHERE year = 2025 AND filing_id IS NULL"), ==, 2);
  g_assert_true (dossier_annual_report_has_run (f->store, 2025, &has_run, &error));
  g_assert_true (has_run);
  g_assert_true (dossier_annual_report_has_run (f->store, 2024, &has_run, &error));
  g_assert_false (has_run);
  dt_assert_audit_clean (f->store);

  if (xmllint == NULL)
    {
      g_test_skip ("xmllint is not installed");
      return;
    }
  {
    const char *argv[] = { xmllint, "--noout", "--nonet", "--schema", xsd, out1, NULL };
    int status = -1;

    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }
}

static void
test_write_refusals (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = compute (f->store, 2025, NULL);
  g_autofree char *out = g_build_filename (f->dir, "report.xml", NULL);
  g_autofree char *existing = g_build_filename (f->dir, "existing.xml", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* A report that would not follow its schema is not written, nor recorded. */
  dossier_annual_report_set_inject_invalid_for_testing (TRUE);
  g_assert_false (dossier_annual_report_write_xml (f->store, report, out, &error));
  dossier_annual_report_set_inject_invalid_for_testing (FALSE);
  g_assert_error (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "injected"));
  g_clear_error (&error);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM annual_report_run"), ==, 0);

  /* An existing file is never replaced. */
  g_assert_true (g_file_set_contents (existing, "keep", -1, NULL));
  g_assert_false (dossier_annual_report_write_xml (f->store, report, existing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (dossier_annual_report_write_html (report, existing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* Nothing half-written is left behind. */
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_null (strstr (name, ".partial-"));
}

/* Hand-built databases -------------------------------------------------------------- */

typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        institution_a;
  gint64        institution_b;
  gint64        clinician_a;
  gint64        clinician_b;
  gint64        filing;
  gint64        filing_b;
  guint         n_patients;
} Small;

#define ID(buf, v) (g_snprintf ((buf), sizeof (buf), "%" G_GINT64_FORMAT, (gint64)(v)), (buf))

static void
small_set_up (Small         *s,
              gconstpointer  data)
{
  char a[32], b[32];
  g_autofree char *db = NULL;

  s->dir = dt_make_tmpdir ();
  db = g_build_filename (s->dir, "small.db", NULL);
  s->store = dt_open (db);

  dt_insert (s->store, "manufacturer", (DossierField[]) {
    { "name_zh", "测试医疗器械有限公司" }, { "uscc", "91440300MA5F00001A" }, { NULL } });
  s->institution_a = dt_insert (s->store, "institution", (DossierField[]) {
    { "name_zh", "甲医院" }, { "practising_licence", "PDY00001X44010415A1002" },
    { "province_code", "440000" }, { NULL } });
  /* An institution with markup in its name, to see it escaped. */
  s->institution_b = dt_insert (s->store, "institution", (DossierField[]) {
    { "name_zh", "乙医院<script>alert(1)</script>&" }, { "practising_licence", "12345678" },
    { "province_code", "110000" }, { NULL } });
  s->clinician_a = dt_insert (s->store, "clinician", (DossierField[]) {
    { "institution_id", ID (a, s->institution_a) }, { "name_zh", "王医生" },
    { "certificate_no", "110440000123456" }, { NULL } });
  s->clinician_b = dt_insert (s->store, "clinician", (DossierField[]) {
    { "institution_id", ID (a, s->institution_b) }, { "name_zh", "李医生" },
    { "certificate_no", "000000000000001" }, { NULL } });
  s->filing = dt_insert (s->store, "filing", (DossierField[]) {
    { "number", FILING_A }, { "province_code", "440000" }, { "filed_on", "2020-05-01" },
    { "status", "filed" }, { "institution_id", ID (a, s->institution_a) },
    { "device_name", "定制式颅骨修补板" }, { "case_threshold", "3" }, { NULL } });
  /* Only a filing's partner institution may order under it (the store refuses
   * others), so institution B has a filing of its own. */
  s->filing_b = dt_insert (s->store, "filing", (DossierField[]) {
    { "number", "京械定制备20200002号" }, { "province_code", "110000" }, { "filed_on", "2020-08-01" },
    { "status", "filed" }, { "institution_id", ID (b, s->institution_b) },
    { "device_name", "定制式下颌骨假体" }, { NULL } });
}

static void
small_tear_down (Small         *s,
                 gconstpointer  data)
{
  g_clear_object (&s->store);
  dt_remove_tree (s->dir);
  g_free (s->dir);
}

/* A customized unit ordered on ordered_on by institution A under the first filing,
 * or by institution B under the second. */
static gint64
add_unit (Small      *s,
          gboolean    b,
          const char *ordered_on)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = g_strdup_printf ("P-%04u", ++s->n_patients);
  char inst[32], clin[32], pat[32], fil[32];
  gint64 patient, id;

  patient = dt_insert (s->store, "patient", (DossierField[]) { { "code", code }, { "sex", "female" }, { NULL } });
  id = dossier_store_create_dossier (s->store, (DossierField[]) {
    { "kind", "customized" }, { "status", "order" },
    { "institution_id", ID (inst, b ? s->institution_b : s->institution_a) },
    { "clinician_id", ID (clin, b ? s->clinician_b : s->clinician_a) },
    { "patient_id", ID (pat, patient) }, { "filing_id", ID (fil, b ? s->filing_b : s->filing) },
    { "ordered_on", ordered_on }, { "patient_age", "50" }, { "condition", "颅骨缺损" },
    { "treatment_plan", "颅骨修补术" }, { "risks", "感染" }, { "necessity", "无上市产品可用" },
    { "clinical_data", "头颅 CT" }, { "lesion_site", "左额" }, { "design_requirements", "贴合缺损" },
    { "delivery_requirements", "灭菌包装" }, { "acceptance_criteria", "尺寸偏差 ±0.5 mm" },
    { "clinician_signed_on", ordered_on }, { "manufacturer_contact", "张工" },
    { "manufacturer_signed_on", ordered_on }, { NULL } }, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
set_status (Small      *s,
            gint64      id,
            const char *status)
{
  dt_update (s->store, "dossier", id, (DossierField[]) { { "status", status }, { NULL } }, NULL);
}

static gint64
add_iteration (Small      *s,
               gint64      dossier,
               const char *version,
               const char *designed_on)
{
  char d[32];

  return dt_insert (s->store, "design_iteration", (DossierField[]) {
    { "dossier_id", ID (d, dossier) }, { "version", version }, { "designed_on", designed_on },
    { "designer", "张工" }, { "notes", "按医生意见修改" }, { NULL } });
}

static void
confirm (Small      *s,
         gboolean    b,
         gint64      dossier,
         gint64      iteration,
         const char *confirmed_on,
         const char *document)
{
  char d[32], it[32], c[32];

  dt_insert (s->store, "design_confirmation", (DossierField[]) {
    { "dossier_id", ID (d, dossier) }, { "iteration_id", ID (it, iteration) },
    { "clinician_id", ID (c, b ? s->clinician_b : s->clinician_a) }, { "confirmed_on", confirmed_on },
    { "document_no", document }, { NULL } });
}

/* U1 crosses the year: made and delivered in December 2030, implanted in January
 * 2031, with an adverse event in 2031; its design was changed after the clinician
 * had confirmed it. */
static gint64
add_crossing_unit (Small *s)
{
  char d[32];
  gint64 u1 = add_unit (s, FALSE, "2030-11-20");
  gint64 v1, v2;

  set_status (s, u1, "design");
  v1 = add_iteration (s, u1, "1", "2030-11-22");
  set_status (s, u1, "design-review");
  confirm (s, FALSE, u1, v1, "2030-11-25", "DC-1");
  v2 = add_iteration (s, u1, "2", "2030-11-27");
  confirm (s, FALSE, u1, v2, "2030-11-28", "DC-2");
  set_status (s, u1, "design-approved");
  set_status (s, u1, "processing");
  dt_insert (s->store, "processing_step", (DossierField[]) {
    { "dossier_id", ID (d, u1) }, { "position", "1" }, { "step_type", "打印" },
    { "started_at", "2030-12-04T08:00:00+08:00" }, { "ended_at", "2030-12-05T18:00:00+08:00" }, { NULL } });
  set_status (s, u1, "inspection");
  dt_insert (s->store, "inspection", (DossierField[]) {
    { "dossier_id", ID (d, u1) }, { "item", "尺寸" }, { "result", "pass" }, { "inspected_on", "2030-12-10" }, { NULL } });
  dt_insert (s->store, "release", (DossierField[]) {
    { "dossier_id", ID (d, u1) }, { "released_by", "质量受权人" }, { "released_at", "2030-12-20T10:00:00+08:00" }, { NULL } });
  set_status (s, u1, "released");
  dt_insert (s->store, "delivery", (DossierField[]) {
    { "dossier_id", ID (d, u1) }, { "delivered_on", "2030-12-28" }, { NULL } });
  set_status (s, u1, "delivered");
  dt_insert (s->store, "use_record", (DossierField[]) {
    { "dossier_id", ID (d, u1) }, { "outcome", "used" }, { "surgery_on", "2031-01-05" }, { NULL } });
  set_status (s, u1, "used");
  dt_insert (s->store, "adverse_event", (DossierField[]) {
    { "dossier_id", ID (d, u1) }, { "occurred_on", "2031-01-20" }, { "reported_on", "2031-02-05" },
    { "severity", "serious" }, { "description", "术后感染 <b>需</b> 翻修 & 取出" }, { NULL } });
  return u1;
}

static void
test_year_boundary (Small         *s,
                    gconstpointer  data)
{
  g_autoptr(DossierAnnualReport) y2030 = NULL;
  g_autoptr(DossierAnnualReport) y2031 = NULL;
  const DossierAnnualFiling *f;
  const DossierAnnualDesignChange *change;
  const DossierAnnualAdverseEvent *event;

  add_crossing_unit (s);

  y2030 = compute (s->store, 2030, FILING_A);
  g_assert_cmpuint (y2030->filings->len, ==, 1);
  f = g_ptr_array_index (y2030->filings, 0);
  /* Ordered 11-20, first confirmed 11-25 (the second confirmation does not count a
   * second design), processing ended 12-05, released 12-20, delivered 12-28;
   * implanted only in 2031; version 2 of 11-27 came after the confirmation of 11-25. */
  assert_counts (&f->counts, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0);
  g_assert_cmpuint (f->design_changes->len, ==, 1);
  change = g_ptr_array_index (f->design_changes, 0);
  g_assert_true (change->after_confirmation);
  g_assert_cmpuint (f->cases, ==, 1);
  g_assert_cmpuint (f->cases_used, ==, 0);

  y2031 = compute (s->store, 2031, FILING_A);
  f = g_ptr_array_index (y2031->filings, 0);
  /* Used on 2031-01-05, the adverse event of 2031-01-20; nothing else. */
  assert_counts (&f->counts, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1);
  g_assert_cmpuint (f->adverse_events->len, ==, 1);
  event = g_ptr_array_index (f->adverse_events, 0);
  g_assert_cmpstr (event->occurred_on, ==, "2031-01-20");
  g_assert_cmpstr (event->reported_on, ==, "2031-02-05");
  g_assert_cmpstr (event->severity, ==, "serious");
  g_assert_cmpstr (event->institution_name, ==, "甲医院");
  g_assert_cmpuint (f->cases_used, ==, 1);
}

/* Outcomes and cancellations without a date of their own are counted on the day
 * they were recorded, which in this test is today. */
static void
test_undated_outcomes (Small         *s,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int this_year = g_date_time_get_year (now);
  g_autoptr(DossierAnnualReport) y2030 = NULL;
  g_autoptr(DossierAnnualReport) current = NULL;
  const DossierAnnualFiling *fa, *fb;
  const DossierAnnualInstitution *b;
  char d[32];
  gint64 u2, u3, u4;

  /* U2 (institution B): ordered in 2030, cancelled before design. */
  u2 = add_unit (s, TRUE, "2030-03-01");
  dt_update (s->store, "dossier", u2, (DossierField[]) { { "status", "cancelled" }, { NULL } }, "取消");
  /* U3 (institution B): delivered in 2030 and returned, without a date. */
  u3 = add_unit (s, TRUE, "2030-06-01");
  confirm (s, TRUE, u3, add_iteration (s, u3, "1", "2030-06-03"), "2030-06-06", "DC-3");
  dt_insert (s->store, "delivery", (DossierField[]) { { "dossier_id", ID (d, u3) }, { "delivered_on", "2030-07-01" }, { NULL } });
  set_status (s, u3, "delivered");
  dt_insert (s->store, "use_record", (DossierField[]) { { "dossier_id", ID (d, u3) }, { "outcome", "returned" }, { NULL } });
  /* U4 (institution A): delivered and destroyed, not used. */
  u4 = add_unit (s, FALSE, "2030-08-01");
  confirm (s, FALSE, u4, add_iteration (s, u4, "1", "2030-08-03"), "2030-08-06", "DC-4");
  dt_insert (s->store, "delivery", (DossierField[]) { { "dossier_id", ID (d, u4) }, { "delivered_on", "2030-09-01" }, { NULL } });
  set_status (s, u4, "delivered");
  dt_insert (s->store, "use_record", (DossierField[]) { { "dossier_id", ID (d, u4) }, { "outcome", "destroyed" }, { NULL } });

  y2030 = compute (s->store, 2030, NULL);
  /* Sorted by number: 京… (institution B) before 粤… (institution A). */
  g_assert_cmpuint (y2030->filings->len, ==, 2);
  fb = g_ptr_array_index (y2030->filings, 0);
  fa = g_ptr_array_index (y2030->filings, 1);
  g_assert_cmpstr (fb->number, ==, "京械定制备20200002号");
  g_assert_cmpuint (fb->threshold, ==, 50);
  /* B: U2 and U3 ordered, U3 designed and delivered; A: U4 ordered, designed and
   * delivered.  The return, the destruction and the cancellation belong to the year
   * they were recorded. */
  assert_counts (&fb->counts, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
  assert_counts (&fa->counts, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
  assert_counts (&y2030->totals, 3, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0);
  g_assert_cmpuint (fb->institutions->len, ==, 1);
  b = g_ptr_array_index (fb->institutions, 0);
  g_assert_cmpstr (b->licence, ==, "12345678");
  assert_counts (&b->counts, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
  /* U3 counts as a case, the cancelled U2 does not. */
  g_assert_cmpuint (fb->cases, ==, 1);
  g_assert_cmpuint (fa->cases, ==, 1);

  current = compute (s->store, this_year, NULL);
  g_assert_cmpuint (current->filings->len, ==, 2);
  fb = g_ptr_array_index (current->filings, 0);
  fa = g_ptr_array_index (current->filings, 1);
  assert_counts (&fb->counts, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0);
  assert_counts (&fa->counts, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
}

static void
test_threshold (Small         *s,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  const DossierAnnualFiling *f;

  /* Threshold 3: two units by the end of 2030 are 67 %, below the default 80 %. */
  add_unit (s, FALSE, "2030-02-01");
  add_unit (s, FALSE, "2030-03-01");
  add_unit (s, FALSE, "2031-01-15");

  report = compute (s->store, 2030, FILING_A);
  f = g_ptr_array_index (report->filings, 0);
  g_assert_cmpuint (f->cases, ==, 2);
  g_assert_cmpint (f->threshold_state, ==, DOSSIER_ANNUAL_THRESHOLD_BELOW);
  g_clear_pointer (&report, dossier_annual_report_unref);

  /* The level is a setting. */
  g_assert_true (dossier_store_set_setting (s->store, DOSSIER_ANNUAL_REPORT_NEAR_KEY, "60", "test", &error));
  g_assert_no_error (error);
  report = compute (s->store, 2030, FILING_A);
  f = g_ptr_array_index (report->filings, 0);
  g_assert_cmpint (f->threshold_state, ==, DOSSIER_ANNUAL_THRESHOLD_NEAR);
  g_clear_pointer (&report, dossier_annual_report_unref);

  /* The third unit, ordered in 2031, reaches it. */
  report = compute (s->store, 2031, FILING_A);
  f = g_ptr_array_index (report->filings, 0);
  g_assert_cmpuint (f->cases, ==, 3);
  g_assert_cmpint (f->threshold_state, ==, DOSSIER_ANNUAL_THRESHOLD_REACHED);
}

/* Dossier text ends up in the HTML only as text. */
static void
test_html_escaped (Small         *s,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  g_autoptr(GBytes) html = NULL;
  g_autoptr(GBytes) xml = NULL;
  const char *text;

  add_crossing_unit (s);
  add_unit (s, TRUE, "2031-03-01");
  report = compute (s->store, 2031, NULL);
  html = dossier_annual_report_to_html (report);
  text = g_bytes_get_data (html, NULL);
  g_assert_null (g_strstr_len (text, g_bytes_get_size (html), "<script>"));
  g_assert_null (g_strstr_len (text, g_bytes_get_size (html), "<b>"));
  g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (html), "&lt;script&gt;"));
  g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (html), "&lt;b&gt;需&lt;/b&gt; 翻修 &amp; 取出"));
  g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (html), "Prepared by"));

  xml = dossier_annual_report_to_xml (report, &error);
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (g_bytes_get_data (xml, NULL), g_bytes_get_size (xml), "<script>"));
}

/* Accounts: generating is a regulatory task. */
static void
test_permission (Small         *s,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  DossierAnnualReportOptions options = { 2030, NULL, NULL };
  g_autofree char *out = g_build_filename (s->dir, "report.xml", NULL);
  g_autofree char *deadline = NULL;

  _dossier_auth_set_hash_limits_for_testing (1, 8192);
  g_assert_cmpint (dossier_auth_create_user (s->store, "admin", "Ada Admin", DOSSIER_ROLE_ADMINISTRATOR,
                                             "admin-password", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (dossier_store_sign_in (s->store, "admin", "admin-password", &error));
  g_assert_cmpint (dossier_auth_create_user (s->store, "eng", "Erin Engineer", DOSSIER_ROLE_ENGINEER,
                                             "engineer-password", &error), >, 0);
  g_assert_cmpint (dossier_auth_create_user (s->store, "reg", "Rita Regulatory", DOSSIER_ROLE_REGULATORY,
                                             "regulatory-password", &error), >, 0);
  g_assert_no_error (error);
  dossier_store_sign_out (s->store);

  /* Nobody signed in. */
  report = dossier_annual_report_compute (s->store, &options, &error);
  g_assert_null (report);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);

  /* An engineer may not, neither the report nor its deadline. */
  g_assert_true (dossier_store_sign_in (s->store, "eng", "engineer-password", &error));
  report = dossier_annual_report_compute (s->store, &options, &error);
  g_assert_null (report);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "eng"));
  g_clear_error (&error);
  g_assert_false (dossier_annual_report_set_deadline (s->store, "02-15", "test", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  dossier_store_sign_out (s->store);

  /* Regulatory staff may, and may move the deadline, which settings otherwise
   * reserve to administrators. */
  g_assert_true (dossier_store_sign_in (s->store, "reg", "regulatory-password", &error));
  report = dossier_annual_report_compute (s->store, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_true (dossier_annual_report_write_xml (s->store, report, out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dt_query_int (s->store, "SELECT count (*) FROM annual_report_run WHERE generated_by = 'reg'"), ==, 1);
  g_assert_true (dossier_annual_report_set_deadline (s->store, "02-15", "省局通知", &error));
  g_assert_no_error (error);
  g_assert_true (dossier_annual_report_set_reminder_days (s->store, 45, "省局通知", &error));
  g_assert_no_error (error);
  deadline = dossier_store_get_setting (s->store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY);
  g_assert_cmpstr (deadline, ==, "02-15");
  g_assert_cmpuint (dossier_annual_report_get_reminder_days (s->store), ==, 45);
  g_assert_false (dossier_store_set_setting (s->store, "retention.default_years", "12", "test", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  dt_assert_audit_clean (s->store);
}

/* Deadline and reminder -------------------------------------------------------------- */

static void
test_parse_deadline (void)
{
  const struct { const char *text; gboolean ok; guint month, day; } cases[] = {
    { "01-31", TRUE, 1, 31 }, { "02-29", TRUE, 2, 29 }, { "12-31", TRUE, 12, 31 }, { "03-01", TRUE, 3, 1 },
    { "02-30", FALSE }, { "13-01", FALSE }, { "00-10", FALSE }, { "04-31", FALSE }, { "1-31", FALSE },
    { "01/31", FALSE }, { "", FALSE }, { "01-31x", FALSE }, { "０1-31", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint month = 0, day = 0;
      gboolean ok = dossier_annual_report_parse_deadline (cases[i].text, &month, &day, &error);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (month, ==, cases[i].month);
          g_assert_cmpuint (day, ==, cases[i].day);
        }
      else
        g_assert_error (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_SETTING);
    }
}

static void
test_deadline_for (void)
{
  const struct { guint month, day; int year; const char *due; } cases[] = {
    { 1, 31, 2026, "2027-01-31" },   /* the default */
    { 3, 15, 2026, "2027-03-15" },   /* configured */
    { 2, 29, 2026, "2027-02-28" },   /* 2027 is not a leap year */
    { 2, 29, 2027, "2028-02-29" },   /* 2028 is */
    { 2, 29, 2099, "2100-02-28" },   /* 2100 is not */
    { 12, 31, 2026, "2027-12-31" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate due;
      char text[16];

      dossier_annual_report_deadline_for (cases[i].month, cases[i].day, cases[i].year, &due);
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &due);
      g_assert_cmpstr (text, ==, cases[i].due);
    }
}

static void
set_date (GDate      *date,
          const char *iso)
{
  guint y, m, d;

  g_assert_cmpint (sscanf (iso, "%u-%u-%u", &y, &m, &d), ==, 3);
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
}

static void
test_reminder_due (void)
{
  const struct
  {
    const char *today;
    guint       month, day, reminder;
    gboolean    previous_generated, current_generated;
    gboolean    due;
    int         year, days_left;
  } cases[] = {
    /* Default 01-31 and 30 days: the window for the 2026 report opens on 2027-01-01. */
    { "2026-12-31", 1, 31, 30, TRUE,  FALSE, FALSE },
    { "2027-01-01", 1, 31, 30, FALSE, FALSE, TRUE, 2026, 30 },
    { "2027-01-15", 1, 31, 30, FALSE, FALSE, TRUE, 2026, 16 },
    { "2027-01-31", 1, 31, 30, FALSE, FALSE, TRUE, 2026, 0 },
    /* Past the deadline and not generated: overdue, until generated. */
    { "2027-02-01", 1, 31, 30, FALSE, FALSE, TRUE, 2026, -1 },
    { "2027-11-30", 1, 31, 30, FALSE, FALSE, TRUE, 2026, -303 },
    /* Generated: nothing to remind of. */
    { "2027-01-15", 1, 31, 30, TRUE,  FALSE, FALSE },
    { "2027-02-01", 1, 31, 30, TRUE,  FALSE, FALSE },
    /* Not generated at all, but the deadline is far away yet. */
    { "2026-06-01", 1, 31, 30, TRUE,  FALSE, FALSE },
    /* A deadline early in January opens the window for this year's report in
     * December. */
    { "2026-12-15", 1, 10, 30, TRUE,  FALSE, TRUE, 2026, 26 },
    { "2026-12-10", 1, 10, 30, TRUE,  FALSE, FALSE },
    { "2026-12-11", 1, 10, 30, TRUE,  FALSE, TRUE, 2026, 30 },
    { "2026-12-15", 1, 10, 30, TRUE,  TRUE,  FALSE },
    /* No reminder period: only on the day and after. */
    { "2027-01-30", 1, 31, 0,  FALSE, FALSE, FALSE },
    { "2027-01-31", 1, 31, 0,  FALSE, FALSE, TRUE, 2026, 0 },
    /* 02-29 in a year without it. */
    { "2027-02-28", 2, 29, 30, FALSE, FALSE, TRUE, 2026, 0 },
    { "2027-03-01", 2, 29, 30, FALSE, FALSE, TRUE, 2026, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate today;
      int year = 0, days_left = 99999;
      gboolean due;

      set_date (&today, cases[i].today);
      due = dossier_annual_report_reminder_due (&today, cases[i].month, cases[i].day, cases[i].reminder,
                                                cases[i].previous_generated, cases[i].current_generated,
                                                &year, &days_left);
      g_test_message ("case %u: %s", i, cases[i].today);
      g_assert_cmpint (due, ==, cases[i].due);
      if (due)
        {
          g_assert_cmpint (year, ==, cases[i].year);
          g_assert_cmpint (days_left, ==, cases[i].days_left);
        }
    }
}

static void
test_reminder_store (Small         *s,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  g_autofree char *out = g_build_filename (s->dir, "report.xml", NULL);
  g_autofree char *message = NULL;
  GDate today, deadline;
  int year = 0, days_left = 0;

  /* The shipped defaults. */
  dossier_annual_report_get_deadline (s->store, 2026, &deadline);
  g_assert_cmpuint (g_date_get_year (&deadline), ==, 2027);
  g_assert_cmpuint (g_date_get_month (&deadline), ==, 1);
  g_assert_cmpuint (g_date_get_day (&deadline), ==, 31);
  g_assert_cmpuint (dossier_annual_report_get_reminder_days (s->store), ==, 30);

  set_date (&today, "2027-01-20");
  g_assert_true (dossier_annual_report_reminder (s->store, &today, &year, &days_left));
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (days_left, ==, 11);
  message = dossier_annual_report_describe_reminder (year, &deadline, days_left);
  g_assert_cmpstr (message, ==, "The annual report for 2026 is due on 31 January 2027 (11 days).");

  /* A configured deadline. */
  g_assert_true (dossier_annual_report_set_deadline (s->store, "03-15", "test", &error));
  g_assert_no_error (error);
  g_assert_false (dossier_annual_report_set_deadline (s->store, "02-30", "test", &error));
  g_assert_error (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_SETTING);
  g_clear_error (&error);
  dossier_annual_report_get_deadline (s->store, 2026, &deadline);
  g_assert_cmpuint (g_date_get_month (&deadline), ==, 3);
  g_assert_cmpuint (g_date_get_day (&deadline), ==, 15);
  g_assert_false (dossier_annual_report_reminder (s->store, &today, &year, &days_left));

  /* Overdue until the report is written. */
  set_date (&today, "2027-03-16");
  g_assert_true (dossier_annual_report_reminder (s->store, &today, &year, &days_left));
  g_assert_cmpint (days_left, ==, -1);
  report = compute (s->store, 2026, NULL);
  g_assert_true (dossier_annual_report_write_xml (s->store, report, out, &error));
  g_assert_no_error (error);
  g_assert_false (dossier_annual_report_reminder (s->store, &today, &year, &days_left));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/annual-report/demo/2025", Fixture, NULL, demo_set_up, test_demo_2025, fixture_tear_down);
  g_test_add ("/annual-report/demo/2026", Fixture, NULL, demo_set_up, test_demo_2026, fixture_tear_down);
  g_test_add ("/annual-report/demo/empty-years", Fixture, NULL, demo_set_up, test_demo_empty_years, fixture_tear_down);
  g_test_add ("/annual-report/demo/unknown-filing", Fixture, NULL, demo_set_up, test_unknown_filing, fixture_tear_down);
  g_test_add ("/annual-report/demo/xml-valid-deterministic", Fixture, NULL, demo_set_up,
              test_xml_valid_and_deterministic, fixture_tear_down);
  g_test_add ("/annual-report/demo/write-refusals", Fixture, NULL, demo_set_up, test_write_refusals, fixture_tear_down);
  g_test_add ("/annual-report/year-boundary", Small, NULL, small_set_up, test_year_boundary, small_tear_down);
  g_test_add ("/annual-report/undated-outcomes", Small, NULL, small_set_up, test_undated_outcomes, small_tear_down);
  g_test_add ("/annual-report/threshold", Small, NULL, small_set_up, test_threshold, small_tear_down);
  g_test_add ("/annual-report/html-escaped", Small, NULL, small_set_up, test_html_escaped, small_tear_down);
  g_test_add ("/annual-report/permission", Small, NULL, small_set_up, test_permission, small_tear_down);
  g_test_add_func ("/annual-report/deadline/parse", test_parse_deadline);
  g_test_add_func ("/annual-report/deadline/for-year", test_deadline_for);
  g_test_add_func ("/annual-report/deadline/reminder", test_reminder_due);
  g_test_add ("/annual-report/deadline/store", Small, NULL, small_set_up, test_reminder_store, small_tear_down);

  return g_test_run ();
}
