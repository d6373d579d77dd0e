/* dossier-new-dossier-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-new-dossier-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choices.h"
#include "dossier-new-dossier-dialog.h"
#include "dossier-schema.h"

/* How many existing patients whose code starts with what was typed are offered. */
#define N_SUGGESTIONS 5

/* A drop-down of records and the records it offers, in order. */
typedef struct
{
  AdwComboRow *row;
  GPtrArray   *options;  /* DossierOption */
} Choice;

struct _DossierNewDossierDialog
{
  AdwWindow       parent_instance;

  DossierStore   *store;
  Choice          institution;
  Choice          clinician;
  Choice          filing;
  Choice          model;
  gint64          patient_id;  /* the existing patient whose code is typed, or 0 */
  gboolean        filling;     /* drop-downs are being refilled, not chosen from */

  /* Template widgets */
  GtkWidget      *create_button;
  GtkScrolledWindow *scroller;
  GtkLabel       *error_label;
  GtkCheckButton *customized_check;
  GtkCheckButton *matched_check;
  AdwComboRow    *institution_row;
  AdwComboRow    *clinician_row;
  GtkLabel       *institution_note;
  AdwEntryRow    *patient_code_row;
  AdwActionRow   *patient_status_row;
  AdwComboRow    *sex_row;
  AdwEntryRow    *birth_year_row;
  GtkLabel       *patient_error_label;
  GtkWidget      *suggestions_group;
  GtkListBox     *suggestions_list;
  AdwPreferencesGroup *product_group;
  AdwComboRow    *filing_row;
  AdwComboRow    *model_row;
  GtkLabel       *product_note;
  GtkLabel       *hint_label;
};

G_DEFINE_FINAL_TYPE (DossierNewDossierDialog, dossier_new_dossier_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *sex_values[] = { "female", "male", "unknown" };

/* Choices ------------------------------------------------------------------------- */

static DossierOption *
choice_get_selected (Choice *choice)
{
  guint position = adw_combo_row_get_selected (choice->row);

  if (choice->options == NULL || position == GTK_INVALID_LIST_POSITION || position >= choice->options->len)
    return NULL;

  return g_ptr_array_index (choice->options, position);
}

static gint64
choice_get_id (Choice *choice)
{
  DossierOption *option = choice_get_selected (choice);

  return option != NULL ? option->id : 0;
}

static void
choice_update_subtitle (Choice *choice)
{
  DossierOption *option = choice_get_selected (choice);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (choice->row),
                               option != NULL && option->subtitle != NULL ? option->subtitle : "");
}

/* Offers the options (taking them), keeping the chosen one if it is still
 * offered; a single option is chosen when pick_single is set. */
static void
choice_fill (DossierNewDossierDialog *self,
             Choice                  *choice,
             GPtrArray               *options,
             gboolean                 pick_single)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  gint64 keep = choice_get_id (choice);
  guint position = GTK_INVALID_LIST_POSITION;

  g_clear_pointer (&choice->options, g_ptr_array_unref);
  choice->options = options;

  for (guint i = 0; i < options->len; i++)
    {
      DossierOption *option = g_ptr_array_index (options, i);

      gtk_string_list_append (labels, option->title);
      if (option->id == keep && keep > 0)
        position = i;
    }
  if (position == GTK_INVALID_LIST_POSITION && pick_single && options->len == 1)
    position = 0;

  self->filling = TRUE;
  adw_combo_row_set_model (choice->row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (choice->row, position);
  self->filling = FALSE;

  choice_update_subtitle (choice);
}

static GPtrArray *
empty_options (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_option_free);
}

static const char *
current_kind (DossierNewDossierDialog *self)
{
  if (gtk_check_button_get_active (self->customized_check))
    return "customized";
  if (gtk_check_button_get_active (self->matched_check))
    return "patient-matched";
  return NULL;
}

static void
show_error (DossierNewDossierDialog *self,
            const char              *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Puts what the store offers for these choices in the drop-downs; the ids come
 * back to the store through dossier_choices_check() when the dossier is made. */
static GPtrArray *
checked_options (DossierNewDossierDialog *self,
                 GPtrArray               *options,
                 GError                  *error)
{
  if (options != NULL)
    return options;

  show_error (self, error->message);
  g_error_free (error);
  return empty_options ();
}

/* State --------------------------------------------------------------------------- */

static DossierNewDossier
collect (DossierNewDossierDialog *self)
{
  guint sex = adw_combo_row_get_selected (self->sex_row);

  return (DossierNewDossier) {
    .kind = current_kind (self),
    .institution_id = choice_get_id (&self->institution),
    .clinician_id = choice_get_id (&self->clinician),
    .patient_id = self->patient_id,
    .patient_code = gtk_editable_get_text (GTK_EDITABLE (self->patient_code_row)),
    .patient_sex = sex < G_N_ELEMENTS (sex_values) ? sex_values[sex] : NULL,
    .patient_birth_year = gtk_editable_get_text (GTK_EDITABLE (self->birth_year_row)),
    .filing_id = choice_get_id (&self->filing),
    .model_id = choice_get_id (&self->model),
  };
}

static void
set_row_error (GtkWidget *row,
               gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
set_note (GtkLabel   *label,
          const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* Applies the state computed from the choices to every widget. */
static void
update (DossierNewDossierDialog *self)
{
  DossierNewDossier choices = collect (self);
  DossierNewDossierState state;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *kind = choices.kind;
  gboolean has_code = choices.patient_code != NULL && *choices.patient_code != '\0';
  const char *institution_note = NULL;
  const char *product_note = NULL;

  dossier_new_dossier_state_compute (&choices, g_date_time_get_year (now), &state);

  gtk_widget_set_sensitive (GTK_WIDGET (self->institution_row),
                            state.institution_sensitive && self->institution.options->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clinician_row),
                            state.clinician_sensitive && self->clinician.options->len > 0);

  if (kind != NULL && self->institution.options->len == 0)
    institution_note = g_str_equal (kind, "customized")
                       ? _("No institution can order a customized device now: it needs an active clinician "
                           "and a filing in force (filed or changed) with the manufacturer. Add them in the "
                           "registers (Ctrl+R).")
                       : _("No active institution has an active clinician. Add them in the registers (Ctrl+R).");
  set_note (self->institution_note, institution_note);

  /* The patient: an existing one, or a new one with its details. */
  if (self->patient_id > 0)
    {
      g_autoptr(DossierOption) patient = dossier_choices_get_record (self->store, "patient", self->patient_id, NULL);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->patient_status_row), _("Existing patient"));
      adw_action_row_set_subtitle (self->patient_status_row,
                                   patient != NULL && patient->subtitle != NULL ? patient->subtitle : "");
    }
  else if (has_code)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->patient_status_row), _("New patient"));
      adw_action_row_set_subtitle (self->patient_status_row, _("Added together with the dossier"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->patient_status_row), has_code);
  gtk_widget_set_visible (GTK_WIDGET (self->sex_row), has_code && self->patient_id == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->birth_year_row), has_code && self->patient_id == 0);

  set_note (self->patient_error_label, state.patient_error);
  set_row_error (GTK_WIDGET (self->patient_code_row), g_strcmp0 (state.patient_error_column, "code") == 0);
  set_row_error (GTK_WIDGET (self->sex_row), g_strcmp0 (state.patient_error_column, "sex") == 0);
  set_row_error (GTK_WIDGET (self->birth_year_row), g_strcmp0 (state.patient_error_column, "birth_year") == 0);

  /* The filing or the registered model. */
  gtk_widget_set_visible (GTK_WIDGET (self->product_group), state.needs_filing || state.needs_model);
  adw_preferences_group_set_title (self->product_group,
                                   state.needs_filing ? _("Filing") : _("Registered Product"));
  gtk_widget_set_visible (GTK_WIDGET (self->filing_row), state.needs_filing);
  gtk_widget_set_visible (GTK_WIDGET (self->model_row), state.needs_model);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filing_row),
                            state.needs_filing && state.product_sensitive && self->filing.options->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row),
                            state.needs_model && state.product_sensitive && self->model.options->len > 0);
  if (state.needs_model && self->model.options->len == 0)
    product_note = _("No model of an active registered product. Add one in the registers (Ctrl+R).");
  else if (state.needs_filing && !state.product_sensitive)
    product_note = _("The filings in force with the chosen institution are offered here.");
  set_note (self->product_note, product_note);

  gtk_widget_set_sensitive (self->create_button, state.can_create);
  gtk_label_set_label (self->hint_label, state.hint);

  dossier_new_dossier_state_clear (&state);
}

/* Reloading what is offered -------------------------------------------------------- */

static void
institution_changed (DossierNewDossierDialog *self)
{
  const char *kind = current_kind (self);
  gint64 institution = choice_get_id (&self->institution);
  GError *error = NULL;
  GPtrArray *clinicians;
  GPtrArray *filings;

  choice_update_subtitle (&self->institution);

  clinicians = institution > 0 ? dossier_choices_clinicians (self->store, institution, &error) : empty_options ();
  choice_fill (self, &self->clinician, checked_options (self, clinicians, error), TRUE);

  error = NULL;
  filings = institution > 0 && g_strcmp0 (kind, "customized") == 0
            ? dossier_choices_filings (self->store, institution, &error) : empty_options ();
  choice_fill (self, &self->filing, checked_options (self, filings, error), TRUE);

  update (self);
}

static void
kind_changed (DossierNewDossierDialog *self)
{
  const char *kind = current_kind (self);
  GError *error = NULL;
  GPtrArray *institutions;
  GPtrArray *models;

  institutions = kind != NULL ? dossier_choices_institutions (self->store, kind, &error) : empty_options ();
  choice_fill (self, &self->institution, checked_options (self, institutions, error), FALSE);

  error = NULL;
  models = g_strcmp0 (kind, "patient-matched") == 0 ? dossier_choices_models (self->store, &error) : empty_options ();
  choice_fill (self, &self->model, checked_options (self, models, error), FALSE);

  institution_changed (self);
}

static void
on_kind_toggled (DossierNewDossierDialog *self,
                 GtkCheckButton          *button)
{
  /* Switching kind toggles two buttons; only the one switched on counts. */
  if (gtk_check_button_get_active (button))
    kind_changed (self);
}

static void
on_institution_selected (DossierNewDossierDialog *self)
{
  if (!self->filling)
    institution_changed (self);
}

static void
on_choice_selected (DossierNewDossierDialog *self)
{
  if (self->filling)
    return;

  choice_update_subtitle (&self->clinician);
  choice_update_subtitle (&self->filing);
  choice_update_subtitle (&self->model);
  update (self);
}

/* The patient -------------------------------------------------------------------- */

static void
clear_suggestions (DossierNewDossierDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_list))) != NULL)
    gtk_list_box_remove (self->suggestions_list, child);
}

static void
on_patient_code_changed (DossierNewDossierDialog *self)
{
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->patient_code_row));
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  guint shown = 0;

  clear_suggestions (self);
  self->patient_id = 0;

  if (code != NULL && *code != '\0')
    {
      /* Codes are compared exactly, as the store keeps them unique. */
      self->patient_id = dossier_store_lookup_id (self->store, "patient", "code", code, NULL);

      matches = dossier_choices_patients (self->store, code, N_SUGGESTIONS + 1, &error);
      if (matches == NULL)
        show_error (self, error->message);

      for (guint i = 0; matches != NULL && i < matches->len && shown < N_SUGGESTIONS; i++)
        {
          DossierOption *option = g_ptr_array_index (matches, i);
          GtkWidget *row;

          if (option->id == self->patient_id)
            continue;

          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), option->title);
          if (option->subtitle != NULL)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), option->subtitle);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "code", g_strdup (option->title), g_free);
          gtk_list_box_append (self->suggestions_list, row);
          shown++;
        }
    }

  gtk_widget_set_visible (self->suggestions_group, shown > 0);
  update (self);
}

static void
on_suggestion_activated (DossierNewDossierDialog *self,
                         GtkListBoxRow           *row)
{
  const char *code = g_object_get_data (G_OBJECT (row), "code");

  if (code != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->patient_code_row), code);
}

/* Creating ----------------------------------------------------------------------- */

static void
on_create_clicked (DossierNewDossierDialog *self)
{
  dossier_new_dossier_dialog_create (self);
}

/* GObject ------------------------------------------------------------------------ */

static void
dossier_new_dossier_dialog_constructed (GObject *object)
{
  DossierNewDossierDialog *self = (DossierNewDossierDialog *)object;
  const DossierColumn *sex = dossier_schema_lookup_column (dossier_schema_lookup_table ("patient"), "sex");
  g_autoptr(GtkStringList) sexes = gtk_string_list_new (NULL);

  G_OBJECT_CLASS (dossier_new_dossier_dialog_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  for (guint i = 0; i < G_N_ELEMENTS (sex_values); i++)
    gtk_string_list_append (sexes, dossier_schema_choice_label (sex, sex_values[i]));
  self->filling = TRUE;
  adw_combo_row_set_model (self->sex_row, G_LIST_MODEL (sexes));
  adw_combo_row_set_selected (self->sex_row, GTK_INVALID_LIST_POSITION);
  self->filling = FALSE;

  kind_changed (self);
}

static void
dossier_new_dossier_dialog_dispose (GObject *object)
{
  DossierNewDossierDialog *self = (DossierNewDossierDialog *)object;

  self->filling = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_NEW_DOSSIER_DIALOG);
  g_clear_pointer (&self->institution.options, g_ptr_array_unref);
  g_clear_pointer (&self->clinician.options, g_ptr_array_unref);
  g_clear_pointer (&self->filing.options, g_ptr_array_unref);
  g_clear_pointer (&self->model.options, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_new_dossier_dialog_parent_class)->dispose (object);
}

static void
dossier_new_dossier_dialog_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  DossierNewDossierDialog *self = DOSSIER_NEW_DOSSIER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_new_dossier_dialog_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  DossierNewDossierDialog *self = DOSSIER_NEW_DOSSIER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_new_dossier_dialog_class_init (DossierNewDossierDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_new_dossier_dialog_constructed;
  object_class->dispose = dossier_new_dossier_dialog_dispose;
  object_class->get_property = dossier_new_dossier_dialog_get_property;
  object_class->set_property = dossier_new_dossier_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierNewDossierDialog::created:
   * @id: the new dossier's id
   * @unit_no: its unit number
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-new-dossier-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, customized_check);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, matched_check);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, institution_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, clinician_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, institution_note);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, patient_code_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, patient_status_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, sex_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, birth_year_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, patient_error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, suggestions_group);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, suggestions_list);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, product_group);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, filing_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, product_note);
  gtk_widget_class_bind_template_child (widget_class, DossierNewDossierDialog, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_institution_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_code_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_new_dossier_dialog_init (DossierNewDossierDialog *self)
{
  /* The template's signals may fire while it is built; the lists exist first. */
  self->institution.options = empty_options ();
  self->clinician.options = empty_options ();
  self->filing.options = empty_options ();
  self->model.options = empty_options ();
  self->filling = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->institution.row = self->institution_row;
  self->clinician.row = self->clinician_row;
  self->filing.row = self->filing_row;
  self->model.row = self->model_row;
  self->filling = FALSE;
}

/* Public ------------------------------------------------------------------------- */

GtkWidget *
dossier_new_dossier_dialog_new (GtkWindow    *transient_for,
                                DossierStore *store)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_NEW_DOSSIER_DIALOG,
                       "transient-for", transient_for,
                       "store", store,
                       NULL);
}

void
dossier_new_dossier_dialog_set_kind (DossierNewDossierDialog *self,
                                     const char              *kind)
{
  g_return_if_fail (DOSSIER_IS_NEW_DOSSIER_DIALOG (self));

  if (g_strcmp0 (kind, "customized") == 0)
    gtk_check_button_set_active (self->customized_check, TRUE);
  else if (g_strcmp0 (kind, "patient-matched") == 0)
    gtk_check_button_set_active (self->matched_check, TRUE);
  else
    g_return_if_reached ();
}

static Choice *
lookup_choice (DossierNewDossierDialog *self,
               const char              *what)
{
  if (g_strcmp0 (what, "institution") == 0)
    return &self->institution;
  if (g_strcmp0 (what, "clinician") == 0)
    return &self->clinician;
  if (g_strcmp0 (what, "filing") == 0)
    return &self->filing;
  if (g_strcmp0 (what, "model") == 0)
    return &self->model;
  return NULL;
}

gboolean
dossier_new_dossier_dialog_choose (DossierNewDossierDialog *self,
                                   const char              *what,
                                   gint64                   id)
{
  Choice *choice;

  g_return_val_if_fail (DOSSIER_IS_NEW_DOSSIER_DIALOG (self), FALSE);

  choice = lookup_choice (self, what);
  g_return_val_if_fail (choice != NULL, FALSE);

  for (guint i = 0; i < choice->options->len; i++)
    if (((DossierOption *)g_ptr_array_index (choice->options, i))->id == id)
      {
        adw_combo_row_set_selected (choice->row, i);
        return TRUE;
      }

  return FALSE;
}

void
dossier_new_dossier_dialog_set_patient (DossierNewDossierDialog *self,
                                        const char              *code,
                                        const char              *sex,
                                        const char              *birth_year)
{
  guint position = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (DOSSIER_IS_NEW_DOSSIER_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->patient_code_row), code != NULL ? code : "");
  for (guint i = 0; i < G_N_ELEMENTS (sex_values); i++)
    if (g_strcmp0 (sex, sex_values[i]) == 0)
      position = i;
  adw_combo_row_set_selected (self->sex_row, position);
  gtk_editable_set_text (GTK_EDITABLE (self->birth_year_row), birth_year != NULL ? birth_year : "");
}

GArray *
dossier_new_dossier_dialog_get_offered (DossierNewDossierDialog *self,
                                        const char              *what)
{
  Choice *choice;
  GArray *ids;

  g_return_val_if_fail (DOSSIER_IS_NEW_DOSSIER_DIALOG (self), NULL);

  choice = lookup_choice (self, what);
  g_return_val_if_fail (choice != NULL, NULL);

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < choice->options->len; i++)
    g_array_append_val (ids, ((DossierOption *)g_ptr_array_index (choice->options, i))->id);

  return ids;
}

gboolean
dossier_new_dossier_dialog_get_can_create (DossierNewDossierDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_NEW_DOSSIER_DIALOG (self), FALSE);

  return gtk_widget_get_sensitive (self->create_button);
}

gint64
dossier_new_dossier_dialog_create (DossierNewDossierDialog *self)
{
  DossierNewDossier choices;
  g_autoptr(GError) error = NULL;
  g_autofree char *unit_no = NULL;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_NEW_DOSSIER_DIALOG (self), 0);

  if (!dossier_new_dossier_dialog_get_can_create (self))
    return 0;

  choices = collect (self);
  id = dossier_choices_create_dossier (self->store, &choices, &unit_no, NULL, &error);
  if (id == 0)
    {
      /* The registers may have changed since the dialog opened: say why and
       * offer what is valid now. */
      show_error (self, error->message);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
      kind_changed (self);
      on_patient_code_changed (self);
      return 0;
    }

  show_error (self, NULL);
  g_signal_emit (self, signals[CREATED], 0, id, unit_no);
  gtk_window_close (GTK_WINDOW (self));

  return id;
}
