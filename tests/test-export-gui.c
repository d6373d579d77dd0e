/* test-export-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-export-gui"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-demo.h"
#include "dossier-export-dialog.h"
#include "dossier-package-verify.h"
#include "dossier-store.h"
#include "dossier-test-util.h"
#include "dossier-window.h"

/* Widget tests of the Export Filing Package dialog on the demo database: the
 * choices are set through the dialog's API, Export is clicked, and the main loop
 * runs until the worker thread is done; the package must then verify.  The view
 * logic (checks of the choices, the sentences) runs without a display.
 *
 * With DOSSIER_SCREENSHOT_DIR set, the dialog is also saved as PNG files there. */

#define TIMEOUT_S 60

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "export.db", NULL);
  f->store = dt_open (f->path);
  g_assert_true (dossier_demo_seed (f->store, 0, NULL, &error));
  g_assert_no_error (error);

  /* Once the demo has accounts, exporting is for regulatory staff. */
  if (dossier_auth_has_accounts (f->store))
    {
      g_assert_true (dossier_store_sign_in (f->store, "wang.fang", "wang.fang-demo", &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Helpers ------------------------------------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting");
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
run_pending (void)
{
  gint64 end = g_get_monotonic_time () + 150 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gpointer
child (gpointer    widget,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), G_OBJECT_TYPE (widget), name);

  g_assert_nonnull (object);
  return object;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;

  run_pending ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

/* The same window at a narrow width, for the layout. */
static void
screenshot_narrow (GtkWindow  *window,
                   const char *name)
{
  int width, height;
  g_autofree char *narrow = NULL;

  if (g_getenv ("DOSSIER_SCREENSHOT_DIR") == NULL)
    return;

  gtk_window_get_default_size (window, &width, &height);
  gtk_window_set_default_size (window, 360, height);
  run_pending ();
  narrow = g_strconcat (name, "-narrow", NULL);
  screenshot (GTK_WIDGET (window), narrow);
  gtk_window_set_default_size (window, width, height);
  run_pending ();
}

static DossierExportDialog *
show_dialog (Fixture    *f,
             const char *unit_no)
{
  DossierExportDialog *dialog = dossier_export_dialog_new (NULL, f->store, unit_no);

  gtk_window_present (GTK_WINDOW (dialog));
  run_pending ();

  return dialog;
}

static gboolean
export_stopped (gpointer data)
{
  return dossier_export_dialog_get_state (data) != DOSSIER_EXPORT_DIALOG_RUNNING;
}

static void
click_export (DossierExportDialog *dialog)
{
  GtkWidget *button = child (dialog, "export_button");

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
export_and_wait (DossierExportDialog *dialog)
{
  click_export (dialog);
  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_RUNNING);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, "stack")), ==, "running");
  wait_for (export_stopped, dialog);
}

static guint
verify_errors (const char *path)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_package_verify (path, findings, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
      g_test_message ("%s", line);
    }

  return dossier_package_count_errors (findings);
}

/* Nothing in dir whose name starts with prefix (the package or its ".partial-"). */
static void
assert_nothing_left (const char *dir,
                     const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_error ("Left behind: %s", name);
}

static char *
package_text (const char *path)
{
  g_autofree char *file = g_build_filename (path, "package.xml", NULL);
  char *text = NULL;

  if (!g_file_get_contents (file, &text, NULL, NULL))
    return NULL;
  return text;
}

/* The view logic --------------------------------------------------------------------- */

static void
test_check (void)
{
  DossierExportField field;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL };
  g_autofree char *m = NULL;

  g_assert_null (dossier_export_dialog_check (&options, "/tmp/package", &field));
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_NONE);

  /* A destination is needed. */
  m = dossier_export_dialog_check (&options, "", &field);
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_DESTINATION);
  g_assert_true (g_str_has_prefix (m, "Destination:"));
  g_clear_pointer (&m, g_free);

  options.scope = DOSSIER_EXPORT_SCOPE_FILING;
  m = dossier_export_dialog_check (&options, "/tmp/package", &field);
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_FILING);
  g_assert_true (g_str_has_prefix (m, "Filing:"));
  g_clear_pointer (&m, g_free);
  options.filing_no = "粤械定制备20200001号";
  g_assert_null (dossier_export_dialog_check (&options, "/tmp/package", &field));

  /* Dates name the field that is wrong. */
  options.scope = DOSSIER_EXPORT_SCOPE_RANGE;
  options.from = "";
  options.to = "2026-12-31";
  m = dossier_export_dialog_check (&options, "/tmp/package", &field);
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_FROM);
  g_assert_true (g_str_has_prefix (m, "From:"));
  g_clear_pointer (&m, g_free);

  options.from = "2026-13-01";
  m = dossier_export_dialog_check (&options, "/tmp/package", &field);
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_FROM);
  g_assert_nonnull (strstr (m, "2026-13-01"));
  g_assert_nonnull (strstr (m, "YYYY-MM-DD"));
  g_clear_pointer (&m, g_free);

  options.from = "2026-01-01";
  options.to = "2026-02-30";
  m = dossier_export_dialog_check (&options, "/tmp/package", &field);
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_TO);
  g_assert_true (g_str_has_prefix (m, "To:"));
  g_clear_pointer (&m, g_free);

  options.from = "2026-03-01";
  options.to = "2026-02-01";
  m = dossier_export_dialog_check (&options, "/tmp/package", &field);
  g_assert_cmpint (field, ==, DOSSIER_EXPORT_FIELD_TO);
  g_clear_pointer (&m, g_free);

  options.to = "2026-03-01";
  g_assert_null (dossier_export_dialog_check (&options, "/tmp/package", &field));

  /* This dossier needs one. */
  options.scope = DOSSIER_EXPORT_SCOPE_UNIT;
  m = dossier_export_dialog_check (&options, "/tmp/package", &field);
  g_assert_nonnull (m);
  g_clear_pointer (&m, g_free);
  options.unit_no = "DSR-2026-000001";
  g_assert_null (dossier_export_dialog_check (&options, "/tmp/package", NULL));
}

static void
test_words (void)
{
  g_autofree char *progress = dossier_export_dialog_format_progress (3, 12);
  g_autofree char *one = dossier_export_dialog_format_progress (1, 1);
  g_autofree char *done = dossier_export_dialog_format_done (12, "/tmp/all-dossiers");
  g_autofree char *done_one = dossier_export_dialog_format_done (1, "/tmp/x");
  g_autofree char *unit = NULL;
  g_autofree char *filing = NULL;
  g_autofree char *range = NULL;
  g_autofree char *all = NULL;

  g_assert_cmpstr (progress, ==, "3 of 12 dossiers");
  g_assert_cmpstr (one, ==, "1 of 1 dossier");
  g_assert_cmpstr (done, ==, "Exported 12 dossiers to /tmp/all-dossiers.");
  g_assert_cmpstr (done_one, ==, "Exported 1 dossier to /tmp/x.");

  unit = dossier_export_dialog_suggest_name (&(DossierExportOptions) {
    .scope = DOSSIER_EXPORT_SCOPE_UNIT, .unit_no = "DSR-2026-000003" });
  g_assert_cmpstr (unit, ==, "DSR-2026-000003");
  filing = dossier_export_dialog_suggest_name (&(DossierExportOptions) {
    .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = "粤械定制备20200001号",
    .format = DOSSIER_EXPORT_FORMAT_ZIP });
  g_assert_cmpstr (filing, ==, "filing-20200001.zip");
  range = dossier_export_dialog_suggest_name (&(DossierExportOptions) {
    .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2026-01-01", .to = "2026-06-30" });
  g_assert_cmpstr (range, ==, "dossiers-2026-01-01-to-2026-06-30");
  all = dossier_export_dialog_suggest_name (&(DossierExportOptions) { .scope = DOSSIER_EXPORT_SCOPE_ALL });
  g_assert_cmpstr (all, ==, "all-dossiers");
}

/* Who may export ------------------------------------------------------------------------ */

static void
test_permission (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = dt_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "roles.db", NULL);
  g_autoptr(DossierStore) store = dt_open (path);
  static const struct { const char *login; DossierRoles roles; gboolean may; } accounts[] = {
    { "admin", DOSSIER_ROLE_ADMINISTRATOR, TRUE },
    { "reg", DOSSIER_ROLE_REGULATORY, TRUE },
    { "eng", DOSSIER_ROLE_ENGINEER, FALSE },
    { "qa", DOSSIER_ROLE_QA_REVIEWER, FALSE },
  };

  /* Before there are accounts, everyone. */
  g_assert_true (dossier_export_dialog_may_export (store));

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autofree char *password = g_strconcat (accounts[i].login, "-password", NULL);

      g_assert_cmpint (dossier_auth_create_user (store, accounts[i].login, accounts[i].login,
                                                 accounts[i].roles, password, &error), >, 0);
      g_assert_no_error (error);
      if (i == 0)
        {
          g_assert_true (dossier_store_sign_in (store, "admin", "admin-password", &error));
          g_assert_no_error (error);
        }
    }

  dossier_store_sign_out (store);
  g_assert_false (dossier_export_dialog_may_export (store));

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autofree char *password = g_strconcat (accounts[i].login, "-password", NULL);

      g_assert_true (dossier_store_sign_in (store, accounts[i].login, password, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dossier_export_dialog_may_export (store), ==, accounts[i].may);

      /* Never in a locked session. */
      dossier_auth_lock (store);
      g_assert_false (dossier_export_dialog_may_export (store));
      dossier_store_sign_out (store);
    }

  g_clear_object (&store);
  dt_remove_tree (dir);
}

/* Exports ---------------------------------------------------------------------------- */

static void
test_export_unit (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "unit-package", NULL);
  g_autofree char *text = NULL;
  DossierExportDialog *dialog = show_dialog (f, "DSR-2026-000003");

  /* The dossier it was opened for is chosen, with a name made from it. */
  g_assert_cmpint (dossier_export_dialog_get_scope (dialog), ==, DOSSIER_EXPORT_SCOPE_UNIT);
  g_assert_cmpint (dossier_export_dialog_get_format (dialog), ==, DOSSIER_EXPORT_FORMAT_FOLDER);
  g_assert_true (g_str_has_suffix (dossier_export_dialog_get_destination (dialog), "DSR-2026-000003"));
  g_assert_true (gtk_widget_get_visible (child (dialog, "unit_row")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "from_row")));
  screenshot (GTK_WIDGET (dialog), "export-dialog");
  screenshot_narrow (GTK_WINDOW (dialog), "export-dialog");

  dossier_export_dialog_set_destination (dialog, out);
  g_assert_cmpstr (dossier_export_dialog_get_destination (dialog), ==, out);
  export_and_wait (dialog);

  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_DONE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, "stack")), ==, "done");
  g_assert_true (g_str_has_prefix (dossier_export_dialog_get_message (dialog), "Exported 1 dossier to "));
  g_assert_nonnull (strstr (dossier_export_dialog_get_message (dialog), out));
  g_assert_true (gtk_widget_get_visible (child (dialog, "open_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "export_button")));
  g_assert_cmpstr (gtk_progress_bar_get_text (child (dialog, "progress_bar")), ==, "1 of 1 dossier");
  screenshot (GTK_WIDGET (dialog), "export-dialog-done");
  screenshot_narrow (GTK_WINDOW (dialog), "export-dialog-done");

  g_assert_true (g_file_test (out, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (verify_errors (out), ==, 0);
  text = package_text (out);
  g_assert_nonnull (strstr (text, "DSR-2026-000003"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_export_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "all-package", NULL);
  g_autofree char *expected = NULL;
  DossierExportDialog *dialog = show_dialog (f, "DSR-2026-000001");

  dossier_export_dialog_set_scope (dialog, DOSSIER_EXPORT_SCOPE_ALL);
  g_assert_true (g_str_has_suffix (dossier_export_dialog_get_destination (dialog), "all-dossiers"));
  dossier_export_dialog_set_destination (dialog, out);
  export_and_wait (dialog);

  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_DONE);
  expected = g_strdup_printf ("Exported %d dossiers to %s.", DOSSIER_DEMO_SHOWCASE_DOSSIERS, out);
  g_assert_cmpstr (dossier_export_dialog_get_message (dialog), ==, expected);
  g_assert_cmpuint (verify_errors (out), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Cancelled from the worker after the first dossier: nothing is left behind, and
 * the dialog says so. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "cancelled-package", NULL);
  DossierExportDialog *dialog = show_dialog (f, NULL);

  /* Opened without a dossier: everything. */
  g_assert_false (gtk_widget_get_visible (child (dialog, "unit_row")));
  g_assert_cmpint (dossier_export_dialog_get_scope (dialog), ==, DOSSIER_EXPORT_SCOPE_ALL);

  dossier_export_dialog_set_destination (dialog, out);
  dossier_export_dialog_set_cancel_after_for_testing (dialog, 1);
  export_and_wait (dialog);

  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_CANCELLED);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, "stack")), ==, "cancelled");
  g_assert_nonnull (strstr (dossier_export_dialog_get_message (dialog), "cancelled"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  assert_nothing_left (f->dir, "cancelled-package");
  screenshot (GTK_WIDGET (dialog), "export-dialog-cancelled");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

/* Closing the dialog while it exports cancels the export, and the window goes once
 * the worker has cleaned up. */
static void
test_close_while_running (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "closed-package", NULL);
  DossierExportDialog *dialog = show_dialog (f, NULL);
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  dossier_export_dialog_set_destination (dialog, out);
  click_export (dialog);
  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_RUNNING);

  /* The running page, for the layout. */
  screenshot (GTK_WIDGET (dialog), "export-dialog-running");
  if (weak != NULL && dossier_export_dialog_get_state (dialog) == DOSSIER_EXPORT_DIALOG_RUNNING)
    {
      gtk_window_close (GTK_WINDOW (dialog));
      if (weak != NULL)
        g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    }
  else
    gtk_window_destroy (GTK_WINDOW (dialog));

  wait_for (is_null, &weak);

  /* Either it finished before the close, or nothing of it is left. */
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (verify_errors (out), ==, 0);
  else
    assert_nothing_left (f->dir, "closed-package");
}

/* A package that would not be valid is refused: the report, one line per finding,
 * in a view that can be copied; nothing is left behind. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "refused-package", NULL);
  g_autofree char *report = NULL;
  DossierExportDialog *dialog = show_dialog (f, "DSR-2026-000002");
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  dossier_export_set_inject_invalid_for_testing (TRUE);
  dossier_export_dialog_set_destination (dialog, out);
  export_and_wait (dialog);
  dossier_export_set_inject_invalid_for_testing (FALSE);

  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_FAILED);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, "stack")), ==, "failed");
  buffer = gtk_text_view_get_buffer (child (dialog, "report_view"));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  report = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (report, "PKG-XSD"));
  g_assert_nonnull (strstr (report, "records/DSR-2026-000002/record.xml"));
  g_assert_false (gtk_text_view_get_editable (child (dialog, "report_view")));
  g_assert_true (gtk_widget_get_visible (child (dialog, "copy_button")));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  assert_nothing_left (f->dir, "refused-package");
  screenshot (GTK_WIDGET (dialog), "export-dialog-failed");
  screenshot_narrow (GTK_WINDOW (dialog), "export-dialog-failed");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A wrong date stops the export before it starts, naming the field. */
static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  DossierExportDialog *dialog = show_dialog (f, "DSR-2026-000001");
  GtkWidget *error_label = child (dialog, "scope_error_label");
  GtkWidget *from_row = child (dialog, "from_row");

  dossier_export_dialog_set_scope (dialog, DOSSIER_EXPORT_SCOPE_RANGE);
  g_assert_true (gtk_widget_get_visible (from_row));
  g_assert_false (gtk_widget_get_visible (child (dialog, "filing_row")));

  /* Typing is not an error until the date is complete. */
  gtk_editable_set_text (GTK_EDITABLE (from_row), "2026-1");
  g_assert_false (gtk_widget_get_visible (error_label));

  dossier_export_dialog_set_range (dialog, "2026-13-01", "2026-12-31");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (error_label)), "From:"));
  g_assert_true (gtk_widget_has_css_class (from_row, "error"));

  click_export (dialog);
  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_FORM);
  g_assert_true (g_str_has_prefix (dossier_export_dialog_get_message (dialog), "From:"));
  screenshot (GTK_WIDGET (dialog), "export-dialog-invalid");
  screenshot_narrow (GTK_WINDOW (dialog), "export-dialog-invalid");

  /* Put right, the error goes. */
  dossier_export_dialog_set_range (dialog, "2026-01-01", "2026-12-31");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (from_row, "error"));
  g_assert_true (g_str_has_suffix (dossier_export_dialog_get_destination (dialog),
                                   "dossiers-2026-01-01-to-2026-12-31"));

  /* An existing destination is refused before anything is written. */
  dossier_export_dialog_set_scope (dialog, DOSSIER_EXPORT_SCOPE_ALL);
  dossier_export_dialog_set_destination (dialog, f->dir);
  click_export (dialog);
  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_FORM);
  g_assert_true (g_str_has_prefix (dossier_export_dialog_get_message (dialog), "Destination:"));

  /* The format follows into the name. */
  dossier_export_dialog_set_destination (dialog, NULL);
  dossier_export_dialog_set_format (dialog, DOSSIER_EXPORT_FORMAT_ZIP);
  g_assert_true (g_str_has_suffix (dossier_export_dialog_get_destination (dialog), "all-dossiers.zip"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The filing and date-range scopes and the zip format: the dialog hands them over
 * to dossier_export_package(), and the package must verify. */
static char *
first_filing_number (Fixture *f)
{
  return dt_query_text (f->store, "SELECT number FROM filing WHERE number IS NOT NULL "
                                  "AND EXISTS (SELECT 1 FROM dossier d WHERE d.filing_id = filing.id) "
                                  "ORDER BY id LIMIT 1");
}

static void
test_export_filing (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "filing-package", NULL);
  g_autofree char *number = first_filing_number (f);
  g_autofree char *text = NULL;
  DossierExportDialog *dialog = show_dialog (f, NULL);

  g_assert_nonnull (number);
  dossier_export_dialog_set_scope (dialog, DOSSIER_EXPORT_SCOPE_FILING);
  g_assert_true (dossier_export_dialog_set_filing (dialog, number));
  g_assert_false (dossier_export_dialog_set_filing (dialog, "no such filing"));
  dossier_export_dialog_set_destination (dialog, out);
  export_and_wait (dialog);

  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_DONE);
  text = package_text (out);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "kind=\"filing\""));
  g_assert_nonnull (strstr (text, number));
  g_assert_cmpuint (verify_errors (out), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_export_range_zip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "range.zip", NULL);
  DossierExportDialog *dialog = show_dialog (f, NULL);

  dossier_export_dialog_set_scope (dialog, DOSSIER_EXPORT_SCOPE_RANGE);
  dossier_export_dialog_set_range (dialog, "2026-01-01", "2026-12-31");
  dossier_export_dialog_set_format (dialog, DOSSIER_EXPORT_FORMAT_ZIP);
  dossier_export_dialog_set_destination (dialog, out);
  export_and_wait (dialog);

  g_assert_cmpint (dossier_export_dialog_get_state (dialog), ==, DOSSIER_EXPORT_DIALOG_DONE);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (verify_errors (out), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable (c, action);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The window offers the export only to those who may. */
static void
test_window_actions (Fixture       *f,
                     gconstpointer  data)
{
  DossierWindow *window = dossier_window_new (NULL, f->store);
  GtkWidget *probe = gtk_button_new ();
  DossierExportDialog *dialog;
  GListModel *toplevels;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  /* GTK says whether an action is enabled through the sensitivity of a button
   * that uses it. */
  gtk_widget_set_visible (probe, FALSE);
  gtk_widget_set_parent (probe, GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), DOSSIER_TYPE_WINDOW,
                                                                        "login_page")));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.export");
  g_assert_true (gtk_widget_get_sensitive (probe));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.export-dossier");
  g_assert_false (gtk_widget_get_sensitive (probe));   /* nothing selected */

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  run_pending ();
  dialog = NULL;
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (DOSSIER_IS_EXPORT_DIALOG (w))
        dialog = DOSSIER_EXPORT_DIALOG (w);
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpint (dossier_export_dialog_get_scope (dialog), ==, DOSSIER_EXPORT_SCOPE_ALL);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* With a dossier selected, its header has Export This Dossier. */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                           DOSSIER_TYPE_WINDOW,
                                                                                           "selection"));
    GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), DOSSIER_TYPE_WINDOW,
                                                                 "dossier_view"));
    GtkWidget *button;
    g_autoptr(DossierDossier) selected = NULL;

    gtk_single_selection_set_selected (selection, 0);
    run_pending ();
    selected = g_list_model_get_item (G_LIST_MODEL (selection), 0);
    g_assert_true (gtk_widget_get_sensitive (probe));
    button = find_actionable (view, "win.export-dossier");
    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_visible (button));
    screenshot (GTK_WIDGET (window), "window-export-button");
    screenshot_narrow (GTK_WINDOW (window), "window-export-button");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-dossier", NULL));
    run_pending ();
    dialog = NULL;
    for (guint i = 0; dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (DOSSIER_IS_EXPORT_DIALOG (w))
          dialog = DOSSIER_EXPORT_DIALOG (w);
      }
    g_assert_nonnull (dialog);
    g_assert_cmpint (dossier_export_dialog_get_scope (dialog), ==, DOSSIER_EXPORT_SCOPE_UNIT);
    g_assert_true (g_str_has_suffix (dossier_export_dialog_get_destination (dialog),
                                     dossier_dossier_get_unit_no (selected)));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  gtk_widget_unparent (probe);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_display (void)
{
  g_test_skip ("No display; run under Xvfb (make test does)");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* Accounts are made here by the handful; the interactive hash cost is for people. */
  _dossier_auth_set_hash_limits_for_testing (0, 0);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/export-gui/no-display", test_no_display);
    }
  else
    {
      gtk_test_init (&argc, &argv, NULL);
      adw_init ();
      /* Screenshots show a page, not a cross-fade between two. */
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

      {
        g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

        gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
        gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      }

      g_test_add ("/export-gui/unit", Fixture, NULL, fixture_set_up, test_export_unit, fixture_tear_down);
      g_test_add ("/export-gui/all", Fixture, NULL, fixture_set_up, test_export_all, fixture_tear_down);
      g_test_add ("/export-gui/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
      g_test_add ("/export-gui/close-while-running", Fixture, NULL, fixture_set_up,
                  test_close_while_running, fixture_tear_down);
      g_test_add ("/export-gui/failed", Fixture, NULL, fixture_set_up, test_failed, fixture_tear_down);
      g_test_add ("/export-gui/validation", Fixture, NULL, fixture_set_up, test_validation, fixture_tear_down);
      g_test_add ("/export-gui/filing", Fixture, NULL, fixture_set_up, test_export_filing, fixture_tear_down);
      g_test_add ("/export-gui/range-zip", Fixture, NULL, fixture_set_up, test_export_range_zip, fixture_tear_down);
      g_test_add ("/export-gui/window-actions", Fixture, NULL, fixture_set_up, test_window_actions, fixture_tear_down);
    }

  g_test_add_func ("/export-gui/check", test_check);
  g_test_add_func ("/export-gui/words", test_words);
  g_test_add_func ("/export-gui/permission", test_permission);

  return g_test_run ();
}
