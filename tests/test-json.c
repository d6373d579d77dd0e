/* test-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dossier-dossier-list.h"
#include "dossier-history.h"
#include "dossier-json.h"

/* A small database made through the store's own writes: one patient-matched
 * dossier with an iteration, parameter values, a change with a reason and an
 * attachment, and a second dossier to check that nothing leaks between them. */
typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        institution;
  gint64        clinician;
  gint64        patient;
  gint64        patient2;
  gint64        product;
  gint64        model;
  gint64        dossier;
  gint64        dossier2;
  char         *unit_no;
  gint64        iteration;
} Fixture;

static gint64
insert (DossierStore       *store,
        const char         *table,
        const DossierField *fields)
{
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_store_insert (store, table, fields, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static gint64
create_dossier (Fixture    *fixture,
                gint64      patient,
                char      **unit_no)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *institution = id_text (fixture->institution);
  g_autofree char *clinician = id_text (fixture->clinician);
  g_autofree char *patient_id = id_text (patient);
  g_autofree char *model = id_text (fixture->model);
  const DossierField fields[] = {
    { "kind", "patient-matched" },
    { "institution_id", institution },
    { "clinician_id", clinician },
    { "patient_id", patient_id },
    { "model_id", model },
    { "ordered_on", "2024-03-01" },
    { "patient_age", "54" },
    { "condition", "左侧股骨远端骨缺损" },
    { "body_days", "3650" },
    { NULL }
  };
  gint64 id = dossier_store_create_dossier (fixture->store, fields, unit_no, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *product = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *iteration = NULL;

  fixture->dir = g_dir_make_tmp ("test-json-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "dossier.db", NULL);
  fixture->store = dossier_store_open (path, &error);
  g_assert_no_error (error);
  dossier_store_set_actor (fixture->store, "tester");

  fixture->institution = insert (fixture->store, "institution", (DossierField[]) {
    { "name_zh", "岭南医科大学附属第一医院" },
    { "name_en", "First Affiliated Hospital" },
    { "practising_licence", "PDY10234544010419A1001" },
    { "province_code", "440000" },
    { NULL } });
  institution = id_text (fixture->institution);
  fixture->clinician = insert (fixture->store, "clinician", (DossierField[]) {
    { "institution_id", institution },
    { "name_zh", "黄晓岚" },
    { "certificate_no", "120440100023456" },
    { NULL } });
  fixture->patient = insert (fixture->store, "patient", (DossierField[]) {
    { "code", "P-2024-0001" }, { "sex", "female" }, { "birth_year", "1970" }, { NULL } });
  fixture->patient2 = insert (fixture->store, "patient", (DossierField[]) {
    { "code", "P-2024-0002" }, { "sex", "male" }, { NULL } });
  fixture->product = insert (fixture->store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20203130123" },
    { "device_class", "3" },
    { "name_zh", "3D打印钛合金髋臼杯" },
    { NULL } });
  product = id_text (fixture->product);
  fixture->model = insert (fixture->store, "product_model", (DossierField[]) {
    { "product_id", product }, { "code", "AC-52" }, { "name", "52 mm" }, { NULL } });

  fixture->dossier = create_dossier (fixture, fixture->patient, &fixture->unit_no);
  dossier = id_text (fixture->dossier);

  fixture->iteration = insert (fixture->store, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier },
    { "version", "1" },
    { "designed_on", "2024-03-05" },
    { "designer", "张伟" },
    { NULL } });
  iteration = id_text (fixture->iteration);
  insert (fixture->store, "parameter_value", (DossierField[]) {
    { "iteration_id", iteration }, { "name", "cup_outer_diameter" }, { "value", "52.0" }, { "unit", "mm" }, { NULL } });
  insert (fixture->store, "parameter_value", (DossierField[]) {
    { "iteration_id", iteration }, { "name", "material_grade" }, { "category", "TC4" }, { NULL } });

  dossier_store_update (fixture->store, "dossier", fixture->dossier,
                        (DossierField[]) { { "status", "design" }, { NULL } },
                        "开始设计", &error);
  g_assert_no_error (error);

  fixture->dossier2 = create_dossier (fixture, fixture->patient2, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->unit_no, g_free);
}

static JsonObject *
record_object (Fixture *fixture,
               gint64   id,
               JsonNode **node)
{
  g_autoptr(GError) error = NULL;

  *node = dossier_json_dossier_record (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));

  return json_node_get_object (*node);
}

/* History entries of a record that match, NULL meaning any. */
static guint
count_entries (JsonObject *record,
               const char *action,
               const char *table,
               const char *field)
{
  JsonArray *history = json_object_get_array_member (record, "history");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *entry = json_array_get_object_element (history, i);

      if ((action == NULL || g_strcmp0 (json_object_get_string_member (entry, "action"), action) == 0) &&
          (table == NULL || g_strcmp0 (json_object_get_string_member (entry, "table"), table) == 0) &&
          (field == NULL || g_strcmp0 (json_object_get_string_member_with_default (entry, "field", NULL), field) == 0))
        n++;
    }

  return n;
}

static void
test_record_members (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *record = record_object (fixture, fixture->dossier, &node);
  const char *members[] = {
    "dossier", "institution", "clinician", "patient", "filing", "product", "model",
    "design_inputs", "design_iterations", "design_confirmations", "processing_steps",
    "inspections", "release", "delivery", "use_record", "adverse_events", "attachments",
    "history", NULL
  };
  JsonObject *dossier;
  JsonArray *iterations;
  JsonArray *values;
  JsonObject *value;

  for (guint i = 0; members[i] != NULL; i++)
    g_assert_true (json_object_has_member (record, members[i]));
  g_assert_cmpuint (json_object_get_size (record), ==, g_strv_length ((char **)members));

  dossier = json_object_get_object_member (record, "dossier");
  g_assert_cmpint (json_object_get_int_member (dossier, "id"), ==, fixture->dossier);
  g_assert_cmpstr (json_object_get_string_member (dossier, "unit_no"), ==, fixture->unit_no);
  g_assert_cmpstr (json_object_get_string_member (dossier, "kind"), ==, "patient-matched");
  g_assert_cmpstr (json_object_get_string_member (dossier, "status"), ==, "design");
  g_assert_cmpstr (json_object_get_string_member (dossier, "condition"), ==, "左侧股骨远端骨缺损");
  /* Column types: integers and references are numbers, empty ones null. */
  g_assert_cmpint (json_object_get_int_member (dossier, "patient_age"), ==, 54);
  g_assert_cmpint (json_object_get_int_member (dossier, "model_id"), ==, fixture->model);
  g_assert_true (json_object_get_null_member (dossier, "filing_id"));
  g_assert_true (json_object_get_null_member (dossier, "clinician_signed_on"));

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "institution"), "name_zh"),
                   ==, "岭南医科大学附属第一医院");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (record, "institution"), "active"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "clinician"), "name_zh"),
                   ==, "黄晓岚");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "patient"), "code"),
                   ==, "P-2024-0001");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "product"), "certificate_no"),
                   ==, "国械注准20203130123");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "model"), "code"),
                   ==, "AC-52");
  g_assert_true (json_object_get_null_member (record, "filing"));
  g_assert_true (json_object_get_null_member (record, "release"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "design_inputs")), ==, 0);

  iterations = json_object_get_array_member (record, "design_iterations");
  g_assert_cmpuint (json_array_get_length (iterations), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (iterations, 0), "version"), ==, 1);
  values = json_object_get_array_member (json_array_get_object_element (iterations, 0), "parameter_values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  value = json_array_get_object_element (values, 0);
  g_assert_cmpstr (json_object_get_string_member (value, "name"), ==, "cup_outer_diameter");
  /* Decimals stay text, so that 52.0 is not turned into 52. */
  g_assert_cmpstr (json_object_get_string_member (value, "value"), ==, "52.0");
  g_assert_cmpstr (json_object_get_string_member (value, "unit"), ==, "mm");
  g_assert_true (json_object_get_null_member (value, "category"));
  value = json_array_get_object_element (values, 1);
  g_assert_cmpstr (json_object_get_string_member (value, "category"), ==, "TC4");
}

static void
test_record_history (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *record = record_object (fixture, fixture->dossier, &node);
  JsonArray *history = json_object_get_array_member (record, "history");
  JsonObject *first = json_array_get_object_element (history, 0);
  JsonObject *created;
  gboolean found_update = FALSE;
  gint64 last_seq = 0;

  /* The dossier, its iteration and both parameter values were created; the
   * status change is one update; nothing of the second dossier is here. */
  g_assert_cmpuint (count_entries (record, "create", "dossier", NULL), ==, 1);
  g_assert_cmpuint (count_entries (record, "create", "design_iteration", NULL), ==, 1);
  g_assert_cmpuint (count_entries (record, "create", "parameter_value", NULL), ==, 2);
  g_assert_cmpuint (count_entries (record, "update", "dossier", "status"), ==, 1);
  g_assert_cmpuint (json_array_get_length (history), ==, 5);

  g_assert_cmpstr (json_object_get_string_member (first, "action"), ==, "create");
  g_assert_cmpstr (json_object_get_string_member (first, "table"), ==, "dossier");
  g_assert_cmpint (json_object_get_int_member (first, "row_id"), ==, fixture->dossier);
  g_assert_cmpstr (json_object_get_string_member (first, "actor"), ==, "tester");
  g_assert_true (json_object_get_null_member (first, "old"));
  g_assert_true (json_object_get_null_member (first, "reason"));
  /* The created row is an object, not a string holding JSON. */
  created = json_object_get_object_member (first, "new");
  g_assert_nonnull (created);
  g_assert_cmpstr (json_object_get_string_member (created, "unit_no"), ==, fixture->unit_no);
  g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "order");

  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *entry = json_array_get_object_element (history, i);
      gint64 seq = json_object_get_int_member (entry, "seq");

      g_assert_cmpint (seq, >, last_seq);
      last_seq = seq;
      g_assert_nonnull (json_object_get_string_member (entry, "at"));

      if (g_strcmp0 (json_object_get_string_member (entry, "action"), "update") == 0)
        {
          found_update = TRUE;
          g_assert_cmpstr (json_object_get_string_member (entry, "field"), ==, "status");
          g_assert_cmpstr (json_object_get_string_member (entry, "old"), ==, "order");
          g_assert_cmpstr (json_object_get_string_member (entry, "new"), ==, "design");
          g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, "开始设计");
        }
    }
  g_assert_true (found_update);
}

/* Ids are not AUTOINCREMENT: after the newest design input is deleted the next one,
 * of another dossier, gets the same id.  Each dossier's trail must keep its own
 * lifetime of that id. */
static void
test_history_reused_id (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *dossier = id_text (fixture->dossier);
  g_autofree char *dossier2 = id_text (fixture->dossier2);
  gint64 input;
  gint64 input2;
  guint n_first = 0;
  guint n_second = 0;

  input = insert (fixture->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "影像数据" }, { NULL } });
  dossier_store_update (fixture->store, "design_input", input,
                        (DossierField[]) { { "title", "CT 影像" }, { NULL } }, "更正标题", &error);
  g_assert_no_error (error);
  dossier_store_delete (fixture->store, "design_input", input, "录错病例", &error);
  g_assert_no_error (error);
  input2 = insert (fixture->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier2 }, { "title", "订单" }, { NULL } });
  g_assert_cmpint (input2, ==, input);

  first = dossier_store_dossier_audit (fixture->store, fixture->dossier, &error);
  g_assert_no_error (error);
  second = dossier_store_dossier_audit (fixture->store, fixture->dossier2, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < first->len; i++)
    {
      DossierAuditEntry *e = g_ptr_array_index (first, i);

      if (!g_str_equal (e->table_name, "design_input"))
        continue;
      n_first++;
      g_assert_cmpint (e->row_id, ==, input);
      if (g_str_equal (e->action, "create"))
        g_assert_nonnull (strstr (e->new_value, "影像数据"));
      else if (g_str_equal (e->action, "update"))
        g_assert_cmpstr (e->reason, ==, "更正标题");
      else
        {
          g_assert_cmpstr (e->action, ==, "delete");
          g_assert_cmpstr (e->reason, ==, "录错病例");
          g_assert_nonnull (strstr (e->old_value, "CT 影像"));
        }
    }
  /* Its create, update and delete; not the other dossier's create. */
  g_assert_cmpuint (n_first, ==, 3);

  for (guint i = 0; i < second->len; i++)
    {
      DossierAuditEntry *e = g_ptr_array_index (second, i);

      if (!g_str_equal (e->table_name, "design_input"))
        continue;
      n_second++;
      g_assert_cmpstr (e->action, ==, "create");
      g_assert_nonnull (strstr (e->new_value, "订单"));
    }
  g_assert_cmpuint (n_second, ==, 1);
}

static void
test_record_stable (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  record_object (fixture, fixture->dossier, &a);
  record_object (fixture, fixture->dossier, &b);
  text_a = dossier_json_to_string (a, TRUE);
  text_b = dossier_json_to_string (b, TRUE);

  g_assert_cmpstr (text_a, ==, text_b);
  g_assert_true (g_str_has_suffix (text_a, "}\n"));
  g_assert_true (g_utf8_validate (text_a, -1, NULL));
  /* UTF-8 text as it is, not \u escapes. */
  g_assert_nonnull (strstr (text_a, "\"黄晓岚\""));
  g_assert_null (strstr (text_a, "\\u"));
  /* Members come in a fixed order: the dossier first, the trail last. */
  g_assert_true (strstr (text_a, "\"dossier\"") < strstr (text_a, "\"institution\""));
  g_assert_true (strstr (text_a, "\"attachments\"") < strstr (text_a, "\"history\""));

  json_parser_load_from_data (parser, text_a, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (parser), a));
}

static void
test_record_attachment (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) content = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sha256 = NULL;
  const char *text = "solid cube\nendsolid cube\n";
  JsonObject *record;
  JsonArray *attachments;
  JsonObject *attachment;
  gint64 id;

  content = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
  id = dossier_store_add_attachment (fixture->store, fixture->dossier, "design", "髋臼杯.stl",
                                     "model/stl", content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  record = record_object (fixture, fixture->dossier, &node);
  attachments = json_object_get_array_member (record, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  attachment = json_array_get_object_element (attachments, 0);
  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_assert_cmpstr (json_object_get_string_member (attachment, "original_name"), ==, "髋臼杯.stl");
  g_assert_cmpstr (json_object_get_string_member (attachment, "media_type"), ==, "model/stl");
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, strlen (text));
  g_assert_cmpstr (json_object_get_string_member (attachment, "sha256"), ==, sha256);
  g_assert_cmpstr (json_object_get_string_member (attachment, "added_by"), ==, "tester");
  g_assert_nonnull (json_object_get_string_member (attachment, "added_at"));
  g_assert_cmpuint (count_entries (record, "create", "attachment", NULL), ==, 1);
}

static void
test_record_not_found (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = dossier_json_dossier_record (fixture->store, 9999, &error);
  g_assert_null (node);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
}

/* Within the caller's transaction the record sees the caller's uncommitted writes,
 * and does not try to open a transaction of its own. */
static void
test_record_in_transaction (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean started = TRUE;
  JsonObject *record;

  g_assert_true (dossier_store_begin (fixture->store, &error));
  dossier_store_update (fixture->store, "dossier", fixture->dossier,
                        (DossierField[]) { { "notes", "待定" }, { NULL } }, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (dossier_store_read_begin (fixture->store, &started, &error));
  g_assert_false (started);
  dossier_store_read_end (fixture->store, started);

  record = record_object (fixture, fixture->dossier, &node);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "dossier"), "notes"),
                   ==, "待定");
  dossier_store_rollback (fixture->store);
}

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (fixture->store);
  g_autoptr(DossierDossier) dossier = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *summary;

  dossier_dossier_list_set_sort (list, DOSSIER_SORT_UNIT_NO);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  dossier = g_list_model_get_item (G_LIST_MODEL (list), 0);
  node = dossier_json_dossier_summary (dossier);
  summary = json_node_get_object (node);

  g_assert_cmpint (json_object_get_int_member (summary, "id"), ==, fixture->dossier);
  g_assert_cmpstr (json_object_get_string_member (summary, "unit_no"), ==, fixture->unit_no);
  g_assert_cmpstr (json_object_get_string_member (summary, "kind"), ==, "patient-matched");
  g_assert_cmpstr (json_object_get_string_member (summary, "status"), ==, "design");
  g_assert_cmpstr (json_object_get_string_member (summary, "patient_code"), ==, "P-2024-0001");
  g_assert_cmpstr (json_object_get_string_member (summary, "institution"), ==, "岭南医科大学附属第一医院");
  g_assert_cmpstr (json_object_get_string_member (summary, "clinician"), ==, "黄晓岚");
  g_assert_cmpstr (json_object_get_string_member (summary, "product"), ==, "3D打印钛合金髋臼杯");
  g_assert_cmpstr (json_object_get_string_member (summary, "reference"), ==, "AC-52");
  g_assert_true (json_object_get_boolean_member (summary, "implantable"));
  g_assert_nonnull (json_object_get_string_member (summary, "created_at"));
  g_assert_nonnull (json_object_get_string_member (summary, "updated_at"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/json/record/members", test_record_members);
  ADD ("/json/record/history", test_record_history);
  ADD ("/json/record/history-reused-id", test_history_reused_id);
  ADD ("/json/record/stable", test_record_stable);
  ADD ("/json/record/attachment", test_record_attachment);
  ADD ("/json/record/not-found", test_record_not_found);
  ADD ("/json/record/in-transaction", test_record_in_transaction);
  ADD ("/json/summary", test_summary);
#undef ADD

  return g_test_run ();
}
