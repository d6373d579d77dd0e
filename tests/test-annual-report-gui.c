/* test-annual-report-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-annual-report-gui"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dossier-annual-report-dialog.h"
#include "dossier-auth-private.h"
#include "dossier-auth.h"
#include "dossier-demo.h"
#include "dossier-login-page.h"
#include "dossier-reminder-banner.h"
#include "dossier-store.h"
#include "dossier-test-util.h"
#include "dossier-window.h"

/* Widget tests of the annual report in the application, on the demo database: the
 * dialog's preview gives the core's counts, Save writes the XML and its rendering
 * and refuses an existing file, the deadline settings are validated, and the main
 * window reminds regulatory staff (not engineers or QA reviewers) of a report that
 * is due, on a fixed day.  The view logic runs without a display.
 *
 * With DOSSIER_SCREENSHOT_DIR set, the dialog and the window are also saved as PNG
 * files there. */

#define TIMEOUT_S 60
#define DEMO_FILING "粤械定制备20240003号"

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
} Fixture;

static void
sign_in (DossierStore *store,
         const char   *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-demo", NULL);

  dossier_store_sign_out (store);
  g_assert_true (dossier_store_sign_in (store, login, password, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "report.db", NULL);
  f->store = dt_open (f->path);
  g_assert_true (dossier_demo_seed (f->store, 0, NULL, &error));
  g_assert_no_error (error);

  /* Once the demo has accounts, the report is for regulatory staff. */
  if (dossier_auth_has_accounts (f->store))
    sign_in (f->store, "wang.fang");
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
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

#define DIALOG_CHILD(d, name) child ((d), DOSSIER_TYPE_ANNUAL_REPORT_DIALOG, (name))
#define WINDOW_CHILD(w, name) child ((w), DOSSIER_TYPE_WINDOW, (name))

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

static gboolean
dialog_settled (gpointer data)
{
  DossierAnnualReportDialogState state = dossier_annual_report_dialog_get_state (data);

  return state != DOSSIER_ANNUAL_REPORT_DIALOG_COMPUTING && state != DOSSIER_ANNUAL_REPORT_DIALOG_SAVING;
}

static DossierAnnualReportDialog *
show_dialog (Fixture *f,
             int      year)
{
  DossierAnnualReportDialog *dialog = dossier_annual_report_dialog_new (NULL, f->store, year);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (dialog_settled, dialog);
  run_pending ();

  return dialog;
}

static DossierAnnualReport *
core_report (Fixture    *f,
             int         year,
             const char *filing_no)
{
  g_autoptr(GError) error = NULL;
  DossierAnnualReportOptions options = { .year = year, .filing_number = filing_no };
  DossierAnnualReport *report = dossier_annual_report_compute (f->store, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_same_counts (const DossierAnnualCounts *a,
                    const DossierAnnualCounts *b)
{
  g_assert_cmpuint (a->ordered, ==, b->ordered);
  g_assert_cmpuint (a->designed, ==, b->designed);
  g_assert_cmpuint (a->produced, ==, b->produced);
  g_assert_cmpuint (a->released, ==, b->released);
  g_assert_cmpuint (a->delivered, ==, b->delivered);
  g_assert_cmpuint (a->used, ==, b->used);
  g_assert_cmpuint (a->not_used, ==, b->not_used);
  g_assert_cmpuint (a->returned, ==, b->returned);
  g_assert_cmpuint (a->destroyed, ==, b->destroyed);
  g_assert_cmpuint (a->cancelled, ==, b->cancelled);
  g_assert_cmpuint (a->design_changes, ==, b->design_changes);
  g_assert_cmpuint (a->adverse_events, ==, b->adverse_events);
}

/* The text of every label under widget, one per line, for what a preview says. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_text (c, text);
}

static char *
widget_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

static GDate *
date_new (int year,
          int month,
          int day)
{
  return g_date_new_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

/* The view logic --------------------------------------------------------------------- */

static void
test_words (void)
{
  g_autofree char *all = dossier_annual_report_dialog_suggest_name (2025, NULL);
  g_autofree char *one = dossier_annual_report_dialog_suggest_name (2025, DEMO_FILING);
  g_autofree char *xml = dossier_annual_report_dialog_xml_path ("/tmp/report");
  g_autofree char *xml_kept = dossier_annual_report_dialog_xml_path ("/tmp/report.xml");
  g_autofree char *html = dossier_annual_report_dialog_html_path ("/tmp/report.xml");

  g_assert_cmpstr (all, ==, "annual-report-2025.xml");
  g_assert_cmpstr (one, ==, "annual-report-2025-20240003.xml");
  g_assert_cmpstr (xml, ==, "/tmp/report.xml");
  g_assert_cmpstr (xml_kept, ==, "/tmp/report.xml");
  g_assert_cmpstr (html, ==, "/tmp/report.html");
}

static void
test_check_settings (void)
{
  DossierAnnualReportField field;
  guint days = 0;
  g_autofree char *m = NULL;

  g_assert_null (dossier_annual_report_dialog_check_settings ("02-15", "45", "省局通知", &days, &field));
  g_assert_cmpint (field, ==, DOSSIER_ANNUAL_REPORT_FIELD_NONE);
  g_assert_cmpuint (days, ==, 45);

  m = dossier_annual_report_dialog_check_settings ("13-01", "30", "x", NULL, &field);
  g_assert_cmpint (field, ==, DOSSIER_ANNUAL_REPORT_FIELD_DEADLINE);
  g_assert_true (g_str_has_prefix (m, "Deadline:"));
  g_assert_nonnull (strstr (m, "13-01"));
  g_clear_pointer (&m, g_free);

  m = dossier_annual_report_dialog_check_settings ("01-31", "400", "x", NULL, &field);
  g_assert_cmpint (field, ==, DOSSIER_ANNUAL_REPORT_FIELD_REMINDER);
  g_assert_true (g_str_has_prefix (m, "Reminder:"));
  g_clear_pointer (&m, g_free);

  m = dossier_annual_report_dialog_check_settings ("01-31", "thirty", "x", NULL, &field);
  g_assert_cmpint (field, ==, DOSSIER_ANNUAL_REPORT_FIELD_REMINDER);
  g_clear_pointer (&m, g_free);

  m = dossier_annual_report_dialog_check_settings ("01-31", "30", "  ", NULL, &field);
  g_assert_cmpint (field, ==, DOSSIER_ANNUAL_REPORT_FIELD_REASON);
  g_assert_true (g_str_has_prefix (m, "Reason:"));
}

/* The year offered: the one a reminder is about, else last year's until its
 * deadline, then this year's. */
static void
test_default_year (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDate) early = date_new (2026, 1, 20);
  g_autoptr(GDate) summer = date_new (2026, 7, 1);
  g_autoptr(GDate) december = date_new (2026, 12, 20);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  g_autofree char *xml = g_build_filename (f->dir, "2025.xml", NULL);

  g_assert_cmpint (dossier_annual_report_dialog_default_year (f->store, early), ==, 2025);
  /* Overdue and not written: still 2025. */
  g_assert_cmpint (dossier_annual_report_dialog_default_year (f->store, summer), ==, 2025);

  report = core_report (f, 2025, NULL);
  g_assert_true (dossier_annual_report_write_xml (f->store, report, xml, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_annual_report_dialog_default_year (f->store, early), ==, 2025);
  g_assert_cmpint (dossier_annual_report_dialog_default_year (f->store, summer), ==, 2026);
  /* Within the reminder period of the 2026 report's deadline. */
  g_assert_cmpint (dossier_annual_report_dialog_default_year (f->store, december), ==, 2026);
}

/* Who may ------------------------------------------------------------------------------ */

static void
test_may_generate (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *login; gboolean may; } people[] = {
    { "admin", TRUE },
    { "wang.fang", TRUE },
    { "zhang.wei", FALSE },
    { "li.na", FALSE },
  };

  if (!dossier_auth_has_accounts (f->store))
    {
      g_assert_true (dossier_annual_report_dialog_may_generate (f->store));
      g_test_skip ("The demo has no accounts");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      sign_in (f->store, people[i].login);
      g_assert_cmpint (dossier_annual_report_dialog_may_generate (f->store), ==, people[i].may);

      /* Never in a locked session. */
      dossier_auth_lock (f->store);
      g_assert_false (dossier_annual_report_dialog_may_generate (f->store));
    }

  dossier_store_sign_out (f->store);
  g_assert_false (dossier_annual_report_dialog_may_generate (f->store));
}

/* The dialog --------------------------------------------------------------------------- */

/* The preview says what the core computes: the demo's one customized unit made in
 * 2025 (ordered, designed, produced, released and delivered, one design change),
 * and the two ordered in 2026. */
static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DossierAnnualReport) expected = core_report (f, 2025, NULL);
  g_autoptr(DossierAnnualReport) expected_2026 = core_report (f, 2026, DEMO_FILING);
  DossierAnnualReportDialog *dialog = show_dialog (f, 2025);
  DossierAnnualReport *shown;
  const DossierAnnualFiling *filing;
  g_autofree char *text = NULL;
  g_autofree char *text_2026 = NULL;

  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_IDLE);
  g_assert_cmpint (dossier_annual_report_dialog_get_year (dialog), ==, 2025);
  g_assert_null (dossier_annual_report_dialog_get_filing (dialog));
  shown = dossier_annual_report_dialog_get_report (dialog);
  g_assert_nonnull (shown);
  g_assert_cmpint (shown->year, ==, 2025);
  g_assert_cmpuint (shown->filings->len, ==, expected->filings->len);
  assert_same_counts (&shown->totals, &expected->totals);
  g_assert_cmpuint (shown->totals.delivered, ==, 1);
  g_assert_cmpuint (shown->totals.design_changes, ==, 1);

  /* One group per filing, with its number and its counts. */
  g_assert_cmpint (gtk_widget_get_sensitive (DIALOG_CHILD (dialog, "save_button")), ==, TRUE);
  text = widget_text (DIALOG_CHILD (dialog, "summary_group"));
  filing = g_ptr_array_index (expected->filings, 0);
  g_assert_nonnull (strstr (text, filing->number));
  g_assert_nonnull (strstr (text, "Delivered"));
  g_assert_nonnull (strstr (text, "Design Changes"));
  g_assert_nonnull (strstr (text, "1 of 30 cases by 2025-12-31"));
  screenshot (GTK_WIDGET (dialog), "annual-report-dialog");
  screenshot_narrow (GTK_WINDOW (dialog), "annual-report-dialog");

  /* Another year and one filing. */
  g_assert_true (dossier_annual_report_dialog_set_filing (dialog, DEMO_FILING));
  g_assert_false (dossier_annual_report_dialog_set_filing (dialog, "no such filing"));
  dossier_annual_report_dialog_set_year (dialog, 2026);
  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_COMPUTING);
  g_assert_null (dossier_annual_report_dialog_get_report (dialog));
  wait_for (dialog_settled, dialog);
  shown = dossier_annual_report_dialog_get_report (dialog);
  g_assert_nonnull (shown);
  g_assert_cmpint (shown->year, ==, 2026);
  g_assert_cmpstr (shown->scope_filing, ==, DEMO_FILING);
  assert_same_counts (&shown->totals, &expected_2026->totals);
  g_assert_cmpuint (shown->totals.ordered, ==, 2);
  text_2026 = widget_text (DIALOG_CHILD (dialog, "summary_group"));
  g_assert_nonnull (strstr (text_2026, "3 of 30 cases by 2026-12-31"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A filing near its threshold is marked so. */
static void
test_threshold_warning (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dt_query_text (f->store, "SELECT id FROM filing WHERE number = '" DEMO_FILING "'");
  DossierAnnualReportDialog *dialog;
  DossierAnnualReport *shown;
  g_autofree char *text = NULL;
  gint64 filing_id;

  g_assert_nonnull (id);
  filing_id = g_ascii_strtoll (id, NULL, 10);
  /* 3 cases by the end of 2026: a threshold of 3 is reached. */
  dossier_store_update (f->store, "filing", filing_id,
                        (DossierField[]) { { "case_threshold", "3" }, { NULL } }, "test", &error);
  g_assert_no_error (error);

  dialog = show_dialog (f, 2026);
  shown = dossier_annual_report_dialog_get_report (dialog);
  g_assert_nonnull (shown);
  g_assert_cmpint (((DossierAnnualFiling *)g_ptr_array_index (shown->filings, 0))->threshold_state, ==,
                   DOSSIER_ANNUAL_THRESHOLD_REACHED);
  text = widget_text (DIALOG_CHILD (dialog, "summary_group"));
  g_assert_nonnull (strstr (text, "Reached: register the product"));
  screenshot (GTK_WIDGET (dialog), "annual-report-dialog-threshold");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
has_run (Fixture *f,
         int      year)
{
  g_autoptr(GError) error = NULL;
  gboolean run = FALSE;

  g_assert_true (dossier_annual_report_has_run (f->store, year, &run, &error));
  g_assert_no_error (error);
  return run;
}

static void
test_save (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *chosen = g_build_filename (f->dir, "report-2025", NULL);
  g_autofree char *xml = g_build_filename (f->dir, "report-2025.xml", NULL);
  g_autofree char *html = g_build_filename (f->dir, "report-2025.html", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.xml", NULL);
  g_autofree char *other_html = g_build_filename (f->dir, "other.html", NULL);
  g_autofree char *xml_text = NULL;
  g_autofree char *html_text = NULL;
  g_autoptr(DossierAnnualReport) expected = core_report (f, 2025, NULL);
  g_autoptr(GBytes) expected_xml = NULL;
  g_autoptr(GError) error = NULL;
  DossierAnnualReportDialog *dialog = show_dialog (f, 2025);
  gsize len;

  g_assert_false (has_run (f, 2025));
  g_assert_false (gtk_widget_get_visible (DIALOG_CHILD (dialog, "result_group")));

  /* ".xml" is added; the rendering goes beside it. */
  dossier_annual_report_dialog_save_to (dialog, chosen);
  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_SAVING);
  wait_for (dialog_settled, dialog);
  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_SAVED);
  g_assert_cmpstr (dossier_annual_report_dialog_get_xml_path (dialog), ==, xml);
  g_assert_cmpstr (dossier_annual_report_dialog_get_html_path (dialog), ==, html);
  g_assert_true (g_str_has_prefix (dossier_annual_report_dialog_get_message (dialog), "Saved the report as "));
  g_assert_true (gtk_widget_get_visible (DIALOG_CHILD (dialog, "result_group")));
  g_assert_cmpstr (adw_action_row_get_subtitle (DIALOG_CHILD (dialog, "open_report_row")), ==, html);
  screenshot (GTK_WIDGET (dialog), "annual-report-dialog-saved");
  screenshot_narrow (GTK_WINDOW (dialog), "annual-report-dialog-saved");

  /* The same bytes as the core gives, in the report's namespace, and the run is
   * recorded. */
  g_assert_true (g_file_get_contents (xml, &xml_text, &len, NULL));
  g_assert_true (g_str_has_prefix (xml_text, "<?xml"));
  g_assert_nonnull (strstr (xml_text, "xmlns=\"" DOSSIER_ANNUAL_REPORT_NAMESPACE "\""));
  g_assert_nonnull (strstr (xml_text, "year=\"2025\""));
  expected_xml = dossier_annual_report_to_xml (expected, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (xml_text, len, g_bytes_get_data (expected_xml, NULL), g_bytes_get_size (expected_xml));
  g_assert_true (g_file_get_contents (html, &html_text, NULL, NULL));
  g_assert_nonnull (strstr (html_text, "<html"));
  g_assert_nonnull (strstr (html_text, DEMO_FILING));
  g_assert_true (has_run (f, 2025));

  /* An existing file is refused, naming it, and nothing is replaced. */
  dossier_annual_report_dialog_save_to (dialog, xml);
  wait_for (dialog_settled, dialog);
  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
  g_assert_nonnull (strstr (dossier_annual_report_dialog_get_message (dialog), "already exists"));
  g_assert_nonnull (strstr (dossier_annual_report_dialog_get_message (dialog), xml));
  g_assert_true (gtk_widget_get_visible (DIALOG_CHILD (dialog, "error_label")));
  screenshot (GTK_WIDGET (dialog), "annual-report-dialog-exists");

  /* Also when only the rendering's name is taken. */
  g_assert_true (g_file_set_contents (other_html, "mine", -1, NULL));
  dossier_annual_report_dialog_save_to (dialog, other);
  wait_for (dialog_settled, dialog);
  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
  g_assert_nonnull (strstr (dossier_annual_report_dialog_get_message (dialog), other_html));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The deadline settings: a wrong value names its field; a good one is stored with
 * its reason. */
static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  DossierAnnualReportDialog *dialog = show_dialog (f, 2025);
  GtkWidget *deadline = DIALOG_CHILD (dialog, "deadline_entry");
  GtkWidget *reminder = DIALOG_CHILD (dialog, "reminder_entry");
  GtkWidget *reason = DIALOG_CHILD (dialog, "reason_entry");
  GtkWidget *apply = DIALOG_CHILD (dialog, "apply_button");
  GtkWidget *label = DIALOG_CHILD (dialog, "settings_error_label");
  g_autofree char *setting = NULL;
  g_autofree char *days = NULL;

  g_assert_true (gtk_widget_get_sensitive (DIALOG_CHILD (dialog, "deadline_expander")));
  adw_expander_row_set_expanded (DIALOG_CHILD (dialog, "deadline_expander"), TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (deadline)), ==, "01-31");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (reminder)), ==, "30");

  gtk_editable_set_text (GTK_EDITABLE (deadline), "02-30");
  gtk_editable_set_text (GTK_EDITABLE (reason), "省局通知");
  g_signal_emit_by_name (apply, "clicked");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)), "Deadline:"));
  g_assert_true (gtk_widget_has_css_class (deadline, "error"));
  screenshot (GTK_WIDGET (dialog), "annual-report-dialog-deadline-invalid");
  screenshot_narrow (GTK_WINDOW (dialog), "annual-report-dialog-deadline-invalid");

  gtk_editable_set_text (GTK_EDITABLE (deadline), "02-15");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_false (gtk_widget_has_css_class (deadline, "error"));
  gtk_editable_set_text (GTK_EDITABLE (reminder), "45");
  g_signal_emit_by_name (apply, "clicked");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_cmpstr (dossier_annual_report_dialog_get_message (dialog), ==, "The deadline was changed.");

  setting = dossier_store_get_setting (f->store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY);
  g_assert_cmpstr (setting, ==, "02-15");
  g_assert_cmpuint (dossier_annual_report_get_reminder_days (f->store), ==, 45);
  days = dt_query_text (f->store, "SELECT count (*) FROM audit_log WHERE reason = '省局通知'");
  g_assert_cmpstr (days, !=, "0");
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (DIALOG_CHILD (dialog, "deadline_expander")),
                            "15 February 2026"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The window ---------------------------------------------------------------------------- */

static DossierWindow *
show_window (Fixture     *f,
             const GDate *today)
{
  DossierWindow *window = dossier_window_new (NULL, f->store);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  dossier_window_set_today_for_testing (window, today);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  return window;
}

static DossierAnnualReportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (DOSSIER_IS_ANNUAL_REPORT_DIALOG (w))
        return DOSSIER_ANNUAL_REPORT_DIALOG (w);
    }

  return NULL;
}

/* GTK says whether an action is enabled through the sensitivity of a button that
 * uses it. */
static gboolean
action_enabled (DossierWindow *window,
                const char    *action)
{
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_widget_set_visible (probe, FALSE);
  gtk_widget_set_parent (probe, WINDOW_CHILD (window, "login_page"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  enabled = gtk_widget_get_sensitive (probe);
  gtk_widget_unparent (probe);

  return enabled;
}

static void
test_reminder (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDate) today = date_new (2026, 1, 20);
  g_autoptr(GDate) summer = date_new (2026, 7, 1);
  g_autofree char *xml = g_build_filename (f->dir, "due-2025.xml", NULL);
  DossierWindow *window;
  DossierReminderBanner *banner;
  DossierAnnualReportDialog *dialog;

  if (!dossier_auth_has_accounts (f->store))
    {
      g_test_skip ("The demo has no accounts");
      return;
    }

  window = show_window (f, today);
  banner = WINDOW_CHILD (window, "reminder_banner");

  /* wang.fang (regulatory) is reminded of the 2025 report, due on 31 January. */
  g_assert_true (action_enabled (window, "win.annual-report"));
  g_assert_true (dossier_reminder_banner_get_revealed (banner));
  g_assert_cmpint (dossier_reminder_banner_get_year (banner), ==, 2025);
  g_assert_cmpstr (dossier_reminder_banner_get_text (banner), ==,
                   "The annual report for 2025 is due on 31 January 2026 (11 days).");
  screenshot (GTK_WIDGET (window), "window-annual-report-reminder");
  screenshot_narrow (GTK_WINDOW (window), "window-annual-report-reminder");

  /* Overdue, it still reminds. */
  dossier_window_set_today_for_testing (window, summer);
  g_assert_true (dossier_reminder_banner_get_revealed (banner));
  g_assert_nonnull (strstr (dossier_reminder_banner_get_text (banner), "was due on 31 January 2026 (151 days ago)"));
  dossier_window_set_today_for_testing (window, today);

  /* Create Report… opens the dialog on that year. */
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (banner), DOSSIER_TYPE_REMINDER_BANNER,
                                                        "create_button"), "clicked");
  run_pending ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpint (dossier_annual_report_dialog_get_year (dialog), ==, 2025);
  wait_for (dialog_settled, dialog);

  /* Once it is saved, the reminder goes. */
  dossier_annual_report_dialog_save_to (dialog, xml);
  wait_for (dialog_settled, dialog);
  g_assert_cmpint (dossier_annual_report_dialog_get_state (dialog), ==, DOSSIER_ANNUAL_REPORT_DIALOG_SAVED);
  g_assert_false (dossier_reminder_banner_get_revealed (banner));
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reminder_dismissed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GDate) today = date_new (2026, 1, 20);
  DossierWindow *window;
  DossierReminderBanner *banner;

  if (!dossier_auth_has_accounts (f->store))
    {
      g_test_skip ("The demo has no accounts");
      return;
    }

  window = show_window (f, today);
  banner = WINDOW_CHILD (window, "reminder_banner");
  g_assert_true (dossier_reminder_banner_get_revealed (banner));

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (banner), DOSSIER_TYPE_REMINDER_BANNER,
                                                        "dismiss_button"), "clicked");
  g_assert_false (dossier_reminder_banner_get_revealed (banner));
  /* It stays away for this session … */
  dossier_window_set_today_for_testing (window, today);
  g_assert_false (dossier_reminder_banner_get_revealed (banner));

  /* … and comes back after signing out and in again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  run_pending ();
  g_assert_false (dossier_reminder_banner_get_revealed (banner));
  g_assert_false (action_enabled (window, "win.annual-report"));
  {
    DossierLoginPage *page = WINDOW_CHILD (window, "login_page");
    GtkWidget *password = child (page, DOSSIER_TYPE_LOGIN_PAGE, "password_row");
    GtkWidget *button = child (page, DOSSIER_TYPE_LOGIN_PAGE, "sign_in_button");

    g_assert_true (dossier_login_page_choose_user (page, "wang.fang"));
    gtk_editable_set_text (GTK_EDITABLE (password), "wang.fang-demo");
    g_signal_emit_by_name (button, "clicked");
    run_pending ();
  }
  g_assert_true (dossier_reminder_banner_get_revealed (banner));
  g_assert_true (action_enabled (window, "win.annual-report"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Engineers and QA reviewers neither get the action nor the reminder. */
static void
test_not_for_others (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDate) today = date_new (2026, 1, 20);
  static const char * const others[] = { "zhang.wei", "li.na" };

  if (!dossier_auth_has_accounts (f->store))
    {
      g_test_skip ("The demo has no accounts");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      DossierWindow *window;

      sign_in (f->store, others[i]);
      window = show_window (f, today);
      g_assert_false (action_enabled (window, "win.annual-report"));
      g_assert_false (dossier_reminder_banner_get_revealed (WINDOW_CHILD (window, "reminder_banner")));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.annual-report", NULL);
      run_pending ();
      g_assert_null (find_dialog ());
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* The window menu opens the dialog on the default year. */
static void
test_window_action (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GDate) today = date_new (2026, 7, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = core_report (f, 2025, NULL);
  g_autofree char *xml = g_build_filename (f->dir, "done-2025.xml", NULL);
  DossierWindow *window;
  DossierAnnualReportDialog *dialog;

  /* With last year's report written, the summer offers this year's. */
  g_assert_true (dossier_annual_report_write_xml (f->store, report, xml, &error));
  g_assert_no_error (error);

  window = show_window (f, today);
  g_assert_false (dossier_reminder_banner_get_revealed (WINDOW_CHILD (window, "reminder_banner")));
  g_assert_true (action_enabled (window, "win.annual-report"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.annual-report", NULL));
  run_pending ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpint (dossier_annual_report_dialog_get_year (dialog), ==, 2026);
  wait_for (dialog_settled, dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));

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
  _dossier_auth_set_hash_limits_for_testing (0, 0);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/annual-report-gui/no-display", test_no_display);
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

      g_test_add ("/annual-report-gui/preview", Fixture, NULL, fixture_set_up, test_preview, fixture_tear_down);
      g_test_add ("/annual-report-gui/threshold", Fixture, NULL, fixture_set_up, test_threshold_warning,
                  fixture_tear_down);
      g_test_add ("/annual-report-gui/save", Fixture, NULL, fixture_set_up, test_save, fixture_tear_down);
      g_test_add ("/annual-report-gui/settings", Fixture, NULL, fixture_set_up, test_settings, fixture_tear_down);
      g_test_add ("/annual-report-gui/reminder", Fixture, NULL, fixture_set_up, test_reminder, fixture_tear_down);
      g_test_add ("/annual-report-gui/reminder-dismissed", Fixture, NULL, fixture_set_up, test_reminder_dismissed,
                  fixture_tear_down);
      g_test_add ("/annual-report-gui/not-for-others", Fixture, NULL, fixture_set_up, test_not_for_others,
                  fixture_tear_down);
      g_test_add ("/annual-report-gui/window-action", Fixture, NULL, fixture_set_up, test_window_action,
                  fixture_tear_down);
    }

  g_test_add_func ("/annual-report-gui/words", test_words);
  g_test_add_func ("/annual-report-gui/check-settings", test_check_settings);
  g_test_add ("/annual-report-gui/default-year", Fixture, NULL, fixture_set_up, test_default_year, fixture_tear_down);
  g_test_add ("/annual-report-gui/may-generate", Fixture, NULL, fixture_set_up, test_may_generate, fixture_tear_down);

  return g_test_run ();
}
