/* bench-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>

#include "dossier-check.h"
#include "dossier-envelope.h"
#include "dossier-store.h"

/* dossier-bench-check: how long the envelope and rule check takes on a large
 * database (target: all of 100,000 dossiers in under 5 s).
 *
 * It builds N dossiers (default 100,000) of the demo models (AC-48, AC-52, AC-56,
 * OG-HTO, OG-MAN, with the demo size ranges) and the customized filing, most with a
 * design of 4 to 6 parameter values, a few out of range, off the step grid or in
 * another unit, and with statuses spread over the whole workflow; rows go in with
 * SQL for speed (audited all the same), then it times:
 *
 *   1. the first full check (every result computed and stored),
 *   2. a full check again (every stored result still current, none read back),
 *   3. a full check that reads every stored report back, as `dossier-cli check` does,
 *   4. a forced full check (every result computed again, reports built),
 *   5. single-dossier checks as the editor runs them (with the worst-case tier),
 *   6. and as the workflow gate runs them (without it). */

#define TARGET_SECONDS 5.0

static int opt_count = 100000;
static gboolean opt_keep = FALSE;

static const struct
{
  const char *code;
  const char *names[6];
  const char *units[6];
  double      lo[6];
  double      hi[6];
  double      step[6];
} models[] = {
  { "AC-48", { "outer_diameter", "wall_thickness", "porosity", "mean_pore_size", "screw_holes", "material_grade" },
    { "mm", "mm", "%", "µm", "", NULL }, { 40, 2.0, 60, 400, 0, 0 }, { 50, 3.5, 80, 800, 6, 0 }, { 1, 0.1, 0, 0, 1, 0 } },
  { "AC-52", { "outer_diameter", "wall_thickness", "porosity", "mean_pore_size", "screw_holes", "material_grade" },
    { "mm", "mm", "%", "µm", "", NULL }, { 44, 2.0, 60, 400, 0, 0 }, { 58, 4.0, 80, 800, 6, 0 }, { 1, 0.1, 0, 0, 1, 0 } },
  { "AC-56", { "outer_diameter", "wall_thickness", "porosity", "mean_pore_size", "screw_holes", "material_grade" },
    { "mm", "mm", "%", "µm", "", NULL }, { 52, 2.5, 60, 400, 0, 0 }, { 60, 4.0, 80, 800, 6, 0 }, { 1, 0.1, 0, 0, 1, 0 } },
  { "OG-HTO", { "slot_width", "pin_hole_diameter", "guide_thickness", "correction_angle", "material_grade", NULL },
    { "mm", "mm", "mm", "°", NULL, NULL }, { 1.0, 2.0, 3.0, 5, 0, 0 }, { 1.5, 3.2, 6.0, 15, 0, 0 }, { 0, 0, 0, 0, 0, 0 } },
  { "OG-MAN", { "slot_width", "pin_hole_diameter", "guide_thickness", "resection_length", "material_grade", NULL },
    { "mm", "mm", "mm", "mm", NULL, NULL }, { 0.8, 1.2, 2.0, 10, 0, 0 }, { 1.4, 2.5, 5.0, 120, 0, 0 }, { 0, 0, 0, 0, 0, 0 } },
};

static const char *statuses[] = {
  "order", "design", "design-review", "design-approved", "processing", "inspection",
  "released", "delivered", "used", "closed", "cancelled",
};

typedef struct
{
  char   *what;
  char   *figure;
} Row;

static GPtrArray *rows;

static void
add_row (const char *what,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
add_row (const char *what,
         const char *format,
         ...)
{
  Row *row = g_new0 (Row, 1);
  va_list args;

  va_start (args, format);
  row->what = g_strdup (what);
  row->figure = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (rows, row);
  g_print ("  %-58s %s\n", row->what, row->figure);
}

static gint64
insert (DossierStore       *store,
        const char         *table,
        const DossierField *fields)
{
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_store_insert (store, table, fields, &error);

  if (id == 0)
    g_error ("%s: %s", table, error->message);
  return id;
}

static void
exec_ok (sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("%s", sqlite3_errmsg (sqlite3_db_handle (stmt)));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  return stmt;
}

/* A value of parameter p of model m: mostly a registered size, now and then outside
 * the range, off the grid or written in another unit. */
static char *
make_value (GRand      *rand,
            guint       m,
            guint       p,
            const char **unit)
{
  double lo = models[m].lo[p], hi = models[m].hi[p], step = models[m].step[p];
  double v;
  int roll = g_rand_int_range (rand, 0, 1000);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  *unit = models[m].units[p];
  if (step > 0)
    {
      int n = (int)((hi - lo) / step + 0.5);
      v = lo + step * g_rand_int_range (rand, 0, n + 1);
    }
  else
    v = lo + (hi - lo) * g_rand_double (rand);

  if (roll < 15)
    v = hi + (step > 0 ? step : (hi - lo) / 10);            /* 1.5 %: above the range */
  else if (roll < 25 && step > 0)
    v += step / 2;                                           /* 1 %: off the grid */

  if (roll >= 990 && g_strcmp0 (*unit, "mm") == 0)
    {
      *unit = "cm";                                          /* 1 %: centimetres */
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", v / 10));
    }
  return g_strdup (g_ascii_formatd (buf, sizeof buf, step >= 1 ? "%.0f" : "%.2f", v));
}

static void
build (DossierStore *store,
       int           count)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260301);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = dossier_store_get_handle (store);
  sqlite3_stmt *patient, *dossier, *iteration, *value, *confirmation;
  gint64 institution, clinician, filing, product_cup, product_guide;
  gint64 model_ids[G_N_ELEMENTS (models)];
  g_autofree char *inst = NULL;

  if (!dossier_store_begin (store, &error))
    g_error ("%s", error->message);

  institution = insert (store, "institution", (DossierField[]) {
    { "name_zh", "岭南医科大学附属第一医院" }, { "practising_licence", "PDY00001X44010415A1002" },
    { "province_code", "440000" }, { NULL } });
  inst = g_strdup_printf ("%" G_GINT64_FORMAT, institution);
  clinician = insert (store, "clinician", (DossierField[]) {
    { "institution_id", inst }, { "name_zh", "陈志远" }, { "certificate_no", "110440100012345" }, { NULL } });
  filing = insert (store, "filing", (DossierField[]) {
    { "number", "粤械定制备20240003号" }, { "province_code", "440000" }, { "filed_on", "2024-06-18" },
    { "status", "filed" }, { "institution_id", inst }, { "device_name", "定制式钛合金骨盆重建假体" },
    { "main_materials", "TC4 钛合金（Ti-6Al-4V ELI）" }, { "case_threshold", "100000" }, { NULL } });
  product_cup = insert (store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20243130417" }, { "device_class", "3" }, { "name_zh", "3D打印钛合金髋臼杯" }, { NULL } });
  product_guide = insert (store, "product", (DossierField[]) {
    { "certificate_no", "粤械注准20232180093" }, { "device_class", "2" }, { "name_zh", "患者匹配截骨导板" }, { NULL } });
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *product = g_strdup_printf ("%" G_GINT64_FORMAT, m < 3 ? product_cup : product_guide);
      model_ids[m] = insert (store, "product_model", (DossierField[]) {
        { "product_id", product }, { "code", models[m].code }, { NULL } });
    }
  if (!dossier_envelope_seed_demo (store, &error))
    g_error ("%s", error->message);

  patient = prepare (db, "INSERT INTO patient (code, sex, birth_year) VALUES (?1, ?2, ?3)");
  dossier = prepare (db, "INSERT INTO dossier (unit_no, kind, status, institution_id, clinician_id, patient_id, "
                         "filing_id, model_id, ordered_on, patient_age, condition, treatment_plan, risks, necessity, "
                         "clinical_data, lesion_site, design_requirements, delivery_requirements, acceptance_criteria, "
                         "clinician_signed_on, manufacturer_contact, manufacturer_signed_on, created_at, updated_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '2025-06-01', 60, '髋关节骨关节炎', '全髋置换', '感染', "
                         "'无上市产品', 'CT', '髋臼', '按 CT 设计', '灭菌包装', '尺寸 ±0.2 mm', '2025-06-01', '王芳', "
                         "'2025-06-02', '2025-06-01T09:00:00+08:00', '2025-06-01T09:00:00+08:00')");
  iteration = prepare (db, "INSERT INTO design_iteration (dossier_id, version, designed_on, designer) "
                           "VALUES (?1, 1, '2025-06-05', '李工')");
  value = prepare (db, "INSERT INTO parameter_value (iteration_id, name, value, unit, category) VALUES (?1, ?2, ?3, ?4, ?5)");
  confirmation = prepare (db, "INSERT INTO design_confirmation (dossier_id, iteration_id, clinician_id, confirmed_on, document_no) "
                              "VALUES (?1, ?2, ?3, '2025-06-08', ?4)");

  for (int i = 0; i < count; i++)
    {
      char code[32], unit_no[32], doc[32];
      gboolean customized = g_rand_int_range (rand, 0, 100) < 15;
      guint m = (guint)g_rand_int_range (rand, 0, G_N_ELEMENTS (models));
      const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
      gint64 patient_id, dossier_id, iteration_id;

      g_snprintf (code, sizeof code, "B-%07d", i + 1);
      sqlite3_bind_text (patient, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (patient, 2, i % 2 ? "female" : "male", -1, SQLITE_STATIC);
      sqlite3_bind_int (patient, 3, 1940 + i % 60);
      exec_ok (patient);
      patient_id = sqlite3_last_insert_rowid (db);

      g_snprintf (unit_no, sizeof unit_no, "DSR-2025-%07d", i + 1);
      sqlite3_bind_text (dossier, 1, unit_no, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (dossier, 2, customized ? "customized" : "patient-matched", -1, SQLITE_STATIC);
      sqlite3_bind_text (dossier, 3, status, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (dossier, 4, institution);
      sqlite3_bind_int64 (dossier, 5, clinician);
      sqlite3_bind_int64 (dossier, 6, patient_id);
      if (customized)
        sqlite3_bind_int64 (dossier, 7, filing);
      else
        sqlite3_bind_int64 (dossier, 8, model_ids[m]);
      exec_ok (dossier);
      dossier_id = sqlite3_last_insert_rowid (db);

      if (g_str_equal (status, "order"))
        continue;

      sqlite3_bind_int64 (iteration, 1, dossier_id);
      exec_ok (iteration);
      iteration_id = sqlite3_last_insert_rowid (db);

      for (guint p = 0; p < G_N_ELEMENTS (models[m].names) && models[m].names[p] != NULL; p++)
        {
          sqlite3_bind_int64 (value, 1, iteration_id);
          sqlite3_bind_text (value, 2, models[m].names[p], -1, SQLITE_STATIC);
          if (models[m].units[p] == NULL)
            {
              sqlite3_bind_text (value, 4, "", -1, SQLITE_STATIC);
              sqlite3_bind_text (value, 5, m < 3 ? "Ti-6Al-4V ELI" : "PA12", -1, SQLITE_STATIC);
            }
          else
            {
              const char *unit;
              char *text = make_value (rand, m, p, &unit);

              sqlite3_bind_text (value, 3, text, -1, g_free);
              sqlite3_bind_text (value, 4, unit, -1, SQLITE_STATIC);
            }
          exec_ok (value);
        }

      if (g_strcmp0 (status, "design") != 0 && g_strcmp0 (status, "design-review") != 0)
        {
          g_snprintf (doc, sizeof doc, "DC-%07d", i + 1);
          sqlite3_bind_int64 (confirmation, 1, dossier_id);
          sqlite3_bind_int64 (confirmation, 2, iteration_id);
          sqlite3_bind_int64 (confirmation, 3, clinician);
          sqlite3_bind_text (confirmation, 4, doc, -1, SQLITE_TRANSIENT);
          exec_ok (confirmation);
        }
    }

  sqlite3_finalize (patient);
  sqlite3_finalize (dossier);
  sqlite3_finalize (iteration);
  sqlite3_finalize (value);
  sqlite3_finalize (confirmation);

  if (!dossier_store_commit (store, &error))
    g_error ("%s", error->message);
}

typedef struct
{
  guint n;
  guint findings;
} Count;

static gboolean
count_report (DossierCheckReport *report,
              gpointer            user_data)
{
  Count *count = user_data;

  count->n++;
  count->findings += dossier_check_report_get_n_findings (report);
  return TRUE;
}

/* Processor time of this process: on a busy machine a truer figure than the clock. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double last_cpu;

static double
full_check (DossierStore        *store,
            DossierCheckFlags    flags,
            gboolean             reports,
            DossierCheckSummary *summary,
            Count               *count)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  DossierCheckOptions options = { "2026-03-01", NULL, flags };
  double cpu = cpu_seconds ();

  if (!dossier_check_dossiers (store, NULL, 0, &options, reports ? count_report : NULL, count, summary, NULL, &error))
    g_error ("%s", error->message);
  last_cpu = cpu_seconds () - cpu;
  return g_timer_elapsed (timer, NULL);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Number of dossiers (default 100000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the database and print where it is", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  DossierCheckSummary summary = { 0 };
  Count count = { 0 };
  double seconds, first;
  const char *env = g_getenv ("DOSSIER_BENCH_COUNT");

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (env != NULL && *env != '\0')
    opt_count = (int)g_ascii_strtoll (env, NULL, 10);
  if (opt_count < 1)
    opt_count = 1;

  rows = g_ptr_array_new ();
  dir = g_dir_make_tmp ("dossier-bench-check-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "bench.db", NULL);
  store = dossier_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  g_print ("dossier-bench-check: %d dossiers in %s\n", opt_count, path);
  build (store, opt_count);
  add_row ("building the database (not part of the check)", "%.1f s", g_timer_elapsed (timer, NULL));

  first = full_check (store, DOSSIER_CHECK_DEFAULT, FALSE, &summary, &count);
  add_row ("1. full check, first run (all computed and stored)", "%.2f s, %.2f s CPU  (%s target %.0f s)", first,
           last_cpu, first < TARGET_SECONDS ? "meets" : "MISSES", TARGET_SECONDS);
  add_row ("   verdicts", "%u pass, %u warnings, %u errors; %u computed",
           summary.n_passed, summary.n_warnings, summary.n_errors, summary.n_recomputed);

  seconds = full_check (store, DOSSIER_CHECK_DEFAULT, FALSE, &summary, &count);
  add_row ("2. full check, nothing changed (stored results current)", "%.2f s, %.2f s CPU  (%u reused)", seconds,
           last_cpu, summary.n_reused);

  seconds = full_check (store, DOSSIER_CHECK_DEFAULT, TRUE, &summary, &count);
  add_row ("3. full check with every report (as `check --json` does)", "%.2f s, %.2f s CPU  (%s target %.0f s; %u findings)",
           seconds, last_cpu, seconds < TARGET_SECONDS ? "meets" : "MISSES", TARGET_SECONDS, count.findings);

  count = (Count) { 0 };
  seconds = full_check (store, DOSSIER_CHECK_FORCE, TRUE, &summary, &count);
  add_row ("4. full check, forced (all computed again, reports built)", "%.2f s, %.2f s CPU  (%s target %.0f s)",
           seconds, last_cpu, seconds < TARGET_SECONDS ? "meets" : "MISSES", TARGET_SECONDS);

  /* The editor and the gate check one dossier at a time: the editor with the
   * worst-case tier, the gate without it (it cannot block by default). */
  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (7);
      g_autoptr(GTimer) one = g_timer_new ();
      DossierCheckOptions options = { "2026-03-01", NULL,
                                      DOSSIER_CHECK_FORCE | (mode == 1 ? DOSSIER_CHECK_NO_WORST_CASE : 0) };
      const int n = 100;

      for (int i = 0; i < n; i++)
        {
          gint64 id = g_rand_int_range (rand, 1, opt_count + 1);
          g_autoptr(DossierCheckReport) report = dossier_check_dossier (store, id, &options, &error);

          if (report == NULL)
            g_error ("%s", error->message);
        }
      add_row (mode == 0 ? "5. one dossier, computed with worst-case tier (editor), mean"
                         : "6. one dossier, as the workflow gate checks it, mean",
               "%.2f ms", g_timer_elapsed (one, NULL) * 1000 / n);
    }

  g_print ("\nTarget: checking all %d dossiers under %.0f s: %s (first run %.2f s; other processes on a\n"
           "busy machine slow the clock, compare the CPU figures).\n", opt_count, TARGET_SECONDS,
           first < TARGET_SECONDS ? "met" : "NOT met", first);

  g_clear_object (&store);
  if (opt_keep)
    g_print ("Database kept: %s\n", path);
  else
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }

  return 0;
}
