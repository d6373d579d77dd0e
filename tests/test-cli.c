/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "dossier-auth.h"
#include "dossier-store.h"

#include "dossier-demo.h"

/* Runs the real dossier-cli (its path comes from meson in DOSSIER_CLI) on databases
 * in a scratch folder.  The data is written with the core store beforehand, so the
 * tests do not depend on the demo data; tampering is done with the sqlite3 tool,
 * as someone working behind Dossier's back would. */

typedef struct
{
  char   *dir;
  char   *db;
  char   *units[3];
  gint64  dossiers[3];
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("DOSSIER_CLI");

  g_assert_nonnull (path);
  return path;
}

static const char *
sqlite3_tool (void)
{
  const char *path = g_getenv ("SQLITE3");

  if (path != NULL && *path != '\0')
    return path;
  return g_file_test ("/usr/bin/sqlite3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/sqlite3" : NULL;
}

/* env: NULL-terminated "NAME=value" or "NAME" (to unset) pairs applied to ours. */
static void
run_with_env (Run                *run,
              const char * const *env,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer)cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');

      if (eq == NULL)
        envp = g_environ_unsetenv (envp, env[i]);
      else
        {
          g_autofree char *name = g_strndup (env[i], eq - env[i]);
          envp = g_environ_setenv (envp, name, eq + 1, TRUE);
        }
    }

  g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

#define RUN(run, ...) run_with_env (run, NULL, (const char *[]) { __VA_ARGS__, NULL })
#define RUN_ENV(run, env, ...) run_with_env (run, (const char *[]) { env, NULL }, (const char *[]) { __VA_ARGS__, NULL })

/* Failures say what went wrong on stderr, prefixed with the program name. */
static void
assert_error (const Run  *run,
              int         status,
              const char *needle)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "dossier-cli: "));
  if (needle != NULL && strstr (run->err, needle) == NULL)
    g_error ("stderr does not mention “%s”:\n%s", needle, run->err);
}

static char *
sqlite3_run (const char *db,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;
  const char *argv[] = { sqlite3_tool (), db, sql, NULL };

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("sqlite3 “%s” failed: %s", sql, err);

  return g_strstrip (out);
}

static gboolean
require_sqlite3 (void)
{
  if (sqlite3_tool () == NULL)
    {
      g_test_skip ("the sqlite3 command-line tool is not installed");
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static guint
list_count (Fixture    *fixture,
            const char *option,
            const char *value)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;

  if (option != NULL)
    RUN (&run, "--db", fixture->db, "list", "--json", option, value);
  else
    RUN (&run, "--db", fixture->db, "list", "--json");
  g_assert_cmpint (run.status, ==, 0);

  node = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

/* Data ------------------------------------------------------------------------ */

static gint64
insert (DossierStore       *store,
        const char         *table,
        const DossierField *fields)
{
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_store_insert (store, table, fields, &error);

  g_assert_no_error (error);
  return id;
}

#define ATTACHMENT "solid cup\nendsolid cup\n"

#define ID(buf, id) (g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, (gint64)(id)), buf)

/* Three dossiers at two institutions whose Chinese names differ in length, so that
 * the table has something to align: a patient-matched one in design, a second one
 * still an order, and a customized one under a filing. */
static void
populate (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = dossier_store_open (fixture->db, &error);
  char i1[24], i2[24], c1[24], c2[24], p[3][24], m[24], f[24], d[24], it[24], pr[24];
  gint64 institution, institution2, clinician, clinician2, product, model, filing, iteration;

  g_assert_no_error (error);
  dossier_store_set_actor (store, "tester");

  institution = insert (store, "institution", (DossierField[]) {
    { "name_zh", "岭南医科大学附属第一医院" }, { "practising_licence", "PDY10234544010419A1001" },
    { "province_code", "440000" }, { NULL } });
  institution2 = insert (store, "institution", (DossierField[]) {
    { "name_zh", "仁和医院" }, { "practising_licence", "PDY10234531010419A1002" },
    { "province_code", "310000" }, { NULL } });
  clinician = insert (store, "clinician", (DossierField[]) {
    { "institution_id", ID (i1, institution) }, { "name_zh", "黄晓岚" },
    { "certificate_no", "120440100023456" }, { NULL } });
  clinician2 = insert (store, "clinician", (DossierField[]) {
    { "institution_id", ID (i2, institution2) }, { "name_zh", "沈国平" },
    { "certificate_no", "120310100098765" }, { NULL } });
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *code = g_strdup_printf ("P-2024-000%u", i + 1);
      ID (p[i], insert (store, "patient", (DossierField[]) { { "code", code }, { "sex", "female" }, { NULL } }));
    }
  product = insert (store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20203130123" }, { "device_class", "3" },
    { "name_zh", "3D打印钛合金髋臼杯" }, { NULL } });
  model = insert (store, "product_model", (DossierField[]) {
    { "product_id", ID (pr, product) }, { "code", "AC-52" }, { NULL } });
  filing = insert (store, "filing", (DossierField[]) {
    { "number", "粤械定制备20240001号" }, { "province_code", "440000" }, { "filed_on", "2024-06-18" },
    { "status", "filed" }, { "institution_id", i1 }, { "device_name", "定制式骨盆重建假体" },
    { "case_threshold", "50" }, { NULL } });

  ID (c1, clinician);
  ID (c2, clinician2);
  ID (m, model);
  ID (f, filing);

  fixture->dossiers[0] = dossier_store_create_dossier (store, (DossierField[]) {
    { "kind", "patient-matched" }, { "institution_id", i1 }, { "clinician_id", c1 },
    { "patient_id", p[0] }, { "model_id", m }, { "condition", "髋臼骨缺损" }, { NULL } },
    &fixture->units[0], &error);
  g_assert_no_error (error);
  fixture->dossiers[1] = dossier_store_create_dossier (store, (DossierField[]) {
    { "kind", "patient-matched" }, { "institution_id", i2 }, { "clinician_id", c2 },
    { "patient_id", p[1] }, { "model_id", m }, { NULL } },
    &fixture->units[1], &error);
  g_assert_no_error (error);
  fixture->dossiers[2] = dossier_store_create_dossier (store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", i1 }, { "clinician_id", c1 },
    { "patient_id", p[2] }, { "filing_id", f }, { NULL } },
    &fixture->units[2], &error);
  g_assert_no_error (error);

  iteration = insert (store, "design_iteration", (DossierField[]) {
    { "dossier_id", ID (d, fixture->dossiers[0]) }, { "version", "1" }, { "designed_on", "2024-03-05" },
    { "designer", "张伟" }, { NULL } });
  insert (store, "parameter_value", (DossierField[]) {
    { "iteration_id", ID (it, iteration) }, { "name", "cup_outer_diameter" }, { "value", "52.0" },
    { "unit", "mm" }, { NULL } });
  {
    g_autoptr(GInputStream) content = g_memory_input_stream_new_from_data (ATTACHMENT, strlen (ATTACHMENT), NULL);

    dossier_store_add_attachment (store, fixture->dossiers[0], "design", "髋臼杯-v1.stl", "model/stl",
                                  content, NULL, &error);
    g_assert_no_error (error);
  }

  dossier_store_update (store, "dossier", fixture->dossiers[0],
                        (DossierField[]) { { "status", "design" }, { NULL } }, "开始设计", &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "dossier.db", NULL);

  if (data != NULL)
    populate (fixture);
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
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->db, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->units); i++)
    g_clear_pointer (&fixture->units[i], g_free);
}

/* Usage ----------------------------------------------------------------------- */

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  const char *commands[][3] = {
    { "--help" },
    { "init", "--help" },
    { "demo", "--help" },
    { "list", "--help" },
    { "show", "--help" },
    { "audit", "--help" },
    { "audit", "verify", "--help" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      g_ptr_array_add (args, (gpointer)"--db");
      g_ptr_array_add (args, fixture->db);
      for (guint j = 0; j < 3 && commands[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer)commands[i][j]);
      g_ptr_array_add (args, NULL);

      run_with_env (&run, NULL, (const char * const *)args->pdata);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "Usage:"));
      g_assert_cmpstr (run.err, ==, "");
    }

  /* Help does not open, let alone create, the database. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));

  {
    g_auto(Run) run = { 0 };

    RUN (&run, "--help");
    /* The commands and exit statuses are described in the tool's help. */
    for (guint i = 0; i < 5; i++)
      g_assert_nonnull (strstr (run.out, (const char *[]) { "init", "demo", "list", "show", "audit" }[i]));
    g_assert_nonnull (strstr (run.out, "Exit status"));
  }
  {
    g_auto(Run) run = { 0 };

    RUN (&run, "list", "--help");
    g_assert_nonnull (strstr (run.out, "--status"));
    g_assert_nonnull (strstr (run.out, "design-review"));
  }
}

static void
test_version (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "--version");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, PACKAGE_VERSION));
}

static void
test_bad_usage (Fixture       *fixture,
                gconstpointer  data)
{
  const struct
  {
    const char *args[5];
    const char *needle;
  } cases[] = {
    { { "bogus" }, "bogus" },
    { { "--bogus" }, "--bogus" },
    { { "list", "--bogus" }, "--bogus" },
    { { "list", "extra" }, "extra" },
    { { "show" }, "unit number" },
    { { "show", "A", "B" }, "B" },
    { { "audit" }, "audit verify" },
    { { "audit", "bogus" }, "bogus" },
    { { "demo", "--count", "-1" }, "--count" },
    { { "demo", "--count", "many" }, "many" },
  };

  {
    g_auto(Run) run = { 0 };

    run_with_env (&run, NULL, (const char *[]) { NULL });
    assert_error (&run, 2, "No command");
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      g_ptr_array_add (args, (gpointer)"--db");
      g_ptr_array_add (args, fixture->db);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].args) && cases[i].args[j] != NULL; j++)
        g_ptr_array_add (args, (gpointer)cases[i].args[j]);
      g_ptr_array_add (args, NULL);

      run_with_env (&run, NULL, (const char * const *)args->pdata);
      assert_error (&run, 2, cases[i].needle);
    }

  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

/* init ------------------------------------------------------------------------ */

static void
test_init (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_autofree char *version = g_strdup_printf ("Schema version: %d\n",
                                              dossier_store_latest_schema_version ());

  RUN (&first, "--db", fixture->db, "init");
  g_assert_cmpint (first.status, ==, 0);
  g_assert_true (g_file_test (fixture->db, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (first.out, fixture->db));
  g_assert_nonnull (strstr (first.out, version));
  g_assert_nonnull (strstr (first.out, "Created"));

  /* Again: nothing to create, still fine. */
  RUN (&second, "--db", fixture->db, "init");
  g_assert_cmpint (second.status, ==, 0);
  g_assert_nonnull (strstr (second.out, version));
  g_assert_null (strstr (second.out, "Created"));
}

static void
test_init_env (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *env_db = g_build_filename (fixture->dir, "from-env.db", NULL);
  g_autofree char *env = g_strconcat ("DOSSIER_DB=", env_db, NULL);
  g_autofree char *xdg = g_build_filename (fixture->dir, "xdg", NULL);
  g_autofree char *xdg_env = g_strconcat ("XDG_DATA_HOME=", xdg, NULL);
  g_autofree char *default_db = g_build_filename (xdg, "dossier", "dossier.db", NULL);

  /* DOSSIER_DB names the database when --db does not… */
  {
    g_auto(Run) run = { 0 };

    RUN_ENV (&run, env, "init");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (env_db, G_FILE_TEST_IS_REGULAR));
  }

  /* …--db wins over it… */
  {
    g_auto(Run) run = { 0 };

    RUN_ENV (&run, env, "--db", fixture->db, "init");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (fixture->db, G_FILE_TEST_IS_REGULAR));
  }

  /* …and without either the default place is used, its folders created. */
  {
    g_auto(Run) run = { 0 };
    const char *env2[] = { xdg_env, "DOSSIER_DB", NULL };

    run_with_env (&run, env2, (const char *[]) { "init", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (default_db, G_FILE_TEST_IS_REGULAR));
    g_assert_nonnull (strstr (run.out, default_db));
  }

  /* A folder given with --db is not made up. */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "x.db", NULL);

    RUN (&run, "--db", missing, "init");
    assert_error (&run, 3, NULL);
  }
}

/* list ------------------------------------------------------------------------ */

static void
test_list_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  JsonObject *first;

  RUN (&run, "--db", fixture->db, "list", "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  node = parse_json (run.out);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  /* In unit number order, with the summary members. */
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "unit_no"), ==, fixture->units[0]);
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "design");
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "patient-matched");
  g_assert_cmpstr (json_object_get_string_member (first, "patient_code"), ==, "P-2024-0001");
  g_assert_cmpstr (json_object_get_string_member (first, "institution"), ==, "岭南医科大学附属第一医院");
  g_assert_cmpstr (json_object_get_string_member (first, "reference"), ==, "AC-52");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "reference"),
                   ==, "粤械定制备20240001号");
  /* UTF-8 as it is, not escaped. */
  g_assert_nonnull (strstr (run.out, "仁和医院"));
}

static guint
display_width (const char *text,
               gssize      bytes)
{
  guint width = 0;

  for (const char *p = text; *p != '\0' && (bytes < 0 || p < text + bytes); p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  return width;
}

static void
test_list_table (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint product_column;
  guint status_column;

  RUN (&run, "--db", fixture->db, "list");
  g_assert_cmpint (run.status, ==, 0);

  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* header, 3 rows, "" after the last newline */
  g_assert_true (g_str_has_prefix (lines[0], "Unit number"));

  /* Columns line up in terminal cells even though the institutions' Chinese names
   * differ in length and each of their characters takes two cells. */
  status_column = display_width (lines[0], strstr (lines[0], "Status") - lines[0]);
  product_column = display_width (lines[0], strstr (lines[0], "Product or filing") - lines[0]);
  for (guint i = 1; i <= 3; i++)
    {
      const char *status = strstr (lines[i], i == 1 ? "Design" : "Order");
      const char *product = strstr (lines[i], i == 3 ? "定制式骨盆重建假体" : "3D打印钛合金髋臼杯");

      g_assert_true (g_str_has_prefix (lines[i], fixture->units[i - 1]));
      g_assert_nonnull (status);
      g_assert_nonnull (product);
      g_assert_cmpuint (display_width (lines[i], status - lines[i]), ==, status_column);
      g_assert_cmpuint (display_width (lines[i], product - lines[i]), ==, product_column);
    }
  /* Choice labels, not stored values. */
  g_assert_nonnull (strstr (lines[1], "Patient-matched"));
  g_assert_nonnull (strstr (lines[3], "Customized"));
}

static void
test_list_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) status = { 0 };
  g_auto(Run) kind = { 0 };

  g_assert_cmpuint (list_count (fixture, NULL, NULL), ==, 3);
  g_assert_cmpuint (list_count (fixture, "--search", "P-2024-0002"), ==, 1);
  g_assert_cmpuint (list_count (fixture, "--search", "岭南医科"), ==, 2);
  g_assert_cmpuint (list_count (fixture, "--search", "髋臼骨缺损"), ==, 1);
  g_assert_cmpuint (list_count (fixture, "--search", "nothing-like-this"), ==, 0);
  g_assert_cmpuint (list_count (fixture, "--status", "design"), ==, 1);
  g_assert_cmpuint (list_count (fixture, "--status", "order"), ==, 2);
  g_assert_cmpuint (list_count (fixture, "--kind", "customized"), ==, 1);

  RUN (&status, "--db", fixture->db, "list", "--status", "bogus");
  assert_error (&status, 2, "bogus");
  /* The message lists what is allowed. */
  g_assert_nonnull (strstr (status.err, "design-review"));
  g_assert_nonnull (strstr (status.err, "cancelled"));
  g_assert_cmpstr (status.out, ==, "");

  RUN (&kind, "--db", fixture->db, "list", "--kind", "bogus");
  assert_error (&kind, 2, "patient-matched");
}

static void
test_list_missing_database (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "--db", fixture->db, "list");
  assert_error (&run, 3, "does not exist");
  /* Reading never creates a database. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

/* show ------------------------------------------------------------------------ */

static void
test_show_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *record;
  JsonObject *dossier;
  JsonArray *history;

  RUN (&run, "--db", fixture->db, "show", fixture->units[0], "--json");
  g_assert_cmpint (run.status, ==, 0);

  node = parse_json (run.out);
  record = json_node_get_object (node);
  dossier = json_object_get_object_member (record, "dossier");
  g_assert_cmpstr (json_object_get_string_member (dossier, "unit_no"), ==, fixture->units[0]);
  g_assert_cmpint (json_object_get_int_member (dossier, "id"), ==, fixture->dossiers[0]);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "model"), "code"),
                   ==, "AC-52");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "design_iterations")), ==, 1);

  history = json_object_get_array_member (record, "history");
  /* dossier, iteration, value, attachment, status */
  g_assert_cmpuint (json_array_get_length (history), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 3), "table"),
                   ==, "attachment");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 4), "reason"),
                   ==, "开始设计");
}

static void
test_show_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ATTACHMENT, -1);
  g_autofree char *size = g_strdup_printf ("%zu bytes", strlen (ATTACHMENT));
  const char *needles[] = {
    "Unit number:", "Patient-matched", "Design", "岭南医科大学附属第一医院", "Registered model",
    "AC-52", "Design iteration 1", "cup_outer_diameter", "52.0", "Audit trail (5 entries)",
    "开始设计", "tester", "Attachment 1", "髋臼杯-v1.stl", "model/stl", sha256, size, "Added by:",
  };

  RUN (&run, "--db", fixture->db, "show", fixture->units[0]);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Dossier "));
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    if (strstr (run.out, needles[i]) == NULL)
      g_error ("“%s” missing from:\n%s", needles[i], run.out);

  /* A customized unit shows its filing. */
  {
    g_auto(Run) customized = { 0 };

    RUN (&customized, "--db", fixture->db, "show", fixture->units[2]);
    g_assert_cmpint (customized.status, ==, 0);
    g_assert_nonnull (strstr (customized.out, "粤械定制备20240001号"));
    g_assert_nonnull (strstr (customized.out, "Customized"));
  }
}

static void
test_show_unknown (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "--db", fixture->db, "show", "NOSUCH");
  assert_error (&run, 2, "NOSUCH");
  g_assert_cmpstr (run.out, ==, "");
}

/* audit verify ------------------------------------------------------------------ */

static void
test_audit_clean (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  RUN (&run, "--db", fixture->db, "audit", "verify");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "intact"));
}

static void
test_audit_tampered_entry (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *seq = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *ignored = NULL;

  if (!require_sqlite3 ())
    return;

  seq = sqlite3_run (fixture->db, "SELECT max(seq) FROM audit_log");
  ignored = sqlite3_run (fixture->db,
                         "DROP TRIGGER audit_log_append_only_update; "
                         "UPDATE audit_log SET new_value = 'x' WHERE seq = (SELECT max(seq) FROM audit_log)");

  RUN (&run, "--db", fixture->db, "audit", "verify");
  g_assert_cmpint (run.status, ==, 1);
  needle = g_strdup_printf ("Audit entry %s ", seq);
  if (strstr (run.out, needle) == NULL)
    g_error ("“%s” missing from:\n%s", needle, run.out);
  g_assert_nonnull (strstr (run.out, "problem"));
}

/* The same for an entry that records a created row (its new_value is the row as
 * JSON): the check must still run and name the entry. */
static void
test_audit_tampered_create_entry (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *seq = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *ignored = NULL;

  if (!require_sqlite3 ())
    return;

  seq = sqlite3_run (fixture->db, "SELECT max(seq) FROM audit_log WHERE action = 'create'");
  ignored = sqlite3_run (fixture->db,
                         "DROP TRIGGER audit_log_append_only_update; "
                         "UPDATE audit_log SET new_value = 'x' "
                         "WHERE seq = (SELECT max(seq) FROM audit_log WHERE action = 'create')");

  RUN (&run, "--db", fixture->db, "audit", "verify");
  g_assert_cmpint (run.status, ==, 1);
  needle = g_strdup_printf ("Audit entry %s ", seq);
  if (strstr (run.out, needle) == NULL)
    g_error ("“%s” missing from:\n%s", needle, run.out);
}

static void
test_audit_tampered_record (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sql = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *needle = NULL;

  if (!require_sqlite3 ())
    return;

  sql = g_strdup_printf ("DROP TRIGGER auditgen_dossier_update; "
                         "UPDATE dossier SET status = 'released' WHERE id = %" G_GINT64_FORMAT,
                         fixture->dossiers[0]);
  ignored = sqlite3_run (fixture->db, sql);

  RUN (&run, "--db", fixture->db, "audit", "verify");
  g_assert_cmpint (run.status, ==, 1);
  /* Names the record and the field, one problem per line, then the summary. */
  needle = g_strdup_printf ("dossier %" G_GINT64_FORMAT ", field “status”", fixture->dossiers[0]);
  if (strstr (run.out, needle) == NULL)
    g_error ("“%s” missing from:\n%s", needle, run.out);
  g_assert_nonnull (strstr (run.out, "released"));
  /* The dropped trigger is reported too. */
  g_assert_nonnull (strstr (run.out, "auditgen_dossier_update"));
  g_assert_nonnull (strstr (run.out, "2 problems found"));
}

/* Databases that cannot be used ------------------------------------------------- */

static void
test_open_text_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  g_assert_true (g_file_set_contents (fixture->db, "This is a shopping list, not a database.\n", -1, NULL));
  RUN (&run, "--db", fixture->db, "list");
  assert_error (&run, 3, "not a database");
}

static void
test_open_other_application (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *wal = g_strconcat (fixture->db, "-wal", NULL);
  gsize before_len = 0;
  gsize after_len = 0;

  if (!require_sqlite3 ())
    return;

  ignored = sqlite3_run (fixture->db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  g_assert_true (g_file_get_contents (fixture->db, &before, &before_len, NULL));

  for (guint i = 0; i < 2; i++)
    {
      g_auto(Run) each = { 0 };

      /* Neither reading nor init may touch it. */
      RUN (&each, "--db", fixture->db, i == 0 ? "list" : "init");
      assert_error (&each, 3, "not a Dossier database");
    }

  g_assert_true (g_file_get_contents (fixture->db, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_open_too_new (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *ignored = NULL;
  g_autofree char *sql = NULL;

  if (!require_sqlite3 ())
    return;

  sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 99; CREATE TABLE t(x)",
                         DOSSIER_STORE_APPLICATION_ID);
  ignored = sqlite3_run (fixture->db, sql);

  RUN (&run, "--db", fixture->db, "audit", "verify");
  assert_error (&run, 3, "newer");
}

/* Another program holding the database: after the busy timeout (short in the
 * tests) the tool gives up with the store's message instead of hanging. */
static void
test_open_locked (Fixture       *fixture,
                  gconstpointer  data)
{
  sqlite3 *db = NULL;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                                     "UPDATE serial SET last = last", NULL, NULL, NULL), ==, SQLITE_OK);

  RUN_ENV (&run, "DOSSIER_BUSY_TIMEOUT_MS=200", "--db", fixture->db, "list");
  assert_error (&run, 3, "locked");

  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
}

/* demo ------------------------------------------------------------------------ */

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) verify = { 0 };
  g_auto(Run) more = { 0 };
  g_autofree char *db2 = g_build_filename (fixture->dir, "more.db", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  RUN (&run, "--db", fixture->db, "demo");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (list_count (fixture, NULL, NULL), ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);

  /* Seeding twice is refused. */
  RUN (&again, "--db", fixture->db, "demo");
  assert_error (&again, 2, "--force");
  g_assert_cmpuint (list_count (fixture, NULL, NULL), ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);

  RUN (&verify, "--db", fixture->db, "audit", "verify");
  g_assert_cmpint (verify.status, ==, 0);

  /* Every demo dossier has a record. */
  {
    g_auto(Run) list = { 0 };

    RUN (&list, "--db", fixture->db, "list", "--json");
    node = parse_json (list.out);
    array = json_node_get_array (node);
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        g_auto(Run) show = { 0 };
        const char *unit = json_object_get_string_member (json_array_get_object_element (array, i), "unit_no");

        RUN (&show, "--db", fixture->db, "show", unit);
        g_assert_cmpint (show.status, ==, 0);
        g_assert_nonnull (strstr (show.out, unit));
      }
  }

  RUN (&more, "--db", db2, "demo", "--count", "40");
  g_assert_cmpint (more.status, ==, 0);
  g_assert_nonnull (strstr (more.out, "40"));
}

/* A filing package written by export verifies, and one changed byte is named. */
static void
test_export_verify (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *out = g_build_filename (fixture->dir, "package", NULL);
  g_autofree char *package_xml = g_build_filename (out, "package.xml", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  RUN (&run, "--db", fixture->db, "export", "--all", "--out", out);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (package_xml, G_FILE_TEST_IS_REGULAR));
  run_clear (&run);

  RUN (&run, "verify", out);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* Exporting onto an existing package is refused, not merged. */
  RUN (&run, "--db", fixture->db, "export", "--all", "--out", out);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  g_assert_true (g_file_get_contents (package_xml, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 100);
  contents[length / 2] = contents[length / 2] == 'a' ? 'b' : 'a';
  g_assert_true (g_file_set_contents (package_xml, contents, length, NULL));

  RUN (&run, "verify", out);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "package.xml"));
  g_assert_nonnull (strstr (run.out, "PKG-HASH"));
}

/* import: exit 0 and a summary; a second import adds nothing; a changed byte is
 * refused with the verification findings (exit 1); bad usage is exit 2. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *out = g_build_filename (fixture->dir, "package", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "imported.db", NULL);
  g_autofree char *again = g_build_filename (fixture->dir, "again", NULL);
  g_autofree char *package_xml = g_build_filename (out, "package.xml", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize length = 0;

  RUN (&run, "--db", fixture->db, "export", "--all", "--out", out);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  RUN (&run, "--db", other, "import", out);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Imported the package"));
  g_assert_nonnull (strstr (run.out, "0 already present"));
  run_clear (&run);

  RUN (&run, "--db", other, "import", "--json", out);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"added\" : 0"));
  run_clear (&run);

  RUN (&run, "--db", other, "audit", "verify");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* The imported database exports the same package.xml. */
  RUN (&run, "--db", other, "export", "--all", "--out", again);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  {
    g_autofree char *p1 = g_build_filename (out, "manifest.xml", NULL);
    g_autofree char *p2 = g_build_filename (again, "manifest.xml", NULL);

    g_assert_true (g_file_get_contents (p1, &a, NULL, NULL));
    g_assert_true (g_file_get_contents (p2, &b, NULL, NULL));
    g_assert_cmpstr (a, ==, b);
  }

  RUN (&run, "--db", other, "import");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  g_assert_true (g_file_get_contents (package_xml, &contents, &length, NULL));
  contents[length / 2] = contents[length / 2] == 'a' ? 'b' : 'a';
  g_assert_true (g_file_set_contents (package_xml, contents, length, NULL));

  RUN (&run, "--db", other, "import", out);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "PKG-HASH"));
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *content = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &content, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)content, len);
}

/* A zip package: deterministic, verifies, and a changed byte is named. */
static void
test_export_zip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *one = g_build_filename (fixture->dir, "one.zip", NULL);
  g_autofree char *two = g_build_filename (fixture->dir, "two.zip", NULL);
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *at = NULL;

  RUN (&run, "--db", fixture->db, "export", "--all", "--zip", "--out", one);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  RUN (&run, "--db", fixture->db, "export", "--all", "--zip", "--out", two);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  h1 = file_sha256 (one);
  h2 = file_sha256 (two);
  g_assert_cmpstr (h1, ==, h2);

  RUN (&run, "verify", one);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "valid"));
  run_clear (&run);

  /* The attachment is stored as it is, so its bytes can be found and changed. */
  g_assert_true (g_file_get_contents (two, &contents, &length, NULL));
  for (gsize i = 0; at == NULL && i + 8 <= length; i++)
    if (memcmp (contents + i, "endsolid", 8) == 0)
      at = contents + i;
  g_assert_nonnull (at);
  *at = 'E';
  g_assert_true (g_file_set_contents (two, contents, length, NULL));
  RUN (&run, "verify", "--json", two);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\"rule_id\" : \"PKG-ZIP\""));
  g_assert_nonnull (strstr (run.out, "\"file\" : \"attachments/"));
}

static void
test_export_scopes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = g_build_filename (fixture->dir, "filing", NULL);
  g_autofree char *range = g_build_filename (fixture->dir, "range.zip", NULL);
  g_autofree char *nothing = g_build_filename (fixture->dir, "nothing", NULL);
  g_autofree char *package_xml = g_build_filename (out, "package.xml", NULL);
  g_autofree char *text = NULL;

  {
    g_auto(Run) run = { 0 };

    RUN (&run, "--db", fixture->db, "export", "--filing", "粤械定制备20240001号", "--out", out);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (package_xml, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "<scope kind=\"filing\">"));
    g_assert_nonnull (strstr (text, fixture->units[2]));
    g_assert_null (strstr (text, fixture->units[0]));
    run_clear (&run);
    RUN (&run, "verify", out);
    g_assert_cmpint (run.status, ==, 0);
  }

  /* An order date for one dossier, then a range around it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DossierStore) store = dossier_store_open (fixture->db, &error);
    g_auto(Run) run = { 0 };

    g_assert_no_error (error);
    dossier_store_set_actor (store, "tester");
    g_assert_true (dossier_store_update (store, "dossier", fixture->dossiers[1],
                                         (DossierField[]) { { "ordered_on", "2025-03-01" }, { NULL } }, NULL, &error));
    g_assert_no_error (error);
    g_clear_object (&store);

    RUN (&run, "--db", fixture->db, "export", "--from", "2025-03-01", "--to", "2025-03-31", "--zip", "--out", range);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "1 dossier,"));
    run_clear (&run);
    RUN (&run, "verify", range);
    g_assert_cmpint (run.status, ==, 0);
  }

  /* Refused, with what is wrong, and nothing written. */
  {
    struct
    {
      const char *args[8];
      const char *needle;
    } bad[] = {
      { { "export", "--out", nothing }, "--unit" },
      { { "export", "--all", "--unit", fixture->units[0], "--out", nothing }, "only one" },
      { { "export", "--filing", "粤械定制备20240001号", "--all", "--out", nothing }, "only one" },
      { { "export", "--from", "2025-01-01", "--out", nothing }, "--to" },
      { { "export", "--to", "2025-01-01", "--all", "--out", nothing }, "--from" },
      { { "export", "--all" }, "--out" },
      { { "export", "--from", "2025-02-01", "--to", "2025-01-01", "--out", nothing }, "2025-02-01" },
      { { "export", "--from", "2025-13-01", "--to", "2025-12-31", "--out", nothing }, "2025-13-01" },
      { { "export", "--from", "2030-01-01", "--to", "2030-12-31", "--out", nothing }, "2030-01-01" },
      { { "export", "--filing", "粤械定制备20999999号", "--out", nothing }, "粤械定制备20999999号" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(Run) run = { 0 };
        g_autoptr(GPtrArray) args = g_ptr_array_new ();

        g_ptr_array_add (args, (gpointer)"--db");
        g_ptr_array_add (args, fixture->db);
        for (guint j = 0; bad[i].args[j] != NULL; j++)
          g_ptr_array_add (args, (gpointer)bad[i].args[j]);
        g_ptr_array_add (args, NULL);
        run_with_env (&run, NULL, (const char * const *)args->pdata);
        assert_error (&run, 2, bad[i].needle);
        g_assert_false (g_file_test (nothing, G_FILE_TEST_EXISTS));
      }
  }
}

/* The same database gives the same package whatever the exporter's language: the
 * signatures' manifestations are written in English. */
static void
test_export_language (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "demo.db", NULL);
  g_autofree char *en = g_build_filename (fixture->dir, "en.zip", NULL);
  g_autofree char *zh = g_build_filename (fixture->dir, "zh.zip", NULL);
  g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  g_autofree char *localedir_env = g_strconcat ("DOSSIER_LOCALEDIR=", localedir, NULL);
  const char *en_env[] = { "LANGUAGE", "LC_ALL=C.UTF-8", "DOSSIER_PASSWORD=wang.fang-demo", NULL };
  const char *zh_env[] = { "LANGUAGE=zh_CN", "LC_ALL=zh_CN.UTF-8", localedir_env,
                           "DOSSIER_PASSWORD=wang.fang-demo", NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_auto(Run) run = { 0 };
  gsize la, lb;

  RUN (&run, "--db", db, "demo");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  run_with_env (&run, en_env, (const char *[]) { "--db", db, "--user", "wang.fang", "export", "--all", "--zip",
                                                 "--out", en, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Wrote the package"));
  run_clear (&run);

  run_with_env (&run, zh_env, (const char *[]) { "--db", db, "--user", "wang.fang", "export", "--all", "--zip",
                                                 "--out", zh, NULL });
  g_assert_cmpint (run.status, ==, 0);
  /* It did speak Chinese. */
  g_assert_null (strstr (run.out, "Wrote the package"));
  run_clear (&run);

  g_assert_true (g_file_get_contents (en, &a, &la, NULL));
  g_assert_true (g_file_get_contents (zh, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
}

/* Once there are accounts, exporting needs a regulatory user or an administrator. */
static void
test_export_permission (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *out = g_build_filename (fixture->dir, "package", NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DossierStore) store = dossier_store_open (fixture->db, &error);

    g_assert_no_error (error);
    g_assert_cmpint (dossier_auth_create_user (store, "boss", "管理员", DOSSIER_ROLE_ADMINISTRATOR,
                                               "boss-password-1", &error), >, 0);
    g_assert_no_error (error);
    g_assert_true (dossier_store_sign_in (store, "boss", "boss-password-1", &error));
    g_assert_no_error (error);
    g_assert_cmpint (dossier_auth_create_user (store, "eng", "张伟", DOSSIER_ROLE_ENGINEER,
                                               "eng-password-1", &error), >, 0);
    g_assert_no_error (error);
    g_assert_cmpint (dossier_auth_create_user (store, "reg", "王芳", DOSSIER_ROLE_REGULATORY,
                                               "reg-password-1", &error), >, 0);
    g_assert_no_error (error);
  }

  {
    g_auto(Run) run = { 0 };

    RUN (&run, "--db", fixture->db, "export", "--all", "--out", out);
    assert_error (&run, 2, "Regulatory");
    run_clear (&run);
    RUN_ENV (&run, "DOSSIER_PASSWORD=eng-password-1", "--db", fixture->db, "--user", "eng", "export", "--all", "--out", out);
    assert_error (&run, 2, "eng");
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    run_clear (&run);
    RUN_ENV (&run, "DOSSIER_PASSWORD=reg-password-1", "--db", fixture->db, "export", "--user", "reg", "--all", "--out", out);
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    RUN (&run, "verify", out);
    g_assert_cmpint (run.status, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
#define POPULATED GINT_TO_POINTER (1)
  ADD ("/cli/help", test_help, NULL);
  ADD ("/cli/version", test_version, NULL);
  ADD ("/cli/bad-usage", test_bad_usage, NULL);
  ADD ("/cli/init", test_init, NULL);
  ADD ("/cli/init/env", test_init_env, NULL);
  ADD ("/cli/list/json", test_list_json, POPULATED);
  ADD ("/cli/list/table", test_list_table, POPULATED);
  ADD ("/cli/list/filters", test_list_filters, POPULATED);
  ADD ("/cli/list/missing-database", test_list_missing_database, NULL);
  ADD ("/cli/show/json", test_show_json, POPULATED);
  ADD ("/cli/show/text", test_show_text, POPULATED);
  ADD ("/cli/show/unknown", test_show_unknown, POPULATED);
  ADD ("/cli/audit/clean", test_audit_clean, POPULATED);
  ADD ("/cli/audit/tampered-entry", test_audit_tampered_entry, POPULATED);
  ADD ("/cli/audit/tampered-create-entry", test_audit_tampered_create_entry, POPULATED);
  ADD ("/cli/audit/tampered-record", test_audit_tampered_record, POPULATED);
  ADD ("/cli/open/text-file", test_open_text_file, NULL);
  ADD ("/cli/open/other-application", test_open_other_application, NULL);
  ADD ("/cli/open/too-new", test_open_too_new, NULL);
  ADD ("/cli/open/locked", test_open_locked, POPULATED);
  ADD ("/cli/demo", test_demo, NULL);
  ADD ("/cli/export/verify", test_export_verify, POPULATED);
  ADD ("/cli/import", test_import, POPULATED);
  ADD ("/cli/export/zip", test_export_zip, POPULATED);
  ADD ("/cli/export/scopes", test_export_scopes, POPULATED);
  ADD ("/cli/export/permission", test_export_permission, POPULATED);
  ADD ("/cli/export/language", test_export_language, NULL);
#undef POPULATED
#undef ADD

  return g_test_run ();
}
