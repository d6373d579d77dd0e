/* dossier-export-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dossier-auth.h"
#include "dossier-choices.h"
#include "dossier-export-dialog.h"
#include "dossier-validate.h"

struct _DossierExportDialog
{
  AdwWindow                 parent_instance;

  DossierStore             *store;
  char                     *unit_no;
  GPtrArray                *filing_numbers;   /* char *, in the order of filing_row */
  char                     *destination;
  gboolean                  destination_chosen;
  gboolean                  attempted;        /* Export was clicked: show every problem */
  DossierExportDialogState  state;
  char                     *message;
  GCancellable             *cancellable;      /* of the running export */
  gboolean                  close_when_stopped;
  guint                     cancel_after;
  GtkFileChooserNative     *chooser;

  /* Template widgets */
  GtkButton                *cancel_button;
  GtkButton                *export_button;
  GtkStack                 *stack;
  AdwActionRow             *unit_row;
  GtkCheckButton           *unit_check;
  AdwActionRow             *filing_scope_row;
  GtkCheckButton           *filing_check;
  AdwComboRow              *filing_row;
  GtkCheckButton           *range_check;
  AdwEntryRow              *from_row;
  AdwEntryRow              *to_row;
  GtkCheckButton           *all_check;
  GtkCheckButton           *folder_check;
  GtkCheckButton           *zip_check;
  AdwActionRow             *destination_row;
  GtkButton                *choose_button;
  GtkLabel                 *scope_error_label;
  GtkLabel                 *destination_error_label;
  AdwStatusPage            *running_page;
  GtkProgressBar           *progress_bar;
  GtkLabel                 *running_label;
  AdwStatusPage            *done_page;
  GtkButton                *open_button;
  AdwStatusPage            *cancelled_page;
  GtkTextView              *report_view;
  GtkButton                *copy_button;
};

G_DEFINE_FINAL_TYPE (DossierExportDialog, dossier_export_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_UNIT_NO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_form (DossierExportDialog *self);

/* View logic ------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

static char *
check_date (const char         *value,
            const char         *label,
            DossierExportField  this_field,
            DossierExportField *field)
{
  if (is_blank (value))
    {
      *field = this_field;
      /* Translators: %s is the name of a date field, "From" or "To". */
      return g_strdup_printf (_("%s: enter a date as YYYY-MM-DD, e.g. 2026-01-31."), label);
    }

  if (!dossier_validate_date (value, NULL))
    {
      *field = this_field;
      /* Translators: the first %s is the field ("From" or "To"), the second what was typed. */
      return g_strdup_printf (_("%s: “%s” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31."),
                              label, value);
    }

  return NULL;
}

char *
dossier_export_dialog_check (const DossierExportOptions *options,
                             const char                 *destination,
                             DossierExportField         *field)
{
  DossierExportField ignored;
  char *message = NULL;

  g_return_val_if_fail (options != NULL, NULL);

  if (field == NULL)
    field = &ignored;
  *field = DOSSIER_EXPORT_FIELD_NONE;

  switch (options->scope)
    {
    case DOSSIER_EXPORT_SCOPE_UNIT:
      if (is_blank (options->unit_no))
        return g_strdup (_("Choose a dossier in the list to export it alone."));
      break;

    case DOSSIER_EXPORT_SCOPE_FILING:
      if (is_blank (options->filing_no))
        {
          *field = DOSSIER_EXPORT_FIELD_FILING;
          return g_strdup (_("Filing: choose a filing that has its filing number."));
        }
      break;

    case DOSSIER_EXPORT_SCOPE_RANGE:
      if ((message = check_date (options->from, _("From"), DOSSIER_EXPORT_FIELD_FROM, field)) ||
          (message = check_date (options->to, _("To"), DOSSIER_EXPORT_FIELD_TO, field)))
        return message;
      /* Dates as YYYY-MM-DD compare as text. */
      if (strcmp (options->from, options->to) > 0)
        {
          *field = DOSSIER_EXPORT_FIELD_TO;
          return g_strdup_printf (_("To: the period ends (%s) before it starts (%s)."),
                                  options->to, options->from);
        }
      break;

    case DOSSIER_EXPORT_SCOPE_ALL:
    default:
      break;
    }

  if (is_blank (destination))
    {
      *field = DOSSIER_EXPORT_FIELD_DESTINATION;
      return g_strdup (_("Destination: choose where to save the package."));
    }

  return NULL;
}

char *
dossier_export_dialog_format_progress (guint done,
                                       guint total)
{
  /* Translators: progress of an export, e.g. "3 of 12 dossiers". */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u dossier", "%u of %u dossiers", total),
                          done, total);
}

char *
dossier_export_dialog_format_done (guint       n_dossiers,
                                   const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  /* Translators: %u is a number of dossiers, %s the folder or file written. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u dossier to %s.",
                                       "Exported %u dossiers to %s.", n_dossiers),
                          n_dossiers, path);
}

/* Only what a package's own names may hold (ASCII letters, digits, '.', '_', '-'),
 * so the name works on any file system and archive. */
static void
append_safe (GString    *name,
             const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.')
      g_string_append_c (name, *p);
}

char *
dossier_export_dialog_suggest_name (const DossierExportOptions *options)
{
  GString *name = g_string_new (NULL);

  g_return_val_if_fail (options != NULL, NULL);

  switch (options->scope)
    {
    case DOSSIER_EXPORT_SCOPE_UNIT:
      append_safe (name, options->unit_no);
      break;

    case DOSSIER_EXPORT_SCOPE_FILING:
      /* 粤械定制备20200001号 → filing-20200001 */
      g_string_append (name, "filing-");
      append_safe (name, options->filing_no);
      break;

    case DOSSIER_EXPORT_SCOPE_RANGE:
      g_string_append (name, "dossiers-");
      append_safe (name, options->from);
      g_string_append (name, "-to-");
      append_safe (name, options->to);
      break;

    case DOSSIER_EXPORT_SCOPE_ALL:
    default:
      break;
    }

  if (name->len == 0 || g_str_has_suffix (name->str, "-"))
    g_string_append (name, "all-dossiers");
  if (options->format == DOSSIER_EXPORT_FORMAT_ZIP)
    g_string_append (name, ".zip");

  return g_string_free (name, FALSE);
}

gboolean
dossier_export_dialog_may_export (DossierStore *store)
{
  const DossierUser *user;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!dossier_auth_has_accounts (store))
    return TRUE;

  user = dossier_store_get_user (store);
  return user != NULL && user->active && !dossier_auth_is_locked (store) &&
         (user->roles & (DOSSIER_ROLE_REGULATORY | DOSSIER_ROLE_ADMINISTRATOR)) != 0;
}

/* The form ---------------------------------------------------------------------- */

static DossierExportScope
current_scope (DossierExportDialog *self)
{
  if (gtk_check_button_get_active (self->unit_check))
    return DOSSIER_EXPORT_SCOPE_UNIT;
  if (gtk_check_button_get_active (self->filing_check))
    return DOSSIER_EXPORT_SCOPE_FILING;
  if (gtk_check_button_get_active (self->range_check))
    return DOSSIER_EXPORT_SCOPE_RANGE;
  return DOSSIER_EXPORT_SCOPE_ALL;
}

static const char *
current_filing (DossierExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->filing_row);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->filing_numbers->len)
    return NULL;

  return g_ptr_array_index (self->filing_numbers, selected);
}

/* The options as the form says; the strings belong to the form. */
static void
read_options (DossierExportDialog  *self,
              DossierExportOptions *options)
{
  *options = (DossierExportOptions) {
    .scope = current_scope (self),
    .unit_no = self->unit_no,
    .filing_no = current_filing (self),
    .from = gtk_editable_get_text (GTK_EDITABLE (self->from_row)),
    .to = gtk_editable_get_text (GTK_EDITABLE (self->to_row)),
    .format = gtk_check_button_get_active (self->zip_check) ? DOSSIER_EXPORT_FORMAT_ZIP
                                                             : DOSSIER_EXPORT_FORMAT_FOLDER,
  };
}

static char *
default_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_strdup (documents);

  return g_strdup (g_get_home_dir ());
}

/* A name beside the current destination (or in Documents) that does not exist yet. */
static char *
suggest_destination (DossierExportDialog *self)
{
  DossierExportOptions options;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  char *path;

  read_options (self, &options);
  name = dossier_export_dialog_suggest_name (&options);
  folder = self->destination != NULL ? g_path_get_dirname (self->destination) : default_folder ();
  path = g_build_filename (folder, name, NULL);

  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS) && i < 1000; i++)
    {
      g_autofree char *base = g_strdup (name);
      g_autofree char *numbered = NULL;

      if (g_str_has_suffix (base, ".zip"))
        base[strlen (base) - strlen (".zip")] = '\0';
      numbered = g_strdup_printf ("%s-%u%s", base, i,
                                  options.format == DOSSIER_EXPORT_FORMAT_ZIP ? ".zip" : "");
      g_free (path);
      path = g_build_filename (folder, numbered, NULL);
    }

  return path;
}

static void
show_destination (DossierExportDialog *self)
{
  adw_action_row_set_subtitle (self->destination_row, self->destination != NULL ? self->destination : "");
}

/* A chosen name keeps its name when the format changes, with or without ".zip". */
static void
fit_destination_to_format (DossierExportDialog *self)
{
  gboolean zip = gtk_check_button_get_active (self->zip_check);
  char *path = self->destination;

  if (path == NULL)
    return;

  if (zip && !g_str_has_suffix (path, ".zip"))
    self->destination = g_strconcat (path, ".zip", NULL);
  else if (!zip && g_str_has_suffix (path, ".zip"))
    self->destination = g_strndup (path, strlen (path) - strlen (".zip"));
  else
    return;

  g_free (path);
}

static void
set_row_error (GtkWidget *row,
               gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
set_message (DossierExportDialog *self,
             const char          *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

/* The error shows under the group of the field it names. */
static void
show_error (DossierExportDialog *self,
            const char          *message,
            DossierExportField   field)
{
  gboolean destination = field == DOSSIER_EXPORT_FIELD_DESTINATION;

  gtk_label_set_label (self->scope_error_label, message != NULL && !destination ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->scope_error_label), message != NULL && !destination);
  gtk_label_set_label (self->destination_error_label, message != NULL && destination ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->destination_error_label), message != NULL && destination);
  if (message != NULL)
    set_message (self, message);
}

/* Puts the form in line with the choices: which details are open, the suggested
 * name, and the problem (once Export was tried, or as soon as a date is typed). */
static void
update_form (DossierExportDialog *self)
{
  DossierExportOptions options;
  DossierExportField field = DOSSIER_EXPORT_FIELD_NONE;
  g_autofree char *problem = NULL;
  gboolean show;

  read_options (self, &options);

  /* The details of a scope show under it while it is chosen. */
  gtk_widget_set_visible (GTK_WIDGET (self->filing_row), options.scope == DOSSIER_EXPORT_SCOPE_FILING);
  gtk_widget_set_visible (GTK_WIDGET (self->from_row), options.scope == DOSSIER_EXPORT_SCOPE_RANGE);
  gtk_widget_set_visible (GTK_WIDGET (self->to_row), options.scope == DOSSIER_EXPORT_SCOPE_RANGE);

  if (!self->destination_chosen)
    {
      g_free (self->destination);
      self->destination = NULL;
      self->destination = suggest_destination (self);
    }
  else
    fit_destination_to_format (self);
  show_destination (self);

  problem = dossier_export_dialog_check (&options, self->destination, &field);

  /* A half-typed date is not an error yet; a full-length wrong one is. */
  show = problem != NULL &&
         (self->attempted ||
          (field == DOSSIER_EXPORT_FIELD_FROM && strlen (options.from) >= 10) ||
          (field == DOSSIER_EXPORT_FIELD_TO && strlen (options.to) >= 10));

  set_row_error (GTK_WIDGET (self->filing_row), show && field == DOSSIER_EXPORT_FIELD_FILING);
  set_row_error (GTK_WIDGET (self->from_row), show && field == DOSSIER_EXPORT_FIELD_FROM);
  set_row_error (GTK_WIDGET (self->to_row), show && field == DOSSIER_EXPORT_FIELD_TO);
  set_row_error (GTK_WIDGET (self->destination_row), show && field == DOSSIER_EXPORT_FIELD_DESTINATION);
  show_error (self, show ? problem : NULL, field);
}

static void
set_state (DossierExportDialog      *self,
           DossierExportDialogState  state)
{
  static const char * const pages[] = { "form", "running", "done", "cancelled", "failed" };
  gboolean form = state == DOSSIER_EXPORT_DIALOG_FORM;
  gboolean running = state == DOSSIER_EXPORT_DIALOG_RUNNING;

  self->state = state;
  gtk_stack_set_visible_child_name (self->stack, pages[state]);

  gtk_widget_set_visible (GTK_WIDGET (self->export_button), form || running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), form);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_button_set_label (self->cancel_button, form || running ? _("_Cancel") : _("_Close"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  form ? _("Cancel")
                                       : running ? _("Cancel the export") : _("Close"),
                                  -1);
}

static void
fill_filings (DossierExportDialog *self)
{
  g_autoptr(GPtrArray) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->filing_numbers, 0);

  options = dossier_choices_list_records (self->store, "filing", NULL, NULL, 0, 0, NULL, &error);
  if (options == NULL)
    {
      g_warning ("Could not list the filings: %s", error->message);
      options = g_ptr_array_new ();
    }

  /* Only a filing with its number can be named in a package; a draft has none. */
  for (guint i = 0; i < options->len; i++)
    {
      DossierOption *option = g_ptr_array_index (options, i);
      g_autoptr(GHashTable) row = dossier_store_get_row (self->store, "filing", option->id, NULL);
      const char *number = row != NULL ? g_hash_table_lookup (row, "number") : NULL;
      g_autofree char *label = NULL;

      if (is_blank (number))
        continue;

      /* Translators: a filing in the export dialog: its number, then the device name. */
      label = g_strdup_printf (_("%s — %s"), number, option->title);
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->filing_numbers, g_strdup (number));
    }

  adw_combo_row_set_model (self->filing_row, G_LIST_MODEL (labels));
  gtk_widget_set_visible (GTK_WIDGET (self->filing_scope_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->filing_scope_row),
                               self->filing_numbers->len > 0 ? _("The dossiers made under a filing")
                                                             : _("No filing has a filing number yet"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->filing_check), self->filing_numbers->len > 0);
}

static void
on_scope_toggled (DossierExportDialog *self,
                  GtkCheckButton      *button)
{
  /* Each radio button toggles twice (off, then the other on): act on the one on. */
  if (!gtk_check_button_get_active (button))
    return;

  update_form (self);
}

static void
on_format_toggled (DossierExportDialog *self,
                   GtkCheckButton      *button)
{
  if (!gtk_check_button_get_active (button))
    return;

  update_form (self);
}

static void
on_field_changed (DossierExportDialog *self)
{
  update_form (self);
}

/* Choosing the destination ------------------------------------------------------- */

static void
on_chooser_response (GtkNativeDialog     *chooser,
                     int                  response,
                     DossierExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        dossier_export_dialog_set_destination (self, path);
    }

  g_clear_object (&self->chooser);
}

static void
on_choose_clicked (DossierExportDialog *self)
{
  gboolean zip = gtk_check_button_get_active (self->zip_check);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    return;

  /* A package is always written to a new name, so the folder too is "saved". */
  self->chooser = gtk_file_chooser_native_new (zip ? _("Save Package As Zip File") : _("Save Package As Folder"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  dir = self->destination != NULL ? g_path_get_dirname (self->destination) : default_folder ();
  name = self->destination != NULL ? g_path_get_basename (self->destination) : NULL;
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  if (name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The export --------------------------------------------------------------------- */

typedef struct
{
  DossierStore         *store;    /* the worker's own connection */
  DossierExportOptions  options;  /* its strings are the ones below */
  char                 *unit_no;
  char                 *filing_no;
  char                 *from;
  char                 *to;
  char                 *out_path;
  DossierExportSummary  summary;
  GMainContext         *context;  /* where progress is shown */
  GCancellable         *cancellable;
  DossierExportDialog  *dialog;   /* only passed back to the main context */
  guint                 cancel_after;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->store);
  g_free (job->unit_no);
  g_free (job->filing_no);
  g_free (job->from);
  g_free (job->to);
  g_free (job->out_path);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

typedef struct
{
  DossierExportDialog *dialog;
  GCancellable        *cancellable;
  guint                done;
  guint                total;
} Progress;

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->dialog);
  g_object_unref (progress->cancellable);
  g_free (progress);
}

static void
show_progress (DossierExportDialog *self,
               guint                done,
               guint                total)
{
  g_autofree char *text = dossier_export_dialog_format_progress (done, total);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double)done / total : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

/* In the main context. */
static gboolean
on_progress_idle (gpointer data)
{
  Progress *progress = data;
  DossierExportDialog *self = progress->dialog;

  /* Late news of an export that was stopped, or of an earlier one, is not shown. */
  if (self->state == DOSSIER_EXPORT_DIALOG_RUNNING && self->cancellable == progress->cancellable &&
      !g_cancellable_is_cancelled (progress->cancellable))
    show_progress (self, progress->done, progress->total);

  return G_SOURCE_REMOVE;
}

/* In the worker thread: nothing here touches a widget. */
static void
on_export_progress (guint    done,
                    guint    total,
                    gpointer data)
{
  ExportJob *job = data;
  Progress *progress = g_new0 (Progress, 1);

  progress->dialog = g_object_ref (job->dialog);
  progress->cancellable = g_object_ref (job->cancellable);
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, on_progress_idle, progress,
                              (GDestroyNotify)progress_free);

  if (job->cancel_after > 0 && done >= job->cancel_after)
    g_cancellable_cancel (job->cancellable);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = dossier_export_package (job->store, &job->options, job->out_path, &job->summary,
                               cancellable, &error);

  /* The connection was made for this thread; it closes here too. */
  g_clear_object (&job->store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
show_failure (DossierExportDialog *self,
              const GError        *error)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->report_view);

  /* The message is the report: a first sentence, then one line per finding. */
  gtk_text_buffer_set_text (buffer, error->message, -1);
  set_message (self, error->message);
  set_state (self, DOSSIER_EXPORT_DIALOG_FAILED);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);

  /* Destroyed while it ran (the main window locked): nothing left to show. */
  if (self->stack == NULL)
    return;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *done = dossier_export_dialog_format_done (job->summary.n_dossiers, job->out_path);

      show_progress (self, job->summary.n_dossiers, job->summary.n_dossiers);
      adw_status_page_set_description (self->done_page, done);
      gtk_button_set_label (self->open_button, job->options.format == DOSSIER_EXPORT_FORMAT_ZIP
                                               ? _("_Open Containing Folder") : _("_Open Folder"));
      set_message (self, done);
      set_state (self, DOSSIER_EXPORT_DIALOG_DONE);
      g_debug ("%s", done);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_message (self, _("The export was cancelled. Nothing was written."));
      set_state (self, DOSSIER_EXPORT_DIALOG_CANCELLED);
    }
  else
    show_failure (self, error);

  if (self->close_when_stopped)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_export (DossierExportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) sibling = NULL;
  DossierExportOptions options;
  ExportJob *job;

  read_options (self, &options);

  if (self->destination != NULL && (g_file_test (self->destination, G_FILE_TEST_EXISTS) ||
                                    g_file_test (self->destination, G_FILE_TEST_IS_SYMLINK)))
    {
      g_autofree char *message = g_strdup_printf (_("Destination: “%s” already exists; choose a new name."),
                                                  self->destination);

      show_error (self, message, DOSSIER_EXPORT_FIELD_DESTINATION);
      set_row_error (GTK_WIDGET (self->destination_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->choose_button));
      return;
    }

  /* The store is not thread-safe: the worker gets its own connection, opened here
   * where the session is, with the same user. */
  sibling = dossier_store_open_sibling (self->store, &error);
  if (sibling == NULL)
    {
      show_failure (self, error);
      return;
    }

  job = g_new0 (ExportJob, 1);
  job->store = g_steal_pointer (&sibling);
  job->unit_no = g_strdup (options.unit_no);
  job->filing_no = g_strdup (options.filing_no);
  job->from = g_strdup (options.from);
  job->to = g_strdup (options.to);
  job->out_path = g_strdup (self->destination);
  job->options = options;
  job->options.unit_no = job->unit_no;
  job->options.filing_no = job->filing_no;
  job->options.from = job->from;
  job->options.to = job->to;
  job->options.progress = on_export_progress;
  job->options.progress_data = job;
  job->context = g_main_context_ref_thread_default ();
  job->dialog = self;
  job->cancel_after = self->cancel_after;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job->cancellable = g_object_ref (self->cancellable);

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_label_set_label (self->running_label, _("Cancel stops the export; nothing is left behind."));
  adw_status_page_set_description (self->running_page, self->destination);
  set_state (self, DOSSIER_EXPORT_DIALOG_RUNNING);

  task = g_task_new (self, self->cancellable, on_export_done, NULL);
  g_task_set_source_tag (task, start_export);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_export_clicked (DossierExportDialog *self)
{
  DossierExportOptions options;
  DossierExportField field = DOSSIER_EXPORT_FIELD_NONE;
  g_autofree char *problem = NULL;

  if (self->state != DOSSIER_EXPORT_DIALOG_FORM)
    return;

  self->attempted = TRUE;
  update_form (self);

  read_options (self, &options);
  problem = dossier_export_dialog_check (&options, self->destination, &field);
  if (problem != NULL)
    {
      /* Focus brings the field, and the message under its group, into view. */
      switch (field)
        {
        case DOSSIER_EXPORT_FIELD_FILING:
          gtk_widget_grab_focus (GTK_WIDGET (self->filing_row));
          break;
        case DOSSIER_EXPORT_FIELD_FROM:
          gtk_widget_grab_focus (GTK_WIDGET (self->from_row));
          break;
        case DOSSIER_EXPORT_FIELD_TO:
          gtk_widget_grab_focus (GTK_WIDGET (self->to_row));
          break;
        case DOSSIER_EXPORT_FIELD_DESTINATION:
          gtk_widget_grab_focus (GTK_WIDGET (self->choose_button));
          break;
        case DOSSIER_EXPORT_FIELD_NONE:
        default:
          break;
        }
      return;
    }

  start_export (self);
}

static void
on_cancel_clicked (DossierExportDialog *self)
{
  if (self->state == DOSSIER_EXPORT_DIALOG_RUNNING)
    dossier_export_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Closing while it runs cancels it; the window goes once the worker has removed
 * what it wrote, so that nothing is left behind when the application quits. */
static gboolean
dossier_export_dialog_close_request (GtkWindow *window)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (window);

  if (self->state == DOSSIER_EXPORT_DIALOG_RUNNING)
    {
      self->close_when_stopped = TRUE;
      dossier_export_dialog_cancel (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (dossier_export_dialog_parent_class)->close_request (window);
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open the folder of the package: %s", error->message);
}

static void
on_open_clicked (DossierExportDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  if (self->destination == NULL)
    return;

  /* A zip file is shown in its folder; a package folder is opened itself. */
  if (g_file_test (self->destination, G_FILE_TEST_IS_DIR))
    file = g_file_new_for_path (self->destination);
  else
    {
      g_autofree char *dir = g_path_get_dirname (self->destination);

      file = g_file_new_for_path (dir);
    }
  uri = g_file_get_uri (file);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched, NULL);
}

static void
on_copy_clicked (DossierExportDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->report_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

/* GObject ------------------------------------------------------------------------ */

static void
dossier_export_dialog_constructed (GObject *object)
{
  DossierExportDialog *self = (DossierExportDialog *)object;

  G_OBJECT_CLASS (dossier_export_dialog_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  fill_filings (self);

  gtk_widget_set_visible (GTK_WIDGET (self->unit_row), self->unit_no != NULL);
  if (self->unit_no != NULL)
    {
      adw_action_row_set_subtitle (self->unit_row, self->unit_no);
      gtk_check_button_set_active (self->unit_check, TRUE);
    }
  else
    gtk_check_button_set_active (self->all_check, TRUE);

  set_state (self, DOSSIER_EXPORT_DIALOG_FORM);
  update_form (self);
}

static void
dossier_export_dialog_dispose (GObject *object)
{
  DossierExportDialog *self = (DossierExportDialog *)object;

  /* A running export stops; its callback finds the widgets gone. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_EXPORT_DIALOG);
  self->stack = NULL;
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_export_dialog_parent_class)->dispose (object);
}

static void
dossier_export_dialog_finalize (GObject *object)
{
  DossierExportDialog *self = (DossierExportDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->filing_numbers, g_ptr_array_unref);
  g_clear_pointer (&self->unit_no, g_free);
  g_clear_pointer (&self->destination, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (dossier_export_dialog_parent_class)->finalize (object);
}

static void
dossier_export_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_UNIT_NO:
      g_value_set_string (value, self->unit_no);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_export_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DossierExportDialog *self = DOSSIER_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_UNIT_NO:
      self->unit_no = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_export_dialog_class_init (DossierExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dossier_export_dialog_constructed;
  object_class->dispose = dossier_export_dialog_dispose;
  object_class->finalize = dossier_export_dialog_finalize;
  object_class->get_property = dossier_export_dialog_get_property;
  object_class->set_property = dossier_export_dialog_set_property;

  window_class->close_request = dossier_export_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_UNIT_NO] =
    g_param_spec_string ("unit-no", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, unit_check);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, filing_scope_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, filing_check);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, filing_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, range_check);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, from_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, all_check);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, folder_check);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, zip_check);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, choose_button);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, scope_error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, destination_error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, running_page);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, running_label);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, cancelled_page);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, report_view);
  gtk_widget_class_bind_template_child (widget_class, DossierExportDialog, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, on_scope_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_format_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_export_dialog_init (DossierExportDialog *self)
{
  self->filing_numbers = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public ------------------------------------------------------------------------- */

DossierExportDialog *
dossier_export_dialog_new (GtkWindow    *parent,
                           DossierStore *store,
                           const char   *unit_no)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "unit-no", unit_no,
                       NULL);
}

void
dossier_export_dialog_set_scope (DossierExportDialog *self,
                                 DossierExportScope   scope)
{
  g_return_if_fail (DOSSIER_IS_EXPORT_DIALOG (self));
  g_return_if_fail (self->state == DOSSIER_EXPORT_DIALOG_FORM);

  switch (scope)
    {
    case DOSSIER_EXPORT_SCOPE_UNIT:
      g_return_if_fail (self->unit_no != NULL);
      gtk_check_button_set_active (self->unit_check, TRUE);
      break;

    case DOSSIER_EXPORT_SCOPE_FILING:
      gtk_check_button_set_active (self->filing_check, TRUE);
      break;

    case DOSSIER_EXPORT_SCOPE_RANGE:
      gtk_check_button_set_active (self->range_check, TRUE);
      break;

    case DOSSIER_EXPORT_SCOPE_ALL:
    default:
      gtk_check_button_set_active (self->all_check, TRUE);
      break;
    }
}

DossierExportScope
dossier_export_dialog_get_scope (DossierExportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_EXPORT_DIALOG (self), DOSSIER_EXPORT_SCOPE_ALL);

  return current_scope (self);
}

gboolean
dossier_export_dialog_set_filing (DossierExportDialog *self,
                                  const char          *filing_no)
{
  g_return_val_if_fail (DOSSIER_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (filing_no != NULL, FALSE);

  for (guint i = 0; i < self->filing_numbers->len; i++)
    if (g_str_equal (g_ptr_array_index (self->filing_numbers, i), filing_no))
      {
        adw_combo_row_set_selected (self->filing_row, i);
        update_form (self);
        return TRUE;
      }

  return FALSE;
}

void
dossier_export_dialog_set_range (DossierExportDialog *self,
                                 const char          *from,
                                 const char          *to)
{
  g_return_if_fail (DOSSIER_IS_EXPORT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from != NULL ? from : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to != NULL ? to : "");
}

void
dossier_export_dialog_set_format (DossierExportDialog *self,
                                  DossierExportFormat  format)
{
  g_return_if_fail (DOSSIER_IS_EXPORT_DIALOG (self));

  gtk_check_button_set_active (format == DOSSIER_EXPORT_FORMAT_ZIP ? self->zip_check : self->folder_check, TRUE);
}

DossierExportFormat
dossier_export_dialog_get_format (DossierExportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_EXPORT_DIALOG (self), DOSSIER_EXPORT_FORMAT_FOLDER);

  return gtk_check_button_get_active (self->zip_check) ? DOSSIER_EXPORT_FORMAT_ZIP : DOSSIER_EXPORT_FORMAT_FOLDER;
}

void
dossier_export_dialog_set_destination (DossierExportDialog *self,
                                       const char          *path)
{
  g_return_if_fail (DOSSIER_IS_EXPORT_DIALOG (self));

  g_free (self->destination);
  self->destination = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  self->destination_chosen = self->destination != NULL;
  update_form (self);
}

const char *
dossier_export_dialog_get_destination (DossierExportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_EXPORT_DIALOG (self), NULL);

  return self->destination;
}

DossierExportDialogState
dossier_export_dialog_get_state (DossierExportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_EXPORT_DIALOG (self), DOSSIER_EXPORT_DIALOG_FORM);

  return self->state;
}

const char *
dossier_export_dialog_get_message (DossierExportDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_EXPORT_DIALOG (self), NULL);

  return self->message;
}

void
dossier_export_dialog_cancel (DossierExportDialog *self)
{
  g_return_if_fail (DOSSIER_IS_EXPORT_DIALOG (self));

  if (self->state != DOSSIER_EXPORT_DIALOG_RUNNING || self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_label_set_label (self->running_label, _("Cancelling and removing what was written…"));
}

void
dossier_export_dialog_set_cancel_after_for_testing (DossierExportDialog *self,
                                                    guint                n)
{
  g_return_if_fail (DOSSIER_IS_EXPORT_DIALOG (self));

  self->cancel_after = n;
}
