/* test-signatures.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-signatures"

#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-canonical.h"
#include "dossier-confirmation.h"
#include "dossier-dossier-list.h"
#include "dossier-qa-queue.h"
#include "dossier-signature.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* Electronic signatures: the canonical serialisation (golden, stable, locale-proof),
 * who may sign what, the author rule, the workflow, edits after signing, and
 * tampering from outside found by verification. */

#define PASSWORD(login) login "-password"

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
  gint64        institution;
  gint64        clinician;
  gint64        patient;
  gint64        filing;
  gint64        dossier;
  char         *unit_no;
  gint64        design_input;
  gint64        iteration;
  gint64        parameter;
  gint64        confirmation;
  gint64        lot;
} Fixture;

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
sign_in (Fixture    *f,
         const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);

  dossier_store_sign_out (f->store);
  g_assert_true (dossier_store_sign_in (f->store, login, password, &error));
  g_assert_no_error (error);
}

static gint64
sign (Fixture          *f,
      const char       *login,
      DossierSignPoint  point)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);
  gint64 id;

  sign_in (f, login);
  id = dossier_signature_sign (f->store, f->dossier, point, password, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
sign_refused (Fixture          *f,
              const char       *login,
              DossierSignPoint  point,
              int               code,
              const char       *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);
  gint64 before = dt_query_int (f->store, "SELECT count (*) FROM signature");

  sign_in (f, login);
  g_assert_cmpint (dossier_signature_sign (f->store, f->dossier, point, password, NULL, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, code);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("“%s” not in: %s", words, error->message);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM signature"), ==, before);
}

static char *
status (Fixture *f)
{
  return dt_row_value (f->store, "dossier", f->dossier, "status");
}

static void
set_status (Fixture    *f,
            const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_store_update (f->store, "dossier", f->dossier,
                                       (DossierField[]) { { "status", value }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
}

static void
create_account (DossierStore *store,
                const char   *login,
                const char   *full_name,
                DossierRoles  roles)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);

  g_assert_cmpint (dossier_auth_create_user (store, login, full_name, roles, password, &error), >, 0);
  g_assert_no_error (error);
}

/* A customized unit whose order is complete and whose design version 1 the clinician
 * confirmed, in design review: the reference data written before any account
 * existed, the design by the engineer eng1. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *clinician = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *filing = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *iteration = NULL;

  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "signatures.db", NULL);
  f->store = dt_open (f->path);

  dt_insert (f->store, "manufacturer", (DossierField[]) {
    { "name_zh", "深圳定制医疗器械有限公司" }, { "uscc", "91440300MA5F00001A" }, { NULL } });
  f->institution = dt_insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "中山大学附属第一医院" }, { "practising_licence", "PDY00001X44010415A1002" },
    { "province_code", "440000" }, { NULL } });
  institution = id_text (f->institution);
  f->clinician = dt_insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", institution }, { "name_zh", "王医生" }, { "certificate_no", "110440000123456" }, { NULL } });
  clinician = id_text (f->clinician);
  f->patient = dt_insert (f->store, "patient", (DossierField[]) {
    { "code", "P-2026-0001" }, { "sex", "female" }, { "birth_year", "1968" }, { NULL } });
  patient = id_text (f->patient);
  f->filing = dt_insert (f->store, "filing", (DossierField[]) {
    { "number", "粤械定制备20200001号" }, { "province_code", "440000" }, { "filed_on", "2020-03-01" },
    { "status", "filed" }, { "institution_id", institution }, { "device_name", "定制式颅骨修补板" }, { NULL } });
  filing = id_text (f->filing);
  f->lot = dt_insert (f->store, "material_lot", (DossierField[]) {
    { "material", "Ti-6Al-4V ELI powder" }, { "lot_no", "L2026-007" }, { NULL } });

  f->dossier = dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", institution }, { "clinician_id", clinician },
    { "patient_id", patient }, { "filing_id", filing },
    { "ordered_on", "2026-01-15" }, { "patient_age", "58" },
    { "condition", "Left parietal bone defect after trauma" },
    { "treatment_plan", "Cranioplasty with a titanium plate" },
    { "risks", "Infection, plate exposure" },
    { "necessity", "No marketed plate fits the defect" },
    { "clinical_data", "CT, 0.6 mm slices" },
    { "lesion_site", "Left parietal" },
    { "design_requirements", "Cover the defect with a 5 mm overlap" },
    { "delivery_requirements", "Sterile, within three weeks" },
    { "acceptance_criteria", "Fits the printed skull model" },
    { "clinician_signed_on", "2026-01-15" },
    { "manufacturer_contact", "Zhang San" },
    { "manufacturer_signed_on", "2026-01-16" },
    { "body_days", "36500" },
    { NULL } }, &f->unit_no, &error);
  g_assert_no_error (error);
  dossier = id_text (f->dossier);
  f->design_input = dt_insert (f->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "CT scan 0.6 mm" }, { "source", "Hospital PACS" }, { NULL } });

  /* The accounts. */
  create_account (f->store, "admin", "Ada Admin", DOSSIER_ROLE_ADMINISTRATOR);
  sign_in (f, "admin");
  create_account (f->store, "eng1", "Erin One", DOSSIER_ROLE_ENGINEER);
  create_account (f->store, "eng2", "Eli Two", DOSSIER_ROLE_ENGINEER);
  create_account (f->store, "qa1", "Quinn One", DOSSIER_ROLE_QA_REVIEWER);
  create_account (f->store, "qa2", "Quincy Two", DOSSIER_ROLE_QA_REVIEWER);
  create_account (f->store, "reg", "Rita Regulatory", DOSSIER_ROLE_REGULATORY);
  create_account (f->store, "engqa", "Sam Both", DOSSIER_ROLE_ENGINEER | DOSSIER_ROLE_QA_REVIEWER);

  /* The design, by eng1. */
  sign_in (f, "eng1");
  set_status (f, "design");
  f->iteration = dt_insert (f->store, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier }, { "version", "1" }, { "designed_on", "2026-01-20" },
    { "designer", "Erin One" }, { "software", "3-matic" }, { NULL } });
  iteration = id_text (f->iteration);
  f->parameter = dt_insert (f->store, "parameter_value", (DossierField[]) {
    { "iteration_id", iteration }, { "name", "thickness" }, { "value", "2.50" }, { "unit", "mm" }, { NULL } });
  f->confirmation = dt_insert (f->store, "design_confirmation", (DossierField[]) {
    { "dossier_id", dossier }, { "iteration_id", iteration }, { "clinician_id", clinician },
    { "confirmed_on", "2026-01-22" }, { "document_no", "DC-2026-001" }, { NULL } });
  set_status (f, "design-review");
  dossier_store_sign_out (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  dossier_signature_set_gate_for_testing (NULL);
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->unit_no);
}

/* Review and approval of the fixture's design. */
static void
approve_design (Fixture *f)
{
  g_autofree char *s = NULL;

  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  s = status (f);
  g_assert_cmpstr (s, ==, "design-approved");
}

static void
record_processing (Fixture    *f,
                   const char *result)
{
  g_autofree char *dossier = id_text (f->dossier);
  g_autofree char *lot = id_text (f->lot);
  g_autofree char *step = NULL;
  gint64 step_id;

  sign_in (f, "eng1");
  step_id = dt_insert (f->store, "processing_step", (DossierField[]) {
    { "dossier_id", dossier }, { "position", "1" }, { "step_type", "Laser powder bed fusion" },
    { "started_at", "2026-01-25T09:00:00+08:00" }, { "ended_at", "2026-01-25T17:30:00+08:00" }, { NULL } });
  step = id_text (step_id);
  dt_insert (f->store, "step_material", (DossierField[]) {
    { "step_id", step }, { "lot_id", lot }, { "quantity", "120 g" }, { NULL } });
  dt_insert (f->store, "inspection", (DossierField[]) {
    { "dossier_id", dossier }, { "item", "Thickness" }, { "requirement", "2.50 ± 0.10 mm" },
    { "measured", "2.52 mm" }, { "result", result }, { NULL } });
  set_status (f, "processing");
  set_status (f, "inspection");
}

static DossierSignature *
find_signature (GPtrArray *list,
                gint64     id)
{
  for (guint i = 0; i < list->len; i++)
    if (((DossierSignature *)g_ptr_array_index (list, i))->id == id)
      return g_ptr_array_index (list, i);

  g_error ("no signature %" G_GINT64_FORMAT, id);
}

/* The canonical serialisation --------------------------------------------------------- */

/* The worked example of docs/signatures.md. */
static const char golden_text[] =
  "dossier-signature-v1\n"
  "point design-approval\n"
  "dossier 7\n"
  "row dossier 7\n"
  "unit_no T15:DSR-2026-000007\n"
  "kind T10:customized\n"
  "institution_id T1:1\n"
  "clinician_id T1:1\n"
  "patient_id T1:3\n"
  "filing_id T1:1\n"
  "model_id N\n"
  "ordered_on T10:2026-01-15\n"
  "patient_age T2:58\n"
  "condition T15:左顶骨缺损\n"
  "treatment_plan T12:Cranioplasty\n"
  "risks T9:Infection\n"
  "necessity T22:No marketed plate fits\n"
  "clinical_data T10:CT, 0.6 mm\n"
  "lesion_site T13:Left parietal\n"
  "design_requirements T23:Overlap 5 mm\nat the rim\n"
  "delivery_requirements T7:Sterile\n"
  "acceptance_criteria T20:Fits the skull model\n"
  "clinician_signed_on T10:2026-01-15\n"
  "manufacturer_contact T6:张伟\n"
  "manufacturer_signed_on T10:2026-01-16\n"
  "body_days T5:36500\n"
  "row design_input 12\n"
  "title T7:CT scan\n"
  "description T0:\n"
  "source T13:Hospital PACS\n"
  "row design_iteration 4\n"
  "version T1:1\n"
  "designed_on T10:2026-01-20\n"
  "designer T6:张伟\n"
  "software T7:3-matic\n"
  "software_version T4:17.0\n"
  "notes T0:\n"
  "row parameter_value 8\n"
  "name T8:material\n"
  "value N\n"
  "unit T0:\n"
  "category T13:Ti-6Al-4V ELI\n"
  "row parameter_value 9\n"
  "name T9:thickness\n"
  "value T4:2.50\n"
  "unit T2:mm\n"
  "category N\n"
  "row attachment 5\n"
  "section T6:design\n"
  "original_name T12:plate-v1.stl\n"
  "media_type T9:model/stl\n"
  "size T6:284164\n"
  "sha256 T64:9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506\n"
  "end\n";

#define GOLDEN_SHA256 "88e33dba3f9c62799b0012108401d5bae047a106fbaf4efe13fadd5353104651"

static char *
golden_sha256 (void)
{
  const char *dossier_values[] = {
    "DSR-2026-000007", "customized", "1", "1", "3", "1", NULL, "2026-01-15", "58",
    "左顶骨缺损", "Cranioplasty", "Infection", "No marketed plate fits", "CT, 0.6 mm",
    "Left parietal", "Overlap 5 mm\nat the rim", "Sterile", "Fits the skull model",
    "2026-01-15", "张伟", "2026-01-16", "36500",
  };
  const char *input_values[] = { "CT scan", "", "Hospital PACS" };
  const char *iteration_values[] = { "1", "2026-01-20", "张伟", "3-matic", "17.0", "" };
  const char *material_values[] = { "material", NULL, "", "Ti-6Al-4V ELI" };
  const char *thickness_values[] = { "thickness", "2.50", "mm", NULL };
  const char *attachment_values[] = {
    "design", "plate-v1.stl", "model/stl", "284164",
    "9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506"
  };
  g_autoptr(DossierCanonical) canon = dossier_canonical_new (DOSSIER_SIGN_POINT_DESIGN_APPROVAL, 7);
  gsize length = 0;

  g_assert_cmpuint (g_strv_length ((char **)dossier_canonical_columns ("dossier")), ==, G_N_ELEMENTS (dossier_values));
  dossier_canonical_add_row (canon, "dossier", 7, dossier_canonical_columns ("dossier"),
                             dossier_values, G_N_ELEMENTS (dossier_values));
  dossier_canonical_add_row (canon, "design_input", 12, dossier_canonical_columns ("design_input"),
                             input_values, G_N_ELEMENTS (input_values));
  dossier_canonical_add_row (canon, "design_iteration", 4, dossier_canonical_columns ("design_iteration"),
                             iteration_values, G_N_ELEMENTS (iteration_values));
  dossier_canonical_add_row (canon, "parameter_value", 8, dossier_canonical_columns ("parameter_value"),
                             material_values, G_N_ELEMENTS (material_values));
  dossier_canonical_add_row (canon, "parameter_value", 9, dossier_canonical_columns ("parameter_value"),
                             thickness_values, G_N_ELEMENTS (thickness_values));
  dossier_canonical_add_row (canon, "attachment", 5, dossier_canonical_columns ("attachment"),
                             attachment_values, G_N_ELEMENTS (attachment_values));

  g_assert_cmpstr (dossier_canonical_get_text (canon, &length), ==, golden_text);
  g_assert_cmpuint (length, ==, strlen (golden_text));

  return dossier_canonical_get_sha256 (canon);
}

/* Whether the system has locale name ("de_DE.UTF-8" is listed as "de_DE.utf8"). */
static gboolean
system_has_locale (const char *name)
{
  g_autofree char *out = NULL;
  g_autofree char *wanted = g_ascii_strdown (name, -1);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) normalized = g_string_new (NULL);

  for (const char *p = wanted; *p; p++)
    if (*p != '-')
      g_string_append_c (normalized, *p);

  if (!g_spawn_command_line_sync ("locale -a", &out, NULL, NULL, NULL))
    return FALSE;

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_ascii_strdown (lines[i], -1);
      if (g_str_equal (line, normalized->str))
        return TRUE;
    }

  return FALSE;
}

/* Locales made when the system lacks them (LOCPATH).  Making one takes seconds of
 * CPU, so they are kept in the build folder for the next runs (in a scratch folder
 * removed at the end when the test runs outside meson). */
static char *locale_dir;
static gboolean locale_dir_is_scratch;

/* Switches to locale name, making it from the system's sources when it is not
 * installed.  The C library remembers a locale it failed to find, so it is made
 * before it is asked for.  FALSE when that is not possible either. */
static gboolean
use_locale (const char *name)
{
  g_autofree char *target = NULL;

  if (system_has_locale (name))
    return setlocale (LC_ALL, name) != NULL;

  if (locale_dir == NULL)
    {
      const char *build_dir = g_getenv ("G_TEST_BUILDDIR");

      if (build_dir != NULL)
        {
          locale_dir = g_build_filename (build_dir, "test-signatures-locales", NULL);
          g_mkdir_with_parents (locale_dir, 0700);
        }
      else
        {
          locale_dir = dt_make_tmpdir ();
          locale_dir_is_scratch = TRUE;
        }
    }
  target = g_build_filename (locale_dir, name, NULL);

  if (!g_file_test (target, G_FILE_TEST_IS_DIR))
    {
      const char *dot = strchr (name, '.');
      g_autofree char *input = g_strndup (name, dot != NULL ? (gsize)(dot - name) : strlen (name));
      const char *argv[] = { "localedef", "-i", input, "-f", "UTF-8", target, NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                         NULL, NULL, NULL, &err, &status, &error))
        {
          g_test_message ("localedef: %s", error->message);
          return FALSE;
        }
      if (status != 0)
        g_test_message ("localedef %s: %s", name, err);
    }
  g_setenv ("LOCPATH", locale_dir, TRUE);

  return setlocale (LC_ALL, name) != NULL;
}

static void
restore_locale (void)
{
  setlocale (LC_ALL, "C.UTF-8");
}

static void
test_canonical_golden (void)
{
  const char *locales[] = { "de_DE.UTF-8", "zh_CN.UTF-8" };
  g_autofree char *hash = golden_sha256 ();
  g_autofree char *independent = g_compute_checksum_for_string (G_CHECKSUM_SHA256, golden_text, -1);
  guint n_locales = 0;

  /* The bytes are the documented ones, and so is their hash. */
  g_assert_cmpstr (hash, ==, independent);
  g_assert_cmpstr (hash, ==, GOLDEN_SHA256);

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_autofree char *again = NULL;
      char number[32];

      if (!use_locale (locales[i]))
        {
          g_test_message ("locale %s is not available", locales[i]);
          continue;
        }
      n_locales++;
      /* The locale is really in effect… */
      if (g_str_has_prefix (locales[i], "de"))
        {
          g_snprintf (number, sizeof number, "%.2f", 2.5);
          g_assert_cmpstr (number, ==, "2,50");
        }
      /* …and changes nothing. */
      again = golden_sha256 ();
      g_assert_cmpstr (again, ==, GOLDEN_SHA256);
    }
  restore_locale ();

  if (n_locales == 0)
    g_test_message ("no other locale could be used; only the C locale was checked");
}

/* One field, encoded here independently of dossier-canonical.c. */
static void
enc (GString    *s,
     const char *column,
     const char *value)
{
  if (value == NULL)
    g_string_append_printf (s, "%s N\n", column);
  else
    g_string_append_printf (s, "%s T%zu:%s\n", column, strlen (value), value);
}

/* The serialisation of a stored dossier, built here by hand from what the fixture
 * wrote: the reader takes exactly the documented records and fields, in order. */
static char *
expected_design_text (Fixture *f)
{
  g_autoptr(GString) s = g_string_new ("dossier-signature-v1\npoint design-approval\n");
  struct { const char *column; const char *value; } dossier[] = {
    { "unit_no", f->unit_no }, { "kind", "customized" }, { "institution_id", NULL },
    { "clinician_id", NULL }, { "patient_id", NULL }, { "filing_id", NULL }, { "model_id", NULL },
    { "ordered_on", "2026-01-15" }, { "patient_age", "58" },
    { "condition", "Left parietal bone defect after trauma" },
    { "treatment_plan", "Cranioplasty with a titanium plate" },
    { "risks", "Infection, plate exposure" }, { "necessity", "No marketed plate fits the defect" },
    { "clinical_data", "CT, 0.6 mm slices" }, { "lesion_site", "Left parietal" },
    { "design_requirements", "Cover the defect with a 5 mm overlap" },
    { "delivery_requirements", "Sterile, within three weeks" },
    { "acceptance_criteria", "Fits the printed skull model" },
    { "clinician_signed_on", "2026-01-15" }, { "manufacturer_contact", "Zhang San" },
    { "manufacturer_signed_on", "2026-01-16" }, { "body_days", "36500" },
  };
  g_autofree char *institution = id_text (f->institution);
  g_autofree char *clinician = id_text (f->clinician);
  g_autofree char *patient = id_text (f->patient);
  g_autofree char *filing = id_text (f->filing);

  dossier[2].value = institution;
  dossier[3].value = clinician;
  dossier[4].value = patient;
  dossier[5].value = filing;

#define ENC(col, v) enc (s, col, v)

  g_string_append_printf (s, "dossier %" G_GINT64_FORMAT "\nrow dossier %" G_GINT64_FORMAT "\n", f->dossier, f->dossier);
  for (guint i = 0; i < G_N_ELEMENTS (dossier); i++)
    ENC (dossier[i].column, dossier[i].value);
  g_string_append_printf (s, "row design_input %" G_GINT64_FORMAT "\n", f->design_input);
  ENC ("title", "CT scan 0.6 mm");
  ENC ("description", "");
  ENC ("source", "Hospital PACS");
  g_string_append_printf (s, "row design_iteration %" G_GINT64_FORMAT "\n", f->iteration);
  ENC ("version", "1");
  ENC ("designed_on", "2026-01-20");
  ENC ("designer", "Erin One");
  ENC ("software", "3-matic");
  ENC ("software_version", "");
  ENC ("notes", "");
  g_string_append_printf (s, "row parameter_value %" G_GINT64_FORMAT "\n", f->parameter);
  ENC ("name", "thickness");
  ENC ("value", "2.50");
  ENC ("unit", "mm");
  ENC ("category", NULL);
  g_string_append (s, "end\n");
#undef ENC

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_canonical_store (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierCanonical) canon = NULL;
  g_autofree char *expected = expected_design_text (f);
  g_autofree char *hash = NULL;
  g_autofree char *review_hash = NULL;
  g_autofree char *release_hash = NULL;
  g_autofree char *expected_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected, -1);
  const char *locales[] = { "de_DE.UTF-8", "zh_CN.UTF-8" };

  canon = dossier_canonical_read (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_canonical_get_text (canon, NULL), ==, expected);
  hash = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
  g_assert_cmpstr (hash, ==, expected_hash);

  /* Review and approval cover the same content under their own name; the release
   * covers more. */
  review_hash = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_REVIEW, &error);
  release_hash = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_RELEASE, &error);
  g_assert_cmpstr (review_hash, !=, hash);
  g_assert_cmpstr (release_hash, !=, hash);

  /* What is not content changes nothing: the status, the notes, a confirmation. */
  sign_in (f, "eng1");
  g_assert_true (dossier_store_update (f->store, "dossier", f->dossier,
                                       (DossierField[]) { { "notes", "call back" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&canon, dossier_canonical_free);
  canon = dossier_canonical_read (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
  g_assert_cmpstr (dossier_canonical_get_text (canon, NULL), ==, expected);

  /* Stable across runs (a new connection) and locales. */
  g_clear_object (&f->store);
  f->store = dt_open (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_autofree char *again = NULL;

      if (!use_locale (locales[i]))
        continue;
      again = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, expected_hash);
    }
  restore_locale ();
  g_clear_pointer (&hash, g_free);
  hash = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
  g_assert_cmpstr (hash, ==, expected_hash);

  g_assert_null (dossier_canonical_hash (f->store, 9999, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
}

/* Signing ------------------------------------------------------------------------- */

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, "eng2");
  g_assert_cmpint (dossier_signature_sign (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_REVIEW,
                                           "eng1-password", NULL, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM signature"), ==, 0);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM login_attempt WHERE login = 'eng2' "
                                           "AND purpose = 'signature' AND outcome = 'wrong-password'"), ==, 1);

  /* Not signed in: nobody to sign as. */
  dossier_store_sign_out (f->store);
  g_clear_error (&error);
  g_assert_cmpint (dossier_signature_sign (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_REVIEW,
                                           "eng2-password", NULL, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Regulatory staff sign nothing; engineers review but do not approve or release. */
  sign_refused (f, "reg", DOSSIER_SIGN_POINT_DESIGN_REVIEW, DOSSIER_STORE_ERROR_PERMISSION_DENIED, NULL);
  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  sign_refused (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_APPROVAL, DOSSIER_STORE_ERROR_PERMISSION_DENIED, "QA reviewer");
  sign_refused (f, "admin", DOSSIER_SIGN_POINT_DESIGN_APPROVAL, DOSSIER_STORE_ERROR_PERMISSION_DENIED, NULL);

  /* The check the user interface asks before offering the action says the same. */
  sign_in (f, "eng1");
  g_assert_false (dossier_signature_can_sign (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  sign_in (f, "qa1");
  g_assert_true (dossier_signature_can_sign (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error));
  g_assert_no_error (error);
}

static void
test_author_cannot_approve (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *dossier = id_text (f->dossier);
  g_autoptr(GError) error = NULL;

  /* engqa is a QA reviewer who also wrote part of this design. */
  sign_in (f, "engqa");
  dt_insert (f->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "Clinician's sketch" }, { NULL } });

  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  sign_refused (f, "engqa", DOSSIER_SIGN_POINT_DESIGN_APPROVAL, DOSSIER_STORE_ERROR_PERMISSION_DENIED, "author");

  /* Changing only what is not signed content (the status, notes) makes nobody an
   * author. */
  sign_in (f, "qa2");
  sign (f, "qa2", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
}

/* The status as a database from before accounts may have it: written with SQL on the
 * store's own connection, audited and sealed. */
static void
force_status (Fixture    *f,
              const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE dossier SET status = '%s' WHERE id = %" G_GINT64_FORMAT,
                                          value, f->dossier);

  g_assert_true (dossier_store_begin (f->store, &error));
  g_assert_cmpint (sqlite3_exec (dossier_store_get_handle (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (dossier_store_commit (f->store, &error));
  g_assert_no_error (error);
}

/* A rule check that finds an error, as dossier_check_gate() does for a unit outside
 * its registered range. */
static gboolean
failing_gate (DossierStore  *store,
              gint64         dossier_id,
              const char    *new_status,
              GError       **error)
{
  g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
               "Dossier cannot move to “%s” while 1 error stands: thickness out of range (ENV-RANGE)", new_status);
  return FALSE;
}

static void
test_workflow (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *description = NULL;
  g_autofree char *released_by = NULL;
  g_autofree char *s = NULL;
  DossierSignature *approval;
  gint64 approval_id;
  guint n_checked = 0;

  /* In order: no approval before a review, no release before an approval, even of a
   * unit that reached inspection before accounts existed. */
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL, DOSSIER_STORE_ERROR_CONSTRAINT, "design review");
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_RELEASE, DOSSIER_STORE_ERROR_CONSTRAINT, NULL);
  force_status (f, "inspection");
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_RELEASE, DOSSIER_STORE_ERROR_CONSTRAINT, "design approval");
  force_status (f, "design-review");

  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  s = status (f);
  g_assert_cmpstr (s, ==, "design-review");
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_RELEASE, DOSSIER_STORE_ERROR_CONSTRAINT, "design-review");
  /* A point that holds is not signed twice. */
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_REVIEW, DOSSIER_STORE_ERROR_CONSTRAINT, "still holds");

  approval_id = sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  g_clear_pointer (&s, g_free);
  s = status (f);
  g_assert_cmpstr (s, ==, "design-approved");

  /* The signature in full: name, login, role, meaning, time with offset. */
  list = dossier_signature_list (f->store, f->dossier, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  approval = find_signature (list, approval_id);
  g_assert_cmpint (approval->state, ==, DOSSIER_SIGNATURE_VALID);
  g_assert_true (approval->current);
  g_assert_cmpstr (approval->full_name, ==, "Quinn One");
  g_assert_cmpstr (approval->login, ==, "qa1");
  g_assert_cmpstr (approval->role, ==, "qa-reviewer");
  g_assert_cmpstr (approval->meaning, ==, "approved");
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d$",
                                       approval->signed_at, 0, 0));
  g_assert_cmpstr (approval->content_hash, ==, approval->current_hash);
  description = dossier_signature_describe (approval);
  g_assert_nonnull (strstr (description, "Approved"));
  g_assert_nonnull (strstr (description, "Quinn One"));
  g_assert_nonnull (strstr (description, "QA reviewer"));
  g_assert_nonnull (strstr (description, "Design approval"));

  /* The release needs the rule check to pass. */
  record_processing (f, "fail");
  sign (f, "qa2", DOSSIER_SIGN_POINT_PROCESSING_REVIEW);
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_RELEASE, DOSSIER_STORE_ERROR_CONSTRAINT, "Thickness");
  sign_in (f, "eng1");
  g_assert_true (dossier_store_update (f->store, "inspection",
                                       dt_query_int (f->store, "SELECT max (id) FROM inspection"),
                                       (DossierField[]) { { "result", "pass" }, { "measured", "2.49 mm" }, { NULL } },
                                       "measured again after polishing", &error));
  g_assert_no_error (error);

  sign (f, "qa2", DOSSIER_SIGN_POINT_PROCESSING_REVIEW);

  /* A failing rule check refuses, and leaves nothing behind. */
  dossier_signature_set_gate_for_testing (failing_gate);
  sign_refused (f, "qa1", DOSSIER_SIGN_POINT_RELEASE, DOSSIER_STORE_ERROR_CONSTRAINT, "ENV-RANGE");
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM release"), ==, 0);
  g_clear_pointer (&s, g_free);
  s = status (f);
  g_assert_cmpstr (s, ==, "inspection");
  dossier_signature_set_gate_for_testing (NULL);

  sign (f, "qa1", DOSSIER_SIGN_POINT_RELEASE);
  g_clear_pointer (&s, g_free);
  s = status (f);
  g_assert_cmpstr (s, ==, "released");
  released_by = dt_query_text (f->store, "SELECT released_by FROM release");
  g_assert_cmpstr (released_by, ==, "Quinn One (qa1)");

  /* Delivery follows a release that holds. */
  sign_in (f, "eng1");
  set_status (f, "delivered");

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_problem_free);
  g_assert_true (dossier_signature_verify (f->store, NULL, 0, problems, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (n_checked, ==, 5);  /* the processing review twice: the first went with the inspection */
  dt_assert_audit_clean (f->store);
}

/* Editing signed content --------------------------------------------------------------- */

static void
test_edit_after_signing (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *state = NULL;
  g_autofree char *condition = NULL;
  g_autofree char *s = NULL;
  g_autofree char *dossier = id_text (f->dossier);
  DossierSignature *approval;
  const DossierAuditEntry *change;
  gint64 review_id;
  gint64 approval_id;
  gint64 new_approval;

  review_id = sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  approval_id = sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);

  /* Without a reason the store refuses, and nothing changes. */
  sign_in (f, "eng1");
  g_assert_false (dossier_store_update (f->store, "dossier", f->dossier,
                                        (DossierField[]) { { "condition", "Left parietal and temporal defect" }, { NULL } },
                                        NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED);
  g_assert_nonnull (strstr (error->message, "Quinn One"));
  g_clear_error (&error);
  g_assert_false (dossier_store_update (f->store, "dossier", f->dossier,
                                        (DossierField[]) { { "condition", "Left parietal and temporal defect" }, { NULL } },
                                        "   ", &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  condition = dt_row_value (f->store, "dossier", f->dossier, "condition");
  g_assert_cmpstr (condition, ==, "Left parietal bone defect after trauma");
  s = status (f);
  g_assert_cmpstr (s, ==, "design-approved");

  /* Adding to signed content needs one too. */
  g_assert_cmpint (dossier_store_insert (f->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "MRI" }, { NULL } }, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_cmpint (dossier_store_delete (f->store, "parameter_value", f->parameter, NULL, &error), ==, FALSE);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);

  /* With a reason it is accepted: the signatures no longer hold, and the step is
   * open again, in the same transaction. */
  g_assert_true (dossier_store_update (f->store, "dossier", f->dossier,
                                       (DossierField[]) { { "condition", "Left parietal and temporal defect" }, { NULL } },
                                       "CT re-read by the clinician", &error));
  g_assert_no_error (error);
  g_clear_pointer (&s, g_free);
  s = status (f);
  g_assert_cmpstr (s, ==, "design-review");
  g_assert_cmpint (dt_query_int (f->store, "SELECT count (*) FROM audit_log WHERE table_name = 'dossier' "
                                           "AND field = 'status' AND new_value = 'design-review' "
                                           "AND reason = 'CT re-read by the clinician'"), >=, 1);

  list = dossier_signature_list (f->store, f->dossier, &error);
  g_assert_no_error (error);
  approval = find_signature (list, approval_id);
  g_assert_cmpint (approval->state, ==, DOSSIER_SIGNATURE_INVALID);
  g_assert_cmpint (find_signature (list, review_id)->state, ==, DOSSIER_SIGNATURE_INVALID);
  g_assert_cmpstr (approval->current_hash, !=, approval->content_hash);

  /* Who changed what and when. */
  g_assert_cmpuint (approval->changes->len, ==, 1);
  change = g_ptr_array_index (approval->changes, 0);
  g_assert_cmpstr (change->actor, ==, "eng1");
  g_assert_cmpstr (change->table_name, ==, "dossier");
  g_assert_cmpstr (change->field, ==, "condition");
  g_assert_cmpstr (change->old_value, ==, "Left parietal bone defect after trauma");
  g_assert_cmpstr (change->reason, ==, "CT re-read by the clinician");
  g_assert_nonnull (change->at);
  state = dossier_signature_describe_state (f->store, approval);
  g_assert_nonnull (strstr (state, "No longer valid"));
  g_assert_nonnull (strstr (state, "eng1"));
  g_assert_nonnull (strstr (state, "Condition"));
  g_assert_nonnull (strstr (state, "CT re-read by the clinician"));

  /* Verification names it while it is the current signature… */
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_problem_free);
  g_assert_true (dossier_signature_verify (f->store, &f->dossier, 1, problems, NULL, &error));
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_nonnull (strstr (((DossierSignatureProblem *)g_ptr_array_index (problems, 0))->message, f->unit_no));

  /* …no further edit needs a reason while nothing holds… */
  g_assert_cmpint (dossier_store_insert (f->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "MRI" }, { NULL } }, &error), >, 0);
  g_assert_no_error (error);

  /* …and signing again supersedes it. */
  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  new_approval = sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  g_ptr_array_set_size (problems, 0);
  g_assert_true (dossier_signature_verify (f->store, NULL, 0, problems, NULL, &error));
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = dossier_signature_list (f->store, f->dossier, &error);
  g_assert_cmpint (find_signature (list, approval_id)->superseded_by, ==, new_approval);
  g_assert_false (find_signature (list, approval_id)->current);

  /* Records added with a reason through the helpers. */
  sign_in (f, "eng1");
  g_assert_cmpint (dossier_store_insert_with_reason (f->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "Second opinion" }, { NULL } }, "asked by the clinician", &error), >, 0);
  g_assert_no_error (error);
  g_clear_pointer (&s, g_free);
  s = status (f);
  g_assert_cmpstr (s, ==, "design-review");
  dt_assert_audit_clean (f->store);
}

static void
test_processing_edit_reopens (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *s = NULL;
  gint64 release_id;

  approve_design (f);
  record_processing (f, "pass");
  sign (f, "qa2", DOSSIER_SIGN_POINT_PROCESSING_REVIEW);
  release_id = sign (f, "qa1", DOSSIER_SIGN_POINT_RELEASE);

  /* A material lot changed after release changes the processing record. */
  sign_in (f, "eng1");
  g_assert_false (dossier_store_update (f->store, "material_lot", f->lot,
                                        (DossierField[]) { { "lot_no", "L2026-008" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_true (dossier_store_update (f->store, "material_lot", f->lot,
                                       (DossierField[]) { { "lot_no", "L2026-008" }, { NULL } },
                                       "typo in the lot number", &error));
  g_assert_no_error (error);

  s = status (f);
  g_assert_cmpstr (s, ==, "inspection");
  list = dossier_signature_list (f->store, f->dossier, &error);
  g_assert_cmpint (find_signature (list, release_id)->state, ==, DOSSIER_SIGNATURE_INVALID);
  g_assert_cmpuint (find_signature (list, release_id)->changes->len, ==, 1);
  /* The design signatures are untouched. */
  for (guint i = 0; i < list->len; i++)
    {
      DossierSignature *sig = g_ptr_array_index (list, i);
      if (sig->point == DOSSIER_SIGN_POINT_DESIGN_APPROVAL)
        g_assert_cmpint (sig->state, ==, DOSSIER_SIGNATURE_VALID);
    }

  /* A delivered unit is not reopened, but its release shows as no longer valid. */
  sign (f, "qa2", DOSSIER_SIGN_POINT_PROCESSING_REVIEW);
  sign (f, "qa1", DOSSIER_SIGN_POINT_RELEASE);
  sign_in (f, "eng1");
  set_status (f, "delivered");
  g_assert_true (dossier_store_update (f->store, "material_lot", f->lot,
                                       (DossierField[]) { { "supplier", "AP&C" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_store_update (f->store, "inspection",
                                       dt_query_int (f->store, "SELECT max (id) FROM inspection"),
                                       (DossierField[]) { { "measured", "2.53 mm" }, { NULL } },
                                       "transcription error", &error));
  g_assert_no_error (error);
  g_clear_pointer (&s, g_free);
  s = status (f);
  g_assert_cmpstr (s, ==, "delivered");
  dt_assert_audit_clean (f->store);
}

/* Tampering from outside ------------------------------------------------------------ */

static void
assert_problem (GPtrArray  *problems,
                const char *words,
                const char *more)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const DossierSignatureProblem *p = g_ptr_array_index (problems, i);

      if (strstr (p->message, words) != NULL && (more == NULL || strstr (p->message, more) != NULL))
        return;
    }

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", ((DossierSignatureProblem *)g_ptr_array_index (problems, i))->message);
  g_error ("no problem mentions “%s” and “%s”", words, more != NULL ? more : "");
}

static GPtrArray *
verify_problems (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_problem_free);

  g_assert_true (dossier_signature_verify (f->store, NULL, 0, problems, NULL, &error));
  g_assert_no_error (error);

  return problems;
}

static void
test_tamper_content (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *approval = NULL;
  gint64 approval_id;

  approve_design (f);
  approval_id = dt_query_int (f->store, "SELECT id FROM signature WHERE point = 'design-approval'");
  approval = g_strdup_printf ("signature %" G_GINT64_FORMAT " ", approval_id);
  g_clear_object (&f->store);

  /* A signed value changed behind the application's back. */
  sql = g_strdup_printf ("DROP TRIGGER auditgen_parameter_value_update;"
                         "UPDATE parameter_value SET value = '1.90' WHERE id = %" G_GINT64_FORMAT, f->parameter);
  g_free (dt_sqlite3_ok (f->path, sql));

  f->store = dt_open (f->path);
  problems = verify_problems (f);
  assert_problem (problems, f->unit_no, approval);
  assert_problem (problems, approval, "outside Dossier");
  audit = dt_audit_problems (f->store);
  g_assert_cmpuint (audit->len, >, 0);
}

static void
test_tamper_signature (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *approval = NULL;
  gint64 approval_id;

  approve_design (f);
  approval_id = dt_query_int (f->store, "SELECT id FROM signature WHERE point = 'design-approval'");
  approval = g_strdup_printf ("signature %" G_GINT64_FORMAT " ", approval_id);
  g_clear_object (&f->store);

  /* The guard refuses a change even from outside… */
  sql = g_strdup_printf ("UPDATE signature SET full_name = 'Mallory' WHERE id = %" G_GINT64_FORMAT, approval_id);
  g_assert_false (dt_sqlite3 (f->path, sql, NULL, NULL));
  g_clear_pointer (&sql, g_free);

  /* …unless it is removed first. */
  sql = g_strdup_printf ("DROP TRIGGER signature_immutable_update; DROP TRIGGER auditgen_signature_update;"
                         "UPDATE signature SET full_name = 'Mallory', login = 'mallory' WHERE id = %" G_GINT64_FORMAT,
                         approval_id);
  g_free (dt_sqlite3_ok (f->path, sql));

  f->store = dt_open (f->path);
  problems = verify_problems (f);
  assert_problem (problems, "triggers", NULL);
  assert_problem (problems, approval, "changed outside Dossier");
  assert_problem (problems, f->unit_no, "login");
  g_clear_object (&f->store);

  /* A signature removed. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("DROP TRIGGER signature_immutable_delete; DROP TRIGGER auditgen_signature_delete;"
                         "DELETE FROM signature WHERE id = %" G_GINT64_FORMAT, approval_id);
  g_free (dt_sqlite3_ok (f->path, sql));
  f->store = dt_open (f->path);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = verify_problems (f);
  assert_problem (problems, approval, "deleted outside Dossier");
}

static void
test_tamper_hash (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *approval = NULL;
  gint64 approval_id;

  approve_design (f);
  approval_id = dt_query_int (f->store, "SELECT id FROM signature WHERE point = 'design-approval'");
  approval = g_strdup_printf ("signature %" G_GINT64_FORMAT " ", approval_id);
  g_clear_object (&f->store);

  /* The content and the signed hash both rewritten to match: the trail still has
   * the hash that was signed. */
  sql = g_strdup_printf ("DROP TRIGGER auditgen_dossier_update;"
                         "UPDATE dossier SET risks = 'none' WHERE id = %" G_GINT64_FORMAT, f->dossier);
  g_free (dt_sqlite3_ok (f->path, sql));
  f->store = dt_open (f->path);
  hash = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("DROP TRIGGER signature_immutable_update; DROP TRIGGER auditgen_signature_update;"
                         "UPDATE signature SET content_hash = '%s' WHERE id = %" G_GINT64_FORMAT, hash, approval_id);
  g_free (dt_sqlite3_ok (f->path, sql));

  f->store = dt_open (f->path);
  problems = verify_problems (f);
  assert_problem (problems, approval, "content_hash");
}

/* The clinician's confirmation ----------------------------------------------------- */

static void
test_confirmation (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierConfirmationStatus) confirmation = NULL;
  g_autoptr(GInputStream) scan = NULL;
  g_autofree char *dossier = id_text (f->dossier);
  g_autofree char *section = NULL;
  gint64 v2;
  gint64 id;

  confirmation = dossier_confirmation_get_status (f->store, f->dossier, &error);
  g_assert_no_error (error);
  g_assert_true (confirmation->confirmed);
  g_assert_true (confirmation->covers_current);
  g_assert_cmpint (confirmation->confirmed_version, ==, 1);
  g_assert_cmpstr (confirmation->document_no, ==, "DC-2026-001");
  g_assert_null (confirmation->reminder);
  g_clear_pointer (&confirmation, dossier_confirmation_status_free);

  /* A new design version: the confirmation no longer covers the design, and the
   * user is told the clinician must be told. */
  sign_in (f, "eng1");
  v2 = dt_insert (f->store, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier }, { "version", "2" }, { "designed_on", "2026-01-24" },
    { "designer", "Erin One" }, { NULL } });
  confirmation = dossier_confirmation_get_status (f->store, f->dossier, &error);
  g_assert_false (confirmation->covers_current);
  g_assert_cmpint (confirmation->current_version, ==, 2);
  g_assert_nonnull (confirmation->reminder);
  g_assert_nonnull (strstr (confirmation->reminder, "DC-2026-001"));
  g_assert_nonnull (strstr (confirmation->reminder, "version 2"));
  g_assert_nonnull (strstr (confirmation->reminder, "clinician"));
  g_clear_pointer (&confirmation, dossier_confirmation_status_free);

  /* The new confirmation, with its scan. */
  scan = g_memory_input_stream_new_from_data ("%PDF-1.4 signed by Dr Wang", 26, NULL);
  id = dossier_confirmation_record (f->store, f->dossier, v2, f->clinician, "2026-01-26", "DC-2026-002",
                                    scan, "confirmation-v2.pdf", "application/pdf", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  confirmation = dossier_confirmation_get_status (f->store, f->dossier, &error);
  g_assert_true (confirmation->covers_current);
  g_assert_cmpint (confirmation->confirmation_id, ==, id);
  g_assert_cmpint (confirmation->attachment_id, >, 0);
  section = dt_row_value (f->store, "attachment", confirmation->attachment_id, "section");
  g_assert_cmpstr (section, ==, "other");
  dt_assert_audit_clean (f->store);
}

/* Review by exception ----------------------------------------------------------------- */

static const DossierQaItem *
find_item (GPtrArray *queue,
           gint64     dossier_id)
{
  for (guint i = 0; i < queue->len; i++)
    if (((DossierQaItem *)g_ptr_array_index (queue, i))->dossier_id == dossier_id)
      return g_ptr_array_index (queue, i);

  return NULL;
}

static void
test_qa_queue (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  const DossierQaItem *item;
  const DossierQaFinding *first;

  queue = dossier_qa_queue (f->store, NULL, &error);
  g_assert_no_error (error);
  item = find_item (queue, f->dossier);
  g_assert_nonnull (item);
  g_assert_cmpint (item->waiting_for, ==, DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  g_assert_cmpstr (item->unit_no, ==, f->unit_no);
  g_clear_pointer (&queue, g_ptr_array_unref);

  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  queue = dossier_qa_queue (f->store, NULL, &error);
  item = find_item (queue, f->dossier);
  g_assert_cmpint (item->waiting_for, ==, DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  g_clear_pointer (&queue, g_ptr_array_unref);

  sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  queue = dossier_qa_queue (f->store, NULL, &error);
  g_assert_null (find_item (queue, f->dossier));
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* Changed after approval: back in the queue, with that first. */
  sign_in (f, "eng1");
  g_assert_true (dossier_store_update (f->store, "parameter_value", f->parameter,
                                       (DossierField[]) { { "value", "2.40" }, { NULL } },
                                       "thinner after the clinician's call", &error));
  g_assert_no_error (error);
  queue = dossier_qa_queue (f->store, NULL, &error);
  g_assert_no_error (error);
  item = find_item (queue, f->dossier);
  g_assert_nonnull (item);
  g_assert_cmpuint (item->n_errors, >=, 1);
  first = g_ptr_array_index (item->findings, 0);
  g_assert_cmpint (first->kind, ==, DOSSIER_QA_FINDING_CHANGED_AFTER_SIGNATURE);
  g_assert_cmpint (first->severity, ==, DOSSIER_QA_SEVERITY_ERROR);
  g_assert_nonnull (strstr (first->message, "eng1"));
  g_assert_nonnull (strstr (first->message, "thinner"));
  /* Dossiers with exceptions come first. */
  g_assert_true (g_ptr_array_index (queue, 0) == item);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* A failed inspection is an exception of a unit waiting for release. */
  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  record_processing (f, "fail");
  queue = dossier_qa_queue (f->store, NULL, &error);
  item = find_item (queue, f->dossier);
  g_assert_nonnull (item);
  g_assert_cmpint (item->waiting_for, ==, DOSSIER_SIGN_POINT_PROCESSING_REVIEW);
  first = g_ptr_array_index (item->findings, 0);
  g_assert_cmpint (first->kind, ==, DOSSIER_QA_FINDING_FAILED_INSPECTION);
  g_assert_nonnull (strstr (first->message, "Thickness"));

  {
    g_autoptr(GPtrArray) findings = dossier_qa_findings (f->store, f->dossier, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (findings->len, ==, item->findings->len);
  }
}

/* The list's marker: whether a current signature no longer matches its content, read
 * from a fresh list each time as the window does after a change. */
static DossierDossier *
list_item (Fixture *f)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (f->store);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (list), 0);
}

static void
test_list_marker (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierDossier) item = NULL;
  g_autoptr(DossierDossier) before = NULL;
  gboolean changed = TRUE;

  /* Not signed yet. */
  item = list_item (f);
  g_assert_false (dossier_dossier_get_signed (item));
  g_assert_false (dossier_dossier_get_changed_after_signature (item));
  g_assert_true (dossier_signature_changed_after_signing (f->store, f->dossier, &changed, &error));
  g_assert_no_error (error);
  g_assert_false (changed);
  g_clear_object (&item);

  /* Signed and unchanged. */
  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  before = list_item (f);
  g_assert_true (dossier_dossier_get_signed (before));
  g_assert_false (dossier_dossier_get_changed_after_signature (before));

  /* Changed with a reason: the next read of the list shows it.  The item read before
   * keeps what it worked out (lists read their rows again after a change). */
  sign_in (f, "eng1");
  dt_update (f->store, "dossier", f->dossier,
             (DossierField[]) { { "condition", "Left parietal and temporal defect" }, { NULL } },
             "CT re-read by the clinician");
  item = list_item (f);
  g_assert_true (dossier_dossier_get_signed (item));
  g_assert_true (dossier_dossier_get_changed_after_signature (item));
  g_assert_false (dossier_dossier_get_changed_after_signature (before));
  {
    gboolean value = FALSE;

    g_object_get (item, "changed-after-signature", &value, NULL);
    g_assert_true (value);
  }
  g_clear_object (&item);

  /* Signing both points again: every current signature holds. */
  sign (f, "eng2", DOSSIER_SIGN_POINT_DESIGN_REVIEW);
  sign (f, "qa1", DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  item = list_item (f);
  g_assert_false (dossier_dossier_get_changed_after_signature (item));
  g_clear_object (&item);

  /* Content changed outside Dossier counts too. */
  {
    g_autofree char *sql = g_strdup_printf ("DROP TRIGGER auditgen_parameter_value_update;"
                                            "UPDATE parameter_value SET value = '1.90' WHERE id = %" G_GINT64_FORMAT,
                                            f->parameter);

    g_clear_object (&f->store);
    g_free (dt_sqlite3_ok (f->path, sql));
    f->store = dt_open (f->path);
  }
  item = list_item (f);
  g_assert_true (dossier_dossier_get_changed_after_signature (item));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* Production hashing costs a tenth of a second per password. */
  _dossier_auth_set_hash_limits_for_testing (1, 8192);

  g_test_add_func ("/signatures/canonical/golden", test_canonical_golden);
  g_test_add ("/signatures/canonical/store", Fixture, NULL, fixture_set_up, test_canonical_store, fixture_tear_down);
  g_test_add ("/signatures/wrong-password", Fixture, NULL, fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/signatures/roles", Fixture, NULL, fixture_set_up, test_roles, fixture_tear_down);
  g_test_add ("/signatures/author-cannot-approve", Fixture, NULL, fixture_set_up, test_author_cannot_approve, fixture_tear_down);
  g_test_add ("/signatures/workflow", Fixture, NULL, fixture_set_up, test_workflow, fixture_tear_down);
  g_test_add ("/signatures/edit-after-signing", Fixture, NULL, fixture_set_up, test_edit_after_signing, fixture_tear_down);
  g_test_add ("/signatures/processing-edit", Fixture, NULL, fixture_set_up, test_processing_edit_reopens, fixture_tear_down);
  g_test_add ("/signatures/tamper/content", Fixture, NULL, fixture_set_up, test_tamper_content, fixture_tear_down);
  g_test_add ("/signatures/tamper/signature", Fixture, NULL, fixture_set_up, test_tamper_signature, fixture_tear_down);
  g_test_add ("/signatures/tamper/hash", Fixture, NULL, fixture_set_up, test_tamper_hash, fixture_tear_down);
  g_test_add ("/signatures/confirmation", Fixture, NULL, fixture_set_up, test_confirmation, fixture_tear_down);
  g_test_add ("/signatures/qa-queue", Fixture, NULL, fixture_set_up, test_qa_queue, fixture_tear_down);
  g_test_add ("/signatures/list-marker", Fixture, NULL, fixture_set_up, test_list_marker, fixture_tear_down);

  status = g_test_run ();

  if (locale_dir_is_scratch)
    dt_remove_tree (locale_dir);
  g_free (locale_dir);

  return status;
}
