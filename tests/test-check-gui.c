/* test-check-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dossier-check-banner.h"
#include "dossier-editor-design-page.h"
#include "dossier-editor-session.h"
#include "dossier-editor-undo.h"
#include "dossier-envelope.h"
#include "dossier-envelope-window.h"
#include "dossier-test-util.h"

#define CERTIFICATE "国械注准20203130123"

typedef struct
{
  char         *dir;
  DossierStore *store;
  DtRows        rows;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  f->dir = dt_make_tmpdir ();
  path = g_build_filename (f->dir, "check-gui.db", NULL);
  f->store = dt_open (path);
  dt_populate (f->store, &f->rows);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
}

static void
run_pending (void)
{
  gint64 end = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Widgets ---------------------------------------------------------------------- */

static void
collect_expanders (GtkWidget *widget,
                   GPtrArray *titles)
{
  if (ADW_IS_EXPANDER_ROW (widget))
    g_ptr_array_add (titles, (gpointer)adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_expanders (child, titles);
}

static gboolean
has_title (GPtrArray  *titles,
           const char *title)
{
  for (guint i = 0; i < titles->len; i++)
    if (g_strcmp0 (g_ptr_array_index (titles, i), title) == 0)
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The check banner and the marked value ------------------------------------------- */

static void
test_banner_marks_value (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DossierEnvelope) envelope = dossier_envelope_new ();
  g_autoptr(DossierEditorUndo) undo = dossier_editor_undo_new ();
  g_autoptr(DossierEditorSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier = id_text (f->rows.matched);
  g_autofree char *iteration = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  DossierEditorField *field;
  DossierCheckBanner *banner;
  GtkWidget *page;
  GtkWidget *value;
  GtkWindow *window;
  gint64 envelope_id;
  gint64 parameter;

  /* A registered range of 1.0 to 2.0 mm, and a design of the patient-matched
   * dossier at 2.50 mm. */
  dossier_envelope_set_model_id (envelope, f->rows.model);
  dossier_envelope_set_effective_on (envelope, "2000-01-01");
  dossier_envelope_set_certificate_no (envelope, CERTIFICATE);
  g_assert_true (dossier_envelope_set_numeric (envelope, "thickness", "mm", "1.0", "2.0", TRUE, TRUE,
                                               NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  envelope_id = dossier_envelope_save (envelope, f->store, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_envelope_make_effective (f->store, envelope_id, "test", &error));
  g_assert_no_error (error);

  iteration = id_text (dt_insert (f->store, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier }, { "version", "1" }, { "designed_on", "2026-01-20" }, { "designer", "Li" }, { NULL } }));
  parameter = dt_insert (f->store, "parameter_value", (DossierField[]) {
    { "iteration_id", iteration }, { "name", "thickness" }, { "value", "2.50" }, { "unit", "mm" }, { NULL } });

  session = dossier_editor_session_new (f->store, f->rows.matched, undo);
  page = g_object_new (DOSSIER_TYPE_EDITOR_DESIGN_PAGE, NULL);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 900, 800);
  gtk_window_set_child (window, page);
  dossier_editor_page_set_session (DOSSIER_EDITOR_PAGE (page), session);
  gtk_window_present (window);
  run_pending ();

  /* The banner lists the error and the ways forward. */
  banner = DOSSIER_CHECK_BANNER (find_type (page, DOSSIER_TYPE_CHECK_BANNER));
  g_assert_nonnull (banner);
  g_assert_true (dossier_check_banner_get_revealed (banner));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpint (dossier_check_report_get_verdict (dossier_check_banner_get_report (banner)), ==,
                   DOSSIER_VERDICT_ERROR);
  text = dossier_check_banner_get_text (banner);
  g_test_message ("banner: %s", text);
  g_assert_nonnull (strstr (text, "2.50"));
  g_assert_nonnull (strstr (text, "Redesign within the registered range"));

  /* The value is marked where it is entered, with the allowed range. */
  field = dossier_editor_page_find_field (DOSSIER_EDITOR_PAGE (page), "parameter_value", parameter, "value");
  g_assert_nonnull (field);
  value = dossier_editor_field_get_widget (field);
  g_assert_true (gtk_widget_has_css_class (value, "error"));
  tooltip = g_strdup (gtk_widget_get_tooltip_text (value));
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "1.0 ≤ x ≤ 2.0 mm"));

  /* Fixing the value in the editor clears both. */
  gtk_editable_set_text (GTK_EDITABLE (value), "1.80");
  dossier_editor_field_commit (field);
  run_pending ();

  /* The quick check (without the worst-case tier) follows at once… */
  g_assert_false (dossier_check_banner_get_revealed (banner));
  field = dossier_editor_page_find_field (DOSSIER_EDITOR_PAGE (page), "parameter_value", parameter, "value");
  value = dossier_editor_field_get_widget (field);
  g_assert_false (gtk_widget_has_css_class (value, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (value));

  /* …and the whole check a moment later: no released unit of the model has been
   * this thin, a new worst case, which is a warning, not an error. */
  run_pending ();
  run_pending ();
  run_pending ();
  run_pending ();
  g_assert_cmpint (dossier_check_report_get_verdict (dossier_check_banner_get_report (banner)), !=,
                   DOSSIER_VERDICT_ERROR);
  g_assert_false (gtk_widget_has_css_class (value, "error"));
  g_clear_pointer (&text, g_free);
  text = dossier_check_banner_get_text (banner);
  g_test_message ("banner after the whole check: %s", text);
  g_assert_null (strstr (text, "outside the registered range"));

  /* And breaking it again marks it again, without reopening the page. */
  gtk_editable_set_text (GTK_EDITABLE (value), "0.5");
  dossier_editor_field_commit (field);
  run_pending ();
  g_assert_true (dossier_check_banner_get_revealed (banner));
  value = dossier_editor_field_get_widget (dossier_editor_page_find_field (DOSSIER_EDITOR_PAGE (page),
                                                                         "parameter_value", parameter, "value"));
  g_assert_true (gtk_widget_has_css_class (value, "error"));

  dossier_editor_page_set_session (DOSSIER_EDITOR_PAGE (page), NULL);
  gtk_window_destroy (window);
  run_pending ();
}

/* The pure marking helper, on a row. */
static void
test_mark_row (void)
{
  g_autoptr(GtkWidget) row = g_object_ref_sink (adw_action_row_new ());
  DossierCheckParameter check = { 0 };
  char *limits = (char *)"44 ≤ x ≤ 58 mm";

  check.name = (char *)"outer_diameter";
  check.limits = limits;
  check.verdict = DOSSIER_VERDICT_WARNING;

  dossier_check_mark_widget (row, &check);
  g_assert_true (gtk_widget_has_css_class (row, "warning"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), limits));

  check.verdict = DOSSIER_VERDICT_PASS;
  dossier_check_mark_widget (row, &check);
  g_assert_false (gtk_widget_has_css_class (row, "warning"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "");

  /* A style class the marking did not add is left alone. */
  gtk_widget_add_css_class (row, "error");
  dossier_check_mark_widget (row, NULL);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
}

/* The envelope window ------------------------------------------------------------ */

static void
test_envelope_window_import (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *product = id_text (f->rows.product);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "envelope-good.xml", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *out_path = g_build_filename (f->dir, "exported.xml", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  GtkWidget *window;
  gint64 model;
  gint64 id;

  /* The sample is for model AC-52 of the product dt_populate() registers. */
  model = dt_insert (f->store, "product_model", (DossierField[]) {
    { "product_id", product }, { "code", "AC-52" }, { NULL } });

  window = dossier_envelope_window_new (NULL, f->store, model);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();
  g_assert_cmpint (dossier_envelope_window_get_selected (DOSSIER_ENVELOPE_WINDOW (window)), ==, 0);

  id = dossier_envelope_window_import_file (DOSSIER_ENVELOPE_WINDOW (window), file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  run_pending ();
  g_assert_cmpint (dossier_envelope_window_get_selected (DOSSIER_ENVELOPE_WINDOW (window)), ==, id);

  collect_expanders (window, titles);
  g_assert_true (has_title (titles, "Outer diameter"));
  g_assert_true (has_title (titles, "wall_thickness"));
  g_assert_true (has_title (titles, "Material grade"));
  g_assert_true (has_title (titles, "wall_thickness >= 0.04 * outer_diameter"));

  /* The same version again is refused with the core's message. */
  g_assert_cmpint (dossier_envelope_window_import_file (DOSSIER_ENVELOPE_WINDOW (window), file, &error), ==, 0);
  g_assert_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (dossier_envelope_window_export_file (DOSSIER_ENVELOPE_WINDOW (window), out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out_path, &exported, NULL, NULL));
  g_assert_nonnull (strstr (exported, "outer_diameter"));

  gtk_window_destroy (GTK_WINDOW (window));
  run_pending ();
}

static void
test_no_display (void)
{
  g_test_skip ("No display; run under Xvfb");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/check-gui/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add ("/check-gui/banner-marks-value", Fixture, NULL, fixture_set_up, test_banner_marks_value,
              fixture_tear_down);
  g_test_add_func ("/check-gui/mark-row", test_mark_row);
  g_test_add ("/check-gui/envelope-window-import", Fixture, NULL, fixture_set_up, test_envelope_window_import,
              fixture_tear_down);

  return g_test_run ();
}
