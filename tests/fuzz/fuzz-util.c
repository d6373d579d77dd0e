/* fuzz-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-fuzz"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

#include "dossier-export.h"
#include "dossier-import.h"
#include "dossier-package-verify.h"
#include "dossier-package-zip.h"
#include "dossier-store.h"

#include "fuzz-util.h"

static char *workdir;    /* the template database */
static char *scratch;    /* workdir/scratch: emptied after every input */
static char *template_db;
static guint counter;
static gboolean verbose;

/* A critical is a broken precondition in the code under test, so a bug: abort, which
 * libFuzzer catches and keeps the input for.  (GLib's own fatal criticals raise
 * SIGTRAP, which libFuzzer does not catch.) */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
remove_workdir (void)
{
  if (workdir != NULL)
    dossier_package_remove_tree (workdir);
  g_clear_pointer (&workdir, g_free);
  g_clear_pointer (&scratch, g_free);
  g_clear_pointer (&template_db, g_free);
}

void
fuzz_init (void)
{
  static gboolean done;
  /* Small enough that a zip bomb costs milliseconds, large enough for the seeds. */
  const DossierPackageZipLimits limits = {
    .max_entries = 64,
    .max_total_bytes = 8 * 1024 * 1024,
    .max_ratio = 1000,
  };

  if (done)
    return;
  done = TRUE;

  /* Memory from g_slice would hide leaks and overflows from the sanitizers; the
   * run script sets these too, since GLib may read them before this runs. */
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  g_setenv ("G_DEBUG", "gc-friendly", FALSE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  g_log_set_writer_func (write_log, NULL, NULL);

  /* DOSSIER_FUZZ_VERBOSE=1 says how far each input got: to see that the seeds
   * reach the import. */
  verbose = g_getenv ("DOSSIER_FUZZ_VERBOSE") != NULL;
  dossier_package_zip_set_limits_for_testing (&limits);
  atexit (remove_workdir);
}

const char *
fuzz_workdir (void)
{
  if (workdir == NULL)
    {
      g_autoptr(GError) error = NULL;

      workdir = g_dir_make_tmp ("dossier-fuzz-XXXXXX", &error);
      if (workdir == NULL)
        g_error ("Cannot create the scratch folder: %s", error->message);
      scratch = g_build_filename (workdir, "scratch", NULL);
      if (g_mkdir (scratch, 0700) != 0)
        g_error ("Cannot create %s", scratch);
    }
  return scratch;
}

char *
fuzz_path (const char *prefix,
           const char *suffix)
{
  g_autofree char *name = g_strdup_printf ("%s-%u%s", prefix, ++counter, suffix);

  return g_build_filename (fuzz_workdir (), name, NULL);
}

void
fuzz_clean (void)
{
  g_autoptr(GDir) dir = g_dir_open (fuzz_workdir (), 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (scratch, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        dossier_package_remove_tree (child);
      else
        g_unlink (child);
    }
}

/* A new, empty database.  Creating one runs every migration, which takes half a
 * second under the sanitizers, so one is made once and copied. */
static char *
new_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  char *db = fuzz_path ("db", ".db");
  gsize length = 0;

  if (template_db == NULL)
    {
      g_autoptr(DossierStore) store = NULL;

      fuzz_workdir ();
      template_db = g_build_filename (workdir, "template.db", NULL);
      if (!(store = dossier_store_open (template_db, &error)))
        g_error ("Cannot create a database: %s", error->message);
    }
  /* Closed, so the write-ahead log was checkpointed into the file. */
  if (!g_file_get_contents (template_db, &content, &length, &error) ||
      !g_file_set_contents (db, content, (gssize)length, &error))
    g_error ("Cannot copy the database: %s", error->message);
  return db;
}

void
fuzz_round_trip (const char *path,
                 gboolean    zip)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *out = NULL;
  DossierImportSummary summary = { 0 };
  gint64 start = g_get_monotonic_time ();
  DossierExportOptions options = {
    .scope = DOSSIER_EXPORT_SCOPE_ALL,
    .format = zip ? DOSSIER_EXPORT_FORMAT_ZIP : DOSSIER_EXPORT_FORMAT_FOLDER,
  };

  if (!dossier_package_verify (path, findings, NULL, &error))
    g_error ("Verification did not run: %s", error->message);
  for (guint i = 0; i < findings->len; i++)
    {
      /* Formatting every finding exercises the messages as the CLI prints them. */
      g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
      (void)line;
    }
  if (dossier_package_count_errors (findings) > 0)
    {
      if (verbose)
        g_printerr ("fuzz: %u findings, the first: %s\n", findings->len,
                    ((DossierPackageFinding *)g_ptr_array_index (findings, 0))->message);
      return;
    }

  if (verbose)
    g_printerr ("fuzz: verified in %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  db = new_database ();
  store = dossier_store_open (db, &error);
  if (store == NULL)
    g_error ("Cannot create a database: %s", error->message);
  if (verbose)
    g_printerr ("fuzz: database made at %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  if (!dossier_import_package (store, path, NULL, &summary, NULL, &error))
    {
      /* Every refusal says why: the CLI and the window show the message. */
      if (error == NULL)
        g_error ("The import failed without saying why");
      if (verbose)
        g_printerr ("fuzz: verified; import refused: %s\n", error->message);
      return;
    }
  if (summary.n_added == 0)
    return;
  if (verbose)
    g_printerr ("fuzz: imported at %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);

  out = fuzz_path ("export", zip ? ".zip" : "");
  if (!dossier_export_package (store, &options, out, NULL, NULL, &error))
    {
      if (verbose)
        g_printerr ("fuzz: imported %u dossiers; export failed: %s\n", summary.n_added, error->message);
    }
  else if (verbose)
    g_printerr ("fuzz: imported %u dossiers and exported them again at %" G_GINT64_FORMAT " ms\n",
                summary.n_added, (g_get_monotonic_time () - start) / 1000);
}
