/* bench-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include "dossier-auth.h"
#include "dossier-demo.h"
#include "dossier-export.h"
#include "dossier-package-verify.h"
#include "dossier-signature.h"
#include "dossier-store.h"
#include "dossier-test-util.h"

/* dossier-bench-export: filing packages at scale.
 *
 *  1. A dossier with a 1 GiB attachment (streamed in, never held in memory), exported
 *     as a folder and as a zip and the zip verified, with the peak resident set size
 *     (getrusage) before and after each step: it must stay flat.
 *  2. 1,000 demo dossiers (--count) exported as a folder and as a zip; target under
 *     5 s each.
 *
 * Everything lives in a temporary folder that is removed at the end. */

#define TARGET_SECONDS 5.0

static int opt_count = 1000;
static int opt_big_mib = 1024;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static long
peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;   /* KiB on Linux */
}

static DossierStore *
open_seeded (const char *dir,
             guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (dir, "dossier.db", NULL);
  DossierStore *store = dossier_store_open (db, &error);

  g_assert_no_error (error);
  g_assert_true (dossier_demo_seed (store, count, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* Demo databases with accounts: an engineer adds attachments, regulatory staff
 * export. */
static void
sign_in (DossierStore *store,
         const char   *login)
{
  g_autoptr(GError) error = NULL;
  const DossierDemoUser *users;
  guint n;

  if (!dossier_auth_has_accounts (store))
    return;
  users = dossier_auth_get_demo_users (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (users[i].login, login))
      {
        g_assert_true (dossier_store_sign_in (store, login, users[i].password, &error));
        g_assert_no_error (error);
      }
}

static double
time_export (DossierStore         *store,
             DossierExportScope    scope,
             const char           *unit_no,
             DossierExportFormat   format,
             const char           *out,
             DossierExportSummary *summary)
{
  g_autoptr(GError) error = NULL;
  DossierExportOptions options = { .scope = scope, .unit_no = unit_no, .format = format };
  gint64 start = g_get_monotonic_time ();

  if (!dossier_export_package (store, &options, out, summary, NULL, &error))
    g_error ("export failed: %s", error->message);
  return seconds_since (start);
}

static void
bench_big_attachment (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = open_seeded (dir, 0);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *folder = g_build_filename (dir, "big", NULL);
  g_autofree char *zip = g_build_filename (dir, "big.zip", NULL);
  guint64 size = (guint64)opt_big_mib << 20;
  DossierExportSummary summary = { 0 };
  gint64 id, start;
  double s;

  sign_in (store, "zhang.wei");
  id = dossier_store_lookup_id (store, "dossier", "unit_no", "DSR-2026-000003", &error);
  g_assert_no_error (error);
  stream = dt_random_stream_new (size, 42);
  start = g_get_monotonic_time ();
  /* The design is signed, so adding to it takes a reason. */
  g_assert_cmpint (dossier_store_add_attachment_with_reason (store, id, "design", "骨盆重建-构建文件.3mf",
                                                             "application/octet-stream", stream,
                                                             "build file archived with the dossier", NULL, &error), >, 0);
  g_assert_no_error (error);
  g_print ("# attachment of %d MiB streamed into the store in %.1f s\n", opt_big_mib, seconds_since (start));
  sign_in (store, "wang.fang");

  g_print ("# peak RSS before exporting: %ld MiB\n", peak_rss_mib ());
  s = time_export (store, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000003", DOSSIER_EXPORT_FORMAT_FOLDER, folder, &summary);
  g_print ("# %d MiB attachment, folder: %.1f s, %" G_GUINT64_FORMAT " bytes; peak RSS now %ld MiB\n",
           opt_big_mib, s, summary.n_bytes, peak_rss_mib ());
  s = time_export (store, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000003", DOSSIER_EXPORT_FORMAT_ZIP, zip, &summary);
  g_print ("# %d MiB attachment, zip: %.1f s; peak RSS now %ld MiB\n", opt_big_mib, s, peak_rss_mib ());

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  start = g_get_monotonic_time ();
  g_assert_true (dossier_package_verify (zip, findings, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);
  g_print ("# verify of the %d MiB zip: %.1f s, valid; peak RSS now %ld MiB\n",
           opt_big_mib, seconds_since (start), peak_rss_mib ());
}

static void
bench_many (const char *dir)
{
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *folder = g_build_filename (dir, "all", NULL);
  g_autofree char *zip = g_build_filename (dir, "all.zip", NULL);
  DossierExportSummary summary = { 0 };
  gint64 start = g_get_monotonic_time ();
  double s;

  store = open_seeded (dir, opt_count);
  g_print ("# seeded %d demo dossiers in %.1f s\n", opt_count, seconds_since (start));
  sign_in (store, "wang.fang");

  s = time_export (store, DOSSIER_EXPORT_SCOPE_ALL, NULL, DOSSIER_EXPORT_FORMAT_FOLDER, folder, &summary);
  g_print ("# export of %u dossiers, folder: %.2f s (%u files, %" G_GUINT64_FORMAT " bytes)%s\n",
           summary.n_dossiers, s, summary.n_files, summary.n_bytes,
           s < TARGET_SECONDS ? "" : "  — over the 5 s target");
  s = time_export (store, DOSSIER_EXPORT_SCOPE_ALL, NULL, DOSSIER_EXPORT_FORMAT_ZIP, zip, &summary);
  {
    GStatBuf st;

    g_stat (zip, &st);
    g_print ("# export of %u dossiers, zip: %.2f s (%" G_GINT64_FORMAT " bytes)%s\n",
             summary.n_dossiers, s, (gint64)st.st_size, s < TARGET_SECONDS ? "" : "  — over the 5 s target");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *big_dir = NULL;
  g_autofree char *many_dir = NULL;
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &opt_count, "Dossiers to export (default 1000)", "N" },
    { "big-mib", 0, 0, G_OPTION_ARG_INT, &opt_big_mib, "Size of the big attachment in MiB (default 1024)", "MIB" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  dir = dt_make_tmpdir ();
  big_dir = g_build_filename (dir, "big", NULL);
  many_dir = g_build_filename (dir, "many", NULL);
  g_mkdir (big_dir, 0755);
  g_mkdir (many_dir, 0755);

  /* The big attachment first, while the process is small, so that a peak from it
   * would show. */
  bench_big_attachment (big_dir);
  dt_remove_tree (big_dir);
  bench_many (many_dir);
  dt_remove_tree (dir);
  return 0;
}
