/* dossier-annual-report-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-annual-report-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "dossier-annual-report-dialog.h"
#include "dossier-auth.h"
#include "dossier-choices.h"

/* Choices settle for this long before the preview is computed again, so that
 * holding the year's arrow key does not start a computation per step. */
#define PREVIEW_DELAY_MS 150

struct _DossierAnnualReportDialog
{
  AdwWindow                       parent_instance;

  DossierStore                   *store;
  int                             initial_year;
  GPtrArray                      *filing_numbers;  /* char *, index i + 1 in filing_row */
  DossierAnnualReportDialogState  state;
  DossierAnnualReport            *report;          /* the previewed one */
  char                           *message;
  char                           *xml_path;
  char                           *html_path;
  guint                           preview_source;
  guint                           generation;      /* of the newest preview asked for */
  GCancellable                   *cancellable;     /* cancelled when the dialog goes */
  GtkFileChooserNative           *chooser;

  /* Template widgets */
  GtkButton                      *save_button;
  AdwActionRow                   *year_row;
  GtkSpinButton                  *year_spin;
  AdwComboRow                    *filing_row;
  GtkLabel                       *error_label;
  AdwPreferencesGroup            *result_group;
  AdwActionRow                   *open_report_row;
  AdwActionRow                   *open_folder_row;
  AdwPreferencesGroup            *summary_group;
  GtkSpinner                     *spinner;
  GtkBox                         *summary_box;
  AdwExpanderRow                 *deadline_expander;
  AdwEntryRow                    *deadline_entry;
  AdwEntryRow                    *reminder_entry;
  AdwEntryRow                    *reason_entry;
  GtkButton                      *apply_button;
  GtkLabel                       *settings_error_label;
};

G_DEFINE_FINAL_TYPE (DossierAnnualReportDialog, dossier_annual_report_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_YEAR,
  N_PROPS
};

enum {
  SAVED,
  SETTINGS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void queue_preview (DossierAnnualReportDialog *self);
static void show_deadline (DossierAnnualReportDialog *self,
                           gboolean                   fill_entries);

/* View logic ------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

gboolean
dossier_annual_report_dialog_may_generate (DossierStore *store)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!dossier_auth_has_accounts (store))
    return TRUE;

  return !dossier_auth_is_locked (store) && dossier_annual_report_check_permission (store, NULL);
}

int
dossier_annual_report_dialog_default_year (DossierStore *store,
                                           const GDate  *today)
{
  GDate deadline;
  int year, days_left;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail (today != NULL && g_date_valid (today), 0);

  if (dossier_annual_report_reminder (store, today, &year, &days_left))
    return year;

  /* Last year's report until its deadline has passed, then this year's. */
  year = g_date_get_year (today) - 1;
  dossier_annual_report_get_deadline (store, year, &deadline);
  if (g_date_compare (today, &deadline) > 0)
    year++;

  return year;
}

char *
dossier_annual_report_dialog_suggest_name (int         year,
                                           const char *filing_no)
{
  GString *name = g_string_new (NULL);

  g_string_append_printf (name, "annual-report-%d", year);

  /* 粤械定制备20240003号 → annual-report-2025-20240003: ASCII works everywhere. */
  if (!is_blank (filing_no))
    {
      gsize len = name->len;

      g_string_append_c (name, '-');
      for (const char *p = filing_no; *p != '\0'; p++)
        if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
          g_string_append_c (name, *p);
      if (name->len == len + 1)
        g_string_truncate (name, len);
    }

  g_string_append (name, ".xml");
  return g_string_free (name, FALSE);
}

char *
dossier_annual_report_dialog_xml_path (const char *chosen)
{
  g_return_val_if_fail (chosen != NULL, NULL);

  if (g_str_has_suffix (chosen, ".xml") || g_str_has_suffix (chosen, ".XML"))
    return g_strdup (chosen);

  return g_strconcat (chosen, ".xml", NULL);
}

char *
dossier_annual_report_dialog_html_path (const char *xml_path)
{
  g_return_val_if_fail (xml_path != NULL, NULL);

  if (g_str_has_suffix (xml_path, ".xml") || g_str_has_suffix (xml_path, ".XML"))
    {
      g_autofree char *stem = g_strndup (xml_path, strlen (xml_path) - 4);

      return g_strconcat (stem, ".html", NULL);
    }

  return g_strconcat (xml_path, ".html", NULL);
}

char *
dossier_annual_report_dialog_check_settings (const char               *deadline,
                                             const char               *reminder_days,
                                             const char               *reason,
                                             guint                    *days,
                                             DossierAnnualReportField *field)
{
  DossierAnnualReportField ignored;
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed_deadline = g_strstrip (g_strdup (deadline != NULL ? deadline : ""));
  g_autofree char *trimmed_reason = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  guint month, day;
  guint64 value = 0;

  if (field == NULL)
    field = &ignored;
  *field = DOSSIER_ANNUAL_REPORT_FIELD_NONE;

  if (!dossier_annual_report_parse_deadline (trimmed_deadline, &month, &day, NULL))
    {
      *field = DOSSIER_ANNUAL_REPORT_FIELD_DEADLINE;
      /* Translators: %s is what was typed in the Deadline field. */
      return g_strdup_printf (_("Deadline: “%s” is not a month and day; write it as MM-DD, e.g. 01-31."),
                              deadline != NULL ? deadline : "");
    }

  if (is_blank (reminder_days) ||
      !g_ascii_string_to_unsigned (reminder_days, 10, 0, 366, &value, &error))
    {
      *field = DOSSIER_ANNUAL_REPORT_FIELD_REMINDER;
      /* Translators: %s is what was typed in the Reminder field. */
      return g_strdup_printf (_("Reminder: “%s” is not a number of days from 0 to 366."),
                              reminder_days != NULL ? reminder_days : "");
    }

  if (is_blank (trimmed_reason))
    {
      *field = DOSSIER_ANNUAL_REPORT_FIELD_REASON;
      return g_strdup (_("Reason: say why the deadline changes, e.g. the filing authority’s notice; "
                         "it is recorded in the audit trail."));
    }

  if (days != NULL)
    *days = (guint)value;

  return NULL;
}

/* Helpers ------------------------------------------------------------------------ */

static void
set_message (DossierAnnualReportDialog *self,
             const char                *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

static void
show_error (DossierAnnualReportDialog *self,
            const char                *message)
{
  set_message (self, message);
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_state (DossierAnnualReportDialog      *self,
           DossierAnnualReportDialogState  state)
{
  gboolean busy = state == DOSSIER_ANNUAL_REPORT_DIALOG_COMPUTING ||
                  state == DOSSIER_ANNUAL_REPORT_DIALOG_SAVING;

  self->state = state;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            !busy && self->report != NULL && self->chooser == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->year_spin), state != DOSSIER_ANNUAL_REPORT_DIALOG_SAVING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filing_row), state != DOSSIER_ANNUAL_REPORT_DIALOG_SAVING);
}

static const char *
current_filing (DossierAnnualReportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->filing_row);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || selected > self->filing_numbers->len)
    return NULL;

  return g_ptr_array_index (self->filing_numbers, selected - 1);
}

static int
current_year (DossierAnnualReportDialog *self)
{
  return gtk_spin_button_get_value_as_int (self->year_spin);
}

static void
fill_filings (DossierAnnualReportDialog *self)
{
  g_autoptr(GPtrArray) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->filing_numbers, 0);
  gtk_string_list_append (labels, _("All Filings"));

  options = dossier_choices_list_records (self->store, "filing", NULL, NULL, 0, 0, NULL, &error);
  if (options == NULL)
    {
      g_warning ("Could not list the filings: %s", error->message);
      options = g_ptr_array_new ();
    }

  /* A draft has no number yet and is in no report. */
  for (guint i = 0; i < options->len; i++)
    {
      DossierOption *option = g_ptr_array_index (options, i);
      g_autoptr(GHashTable) row = dossier_store_get_row (self->store, "filing", option->id, NULL);
      const char *number = row != NULL ? g_hash_table_lookup (row, "number") : NULL;
      g_autofree char *label = NULL;

      if (is_blank (number))
        continue;

      /* Translators: a filing in the annual report dialog: its number, then the device name. */
      label = g_strdup_printf (_("%s — %s"), number, option->title);
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->filing_numbers, g_strdup (number));
    }

  adw_combo_row_set_model (self->filing_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->filing_row, 0);
}

/* The preview ------------------------------------------------------------------- */

static GtkWidget *
count_row (const char *title,
           guint       value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;
  g_autofree char *text = g_strdup_printf ("%u", value);
  /* Translators: a count in the annual report preview, read out as "Delivered: 3". */
  g_autofree char *accessible = g_strdup_printf (_("%s: %u"), title, value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  label = gtk_label_new (text);
  gtk_widget_add_css_class (label, "numeric");
  if (value == 0)
    gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_widget_add_css_class (row, "report-count");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static GtkWidget *
threshold_row (const DossierAnnualFiling *filing,
               const char                *period_to)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state;
  g_autofree char *subtitle = NULL;
  const char *state_text;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Cases Against the Registration Threshold"));
  /* Translators: "3 of 30 cases by 2025-12-31, 1 used on a patient". */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u of %u case by %s, %u used on a patient",
                                           "%u of %u cases by %s, %u used on a patient",
                                           filing->threshold),
                              filing->cases, filing->threshold, period_to, filing->cases_used);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  switch (filing->threshold_state)
    {
    case DOSSIER_ANNUAL_THRESHOLD_REACHED:
      state_text = _("Reached: register the product");
      gtk_widget_add_css_class (row, "threshold-reached");
      break;

    case DOSSIER_ANNUAL_THRESHOLD_NEAR:
      state_text = _("Near the threshold");
      gtk_widget_add_css_class (row, "threshold-near");
      break;

    case DOSSIER_ANNUAL_THRESHOLD_BELOW:
    default:
      state_text = _("Below");
      break;
    }

  if (filing->threshold_state != DOSSIER_ANNUAL_THRESHOLD_BELOW)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  state = gtk_label_new (state_text);
  gtk_label_set_wrap (GTK_LABEL (state), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (state), 20);
  gtk_label_set_justify (GTK_LABEL (state), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (state), 1.0);
  gtk_widget_add_css_class (state, "threshold-state");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);

  return row;
}

static void
clear_summary (DossierAnnualReportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_box))) != NULL)
    gtk_box_remove (self->summary_box, child);
}

static void
show_summary_text (DossierAnnualReportDialog *self,
                   const char                *text)
{
  adw_preferences_group_set_description (self->summary_group, text);
}

static void
show_report (DossierAnnualReportDialog *self)
{
  DossierAnnualReport *report = self->report;
  g_autofree char *description = NULL;
  g_autofree char *as_of = NULL;
  g_autoptr(GDateTime) generated = g_date_time_new_from_iso8601 (report->generated_at, NULL);

  clear_summary (self);

  /* The time stamp to the minute, in the user's time zone, reads better than the
   * report's ISO 8601 with microseconds. */
  if (generated != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (generated);

      as_of = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }
  else
    as_of = g_strdup (report->generated_at);

  if (report->filings->len == 0)
    description = g_strdup_printf (_("No filing was in force in %d: the report has no filings."), report->year);
  else
    /* Translators: the preview's description: the year, the number of filings and
     * the time stamp of the data. */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The report for %d, %u filing, with the data as of %s.",
                                                "The report for %d, %u filings, with the data as of %s.",
                                                report->filings->len),
                                   report->year, report->filings->len, as_of);
  show_summary_text (self, description);

  for (guint i = 0; i < report->filings->len; i++)
    {
      const DossierAnnualFiling *filing = g_ptr_array_index (report->filings, i);
      const DossierAnnualCounts *n = &filing->counts;
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      const struct { const char *title; guint value; } counts[] = {
        { _("Ordered"), n->ordered },
        { _("Designed"), n->designed },
        { _("Produced"), n->produced },
        { _("Released"), n->released },
        { _("Delivered"), n->delivered },
        { _("Used"), n->used },
        { _("Not Used"), n->not_used },
        { _("Returned"), n->returned },
        { _("Destroyed"), n->destroyed },
        { _("Cancelled"), n->cancelled },
        { _("Design Changes"), n->design_changes },
        { _("Adverse Events"), n->adverse_events },
      };

      adw_preferences_group_set_title (group, filing->number != NULL ? filing->number : _("Draft"));
      adw_preferences_group_set_description (group, filing->device_name);
      adw_preferences_group_add (group, threshold_row (filing, report->period_to));
      for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
        adw_preferences_group_add (group, count_row (counts[c].title, counts[c].value));

      gtk_box_append (self->summary_box, GTK_WIDGET (group));
    }
}

typedef struct
{
  DossierStore *store;       /* the worker's own connection */
  int           year;
  char         *filing_no;
  guint         generation;
  char         *xml_path;    /* saving only */
  char         *html_path;
  gboolean      xml_written;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_free (job->filing_no);
  g_free (job->xml_path);
  g_free (job->html_path);
  g_free (job);
}

/* In the worker thread: nothing here touches a widget. */
static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  DossierAnnualReportOptions options = { .year = job->year, .filing_number = job->filing_no };
  DossierAnnualReport *report;

  report = dossier_annual_report_compute (job->store, &options, &error);

  /* The connection was made for this thread; it closes here too. */
  g_clear_object (&job->store);

  if (report != NULL)
    g_task_return_pointer (task, report, (GDestroyNotify)dossier_annual_report_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DossierAnnualReportDialog *self = DOSSIER_ANNUAL_REPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = g_task_propagate_pointer (G_TASK (result), &error);

  /* Gone, or a newer choice is computed already: this one is not shown. */
  if (self->summary_box == NULL || job->generation != self->generation ||
      self->state == DOSSIER_ANNUAL_REPORT_DIALOG_SAVING)
    return;

  g_clear_pointer (&self->report, dossier_annual_report_unref);
  if (report == NULL)
    {
      clear_summary (self);
      show_summary_text (self, NULL);
      show_error (self, error->message);
      set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
      return;
    }

  self->report = g_steal_pointer (&report);
  show_error (self, NULL);
  show_report (self);
  set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_IDLE);
}

static gboolean
start_preview (gpointer data)
{
  DossierAnnualReportDialog *self = data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) sibling = NULL;
  Job *job;

  self->preview_source = 0;

  /* The store is not thread-safe: the worker gets its own connection, opened here
   * where the session is, with the same user. */
  sibling = dossier_store_open_sibling (self->store, &error);
  if (sibling == NULL)
    {
      g_clear_pointer (&self->report, dossier_annual_report_unref);
      show_error (self, error->message);
      set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
      return G_SOURCE_REMOVE;
    }

  job = g_new0 (Job, 1);
  job->store = g_steal_pointer (&sibling);
  job->year = current_year (self);
  job->filing_no = g_strdup (current_filing (self));
  job->generation = self->generation;

  task = g_task_new (self, self->cancellable, on_computed, NULL);
  g_task_set_source_tag (task, start_preview);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, compute_thread);

  return G_SOURCE_REMOVE;
}

static void
queue_preview (DossierAnnualReportDialog *self)
{
  /* Whatever is computing now is for the old choice. */
  self->generation++;
  g_clear_pointer (&self->report, dossier_annual_report_unref);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, start_preview, self);
  set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_COMPUTING);
}

static void
on_choice_changed (DossierAnnualReportDialog *self)
{
  if (self->state == DOSSIER_ANNUAL_REPORT_DIALOG_SAVING)
    return;

  /* What was saved was another choice. */
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);
  show_deadline (self, FALSE);
  queue_preview (self);
}

/* Saving --------------------------------------------------------------------------- */

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  DossierAnnualReportOptions options = { .year = job->year, .filing_number = job->filing_no };
  gboolean ok;

  /* Computed again from the data as it is now: what is saved is what the
   * database says at the moment of saving, with the same bytes the CLI gives. */
  report = dossier_annual_report_compute (job->store, &options, &error);
  ok = report != NULL && dossier_annual_report_write_xml (job->store, report, job->xml_path, &error);
  job->xml_written = ok;
  ok = ok && dossier_annual_report_write_html (report, job->html_path, &error);

  g_clear_object (&job->store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  DossierAnnualReportDialog *self = DOSSIER_ANNUAL_REPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (self->summary_box == NULL)
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (job->xml_written)
        /* Translators: the XML was written, the HTML beside it was not; %s are paths and the reason. */
        message = g_strdup_printf (_("The report was saved to “%s”, but its readable rendering was not: %s"),
                                   job->xml_path, error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        message = g_strdup_printf (_("“%s” already exists: a report never replaces a file. Choose a new name."),
                                   job->xml_path);
      else
        message = g_strdup_printf (_("The report was not saved: %s"), error->message);

      show_error (self, message);
      set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
      if (job->xml_written)
        g_signal_emit (self, signals[SAVED], 0, job->year);
      return;
    }

  g_free (self->xml_path);
  self->xml_path = g_strdup (job->xml_path);
  g_free (self->html_path);
  self->html_path = g_strdup (job->html_path);

  {
    g_autofree char *dir = g_path_get_dirname (self->html_path);
    g_autofree char *xml_name = g_path_get_basename (self->xml_path);
    g_autofree char *html_name = g_path_get_basename (self->html_path);
    /* Translators: where the report was saved: the XML file, the HTML file, the folder. */
    g_autofree char *done = g_strdup_printf (_("Saved the report as “%s” with its readable rendering “%s” in %s."),
                                             xml_name, html_name, dir);

    adw_action_row_set_subtitle (self->open_report_row, self->html_path);
    adw_action_row_set_subtitle (self->open_folder_row, dir);
    adw_preferences_group_set_description (self->result_group, done);
    show_error (self, NULL);
    set_message (self, done);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
  set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_SAVED);
  g_signal_emit (self, signals[SAVED], 0, job->year);
}

static gboolean
path_taken (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK);
}

static void
save_to (DossierAnnualReportDialog *self,
         const char                *chosen)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) sibling = NULL;
  g_autofree char *xml_path = dossier_annual_report_dialog_xml_path (chosen);
  g_autofree char *html_path = dossier_annual_report_dialog_html_path (xml_path);
  Job *job;

  /* Said before anything is written; the core refuses existing files anyway. */
  for (const char *path = xml_path; path != NULL; path = path == xml_path ? html_path : NULL)
    if (path_taken (path))
      {
        g_autofree char *message = g_strdup_printf (_("“%s” already exists: a report never replaces a file. "
                                                      "Choose a new name."), path);

        show_error (self, message);
        set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
        return;
      }

  sibling = dossier_store_open_sibling (self->store, &error);
  if (sibling == NULL)
    {
      show_error (self, error->message);
      set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_FAILED);
      return;
    }

  job = g_new0 (Job, 1);
  job->store = g_steal_pointer (&sibling);
  job->year = current_year (self);
  job->filing_no = g_strdup (current_filing (self));
  job->xml_path = g_steal_pointer (&xml_path);
  job->html_path = g_steal_pointer (&html_path);

  show_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);
  set_state (self, DOSSIER_ANNUAL_REPORT_DIALOG_SAVING);

  task = g_task_new (self, self->cancellable, on_saved, NULL);
  g_task_set_source_tag (task, save_to);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, save_thread);
}

static char *
default_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_strdup (documents);

  return g_strdup (g_get_home_dir ());
}

static void
on_chooser_response (GtkNativeDialog           *chooser,
                     int                        response,
                     DossierAnnualReportDialog *self)
{
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      path = file != NULL ? g_file_get_path (file) : NULL;
    }

  g_clear_object (&self->chooser);
  set_state (self, self->state);

  if (path != NULL)
    save_to (self, path);
}

static void
on_save_clicked (DossierAnnualReportDialog *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (self->chooser != NULL || self->report == NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Annual Report"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("XML Reports"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  dir = self->xml_path != NULL ? g_path_get_dirname (self->xml_path) : default_folder ();
  name = dossier_annual_report_dialog_suggest_name (current_year (self), current_filing (self));
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  set_state (self, self->state);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open the report: %s", error->message);
}

static void
launch_path (DossierAnnualReportDialog *self,
             const char                *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = g_file_get_uri (file);

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched, NULL);
}

static void
on_open_report_activated (DossierAnnualReportDialog *self)
{
  if (self->html_path != NULL)
    launch_path (self, self->html_path);
}

static void
on_open_folder_activated (DossierAnnualReportDialog *self)
{
  g_autofree char *dir = NULL;

  if (self->html_path == NULL)
    return;

  dir = g_path_get_dirname (self->html_path);
  launch_path (self, dir);
}

/* The deadline --------------------------------------------------------------------- */

static void
show_deadline (DossierAnnualReportDialog *self,
               gboolean                   fill_entries)
{
  g_autofree char *setting = dossier_store_get_setting (self->store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY);
  g_autofree char *days = g_strdup_printf ("%u", dossier_annual_report_get_reminder_days (self->store));
  g_autofree char *subtitle = NULL;
  g_autofree char *date = NULL;
  GDate deadline;
  int year = current_year (self);

  dossier_annual_report_get_deadline (self->store, year, &deadline);
  date = dossier_annual_report_format_date (&deadline);
  /* Translators: the deadline row's subtitle, e.g. "The report for 2025 is due on
   * 31 January 2026; reminders from 30 days before." */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The report for %d is due on %s; reminders from %s day before.",
                                           "The report for %d is due on %s; reminders from %s days before.",
                                           dossier_annual_report_get_reminder_days (self->store)),
                              year, date, days);
  adw_expander_row_set_subtitle (self->deadline_expander, subtitle);

  if (fill_entries)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->deadline_entry),
                             setting != NULL ? setting : DOSSIER_ANNUAL_REPORT_DEFAULT_DEADLINE);
      gtk_editable_set_text (GTK_EDITABLE (self->reminder_entry), days);
    }
}

static void
show_settings_error (DossierAnnualReportDialog *self,
                     const char                *message,
                     DossierAnnualReportField   field)
{
  GtkWidget *rows[] = {
    [DOSSIER_ANNUAL_REPORT_FIELD_DEADLINE] = GTK_WIDGET (self->deadline_entry),
    [DOSSIER_ANNUAL_REPORT_FIELD_REMINDER] = GTK_WIDGET (self->reminder_entry),
    [DOSSIER_ANNUAL_REPORT_FIELD_REASON] = GTK_WIDGET (self->reason_entry),
  };

  for (guint i = DOSSIER_ANNUAL_REPORT_FIELD_DEADLINE; i < G_N_ELEMENTS (rows); i++)
    if (message != NULL && field == i)
      gtk_widget_add_css_class (rows[i], "error");
    else
      gtk_widget_remove_css_class (rows[i], "error");

  if (message != NULL)
    set_message (self, message);
  gtk_label_set_label (self->settings_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->settings_error_label), message != NULL);
}

static void
on_settings_changed (DossierAnnualReportDialog *self)
{
  /* The message was about what was typed before. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->settings_error_label)))
    show_settings_error (self, NULL, DOSSIER_ANNUAL_REPORT_FIELD_NONE);
}

static void
on_apply_clicked (DossierAnnualReportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *deadline = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->deadline_entry))));
  g_autofree char *reminder = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reminder_entry))));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  DossierAnnualReportField field;
  guint days = 0;

  problem = dossier_annual_report_dialog_check_settings (deadline, reminder, reason, &days, &field);
  if (problem != NULL)
    {
      GtkWidget *rows[] = { NULL, GTK_WIDGET (self->deadline_entry), GTK_WIDGET (self->reminder_entry),
                            GTK_WIDGET (self->reason_entry) };

      show_settings_error (self, problem, field);
      gtk_widget_grab_focus (rows[field]);
      return;
    }

  /* Both or neither: a half-applied change would be hard to see. */
  if (dossier_store_begin (self->store, &error))
    {
      if (!dossier_annual_report_set_deadline (self->store, deadline, reason, &error) ||
          !dossier_annual_report_set_reminder_days (self->store, days, reason, &error) ||
          !dossier_store_commit (self->store, &error))
        dossier_store_rollback (self->store);
    }

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The deadline was not changed: %s"), error->message);

      show_settings_error (self, message, DOSSIER_ANNUAL_REPORT_FIELD_NONE);
      return;
    }

  show_settings_error (self, NULL, DOSSIER_ANNUAL_REPORT_FIELD_NONE);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), "");
  show_deadline (self, TRUE);
  set_message (self, _("The deadline was changed."));
  g_signal_emit (self, signals[SETTINGS_CHANGED], 0);
}

/* GObject ------------------------------------------------------------------------ */

static void
dossier_annual_report_dialog_constructed (GObject *object)
{
  DossierAnnualReportDialog *self = (DossierAnnualReportDialog *)object;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean allowed;
  int year = self->initial_year;

  G_OBJECT_CLASS (dossier_annual_report_dialog_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  if (year <= 0)
    {
      GDate today;

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
      year = dossier_annual_report_dialog_default_year (self->store, &today);
    }

  g_signal_handlers_block_by_func (self->year_spin, on_choice_changed, self);
  g_signal_handlers_block_by_func (self->filing_row, on_choice_changed, self);
  fill_filings (self);
  gtk_spin_button_set_value (self->year_spin, year);
  g_signal_handlers_unblock_by_func (self->filing_row, on_choice_changed, self);
  g_signal_handlers_unblock_by_func (self->year_spin, on_choice_changed, self);

  /* The same people change the deadline as generate the report. */
  allowed = dossier_annual_report_dialog_may_generate (self->store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deadline_expander), allowed);
  show_deadline (self, TRUE);

  queue_preview (self);
}

static void
dossier_annual_report_dialog_dispose (GObject *object)
{
  DossierAnnualReportDialog *self = (DossierAnnualReportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_ANNUAL_REPORT_DIALOG);
  /* Callbacks of work still running find the widgets gone by this. */
  self->summary_box = NULL;
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_annual_report_dialog_parent_class)->dispose (object);
}

static void
dossier_annual_report_dialog_finalize (GObject *object)
{
  DossierAnnualReportDialog *self = (DossierAnnualReportDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, dossier_annual_report_unref);
  g_clear_pointer (&self->filing_numbers, g_ptr_array_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->xml_path, g_free);
  g_clear_pointer (&self->html_path, g_free);

  G_OBJECT_CLASS (dossier_annual_report_dialog_parent_class)->finalize (object);
}

static void
dossier_annual_report_dialog_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  DossierAnnualReportDialog *self = DOSSIER_ANNUAL_REPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_YEAR:
      g_value_set_int (value, self->year_spin != NULL ? current_year (self) : self->initial_year);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_annual_report_dialog_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  DossierAnnualReportDialog *self = DOSSIER_ANNUAL_REPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_YEAR:
      self->initial_year = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_annual_report_dialog_class_init (DossierAnnualReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_annual_report_dialog_constructed;
  object_class->dispose = dossier_annual_report_dialog_dispose;
  object_class->finalize = dossier_annual_report_dialog_finalize;
  object_class->get_property = dossier_annual_report_dialog_get_property;
  object_class->set_property = dossier_annual_report_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* The year shown first; 0 for the default on today. */
  properties[PROP_YEAR] =
    g_param_spec_int ("year", NULL, NULL, 0, 9998, 0,
                      (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierAnnualReportDialog::saved:
   * @year: the year of the report
   *
   * Emitted when the XML of a report has been written (and recorded as a run of
   * that year), so that the reminder can go.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  /**
   * DossierAnnualReportDialog::settings-changed:
   *
   * Emitted when the deadline or the reminder period has been changed.
   */
  signals[SETTINGS_CHANGED] =
    g_signal_new ("settings-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-annual-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, year_row);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, year_spin);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, filing_row);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, result_group);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, open_report_row);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, open_folder_row);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, summary_group);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, summary_box);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, deadline_expander);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, deadline_entry);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, reminder_entry);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, DossierAnnualReportDialog, settings_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_report_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_open_folder_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_settings_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_annual_report_dialog_init (DossierAnnualReportDialog *self)
{
  self->filing_numbers = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public ------------------------------------------------------------------------- */

DossierAnnualReportDialog *
dossier_annual_report_dialog_new (GtkWindow    *parent,
                                  DossierStore *store,
                                  int           year)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_ANNUAL_REPORT_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "year", CLAMP (year, 0, 9998),
                       NULL);
}

void
dossier_annual_report_dialog_set_year (DossierAnnualReportDialog *self,
                                       int                        year)
{
  g_return_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self));

  gtk_spin_button_set_value (self->year_spin, year);
}

int
dossier_annual_report_dialog_get_year (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), 0);

  return current_year (self);
}

gboolean
dossier_annual_report_dialog_set_filing (DossierAnnualReportDialog *self,
                                         const char                *filing_no)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), FALSE);

  if (filing_no == NULL)
    {
      adw_combo_row_set_selected (self->filing_row, 0);
      return TRUE;
    }

  for (guint i = 0; i < self->filing_numbers->len; i++)
    if (g_str_equal (g_ptr_array_index (self->filing_numbers, i), filing_no))
      {
        adw_combo_row_set_selected (self->filing_row, i + 1);
        return TRUE;
      }

  return FALSE;
}

const char *
dossier_annual_report_dialog_get_filing (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), NULL);

  return current_filing (self);
}

DossierAnnualReportDialogState
dossier_annual_report_dialog_get_state (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), DOSSIER_ANNUAL_REPORT_DIALOG_IDLE);

  return self->state;
}

DossierAnnualReport *
dossier_annual_report_dialog_get_report (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), NULL);

  return self->report;
}

const char *
dossier_annual_report_dialog_get_message (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), NULL);

  return self->message;
}

void
dossier_annual_report_dialog_save_to (DossierAnnualReportDialog *self,
                                      const char                *xml_path)
{
  g_return_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self));
  g_return_if_fail (xml_path != NULL);
  g_return_if_fail (self->state != DOSSIER_ANNUAL_REPORT_DIALOG_SAVING);

  save_to (self, xml_path);
}

const char *
dossier_annual_report_dialog_get_xml_path (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), NULL);

  return self->xml_path;
}

const char *
dossier_annual_report_dialog_get_html_path (DossierAnnualReportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_ANNUAL_REPORT_DIALOG (self), NULL);

  return self->html_path;
}
