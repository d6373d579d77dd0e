/* test-envelope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-envelope"

#include "config.h"

#include <string.h>

#include "dossier-envelope.h"
#include "dossier-test-util.h"

#define CERTIFICATE "国械注准20203130123"
#define XMLLINT "/usr/bin/xmllint"

typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        model;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *product = NULL;

  f->dir = dt_make_tmpdir ();
  path = g_build_filename (f->dir, "envelope.db", NULL);
  f->store = dt_open (path);
  product = g_strdup_printf ("%" G_GINT64_FORMAT, dt_insert (f->store, "product", (DossierField[]) {
    { "certificate_no", CERTIFICATE }, { "device_class", "3" }, { "name_zh", "髋臼杯" }, { NULL } }));
  f->model = dt_insert (f->store, "product_model", (DossierField[]) {
    { "product_id", product }, { "code", "AC-52" }, { NULL } });
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
}

static DossierEnvelope *
sample (gint64 model)
{
  DossierEnvelope *e = dossier_envelope_new ();
  const char *grades[] = { "Ti-6Al-4V ELI", "CP-Ti Grade 2", NULL };
  g_autoptr(GError) error = NULL;

  dossier_envelope_set_model_id (e, model);
  dossier_envelope_set_effective_on (e, "2024-03-01");
  dossier_envelope_set_certificate_no (e, CERTIFICATE);
  dossier_envelope_set_notes (e, "Annex 2 <of> the certificate & more");
  g_assert_true (dossier_envelope_set_numeric (e, "outer_diameter", "mm", "44", "58", TRUE, TRUE, "1", "0.2", NULL, &error));
  g_assert_true (dossier_envelope_set_numeric (e, "wall_thickness", "mm", "2.0", "4.0", TRUE, TRUE, "0.1", NULL, NULL, &error));
  g_assert_true (dossier_envelope_set_numeric (e, "porosity", "%", "55", "80", FALSE, TRUE, NULL, NULL, "0.1", &error));
  g_assert_true (dossier_envelope_set_categorical (e, "material_grade", grades, &error));
  g_assert_true (dossier_envelope_set_labels (e, "outer_diameter", "Outer diameter", "外径"));
  g_assert_true (dossier_envelope_add_rule (e, "wall_thickness >= 0.04 * outer_diameter", "4 % of the diameter",
                                            "外径的 4 %", "FT-2024-012", &error));
  g_assert_no_error (error);
  return e;
}

/* Building and validating --------------------------------------------------------- */

static void
test_validation (void)
{
  static const struct
  {
    const char *name, *unit, *min, *max;
    gboolean    min_inclusive, max_inclusive;
    const char *step, *tolerance, *resolution;
    const char *needle;  /* NULL: accepted */
  } cases[] = {
    { "outer_diameter", "mm", "44", "58", TRUE, TRUE, "0.5", "0.2", "0.01", NULL },
    { "x", "um", "1", NULL, TRUE, TRUE, NULL, NULL, NULL, NULL },
    { "x", "mm", NULL, "1", TRUE, FALSE, NULL, NULL, NULL, NULL },
    { "x", "mm", "5", "5", TRUE, TRUE, NULL, NULL, NULL, NULL },
    { "x", "mm", "5", "5", FALSE, TRUE, NULL, NULL, NULL, "both must be included" },
    { "x", "mm", "60", "58", TRUE, TRUE, NULL, NULL, NULL, "above the maximum" },
    { "x", "mm", NULL, NULL, TRUE, TRUE, NULL, NULL, NULL, "needs a minimum, a maximum or both" },
    { "x", "furlong", "1", "2", TRUE, TRUE, NULL, NULL, NULL, "not a unit" },
    { "x", "mm", "4x", "58", TRUE, TRUE, NULL, NULL, NULL, "not a number" },
    { "x", "mm", "NaN", "58", TRUE, TRUE, NULL, NULL, NULL, "not a finite number" },
    { "x", "mm", "1", "2", TRUE, TRUE, "0", NULL, NULL, "step must be greater than zero" },
    { "x", "mm", "1", "2", TRUE, TRUE, "-1", NULL, NULL, "step must be greater than zero" },
    { "x", "mm", NULL, "2", TRUE, TRUE, "0.5", NULL, NULL, "needs a minimum" },
    { "x", "mm", "1", "2", TRUE, TRUE, NULL, "-0.1", NULL, "tolerance cannot be negative" },
    { "x", "mm", "1", "2", TRUE, TRUE, NULL, NULL, "0", "resolution must be greater than zero" },
    { "outer diameter", "mm", "1", "2", TRUE, TRUE, NULL, NULL, NULL, "cannot be a parameter name" },
    { "1x", "mm", "1", "2", TRUE, TRUE, NULL, NULL, NULL, "cannot be a parameter name" },
    { "AND", "mm", "1", "2", TRUE, TRUE, NULL, NULL, NULL, "cannot be a parameter name" },
    { "", "mm", "1", "2", TRUE, TRUE, NULL, NULL, NULL, "needs a name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DossierEnvelope) e = dossier_envelope_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok = dossier_envelope_set_numeric (e, cases[i].name, cases[i].unit, cases[i].min, cases[i].max,
                                                  cases[i].min_inclusive, cases[i].max_inclusive, cases[i].step,
                                                  cases[i].tolerance, cases[i].resolution, &error);

      if (cases[i].needle == NULL)
        {
          if (!ok)
            g_error ("case %u should be accepted: %s", i, error->message);
          g_assert_cmpuint (dossier_envelope_get_n_parameters (e), ==, 1);
        }
      else
        {
          if (ok)
            g_error ("case %u should be refused", i);
          g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_INVALID);
          if (strstr (error->message, cases[i].needle) == NULL)
            g_error ("case %u: message should mention “%s”: %s", i, cases[i].needle, error->message);
          g_assert_cmpuint (dossier_envelope_get_n_parameters (e), ==, 0);
        }
    }

  /* Units are kept in their canonical spelling. */
  {
    g_autoptr(DossierEnvelope) e = dossier_envelope_new ();
    g_assert_true (dossier_envelope_set_numeric (e, "x", "um", "1", "2", TRUE, TRUE, NULL, NULL, NULL, NULL));
    g_assert_cmpstr (dossier_envelope_get_parameter (e, 0)->unit, ==, "µm");
  }

  /* Categorical parameters and rules. */
  {
    g_autoptr(DossierEnvelope) e = sample (1);
    g_autoptr(GError) error = NULL;
    const char *none[] = { NULL };
    const char *twice[] = { "A", "A", NULL };
    const char *blank[] = { "  ", NULL };
    const char *bad_rules[][2] = {
      { "wall_thickness >= 0.1 * span", "“span” at position 25" },
      { "material_grade = 1", "“material_grade” at position 1" },
      { "wall_thickness >= 1; DROP TABLE envelope", "“;”" },
      { "", "empty" },
    };

    g_assert_false (dossier_envelope_set_categorical (e, "c", none, &error));
    g_assert_nonnull (strstr (error->message, "at least one allowed value"));
    g_clear_error (&error);
    g_assert_false (dossier_envelope_set_categorical (e, "c", twice, &error));
    g_assert_nonnull (strstr (error->message, "listed twice"));
    g_clear_error (&error);
    g_assert_false (dossier_envelope_set_categorical (e, "c", blank, &error));
    g_clear_error (&error);

    for (guint i = 0; i < G_N_ELEMENTS (bad_rules); i++)
      {
        g_assert_false (dossier_envelope_add_rule (e, bad_rules[i][0], NULL, NULL, NULL, &error));
        g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_INVALID);
        if (strstr (error->message, bad_rules[i][1]) == NULL)
          g_error ("rule “%s”: message should mention “%s”: %s", bad_rules[i][0], bad_rules[i][1], error->message);
        g_clear_error (&error);
      }
    g_assert_cmpuint (dossier_envelope_get_n_rules (e), ==, 1);

    /* Removing a parameter a rule uses makes the whole envelope invalid. */
    g_assert_true (dossier_envelope_validate (e, NULL));
    g_assert_true (dossier_envelope_remove_parameter (e, "wall_thickness"));
    g_assert_false (dossier_envelope_validate (e, &error));
    g_assert_nonnull (strstr (error->message, "wall_thickness"));
    g_clear_error (&error);
  }

  /* What the editor shows as the range. */
  {
    g_autoptr(DossierEnvelope) e = sample (1);
    g_autofree char *outer = dossier_envelope_parameter_describe (dossier_envelope_lookup_parameter (e, "outer_diameter"));
    g_autofree char *porosity = dossier_envelope_parameter_describe (dossier_envelope_lookup_parameter (e, "porosity"));
    g_autofree char *grade = dossier_envelope_parameter_describe (dossier_envelope_lookup_parameter (e, "material_grade"));

    g_assert_cmpstr (outer, ==, "44 ≤ x ≤ 58 mm (44, 45, …, 58 mm), ±0.2 mm");
    g_assert_cmpstr (porosity, ==, "55 < x ≤ 80%");
    g_assert_cmpstr (grade, ==, "{Ti-6Al-4V ELI | CP-Ti Grade 2}");
    g_assert_cmpstr (dossier_envelope_parameter_get_label (dossier_envelope_lookup_parameter (e, "outer_diameter"), "zh"), ==, "外径");
    g_assert_cmpstr (dossier_envelope_parameter_get_label (dossier_envelope_lookup_parameter (e, "porosity"), "zh"), ==, "porosity");
  }
}

/* The store: drafts, taking effect, freezing, versions ------------------------------- */

static void
assert_same (DossierEnvelope *a,
             DossierEnvelope *b)
{
  g_assert_cmpuint (dossier_envelope_get_n_parameters (a), ==, dossier_envelope_get_n_parameters (b));
  g_assert_cmpuint (dossier_envelope_get_n_rules (a), ==, dossier_envelope_get_n_rules (b));
  for (guint i = 0; i < dossier_envelope_get_n_parameters (a); i++)
    {
      const DossierEnvelopeParameter *pa = dossier_envelope_get_parameter (a, i);
      const DossierEnvelopeParameter *pb = dossier_envelope_get_parameter (b, i);
      g_autofree char *sa = dossier_envelope_parameter_describe (pa);
      g_autofree char *sb = dossier_envelope_parameter_describe (pb);

      g_assert_cmpstr (pa->name, ==, pb->name);
      g_assert_cmpstr (pa->label_en, ==, pb->label_en);
      g_assert_cmpstr (pa->label_zh, ==, pb->label_zh);
      g_assert_cmpstr (pa->minimum, ==, pb->minimum);
      g_assert_cmpstr (pa->resolution, ==, pb->resolution);
      g_assert_cmpstr (sa, ==, sb);
    }
  for (guint i = 0; i < dossier_envelope_get_n_rules (a); i++)
    {
      g_assert_cmpstr (dossier_envelope_get_rule (a, i)->expression, ==, dossier_envelope_get_rule (b, i)->expression);
      g_assert_cmpstr (dossier_envelope_get_rule (a, i)->description_zh, ==, dossier_envelope_get_rule (b, i)->description_zh);
      g_assert_cmpstr (dossier_envelope_get_rule (a, i)->source, ==, dossier_envelope_get_rule (b, i)->source);
    }
  g_assert_cmpstr (dossier_envelope_get_notes (a), ==, dossier_envelope_get_notes (b));
  g_assert_cmpstr (dossier_envelope_get_effective_on (a), ==, dossier_envelope_get_effective_on (b));
}

static void
test_store (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DossierEnvelope) e = sample (f->model);
  g_autoptr(DossierEnvelope) loaded = NULL;
  g_autoptr(DossierEnvelope) in_force = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  const char *grades[] = { "Ti-6Al-4V ELI", "CoCrMo", NULL };
  gint64 id, id2, parameter;

  id = dossier_envelope_save (e, f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (dossier_envelope_get_id (e), ==, id);
  g_assert_cmpint (dossier_envelope_get_version (e), ==, 1);

  loaded = dossier_envelope_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_envelope_get_status (loaded), ==, "draft");
  assert_same (e, loaded);
  {
    g_autofree char *a = dossier_envelope_get_digest (e);
    g_autofree char *b = dossier_envelope_get_digest (loaded);
    g_assert_cmpstr (a, ==, b);
  }

  /* A draft takes changes, recorded field by field in the trail. */
  g_assert_true (dossier_envelope_set_numeric (loaded, "outer_diameter", "mm", "44", "60", TRUE, TRUE, "1", "0.2", NULL, &error));
  g_assert_true (dossier_envelope_set_categorical (loaded, "material_grade", grades, &error));
  g_assert_true (dossier_envelope_remove_parameter (loaded, "porosity"));
  g_assert_cmpint (dossier_envelope_save (loaded, f->store, &error), ==, id);
  g_assert_no_error (error);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log WHERE table_name = 'envelope_parameter' "
                                           "AND action = 'update' AND field = 'maximum' AND new_value = '60'"), ==, 1);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log WHERE table_name = 'envelope_category' "
                                           "AND action = 'delete'"), ==, 1);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM envelope_parameter"), ==, 3);
  g_clear_object (&loaded);
  loaded = dossier_envelope_load (f->store, id, &error);
  g_assert_cmpstr (dossier_envelope_lookup_parameter (loaded, "outer_diameter")->maximum, ==, "60");
  g_assert_cmpstr (g_ptr_array_index (dossier_envelope_lookup_parameter (loaded, "material_grade")->categories, 1), ==, "CoCrMo");
  g_assert_null (dossier_envelope_lookup_parameter (loaded, "porosity"));
  /* The labels stay with the name. */
  g_assert_cmpstr (dossier_envelope_lookup_parameter (loaded, "outer_diameter")->label_zh, ==, "外径");

  /* Not in force until it takes effect. */
  in_force = dossier_envelope_find_in_force (f->store, f->model, "2025-01-01", &error);
  g_assert_null (in_force);
  g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (dossier_envelope_make_effective (f->store, id, "registered", &error));
  g_assert_no_error (error);
  in_force = dossier_envelope_find_in_force (f->store, f->model, "2025-01-01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dossier_envelope_get_id (in_force), ==, id);
  g_clear_object (&in_force);

  /* Effective means frozen, through this module and through the store. */
  g_assert_true (dossier_envelope_set_numeric (loaded, "outer_diameter", "mm", "40", "60", TRUE, TRUE, NULL, NULL, NULL, NULL));
  g_assert_cmpint (dossier_envelope_save (loaded, f->store, &error), ==, 0);
  g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_FROZEN);
  g_clear_error (&error);
  parameter = dt_query_int (f->store, "SELECT min (id) FROM envelope_parameter");
  g_assert_false (dossier_store_update (f->store, "envelope_parameter", parameter,
                                        (DossierField[]) { { "maximum", "99" }, { NULL } }, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (dossier_store_delete (f->store, "envelope", id, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (dossier_envelope_delete_draft (f->store, id, NULL, &error));
  g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_false (dossier_envelope_make_effective (f->store, id, NULL, &error));
  g_clear_error (&error);

  /* A new version is a draft copy with the next number. */
  id2 = dossier_envelope_new_version (f->store, id, "2026-05-01", &error);
  g_assert_no_error (error);
  {
    g_autoptr(DossierEnvelope) v2 = dossier_envelope_load (f->store, id2, &error);
    g_autoptr(DossierEnvelope) v1 = dossier_envelope_load (f->store, id, &error);

    g_assert_cmpint (dossier_envelope_get_version (v2), ==, 2);
    g_assert_cmpstr (dossier_envelope_get_status (v2), ==, "draft");
    g_assert_cmpstr (dossier_envelope_get_effective_on (v2), ==, "2026-05-01");
    dossier_envelope_set_effective_on (v1, "2026-05-01");
    assert_same (v1, v2);
  }
  g_assert_true (dossier_envelope_make_effective (f->store, id2, NULL, &error));
  versions = dossier_envelope_list_for_model (f->store, f->model, &error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpint (dossier_envelope_get_id (dossier_envelope_pick_in_force (versions, f->model, "2026-04-30")), ==, id);
  g_assert_cmpint (dossier_envelope_get_id (dossier_envelope_pick_in_force (versions, f->model, "2026-05-01")), ==, id2);
  g_assert_null (dossier_envelope_pick_in_force (versions, f->model, "2024-02-29"));

  /* Withdrawn: it never counts again, and stays withdrawn. */
  g_assert_true (dossier_envelope_withdraw (f->store, id2, "mistake", &error));
  g_assert_no_error (error);
  in_force = dossier_envelope_find_in_force (f->store, f->model, "2027-01-01", &error);
  g_assert_cmpint (dossier_envelope_get_id (in_force), ==, id);
  g_assert_false (dossier_store_update (f->store, "envelope", id2, (DossierField[]) { { "status", "effective" }, { NULL } },
                                        NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* A draft can be deleted with everything in it. */
  {
    gint64 id3 = dossier_envelope_new_version (f->store, id, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (dossier_envelope_delete_draft (f->store, id3, "not needed", &error));
    g_assert_no_error (error);
    g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM envelope"), ==, 2);
  }

  /* An empty envelope cannot take effect, even written around this module. */
  {
    g_autofree char *model = g_strdup_printf ("%" G_GINT64_FORMAT, f->model);
    gint64 empty = dt_insert (f->store, "envelope", (DossierField[]) {
      { "model_id", model }, { "version", "9" }, { "effective_on", "2020-01-01" }, { "certificate_no", CERTIFICATE }, { NULL } });

    g_assert_false (dossier_store_update (f->store, "envelope", empty, (DossierField[]) { { "status", "effective" }, { NULL } },
                                          NULL, &error));
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    g_assert_false (dossier_envelope_make_effective (f->store, empty, NULL, &error));
    g_assert_nonnull (strstr (error->message, "no parameters"));
  }

  dt_assert_audit_clean (f->store);
}

/* XML ----------------------------------------------------------------------------- */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static char *
read_data (const char *name,
           gsize      *length)
{
  g_autofree char *path = data_path (name);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

/* Runs xmllint with the shipped schema; FALSE when it is not installed. */
static gboolean
xmllint (const char *path,
         gboolean   *valid)
{
  g_autofree char *xsd = g_test_build_filename (G_TEST_DIST, "..", "resources", "schemas", "envelope-1.xsd", NULL);
  const char *argv[] = { XMLLINT, "--nonet", "--noout", "--schema", xsd, path, NULL };
  int status = 0;

  if (!g_file_test (XMLLINT, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  *valid = g_spawn_check_wait_status (status, NULL);
  return TRUE;
}

static void
test_xml_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DossierEnvelope) e = sample (f->model);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *again = NULL;
  g_autofree char *path = g_build_filename (f->dir, "exported.xml", NULL);
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr(DossierStore) other = NULL;
  gboolean valid = FALSE;
  gsize length = 0;
  gint64 id, imported;

  dossier_envelope_set_change_document (e, "变更注册文件 2026-04");
  id = dossier_envelope_save (e, f->store, &error);
  g_assert_no_error (error);
  xml = dossier_envelope_export_xml (f->store, id, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (xml), ==, length);
  g_assert_nonnull (strstr (xml, "urn:io.github.dossier:envelope:1"));
  g_assert_nonnull (strstr (xml, "&lt;of&gt;"));          /* escaped, not markup */
  g_assert_nonnull (strstr (xml, "&gt;= 0.04"));
  g_assert_true (dossier_envelope_validate_xml (xml, length, &error));
  g_assert_no_error (error);

  /* xmllint agrees that it follows the schema. */
  g_assert_true (g_file_set_contents (path, xml, length, NULL));
  if (xmllint (path, &valid))
    g_assert_true (valid);
  else
    g_test_message ("xmllint not installed; cross-check skipped");

  /* Imported into another database with the same registered model… */
  other = dt_open (other_path);
  {
    g_autofree char *product = g_strdup_printf ("%" G_GINT64_FORMAT, dt_insert (other, "product", (DossierField[]) {
      { "certificate_no", CERTIFICATE }, { "device_class", "3" }, { "name_zh", "髋臼杯" }, { NULL } }));

    dt_insert (other, "product_model", (DossierField[]) { { "product_id", product }, { "code", "AC-40" }, { NULL } });
    dt_insert (other, "product_model", (DossierField[]) { { "product_id", product }, { "code", "AC-52" }, { NULL } });
  }
  imported = dossier_envelope_import_xml (other, xml, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (imported, >, 0);
  {
    g_autoptr(DossierEnvelope) copy = dossier_envelope_load (other, imported, &error);

    g_assert_cmpint (dossier_envelope_get_model_id (copy), ==, 2);
    g_assert_cmpstr (dossier_envelope_get_status (copy), ==, "draft");
    g_assert_cmpstr (dossier_envelope_get_change_document (copy), ==, "变更注册文件 2026-04");
    assert_same (e, copy);
  }

  /* …it exports to the same bytes. */
  again = dossier_envelope_export_xml (other, imported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, xml);

  /* The same version is not imported twice. */
  g_assert_cmpint (dossier_envelope_import_xml (other, xml, length, &error), ==, 0);
  g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_EXISTS);
  g_clear_error (&error);

  /* A model the database does not have is named in the message. */
  {
    g_autoptr(GString) s = g_string_new (xml);
    g_string_replace (s, "code=\"AC-52\"", "code=\"AC-99\"", 1);
    g_assert_cmpint (dossier_envelope_import_xml (other, s->str, s->len, &error), ==, 0);
    g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "AC-99"));
    g_clear_error (&error);
  }

  dt_assert_audit_clean (other);
}

/* The schema in the resources is the file xmllint reads. */
static void
test_xml_schema_resource (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "resources", "schemas", "envelope-1.xsd", NULL);
  g_autofree char *on_disk = NULL;
  g_autoptr(GBytes) shipped = NULL;
  gsize length = 0;

  /* Opening a store registers the core resources. */
  g_assert_cmpint (dossier_store_latest_schema_version (), >=, 2);
  shipped = g_resources_lookup_data (RESOURCE_BASE "/schemas/envelope-1.xsd", 0, NULL);
  g_assert_nonnull (shipped);
  g_assert_true (g_file_get_contents (path, &on_disk, &length, NULL));
  g_assert_cmpmem (on_disk, length, g_bytes_get_data (shipped, NULL), g_bytes_get_size (shipped));
}

static void
test_xml_samples (void)
{
  static const struct
  {
    const char *file;
    gboolean    schema_valid;  /* what xmllint --schema says */
    const char *needle;        /* NULL: Dossier accepts it */
  } samples[] = {
    { "envelope-good.xml", TRUE, NULL },
    { "envelope-bad-malformed.xml", FALSE, "line 4" },
    { "envelope-bad-schema-decimal.xml", FALSE, "line 6" },
    { "envelope-bad-schema-element.xml", FALSE, "script" },
    { "envelope-bad-schema-name.xml", FALSE, "name" },
    { "envelope-bad-schema-duplicate.xml", FALSE, "line 7" },
    { "envelope-bad-schema-namespace.xml", FALSE, "envelope" },
    { "envelope-bad-semantic-range.xml", TRUE, "above the maximum" },
    { "envelope-bad-semantic-unit.xml", TRUE, "furlong" },
    { "envelope-bad-semantic-rule.xml", TRUE, "“;”" },
    { "envelope-bad-unsafe-entities.xml", FALSE, "DTD or entities" },
    { "envelope-bad-unsafe-external.xml", FALSE, "DTD or entities" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = data_path (samples[i].file);
      g_autofree char *xml = NULL;
      g_autofree char *certificate = NULL;
      g_autofree char *code = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierEnvelope) e = NULL;
      gboolean valid = FALSE;
      gsize length = 0;

      xml = read_data (samples[i].file, &length);
      e = dossier_envelope_from_xml (xml, length, &certificate, &code, &error);

      if (samples[i].needle == NULL)
        {
          if (e == NULL)
            g_error ("%s should be accepted: %s", samples[i].file, error->message);
          g_assert_cmpstr (certificate, ==, CERTIFICATE);
          g_assert_cmpstr (code, ==, "AC-52");
          g_assert_cmpint (dossier_envelope_get_version (e), ==, 2);
          g_assert_cmpuint (dossier_envelope_get_n_parameters (e), ==, 5);
          g_assert_cmpstr (g_ptr_array_index (dossier_envelope_lookup_parameter (e, "material_grade")->categories, 1), ==,
                           "CP-Ti Grade 2 & 4");
          g_assert_false (dossier_envelope_lookup_parameter (e, "porosity")->min_inclusive);
          g_assert_cmpstr (dossier_envelope_lookup_parameter (e, "mean_pore_size")->unit, ==, "µm");
          g_assert_cmpuint (dossier_envelope_get_n_rules (e), ==, 1);
        }
      else
        {
          if (e != NULL)
            g_error ("%s should be refused", samples[i].file);
          g_assert_true (error->domain == DOSSIER_ENVELOPE_ERROR);
          if (strstr (error->message, samples[i].needle) == NULL)
            g_error ("%s: message should mention “%s”: %s", samples[i].file, samples[i].needle, error->message);
          g_assert_cmpuint (strlen (error->message), <, 600);
          /* Neither an entity's expansion nor a file's content reaches the message. */
          g_assert_null (strstr (error->message, "root:"));
          g_assert_null (strstr (error->message, "aaaaaaaaaaaaaaaaaaaa"));
        }

      /* Dossier's schema check and xmllint's agree. */
      if (xmllint (path, &valid) && !g_str_has_prefix (samples[i].file, "envelope-bad-unsafe"))
        {
          if (valid != samples[i].schema_valid)
            g_error ("%s: xmllint says %s", samples[i].file, valid ? "valid" : "invalid");
          g_assert_cmpint (dossier_envelope_validate_xml (xml, length, NULL), ==, samples[i].schema_valid);
        }
    }

  /* Empty, huge and binary input. */
  {
    g_autofree char *huge = g_malloc0 (DOSSIER_ENVELOPE_XML_MAX_BYTES + 2);
    g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

    memset (huge, ' ', DOSSIER_ENVELOPE_XML_MAX_BYTES + 1);
    g_assert_null (dossier_envelope_from_xml ("", 0, NULL, NULL, &e1));
    g_assert_nonnull (strstr (e1->message, "empty"));
    g_assert_null (dossier_envelope_from_xml (huge, DOSSIER_ENVELOPE_XML_MAX_BYTES + 1, NULL, NULL, &e2));
    g_assert_nonnull (strstr (e2->message, "too large"));
    g_assert_null (dossier_envelope_from_xml ("\x89PNG\r\n\x1a\n", 8, NULL, NULL, &e3));
    g_assert_error (e3, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML);

    /* UTF-16 could hide a DTD from a look at the bytes: it is refused as such. */
    {
      g_autoptr(GError) e4 = NULL;
      g_autofree gchar *utf16 = NULL;
      gsize written = 0;

      utf16 = g_convert ("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE e [<!ENTITY a \"b\">]><e/>", -1,
                         "UTF-16LE", "UTF-8", NULL, &written, NULL);
      g_assert_nonnull (utf16);
      g_assert_null (dossier_envelope_from_xml (utf16, written, NULL, NULL, &e4));
      g_assert_nonnull (strstr (e4->message, "UTF-8"));
    }
  }
}

/* The demo envelopes -------------------------------------------------------------- */

static void
test_seed_demo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *product = g_strdup_printf ("%" G_GINT64_FORMAT, dt_insert (f->store, "product", (DossierField[]) {
    { "certificate_no", "粤械注准20232180093" }, { "device_class", "2" }, { "name_zh", "截骨导板" }, { NULL } }));

  dt_insert (f->store, "product_model", (DossierField[]) { { "product_id", product }, { "code", "OG-HTO" }, { NULL } });
  dt_insert (f->store, "product_model", (DossierField[]) { { "product_id", product }, { "code", "OG-XYZ" }, { NULL } });

  g_assert_true (dossier_envelope_seed_demo (f->store, &error));
  g_assert_no_error (error);
  /* AC-52 gets two versions, OG-HTO one, the model without a template none. */
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM envelope WHERE status = 'effective'"), ==, 3);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM envelope e JOIN product_model m ON m.id = e.model_id "
                                           "WHERE m.code = 'OG-XYZ'"), ==, 0);
  /* Seeding again changes nothing. */
  g_assert_true (dossier_envelope_seed_demo (f->store, &error));
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM envelope"), ==, 3);
  dt_assert_audit_clean (f->store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/envelope/validation", test_validation);
  g_test_add ("/envelope/store", Fixture, NULL, fixture_set_up, test_store, fixture_tear_down);
  g_test_add ("/envelope/xml-round-trip", Fixture, NULL, fixture_set_up, test_xml_round_trip, fixture_tear_down);
  g_test_add_func ("/envelope/xml-schema-resource", test_xml_schema_resource);
  g_test_add_func ("/envelope/xml-samples", test_xml_samples);
  g_test_add ("/envelope/seed-demo", Fixture, NULL, fixture_set_up, test_seed_demo, fixture_tear_down);

  return g_test_run ();
}
