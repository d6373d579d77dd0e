/* test-choices.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-choices"

#include "config.h"

#include <string.h>

#include "dossier-choices.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* dt_populate() gives institution A (active, with a clinician and a filed
 * filing) and B (active, with a clinician, no filing).  The fixture adds the
 * cases that must not be offered, each named after what is wrong with it. */
typedef struct
{
  char         *dir;
  DossierStore *store;
  DtRows        rows;
  gint64        inactive;            /* inactive, with a clinician and a filed filing */
  gint64        draft_only;          /* its only filing is a draft */
  gint64        no_active_clinician; /* filing changed, its only clinician inactive */
  gint64        changed;             /* filing changed, clinician active */
  gint64        cancelled_only;      /* its only filing is cancelled */
  gint64        retired_clinician;   /* an inactive clinician at A */
  gint64        changed_filing;
  gint64        changed_clinician;
  gint64        draft_filing;
  gint64        retired_product;
  gint64        retired_model;
} Fixture;

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static gint64
add_institution (Fixture    *f,
                 const char *name,
                 const char *licence,
                 const char *active)
{
  return dt_insert (f->store, "institution", (DossierField[]) {
    { "name_zh", name },
    { "practising_licence", licence },
    { "province_code", "440000" },
    { "active", active },
    { NULL } });
}

static gint64
add_clinician (Fixture    *f,
               gint64      institution,
               const char *name,
               const char *certificate,
               const char *active)
{
  g_autofree char *inst = id_text (institution);

  return dt_insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", inst },
    { "name_zh", name },
    { "certificate_no", certificate },
    { "active", active },
    { NULL } });
}

static gint64
add_filing (Fixture    *f,
            gint64      institution,
            const char *number,
            const char *status,
            const char *device)
{
  g_autofree char *inst = id_text (institution);

  return dt_insert (f->store, "filing", (DossierField[]) {
    { "province_code", "440000" },
    { "institution_id", inst },
    { "device_name", device },
    { "number", number },
    { "filed_on", number != NULL ? "2021-05-01" : NULL },
    { "status", status },
    { NULL } });
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *product = NULL;

  f->dir = dt_make_tmpdir ();
  path = g_build_filename (f->dir, "choices.db", NULL);
  f->store = dt_open (path);
  dt_populate (f->store, &f->rows);

  f->inactive = add_institution (f, "C 停用医院", "PDY00003X44010415A1002", "0");
  add_clinician (f, f->inactive, "C 医生", "110440000000003", "1");
  add_filing (f, f->inactive, "粤械定制备20210003号", "filed", "C 定制式颅骨修补板");

  f->draft_only = add_institution (f, "D 草稿医院", "PDY00004X44010415A1002", "1");
  add_clinician (f, f->draft_only, "D 医生", "110440000000004", "1");
  f->draft_filing = add_filing (f, f->draft_only, NULL, "draft", "D 定制式下颌骨");

  f->no_active_clinician = add_institution (f, "E 无医生医院", "PDY00005X44010415A1002", "1");
  add_clinician (f, f->no_active_clinician, "E 医生", "110440000000005", "0");
  add_filing (f, f->no_active_clinician, "粤械定制备20210005号", "changed", "E 定制式髋臼");

  f->changed = add_institution (f, "F 变更医院", "PDY00006X44010415A1002", "1");
  f->changed_clinician = add_clinician (f, f->changed, "F 医生", "110440000000006", "1");
  f->changed_filing = add_filing (f, f->changed, "粤械定制备20210006号", "changed", "F 定制式胸骨");

  f->cancelled_only = add_institution (f, "G 注销医院", "PDY00007X44010415A1002", "1");
  add_clinician (f, f->cancelled_only, "G 医生", "110440000000007", "1");
  add_filing (f, f->cancelled_only, "粤械定制备20210007号", "cancelled", "G 定制式骨板");

  f->retired_clinician = add_clinician (f, f->rows.institution, "A 退休医生", "110440000000008", "0");

  f->retired_product = dt_insert (f->store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20213130999" },
    { "device_class", "3" },
    { "name_zh", "停产髋臼杯" },
    { "active", "0" },
    { NULL } });
  product = id_text (f->retired_product);
  f->retired_model = dt_insert (f->store, "product_model", (DossierField[]) {
    { "product_id", product },
    { "code", "OLD-1" },
    { NULL } });
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
has_id (GPtrArray *options,
        gint64     id)
{
  for (guint i = 0; i < options->len; i++)
    if (((DossierOption *)g_ptr_array_index (options, i))->id == id)
      return TRUE;

  return FALSE;
}

static DossierOption *
find_option (GPtrArray *options,
             gint64     id)
{
  for (guint i = 0; i < options->len; i++)
    if (((DossierOption *)g_ptr_array_index (options, i))->id == id)
      return g_ptr_array_index (options, i);

  g_assert_not_reached ();
  return NULL;
}

/* Which institutions may order ---------------------------------------------------- */

static void
test_institutions (Fixture       *f,
                   gconstpointer  data)
{
  const struct
  {
    const char *why;
    gint64      id;
    gboolean    customized;
    gboolean    matched;
  } cases[] = {
    { "partner of a filed filing", f->rows.institution, TRUE, TRUE },
    { "no filing", f->rows.institution2, FALSE, TRUE },
    { "inactive", f->inactive, FALSE, FALSE },
    { "only a draft filing", f->draft_only, FALSE, TRUE },
    { "no active clinician", f->no_active_clinician, FALSE, FALSE },
    { "partner of a changed filing", f->changed, TRUE, TRUE },
    { "only a cancelled filing", f->cancelled_only, FALSE, TRUE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customized = dossier_choices_institutions (f->store, "customized", &error);
  g_autoptr(GPtrArray) matched = NULL;
  g_autoptr(GPtrArray) none = NULL;

  g_assert_no_error (error);
  matched = dossier_choices_institutions (f->store, "patient-matched", &error);
  g_assert_no_error (error);
  none = dossier_choices_institutions (f->store, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("institution: %s", cases[i].why);
      g_assert_cmpint (has_id (customized, cases[i].id), ==, cases[i].customized);
      g_assert_cmpint (has_id (matched, cases[i].id), ==, cases[i].matched);
    }
  g_assert_cmpuint (customized->len, ==, 2);
  g_assert_cmpuint (matched->len, ==, 5);
  g_assert_cmpuint (none->len, ==, 0);

  /* Shown by name, with the province by name. */
  g_assert_cmpstr (find_option (customized, f->rows.institution)->title, ==, "中山大学附属第一医院");
  g_assert_cmpstr (find_option (customized, f->rows.institution)->subtitle, ==,
                   "Guangdong · PDY00001X44010415A1002");
}

static void
test_clinicians (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = dossier_choices_clinicians (f->store, f->rows.institution, &error);
  g_autoptr(GPtrArray) e = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 1);
  g_assert_true (has_id (a, f->rows.clinician));
  g_assert_false (has_id (a, f->retired_clinician));
  g_assert_false (has_id (a, f->rows.clinician2));   /* another institution's */

  e = dossier_choices_clinicians (f->store, f->no_active_clinician, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (e->len, ==, 0);
}

static void
test_filings (Fixture       *f,
              gconstpointer  data)
{
  const struct
  {
    gint64 institution;
    gint64 filing;   /* the one offered, or 0 */
  } cases[] = {
    { f->rows.institution, f->rows.filing },
    { f->changed, f->changed_filing },
    { f->draft_only, 0 },
    { f->cancelled_only, 0 },
    { f->inactive, 0 },
    { f->rows.institution2, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) filings = dossier_choices_filings (f->store, cases[i].institution, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (filings->len, ==, cases[i].filing ? 1 : 0);
      if (cases[i].filing)
        g_assert_cmpint (((DossierOption *)g_ptr_array_index (filings, 0))->id, ==, cases[i].filing);
    }

  /* The filing's number and how many units it has against its threshold. */
  {
    g_autoptr(GPtrArray) filings = dossier_choices_filings (f->store, f->rows.institution, NULL);
    DossierOption *option = g_ptr_array_index (filings, 0);

    g_assert_cmpstr (option->title, ==, "定制式颅骨修补板");
    g_assert_cmpstr (option->subtitle, ==, "粤械定制备20200001号 · 1 of 50 cases");
  }
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = dossier_choices_models (f->store, &error);

  g_assert_no_error (error);
  g_assert_true (has_id (models, f->rows.model));
  g_assert_false (has_id (models, f->retired_model));
  g_assert_cmpstr (find_option (models, f->rows.model)->title, ==, "下颌骨假体 · MP-01");
}

static void
test_patients (Fixture       *f,
               gconstpointer  data)
{
  const struct
  {
    const char *prefix;
    guint       limit;
    guint       n;
  } cases[] = {
    { NULL, 0, 2 },
    { "", 0, 2 },
    { "P-2026-000", 0, 2 },
    { "p-2026-0002", 0, 1 },     /* codes are found whatever the case */
    { "P-2026-000", 1, 1 },
    { "2026", 0, 0 },            /* a prefix, not anywhere */
    { "P%", 0, 0 },              /* LIKE wildcards are literal */
    { "P_2026", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) patients = dossier_choices_patients (f->store, cases[i].prefix, cases[i].limit, &error);

      g_assert_no_error (error);
      g_test_message ("prefix “%s”", cases[i].prefix ? cases[i].prefix : "(null)");
      g_assert_cmpuint (patients->len, ==, cases[i].n);
    }

  {
    g_autoptr(GPtrArray) patients = dossier_choices_patients (f->store, "P-2026-0001", 0, NULL);

    g_assert_cmpstr (find_option (patients, f->rows.patient)->subtitle, ==, "Female · born 1968");
  }
}

/* Registry listings --------------------------------------------------------------- */

static void
test_list_records (Fixture       *f,
                   gconstpointer  data)
{
  const struct
  {
    const char *table;
    const char *search;
    const char *filter_column;
    gint64      filter_value;
    guint       limit;
    guint       n;
    gboolean    more;
  } cases[] = {
    { "institution", NULL, NULL, 0, 0, 7, FALSE },
    { "institution", "医院", NULL, 0, 0, 7, FALSE },
    { "institution", "停用", NULL, 0, 0, 1, FALSE },
    { "institution", "PDY00006", NULL, 0, 0, 1, FALSE },
    { "institution", NULL, NULL, 0, 3, 3, TRUE },
    { "institution", NULL, NULL, 0, 7, 7, FALSE },
    { "clinician", NULL, "institution_id", f->rows.institution, 0, 2, FALSE },
    { "clinician", "110440000000006", NULL, 0, 0, 1, FALSE },
    { "filing", NULL, "institution_id", f->changed, 0, 1, FALSE },
    { "filing", "20210", NULL, 0, 0, 4, FALSE },
    { "patient", "0002", NULL, 0, 0, 1, FALSE },
    { "product", "髋臼", NULL, 0, 0, 1, FALSE },
    { "product_model", NULL, "product_id", f->rows.product, 0, 1, FALSE },
    { "manufacturing_site", NULL, "manufacturer_id", 1, 0, 1, FALSE },
    { "manufacturer", NULL, NULL, 0, 0, 1, FALSE },
    { "institution", "%", NULL, 0, 0, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = NULL;
      gboolean more = !cases[i].more;

      g_test_message ("%s “%s”", cases[i].table, cases[i].search ? cases[i].search : "");
      records = dossier_choices_list_records (f->store, cases[i].table, cases[i].search, cases[i].filter_column,
                                              cases[i].filter_value, cases[i].limit, &more, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (records->len, ==, cases[i].n);
      g_assert_cmpint (more, ==, cases[i].more);
    }

  /* Active records first; an inactive one is marked. */
  {
    g_autoptr(GPtrArray) records = dossier_choices_list_records (f->store, "institution", NULL, NULL, 0, 0, NULL, NULL);
    DossierOption *last = g_ptr_array_index (records, records->len - 1);

    g_assert_cmpint (last->id, ==, f->inactive);
    g_assert_false (last->active);
  }

  /* Only the tables and parents it knows. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (dossier_choices_list_records (f->store, "dossier", NULL, NULL, 0, 0, NULL, &error));
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED);
    g_clear_error (&error);
    g_assert_null (dossier_choices_list_records (f->store, "clinician", NULL, "name_zh", 1, 0, NULL, &error));
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED);
    g_assert_true (dossier_choices_is_registry ("product_model"));
    g_assert_false (dossier_choices_is_registry ("audit_log"));
  }

  /* One record, shown as in the list. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DossierOption) filing = dossier_choices_get_record (f->store, "filing", f->draft_filing, &error);
    g_autoptr(DossierOption) missing = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (filing->title, ==, "D 定制式下颌骨");
    g_assert_cmpstr (filing->subtitle, ==, "Not yet numbered · Draft · D 草稿医院");
    g_assert_false (filing->active);

    missing = dossier_choices_get_record (f->store, "filing", 9999, &error);
    g_assert_null (missing);
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
  }
}

/* The dialog's state --------------------------------------------------------------- */

static void
test_state (void)
{
  const struct
  {
    const char            *why;
    DossierNewDossier      in;
    DossierNewDossierStep  step;
    gboolean               can_create;
    gboolean               institution_sensitive;
    gboolean               clinician_sensitive;
    gboolean               product_sensitive;
    gboolean               new_patient;
    const char            *error_column;
  } cases[] = {
    { "nothing chosen", { NULL }, DOSSIER_NEW_DOSSIER_KIND, FALSE, FALSE, FALSE, FALSE, FALSE, NULL },
    { "unknown kind", { "bespoke", 1, 1, 1, NULL, NULL, NULL, 1, 1 },
      DOSSIER_NEW_DOSSIER_KIND, FALSE, FALSE, FALSE, FALSE, FALSE, NULL },
    { "customized: kind only", { "customized" }, DOSSIER_NEW_DOSSIER_INSTITUTION, FALSE, TRUE, FALSE, FALSE, FALSE, NULL },
    { "matched: kind only", { "patient-matched" }, DOSSIER_NEW_DOSSIER_INSTITUTION, FALSE, TRUE, FALSE, TRUE, FALSE, NULL },
    { "customized: institution", { "customized", 3 }, DOSSIER_NEW_DOSSIER_CLINICIAN, FALSE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "customized: no patient", { "customized", 3, 4 }, DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "customized: no filing", { "customized", 3, 4, 5 }, DOSSIER_NEW_DOSSIER_PRODUCT, FALSE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "customized: a model is not a filing", { "customized", 3, 4, 5, NULL, NULL, NULL, 0, 7 },
      DOSSIER_NEW_DOSSIER_PRODUCT, FALSE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "customized: complete", { "customized", 3, 4, 5, NULL, NULL, NULL, 6 },
      DOSSIER_NEW_DOSSIER_COMPLETE, TRUE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "matched: a filing is not a model", { "patient-matched", 3, 4, 5, NULL, NULL, NULL, 6 },
      DOSSIER_NEW_DOSSIER_PRODUCT, FALSE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "matched: complete", { "patient-matched", 3, 4, 5, NULL, NULL, NULL, 0, 7 },
      DOSSIER_NEW_DOSSIER_COMPLETE, TRUE, TRUE, TRUE, TRUE, FALSE, NULL },
    { "new patient: complete", { "patient-matched", 3, 4, 0, "P-2026-0100", "male", "1950", 0, 7 },
      DOSSIER_NEW_DOSSIER_COMPLETE, TRUE, TRUE, TRUE, TRUE, TRUE, NULL },
    { "new patient: no birth year is fine", { "patient-matched", 3, 4, 0, "P-2026-0100", "unknown", "", 0, 7 },
      DOSSIER_NEW_DOSSIER_COMPLETE, TRUE, TRUE, TRUE, TRUE, TRUE, NULL },
    { "new patient: a name is not a code", { "patient-matched", 3, 4, 0, "张三", "male", NULL, 0, 7 },
      DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, TRUE, "code" },
    { "new patient: code without a digit", { "patient-matched", 3, 4, 0, "ZHANG", "male", NULL, 0, 7 },
      DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, TRUE, "code" },
    { "new patient: no sex yet is missing, not wrong", { "patient-matched", 3, 4, 0, "P-2026-0100", NULL, NULL, 0, 7 },
      DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, TRUE, NULL },
    { "new patient: unknown sex", { "patient-matched", 3, 4, 0, "P-2026-0100", "other", NULL, 0, 7 },
      DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, TRUE, "sex" },
    { "new patient: born in the future", { "patient-matched", 3, 4, 0, "P-2026-0100", "female", "2031", 0, 7 },
      DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, TRUE, "birth_year" },
    { "new patient: patient comes before the product", { "customized", 3, 4, 0, "张三", "male", NULL, 0, 0 },
      DOSSIER_NEW_DOSSIER_PATIENT, FALSE, TRUE, TRUE, TRUE, TRUE, "code" },
    { "existing patient wins over a code", { "customized", 3, 4, 5, "张三", NULL, NULL, 6 },
      DOSSIER_NEW_DOSSIER_COMPLETE, TRUE, TRUE, TRUE, TRUE, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DossierNewDossierState state;

      g_test_message ("state: %s", cases[i].why);
      dossier_new_dossier_state_compute (&cases[i].in, 2026, &state);
      g_assert_cmpint (state.step, ==, cases[i].step);
      g_assert_cmpint (state.can_create, ==, cases[i].can_create);
      g_assert_cmpint (state.institution_sensitive, ==, cases[i].institution_sensitive);
      g_assert_cmpint (state.clinician_sensitive, ==, cases[i].clinician_sensitive);
      g_assert_cmpint (state.product_sensitive, ==, cases[i].product_sensitive);
      g_assert_cmpint (state.new_patient, ==, cases[i].new_patient);
      g_assert_cmpstr (state.patient_error_column, ==, cases[i].error_column);
      g_assert_cmpint (state.patient_error != NULL, ==, cases[i].error_column != NULL);
      g_assert_nonnull (state.hint);
      g_assert_cmpint (state.needs_filing, ==, g_strcmp0 (cases[i].in.kind, "customized") == 0);
      g_assert_cmpint (state.needs_model, ==, g_strcmp0 (cases[i].in.kind, "patient-matched") == 0);
      dossier_new_dossier_state_clear (&state);
    }

  /* The message names the field and says what is allowed. */
  {
    DossierNewDossier in = { "patient-matched", 3, 4, 0, "张三", "male", NULL, 0, 7 };
    DossierNewDossierState state;

    dossier_new_dossier_state_compute (&in, 2026, &state);
    g_assert_true (g_str_has_prefix (state.patient_error, "Patient code: "));
    g_assert_nonnull (strstr (state.patient_error, "never the patient’s name"));
    dossier_new_dossier_state_clear (&state);
  }
}

/* Checking and creating --------------------------------------------------------------- */

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  const struct
  {
    const char        *why;
    DossierNewDossier  in;
    const char        *prefix;   /* of the message, or NULL when valid */
  } cases[] = {
    { "valid customized", { "customized", f->rows.institution, f->rows.clinician, f->rows.patient, NULL, NULL, NULL,
                            f->rows.filing }, NULL },
    { "valid matched", { "patient-matched", f->rows.institution2, f->rows.clinician2, f->rows.patient2, NULL, NULL, NULL,
                         0, f->rows.model }, NULL },
    { "no kind", { NULL, f->rows.institution }, "Kind: " },
    { "not a filing partner", { "customized", f->rows.institution2, f->rows.clinician2, f->rows.patient, NULL, NULL,
                                NULL, f->rows.filing }, "Institution: " },
    { "inactive institution", { "patient-matched", f->inactive, 0, f->rows.patient, NULL, NULL, NULL, 0,
                                f->rows.model }, "Institution: " },
    { "retired clinician", { "customized", f->rows.institution, f->retired_clinician, f->rows.patient, NULL, NULL,
                             NULL, f->rows.filing }, "Ordering clinician: " },
    { "another institution's clinician", { "customized", f->rows.institution, f->rows.clinician2, f->rows.patient,
                                           NULL, NULL, NULL, f->rows.filing }, "Ordering clinician: " },
    { "another institution's filing", { "customized", f->changed, f->changed_clinician, f->rows.patient, NULL, NULL,
                                        NULL, f->rows.filing }, "Filing: " },
    { "draft filing", { "customized", f->rows.institution, f->rows.clinician, f->rows.patient, NULL, NULL, NULL,
                        f->draft_filing }, "Filing: " },
    { "retired product", { "patient-matched", f->rows.institution, f->rows.clinician, f->rows.patient, NULL, NULL,
                           NULL, 0, f->retired_model }, "Registered model: " },
    { "no patient", { "patient-matched", f->rows.institution, f->rows.clinician, 0, NULL, NULL, NULL, 0,
                      f->rows.model }, "Patient: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("check: %s", cases[i].why);
      ok = dossier_choices_check (f->store, &cases[i].in, &error);
      if (cases[i].prefix == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
          g_assert_true (g_str_has_prefix (error->message, cases[i].prefix));
        }
    }
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unit_no = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *filing = NULL;
  g_autofree char *sex = NULL;
  gint64 dossiers = dossier_store_count (f->store, "dossier");
  gint64 patients = dossier_store_count (f->store, "patient");
  gint64 patient = 0;
  gint64 id;
  DossierNewDossier in = {
    "customized", f->changed, f->changed_clinician, 0, "P-2026-0100", "male", "1950", f->changed_filing, 0
  };

  /* A new patient and the dossier, together. */
  id = dossier_choices_create_dossier (f->store, &in, &unit_no, &patient, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (patient, >, 0);
  g_assert_nonnull (unit_no);
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, dossiers + 1);
  g_assert_cmpint (dossier_store_count (f->store, "patient"), ==, patients + 1);
  kind = dt_row_value (f->store, "dossier", id, "kind");
  filing = dt_row_value (f->store, "dossier", id, "filing_id");
  sex = dt_row_value (f->store, "patient", patient, "sex");
  g_assert_cmpstr (kind, ==, "customized");
  g_assert_cmpint (g_ascii_strtoll (filing, NULL, 10), ==, f->changed_filing);
  g_assert_cmpstr (sex, ==, "male");
  dt_assert_audit_clean (f->store);

  /* The same code again is refused, and the dossier is not made without it. */
  g_clear_pointer (&unit_no, g_free);
  id = dossier_choices_create_dossier (f->store, &in, &unit_no, NULL, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_null (unit_no);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_assert_true (g_str_has_prefix (error->message, "Patient code: "));
  g_clear_error (&error);
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, dossiers + 1);

  /* A choice that is no longer valid leaves no new patient behind. */
  in.patient_code = "P-2026-0101";
  in.filing_id = f->draft_filing;
  id = dossier_choices_create_dossier (f->store, &in, NULL, NULL, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (dossier_store_count (f->store, "patient"), ==, patients + 1);

  /* An existing patient: a patient-matched unit for the same patient. */
  in = (DossierNewDossier) { "patient-matched", f->rows.institution, f->rows.clinician, patient, NULL, NULL, NULL,
                             0, f->rows.model };
  id = dossier_choices_create_dossier (f->store, &in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (dossier_store_count (f->store, "patient"), ==, patients + 1);
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, dossiers + 2);
  dt_assert_audit_clean (f->store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/choices/institutions", test_institutions);
  ADD ("/choices/clinicians", test_clinicians);
  ADD ("/choices/filings", test_filings);
  ADD ("/choices/models", test_models);
  ADD ("/choices/patients", test_patients);
  ADD ("/choices/list-records", test_list_records);
  ADD ("/choices/check", test_check);
  ADD ("/choices/create", test_create);
#undef ADD
  g_test_add_func ("/choices/state", test_state);

  return g_test_run ();
}
