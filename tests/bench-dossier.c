/* bench-dossier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include "dossier-demo.h"
#include "dossier-store.h"
#include "dossier-dossier-list.h"

/* dossier-bench: the figures that tell whether Dossier stays usable with a large
 * database.
 *
 *  1. Seeding N dossiers (default 100,000) with the demo generator into a fresh
 *     database, through the store's validated and audited writes, in one transaction.
 *  2. Searching it as the dossier list does (the DossierDossierList model), and as
 *     `dossier-cli list --search` does end to end when the CLI is built.
 *  3. Opening the main window on it until the first rows show, when the application
 *     is built and a display is available.
 *
 * The database lives in a temporary folder that is removed at the end (unless --keep).
 * Meson passes DOSSIER_CLI and DOSSIER_EXE when those programs are part of the
 * build. */

#define GUI_TIMEOUT_SECONDS 120

static int opt_count = 100000;
static gboolean opt_keep = FALSE;

typedef struct
{
  char *what;
  char *figure;
} Row;

static GPtrArray *rows;

static void
row_free (Row *row)
{
  g_free (row->what);
  g_free (row->figure);
  g_free (row);
}

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
  /* Also as it happens, so a long run shows progress in the log. */
  g_print ("# %s: %s\n", row->what, row->figure);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset)st.st_size : 0;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* 1. Seeding -------------------------------------------------------------------- */

static gboolean
bench_seed (const char  *path,
            GError     **error)
{
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *size = NULL;
  struct rusage usage;
  gint64 start;
  double ms;

  if (!(store = dossier_store_open (path, error)))
    return FALSE;

  start = g_get_monotonic_time ();
  if (!dossier_demo_seed (store, (guint)opt_count, NULL, error))
    return FALSE;
  ms = ms_since (start);

  add_row ("seed: dossiers", "%" G_GINT64_FORMAT, dossier_store_count (store, "dossier"));
  add_row ("seed: wall time", "%.1f s (%.0f dossiers/s)", ms / 1000.0, opt_count / (ms / 1000.0));
  size = g_format_size (file_size (path) + file_size (wal));
  add_row ("seed: database + WAL right after commit", "%s", size);

  /* Closing checkpoints the write-ahead log into the database file. */
  g_clear_object (&store);
  g_clear_pointer (&size, g_free);
  size = g_format_size (file_size (path));
  add_row ("seed: database after close", "%s (%.0f bytes per dossier)", size,
           (double)file_size (path) / MAX (opt_count, 1));

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    add_row ("seed: peak resident memory", "%.0f MiB", usage.ru_maxrss / 1024.0);

  return TRUE;
}

/* 2. Search ---------------------------------------------------------------------- */

typedef struct
{
  const char *label;
  const char *text;
} Query;

/* Typical things people type: a piece of a unit number, a hospital, a patient code
 * from a showcase dossier, and a two-character word (shorter than a trigram). */
static const Query queries[] = {
  { "unit-number fragment", "2026-0421" },
  { "hospital name fragment", "仁和医院" },
  { "patient code", "JC2-2026-0069" },
  { "2-character query", "骨盆" },
};

static gboolean
bench_list (const char  *path,
            GError     **error)
{
  g_autoptr(DossierStore) store = NULL;
  gint64 start;

  start = g_get_monotonic_time ();
  if (!(store = dossier_store_open (path, error)))
    return FALSE;
  add_row ("list: open store", "%.1f ms", ms_since (start));

  for (int q = -1; q < (int)G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(DossierDossierList) list = NULL;
      g_autofree char *what = NULL;
      const GError *list_error;
      guint n_items, n_first;
      double ms_count, ms_first;

      /* A fresh model for every query, as a new search in a new window would be,
       * so that no page cached by the previous query helps. */
      start = g_get_monotonic_time ();
      list = dossier_dossier_list_new (store);
      if (q >= 0)
        dossier_dossier_list_set_search (list, queries[q].text);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
      ms_count = ms_since (start);

      start = g_get_monotonic_time ();
      n_first = MIN (n_items, 50);
      for (guint i = 0; i < n_first; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (list), i);

          if (item == NULL)
            break;
        }
      ms_first = ms_since (start);

      list_error = dossier_dossier_list_get_error (list);
      if (list_error != NULL)
        {
          g_set_error (error, list_error->domain, list_error->code, "%s", list_error->message);
          return FALSE;
        }

      if (q < 0)
        what = g_strdup ("list: no search (all dossiers)");
      else
        what = g_strdup_printf ("list: %s “%s”", queries[q].label, queries[q].text);
      add_row (what, "%u matches; count %.1f ms; first %u items %.1f ms",
               n_items, ms_count, n_first, ms_first);
    }

  return TRUE;
}

static void
bench_cli (const char *path)
{
  const char *cli = g_getenv ("DOSSIER_CLI");

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      add_row ("cli", "skipped: dossier-cli is not built (DOSSIER_CLI not set)");
      return;
    }

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      const char *argv[] = { cli, "--db", path, "list", "--search", queries[q].text, NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *what = g_strdup_printf ("cli: list --search “%s”", queries[q].text);
      int status = 0;
      guint lines = 0;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
        {
          add_row (what, "failed to start: %s", error->message);
          continue;
        }
      ms = ms_since (start);

      if (!g_spawn_check_wait_status (status, &error))
        {
          add_row (what, "failed (%s): %s", error->message, err != NULL ? g_strstrip (err) : "");
          continue;
        }

      for (const char *p = out; p != NULL && *p; p++)
        lines += *p == '\n';
      add_row (what, "%.0f ms end to end (%u lines printed)", ms, lines);
    }
}

/* 3. Window --------------------------------------------------------------------- */

typedef struct
{
  GMainLoop   *loop;
  GSubprocess *process;
  char        *out;
  char        *err;
  GError      *error;
  gboolean     timed_out;
} GuiRun;

static void
gui_communicated (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GuiRun *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
gui_timeout (gpointer user_data)
{
  GuiRun *run = user_data;

  /* Communication finishes once the killed process closes its pipes. */
  run->timed_out = TRUE;
  g_subprocess_force_exit (run->process);
  return G_SOURCE_REMOVE;
}

/* The last line the application wrote to stderr, which usually says why it quit. */
static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (int i = (int)g_strv_length (lines) - 1; i >= 0; i--)
    if (*g_strstrip (lines[i]) != '\0')
      return g_strdup (lines[i]);

  return g_strdup ("");
}

static void
bench_gui (const char *path)
{
  const char *exe = g_getenv ("DOSSIER_EXE");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GSource) timeout = NULL;
  GuiRun run = { 0 };
  const char *line;
  gint64 start;
  double ms;

  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      add_row ("window: first rows", "skipped: the application is not built (DOSSIER_EXE not set)");
      return;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      add_row ("window: first rows", "skipped: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "DOSSIER_REPORT_FIRST_ROWS", "1", TRUE);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, &error, exe, "--db", path, NULL);
  if (process == NULL)
    {
      add_row ("window: first rows", "failed to start: %s", error->message);
      return;
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.process = process;
  timeout = g_timeout_source_new_seconds (GUI_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, gui_timeout, &run, NULL);
  g_source_attach (timeout, NULL);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, gui_communicated, &run);
  g_main_loop_run (loop);
  g_source_destroy (timeout);
  ms = ms_since (start);

  line = run.out != NULL ? strstr (run.out, "first-rows-ms:") : NULL;
  if (line != NULL)
    {
      double reported = g_ascii_strtod (line + strlen ("first-rows-ms:"), NULL);

      add_row ("window: first rows (reported by the app)", "%.0f ms", reported);
      add_row ("window: process start to exit", "%.0f ms", ms);
    }
  else if (run.timed_out)
    add_row ("window: first rows", "no report within %d s; the application was stopped", GUI_TIMEOUT_SECONDS);
  else
    {
      g_autoptr(GError) status_error = NULL;
      g_autofree char *why = last_line (run.err);

      g_spawn_check_wait_status (g_subprocess_get_status (process), &status_error);
      add_row ("window: first rows", "the application quit after %.0f ms without a “first-rows-ms:” line (%s%s%s)",
               ms, status_error != NULL ? status_error->message : "exit status 0",
               *why != '\0' ? "; " : "", why);
    }

  g_clear_error (&run.error);
  g_free (run.out);
  g_free (run.err);
}

/* Main ---------------------------------------------------------------------------- */

/* Terminal columns a text takes: East Asian wide characters take two. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;

  return width;
}

static void
print_table (void)
{
  guint width = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      width = MAX (width, display_width (row->what));
    }

  g_print ("\n%-*s  %s\n", (int)width, "Measurement", "Figure");
  for (guint i = 0; i < width + 40; i++)
    g_print ("-");
  g_print ("\n");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      int pad = (int)width - (int)display_width (row->what);

      g_print ("%s%*s  %s\n", row->what, pad, "", row->figure);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Dossiers to seed (default 100000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the database and print where it is", NULL },
    { NULL }
  };

  /* Query texts and the table are UTF-8; let GLib print them in the locale's charset. */
  setlocale (LC_ALL, "");

  context = g_option_context_new ("- measure seeding, search and window start-up on a large database");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_count < 0)
    {
      g_printerr ("--count must not be negative\n");
      return 2;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)row_free);

  dir = g_dir_make_tmp ("dossier-bench-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "bench.db", NULL);

  ok = bench_seed (path, &error) && bench_list (path, &error);
  if (ok)
    {
      bench_cli (path);
      bench_gui (path);
    }

  print_table ();

  if (opt_keep)
    g_print ("\nThe database was kept: %s\n", path);
  else
    remove_tree (dir);

  g_ptr_array_unref (rows);

  if (!ok)
    {
      g_printerr ("dossier-bench: %s\n", error->message);
      return 1;
    }

  return 0;
}
