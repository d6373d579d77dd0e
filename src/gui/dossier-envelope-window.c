/* dossier-envelope-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-envelope-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-envelope.h"
#include "dossier-envelope-window.h"
#include "dossier-reason-dialog.h"
#include "dossier-rules.h"

/* The widgets of one parameter of the version shown. */
typedef struct
{
  gboolean   categorical;
  GtkWidget *expander;
  GtkWidget *name;
  GtkWidget *label_en;
  GtkWidget *label_zh;
  GtkWidget *unit;
  GtkWidget *minimum;
  GtkWidget *maximum;
  GtkWidget *min_inclusive;
  GtkWidget *max_inclusive;
  GtkWidget *step;
  GtkWidget *tolerance;
  GtkWidget *resolution;
  GtkWidget *values;
  GtkWidget *remove;
} ParameterEditor;

typedef struct
{
  GtkWidget *expander;
  GtkWidget *expression;
  GtkWidget *description_en;
  GtkWidget *description_zh;
  GtkWidget *source;
  GtkWidget *remove;
} RuleEditor;

struct _DossierEnvelopeWindow
{
  AdwWindow        parent_instance;

  DossierStore    *store;
  gint64           model_id;
  char            *model_code;
  char            *certificate_no;
  GPtrArray       *envelopes;   /* DossierEnvelope *, oldest first */
  DossierEnvelope *current;     /* the version shown (a copy that edits go into) */
  GPtrArray       *parameters;  /* ParameterEditor * */
  GPtrArray       *rules;       /* RuleEditor * */
  gboolean         filling;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkWidget       *export_button;
  GtkWidget       *new_version_button;
  GtkListBox      *versions_list;
  GtkWidget       *version_group;
  GtkWidget       *effective_on_row;
  GtkWidget       *certificate_row;
  GtkWidget       *change_document_row;
  GtkWidget       *parameters_group;
  GtkWidget       *add_parameter_button;
  GtkListBox      *parameters_list;
  GtkWidget       *rules_group;
  GtkWidget       *add_rule_button;
  GtkListBox      *rules_list;
  GtkWidget       *actions_box;
  GtkWidget       *delete_button;
  GtkWidget       *withdraw_button;
  GtkWidget       *effective_button;
  GtkWidget       *save_button;
};

G_DEFINE_FINAL_TYPE (DossierEnvelopeWindow, dossier_envelope_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MODEL_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_envelope (DossierEnvelopeWindow *self,
                           DossierEnvelope       *envelope);

/* Helpers ------------------------------------------------------------------------------ */

static void
show_error (DossierEnvelopeWindow *self,
            const char            *heading,
            const char            *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_toast (DossierEnvelopeWindow *self,
            const char            *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "effective") == 0)
    return C_("size range status", "Effective");
  if (g_strcmp0 (status, "withdrawn") == 0)
    return C_("size range status", "Withdrawn");
  return C_("size range status", "Draft");
}

static gboolean
is_draft (DossierEnvelope *envelope)
{
  return envelope != NULL && g_strcmp0 (dossier_envelope_get_status (envelope), "draft") == 0;
}

static char *
entry_text (GtkWidget *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* NULL for an empty entry: an absent bound or option. */
static char *
entry_text_or_null (GtkWidget *entry)
{
  char *text = entry_text (entry);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static GtkWidget *
entry_row (const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  return row;
}

static GtkWidget *
switch_row (const char *title,
            gboolean    active,
            GtkWidget **out_switch)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  *out_switch = toggle;
  return row;
}

/* Parameters and rules ------------------------------------------------------------------ */

static void
remove_parameter (GtkWidget *button)
{
  DossierEnvelopeWindow *self = g_object_get_data (G_OBJECT (button), "window");
  ParameterEditor *editor = g_object_get_data (G_OBJECT (button), "editor");

  gtk_list_box_remove (self->parameters_list, editor->expander);
  g_ptr_array_remove (self->parameters, editor);
}

static GtkWidget *
remove_button_row (DossierEnvelopeWindow *self,
                   const char            *label,
                   const char            *accessible,
                   gpointer               editor,
                   GCallback              callback)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 6);
  gtk_widget_set_margin_bottom (button, 6);
  gtk_widget_set_margin_end (button, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data (G_OBJECT (button), "window", self);
  g_object_set_data (G_OBJECT (button), "editor", editor);
  g_signal_connect (button, "clicked", callback, NULL);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), button);
  return row;
}

static void
add_parameter_editor (DossierEnvelopeWindow          *self,
                      const DossierEnvelopeParameter *parameter,
                      gboolean                        categorical,
                      gboolean                        expanded)
{
  ParameterEditor *editor = g_new0 (ParameterEditor, 1);
  GtkWidget *expander = adw_expander_row_new ();
  AdwExpanderRow *row = ADW_EXPANDER_ROW (expander);
  g_autofree char *describe = parameter != NULL ? dossier_envelope_parameter_describe (parameter) : NULL;
  g_autofree char *remove_accessible = NULL;
  const char *name = parameter != NULL ? parameter->name : "";

  editor->categorical = categorical;
  editor->expander = expander;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                 parameter != NULL ? dossier_envelope_parameter_get_label (parameter, NULL)
                                                   : _("New Parameter"));
  adw_expander_row_set_subtitle (row, describe != NULL ? describe : "");
  adw_expander_row_set_expanded (row, expanded);

  editor->name = entry_row (_("Name (as entered in designs)"), name);
  editor->label_en = entry_row (_("Label in English"), parameter != NULL ? parameter->label_en : NULL);
  editor->label_zh = entry_row (_("Label in Chinese"), parameter != NULL ? parameter->label_zh : NULL);
  adw_expander_row_add_row (row, editor->name);
  adw_expander_row_add_row (row, editor->label_en);
  adw_expander_row_add_row (row, editor->label_zh);

  if (categorical)
    {
      g_autofree char *values = NULL;

      if (parameter != NULL && parameter->categories != NULL)
        {
          g_ptr_array_add (parameter->categories, NULL);
          values = g_strjoinv (" | ", (char **)parameter->categories->pdata);
          g_ptr_array_remove_index (parameter->categories, parameter->categories->len - 1);
        }
      editor->values = entry_row (_("Allowed Values (separated by “|”)"), values);
      adw_expander_row_add_row (row, editor->values);
    }
  else
    {
      editor->unit = entry_row (_("Unit"), parameter != NULL ? parameter->unit : "mm");
      editor->minimum = entry_row (_("Minimum"), parameter != NULL ? parameter->minimum : NULL);
      editor->maximum = entry_row (_("Maximum"), parameter != NULL ? parameter->maximum : NULL);
      adw_expander_row_add_row (row, editor->unit);
      adw_expander_row_add_row (row, editor->minimum);
      adw_expander_row_add_row (row, switch_row (_("Minimum Included"), parameter != NULL ? parameter->min_inclusive : TRUE,
                                                 &editor->min_inclusive));
      adw_expander_row_add_row (row, editor->maximum);
      adw_expander_row_add_row (row, switch_row (_("Maximum Included"), parameter != NULL ? parameter->max_inclusive : TRUE,
                                                 &editor->max_inclusive));
      editor->step = entry_row (_("Step"), parameter != NULL ? parameter->step : NULL);
      editor->tolerance = entry_row (_("Tolerance (±)"), parameter != NULL ? parameter->tolerance : NULL);
      editor->resolution = entry_row (_("Resolution"), parameter != NULL ? parameter->resolution : NULL);
      adw_expander_row_add_row (row, editor->step);
      adw_expander_row_add_row (row, editor->tolerance);
      adw_expander_row_add_row (row, editor->resolution);
    }

  /* Translators: the accessible name of a button, e.g. "Remove parameter outer_diameter" */
  remove_accessible = g_strdup_printf (_("Remove parameter %s"), name);
  editor->remove = remove_button_row (self, _("_Remove Parameter"), remove_accessible, editor,
                                      G_CALLBACK (remove_parameter));
  adw_expander_row_add_row (row, editor->remove);

  g_ptr_array_add (self->parameters, editor);
  gtk_list_box_append (self->parameters_list, expander);
}

static void
remove_rule (GtkWidget *button)
{
  DossierEnvelopeWindow *self = g_object_get_data (G_OBJECT (button), "window");
  RuleEditor *editor = g_object_get_data (G_OBJECT (button), "editor");

  gtk_list_box_remove (self->rules_list, editor->expander);
  g_ptr_array_remove (self->rules, editor);
}

static void
add_rule_editor (DossierEnvelopeWindow     *self,
                 const DossierEnvelopeRule *rule,
                 gboolean                   expanded)
{
  RuleEditor *editor = g_new0 (RuleEditor, 1);
  GtkWidget *expander = adw_expander_row_new ();
  AdwExpanderRow *row = ADW_EXPANDER_ROW (expander);
  const char *description = NULL;

  if (rule != NULL)
    description = g_strcmp0 (dossier_rules_get_language (), "zh") == 0 && rule->description_zh != NULL &&
                  *rule->description_zh != '\0' ? rule->description_zh : rule->description_en;

  editor->expander = expander;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), rule != NULL ? rule->expression : _("New Rule"));
  adw_expander_row_set_subtitle (row, description != NULL ? description : "");
  adw_expander_row_set_expanded (row, expanded);

  editor->expression = entry_row (_("Expression"), rule != NULL ? rule->expression : NULL);
  editor->description_en = entry_row (_("Description in English"), rule != NULL ? rule->description_en : NULL);
  editor->description_zh = entry_row (_("Description in Chinese"), rule != NULL ? rule->description_zh : NULL);
  editor->source = entry_row (_("Source (test report, standard)"), rule != NULL ? rule->source : NULL);
  adw_expander_row_add_row (row, editor->expression);
  adw_expander_row_add_row (row, editor->description_en);
  adw_expander_row_add_row (row, editor->description_zh);
  adw_expander_row_add_row (row, editor->source);
  editor->remove = remove_button_row (self, _("_Remove Rule"), _("Remove rule"), editor, G_CALLBACK (remove_rule));
  adw_expander_row_add_row (row, editor->remove);

  g_ptr_array_add (self->rules, editor);
  gtk_list_box_append (self->rules_list, expander);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
placeholder_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* The version shown ---------------------------------------------------------------------- */

static void
update_sensitivity (DossierEnvelopeWindow *self)
{
  gboolean shown = self->current != NULL;
  gboolean draft = is_draft (self->current);
  gboolean saved = shown && dossier_envelope_get_id (self->current) > 0;
  const char *status = shown ? dossier_envelope_get_status (self->current) : NULL;

  gtk_widget_set_visible (self->version_group, shown);
  gtk_widget_set_visible (self->parameters_group, shown);
  gtk_widget_set_visible (self->rules_group, shown);
  gtk_widget_set_visible (self->actions_box, shown);

  /* An effective or withdrawn version is frozen: it is shown, not edited. */
  gtk_editable_set_editable (GTK_EDITABLE (self->effective_on_row), draft);
  gtk_editable_set_editable (GTK_EDITABLE (self->certificate_row), draft);
  gtk_editable_set_editable (GTK_EDITABLE (self->change_document_row), draft);
  for (guint i = 0; i < self->parameters->len; i++)
    {
      ParameterEditor *editor = g_ptr_array_index (self->parameters, i);
      GtkWidget *entries[] = { editor->name, editor->label_en, editor->label_zh, editor->unit, editor->minimum,
                               editor->maximum, editor->step, editor->tolerance, editor->resolution, editor->values };

      for (guint e = 0; e < G_N_ELEMENTS (entries); e++)
        if (entries[e] != NULL)
          gtk_editable_set_editable (GTK_EDITABLE (entries[e]), draft);
      gtk_widget_set_visible (editor->remove, draft);
      if (editor->min_inclusive != NULL)
        {
          gtk_widget_set_sensitive (editor->min_inclusive, draft);
          gtk_widget_set_sensitive (editor->max_inclusive, draft);
        }
    }
  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleEditor *editor = g_ptr_array_index (self->rules, i);

      gtk_editable_set_editable (GTK_EDITABLE (editor->expression), draft);
      gtk_editable_set_editable (GTK_EDITABLE (editor->description_en), draft);
      gtk_editable_set_editable (GTK_EDITABLE (editor->description_zh), draft);
      gtk_editable_set_editable (GTK_EDITABLE (editor->source), draft);
      gtk_widget_set_visible (editor->remove, draft);
    }

  /* Frozen rows read as values, without the pencil that says "edit me". */
  if (draft)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "frozen");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "frozen");
  gtk_widget_set_sensitive (self->add_parameter_button, draft);
  gtk_widget_set_sensitive (self->add_rule_button, draft);
  gtk_widget_set_visible (self->save_button, draft);
  gtk_widget_set_visible (self->effective_button, draft);
  gtk_widget_set_visible (self->delete_button, draft && saved);
  gtk_widget_set_visible (self->withdraw_button, g_strcmp0 (status, "effective") == 0);
  gtk_widget_set_sensitive (self->export_button, saved);
  gtk_widget_set_sensitive (self->new_version_button, saved || self->envelopes->len == 0);
}

static void
show_envelope (DossierEnvelopeWindow *self,
               DossierEnvelope       *envelope)
{
  g_autofree char *title = NULL;

  g_set_object (&self->current, envelope);
  clear_list (self->parameters_list);
  clear_list (self->rules_list);
  g_ptr_array_set_size (self->parameters, 0);
  g_ptr_array_set_size (self->rules, 0);

  if (envelope != NULL)
    {
      gboolean draft = is_draft (envelope);

      /* Translators: the heading of the version shown, e.g. "Version 2 · Draft" */
      if (dossier_envelope_get_version (envelope) > 0)
        title = g_strdup_printf (_("Version %d · %s"), dossier_envelope_get_version (envelope),
                                 status_label (dossier_envelope_get_status (envelope)));
      else
        title = g_strdup (_("New Version · Draft"));
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->version_group), title);
      gtk_editable_set_text (GTK_EDITABLE (self->effective_on_row), dossier_envelope_get_effective_on (envelope) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->certificate_row), dossier_envelope_get_certificate_no (envelope) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->change_document_row),
                             dossier_envelope_get_change_document (envelope) ?: "");

      for (guint i = 0; i < dossier_envelope_get_n_parameters (envelope); i++)
        {
          const DossierEnvelopeParameter *parameter = dossier_envelope_get_parameter (envelope, i);

          add_parameter_editor (self, parameter, parameter->kind == DOSSIER_PARAMETER_CATEGORICAL, FALSE);
        }
      for (guint i = 0; i < dossier_envelope_get_n_rules (envelope); i++)
        add_rule_editor (self, dossier_envelope_get_rule (envelope, i), FALSE);

      if (dossier_envelope_get_n_parameters (envelope) == 0)
        gtk_list_box_append (self->parameters_list,
                             placeholder_row (draft ? _("No parameters yet; add them with the + button")
                                                    : _("No parameters")));
    }

  update_sensitivity (self);
}

static GtkWidget *
version_row_new (DossierEnvelope *envelope)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = gtk_label_new (status_label (dossier_envelope_get_status (envelope)));
  g_autofree char *title = g_strdup_printf (_("Version %d"), dossier_envelope_get_version (envelope));
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *document = dossier_envelope_get_change_document (envelope);
  gint64 id = dossier_envelope_get_id (envelope);

  /* Translators: when a size range version applies from, e.g. "From 2026-05-01" */
  g_string_append_printf (subtitle, _("From %s"), dossier_envelope_get_effective_on (envelope) ?: "—");
  if (dossier_envelope_get_certificate_no (envelope) != NULL && *dossier_envelope_get_certificate_no (envelope) != '\0')
    g_string_append_printf (subtitle, " · %s", dossier_envelope_get_certificate_no (envelope));
  if (document != NULL && *document != '\0')
    g_string_append_printf (subtitle, " · %s", document);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "caption-heading");
  gtk_widget_add_css_class (badge, "envelope-status");
  gtk_widget_add_css_class (badge, dossier_envelope_get_status (envelope));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  g_object_set_data_full (G_OBJECT (row), "envelope-id", g_memdup2 (&id, sizeof id), g_free);
  return row;
}

static gint64
row_envelope_id (GtkListBoxRow *row)
{
  gint64 *id = row != NULL ? g_object_get_data (G_OBJECT (row), "envelope-id") : NULL;

  return id != NULL ? *id : 0;
}

static void
reload (DossierEnvelopeWindow *self,
        gint64                 select_id)
{
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *selected = NULL;

  g_clear_pointer (&self->envelopes, g_ptr_array_unref);
  self->envelopes = dossier_envelope_list_for_model (self->store, self->model_id, &error);
  if (self->envelopes == NULL)
    {
      self->envelopes = g_ptr_array_new_with_free_func (g_object_unref);
      show_toast (self, error->message);
    }

  self->filling = TRUE;
  clear_list (self->versions_list);
  /* Newest first: the version worked on is the latest. */
  for (guint i = self->envelopes->len; i > 0; i--)
    {
      DossierEnvelope *envelope = g_ptr_array_index (self->envelopes, i - 1);
      GtkWidget *row = version_row_new (envelope);

      gtk_list_box_append (self->versions_list, row);
      if (selected == NULL && (select_id == 0 || dossier_envelope_get_id (envelope) == select_id))
        selected = GTK_LIST_BOX_ROW (row);
    }
  if (self->envelopes->len == 0)
    gtk_list_box_append (self->versions_list,
                         placeholder_row (_("No size range registered yet; import one or add a new version")));
  self->filling = FALSE;

  if (selected != NULL)
    gtk_list_box_select_row (self->versions_list, selected);
  else
    show_envelope (self, NULL);
}

static void
on_version_selected (DossierEnvelopeWindow *self,
                     GtkListBoxRow         *row)
{
  gint64 id = row_envelope_id (row);
  g_autoptr(DossierEnvelope) envelope = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling || id <= 0)
    return;

  /* A fresh copy, so that unsaved edits of another version are dropped. */
  envelope = dossier_envelope_load (self->store, id, &error);
  if (envelope == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  show_envelope (self, envelope);
}

/* Saving ------------------------------------------------------------------------------- */

static gboolean
apply_edits (DossierEnvelopeWindow  *self,
             GError                **error)
{
  DossierEnvelope *e = self->current;
  g_autofree char *effective_on = entry_text (self->effective_on_row);
  g_autofree char *certificate = entry_text (self->certificate_row);
  g_autofree char *document = entry_text (self->change_document_row);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  dossier_envelope_set_effective_on (e, effective_on);
  dossier_envelope_set_certificate_no (e, certificate);
  dossier_envelope_set_change_document (e, document);

  /* The editors are the truth: everything is written again from them. */
  for (guint i = 0; i < dossier_envelope_get_n_parameters (e); i++)
    g_ptr_array_add (names, g_strdup (dossier_envelope_get_parameter (e, i)->name));
  for (guint i = 0; i < names->len; i++)
    dossier_envelope_remove_parameter (e, g_ptr_array_index (names, i));
  while (dossier_envelope_get_n_rules (e) > 0)
    dossier_envelope_remove_rule (e, 0);

  for (guint i = 0; i < self->parameters->len; i++)
    {
      ParameterEditor *editor = g_ptr_array_index (self->parameters, i);
      g_autofree char *name = entry_text (editor->name);
      g_autofree char *label_en = entry_text (editor->label_en);
      g_autofree char *label_zh = entry_text (editor->label_zh);
      gboolean ok;

      if (editor->categorical)
        {
          g_autofree char *text = entry_text (editor->values);
          g_auto(GStrv) values = g_strsplit (text, "|", -1);
          g_autoptr(GPtrArray) trimmed = g_ptr_array_new ();

          for (guint v = 0; values[v] != NULL; v++)
            if (*g_strstrip (values[v]) != '\0')
              g_ptr_array_add (trimmed, values[v]);
          g_ptr_array_add (trimmed, NULL);
          ok = dossier_envelope_set_categorical (e, name, (const char * const *)trimmed->pdata, error);
        }
      else
        {
          g_autofree char *unit = entry_text (editor->unit);
          g_autofree char *minimum = entry_text_or_null (editor->minimum);
          g_autofree char *maximum = entry_text_or_null (editor->maximum);
          g_autofree char *step = entry_text_or_null (editor->step);
          g_autofree char *tolerance = entry_text_or_null (editor->tolerance);
          g_autofree char *resolution = entry_text_or_null (editor->resolution);

          ok = dossier_envelope_set_numeric (e, name, unit, minimum, maximum,
                                             gtk_switch_get_active (GTK_SWITCH (editor->min_inclusive)),
                                             gtk_switch_get_active (GTK_SWITCH (editor->max_inclusive)),
                                             step, tolerance, resolution, error);
        }
      if (!ok)
        {
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (editor->expander), TRUE);
          return FALSE;
        }
      dossier_envelope_set_labels (e, name, label_en, label_zh);
    }

  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleEditor *editor = g_ptr_array_index (self->rules, i);
      g_autofree char *expression = entry_text (editor->expression);
      g_autofree char *description_en = entry_text (editor->description_en);
      g_autofree char *description_zh = entry_text (editor->description_zh);
      g_autofree char *source = entry_text (editor->source);

      if (!dossier_envelope_add_rule (e, expression, description_en, description_zh, source, error))
        {
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (editor->expander), TRUE);
          gtk_widget_add_css_class (editor->expression, "error");
          return FALSE;
        }
      gtk_widget_remove_css_class (editor->expression, "error");
    }

  return dossier_envelope_validate (e, error);
}

/* Saves the draft shown; returns its id, 0 after showing why not. */
static gint64
save_draft (DossierEnvelopeWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!is_draft (self->current))
    return 0;

  if (!apply_edits (self, &error) || (id = dossier_envelope_save (self->current, self->store, &error)) <= 0)
    {
      show_error (self, _("The Size Range Cannot Be Saved"), error->message);
      return 0;
    }

  return id;
}

static void
on_save_clicked (DossierEnvelopeWindow *self)
{
  gint64 id = save_draft (self);

  if (id > 0)
    {
      reload (self, id);
      show_toast (self, _("Draft saved"));
    }
}

typedef enum
{
  ACTION_EFFECTIVE,
  ACTION_WITHDRAW,
  ACTION_DELETE,
} VersionAction;

typedef struct
{
  DossierEnvelopeWindow *self;
  VersionAction          action;
  gint64                 id;
} PendingAction;

static void
on_reason (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PendingAction *pending = user_data;
  g_autoptr(DossierEnvelopeWindow) self = pending->self;
  g_autofree char *reason = dossier_gui_ask_reason_finish (result, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;
  const char *done = NULL;

  if (reason != NULL)
    {
      switch (pending->action)
        {
        case ACTION_EFFECTIVE:
          ok = dossier_envelope_make_effective (self->store, pending->id, reason, &error);
          done = _("The version is now effective");
          break;

        case ACTION_WITHDRAW:
          ok = dossier_envelope_withdraw (self->store, pending->id, reason, &error);
          done = _("The version is withdrawn");
          break;

        case ACTION_DELETE:
          ok = dossier_envelope_delete_draft (self->store, pending->id, reason, &error);
          done = _("Draft deleted");
          break;

        default:
          g_assert_not_reached ();
        }

      if (!ok)
        show_error (self, _("The Change Was Refused"), error->message);
      else
        show_toast (self, done);
    }

  reload (self, pending->action == ACTION_DELETE && ok ? 0 : pending->id);
  g_free (pending);
}

static void
ask_reason (DossierEnvelopeWindow *self,
            VersionAction          action,
            gint64                 id,
            const char            *message)
{
  PendingAction *pending = g_new0 (PendingAction, 1);

  pending->self = g_object_ref (self);
  pending->action = action;
  pending->id = id;
  dossier_gui_ask_reason (GTK_WINDOW (self), message, NULL, on_reason, pending);
}

static void
on_effective_clicked (DossierEnvelopeWindow *self)
{
  gint64 id = save_draft (self);

  if (id > 0)
    ask_reason (self, ACTION_EFFECTIVE, id,
                _("From its effective date, this version is what patient-matched designs of the model are checked "
                  "against, and it can no longer be changed. Why is it made effective?"));
}

static void
on_withdraw_clicked (DossierEnvelopeWindow *self)
{
  if (self->current != NULL && dossier_envelope_get_id (self->current) > 0)
    ask_reason (self, ACTION_WITHDRAW, dossier_envelope_get_id (self->current),
                _("A withdrawn version no longer applies to new designs. Why is it withdrawn?"));
}

static void
on_delete_clicked (DossierEnvelopeWindow *self)
{
  if (self->current != NULL && dossier_envelope_get_id (self->current) > 0)
    ask_reason (self, ACTION_DELETE, dossier_envelope_get_id (self->current),
                _("Why is this draft deleted?"));
}

static void
on_new_version_clicked (DossierEnvelopeWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 from = self->current != NULL ? dossier_envelope_get_id (self->current) : 0;
  gint64 id;

  if (from <= 0 && self->envelopes->len > 0)
    from = dossier_envelope_get_id (g_ptr_array_index (self->envelopes, self->envelopes->len - 1));

  if (from <= 0)
    {
      /* The first version starts empty and is stored when it is saved (a size
       * range without parameters is not valid). */
      g_autoptr(DossierEnvelope) envelope = dossier_envelope_new ();
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      dossier_envelope_set_model_id (envelope, self->model_id);
      dossier_envelope_set_effective_on (envelope, today);
      dossier_envelope_set_certificate_no (envelope, self->certificate_no);
      gtk_list_box_unselect_all (self->versions_list);
      show_envelope (self, envelope);
      return;
    }

  id = dossier_envelope_new_version (self->store, from, NULL, &error);
  if (id <= 0)
    {
      show_error (self, _("No New Version"), error->message);
      return;
    }
  reload (self, id);
}

static void
add_parameter_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DossierEnvelopeWindow *self = DOSSIER_ENVELOPE_WINDOW (widget);

  if (!is_draft (self->current))
    return;
  if (self->parameters->len == 0)
    clear_list (self->parameters_list);
  add_parameter_editor (self, NULL, g_str_equal (action_name, "envelope.add-categorical"), TRUE);
  update_sensitivity (self);
}

static void
on_add_rule_clicked (DossierEnvelopeWindow *self)
{
  RuleEditor *editor;

  if (!is_draft (self->current))
    return;
  add_rule_editor (self, NULL, TRUE);
  editor = g_ptr_array_index (self->rules, self->rules->len - 1);
  gtk_widget_grab_focus (editor->expression);
}

/* XML ---------------------------------------------------------------------------------- */

gint64
dossier_envelope_window_import_file (DossierEnvelopeWindow  *self,
                                     GFile                  *file,
                                     GError                **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE_WINDOW (self), 0);
  g_return_val_if_fail (G_IS_FILE (file), 0);

  /* Refused unread when too large, as the core would refuse it anyway. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return 0;
  if (g_file_info_get_size (info) > DOSSIER_ENVELOPE_XML_MAX_BYTES)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                   _("The file is larger than %d MB"), DOSSIER_ENVELOPE_XML_MAX_BYTES / (1024 * 1024));
      return 0;
    }
  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    return 0;

  id = dossier_envelope_import_xml (self->store, data, length, error);
  if (id <= 0)
    return 0;

  reload (self, id);
  return id;
}

gboolean
dossier_envelope_window_export_file (DossierEnvelopeWindow  *self,
                                     GFile                  *file,
                                     GError                **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  id = dossier_envelope_window_get_selected (self);
  if (id <= 0)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND,
                   _("Save the version before exporting it"));
      return FALSE;
    }

  data = dossier_envelope_export_xml (self->store, id, &length, error);
  if (data == NULL)
    return FALSE;

  return g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

static GtkFileFilter *
xml_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Size range XML files"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_filter_add_mime_type (filter, "application/xml");
  gtk_file_filter_add_mime_type (filter, "text/xml");
  return filter;
}

static void
on_import_response (GtkNativeDialog       *chooser,
                    int                    response,
                    DossierEnvelopeWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (dossier_envelope_window_import_file (self, file, &error) <= 0)
        show_error (self, _("The File Cannot Be Imported"), error->message);
      else
        show_toast (self, _("Size range imported as a draft"));
    }
  g_object_unref (chooser);
}

static void
on_import_clicked (DossierEnvelopeWindow *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import Size Range"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  g_autoptr(GtkFileFilter) filter = xml_filter ();

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_response (GtkNativeDialog       *chooser,
                    int                    response,
                    DossierEnvelopeWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!dossier_envelope_window_export_file (self, file, &error))
        show_error (self, _("The File Cannot Be Written"), error->message);
      else
        show_toast (self, _("Size range exported"));
    }
  g_object_unref (chooser);
}

static void
on_export_clicked (DossierEnvelopeWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = xml_filter ();
  g_autofree char *name = NULL;

  if (self->current == NULL || dossier_envelope_get_id (self->current) <= 0)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Size Range"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  /* Translators: a file name, e.g. "AC-52 size range v2.xml" */
  name = g_strdup_printf (_("%s size range v%d.xml"), self->model_code != NULL ? self->model_code : "",
                          dossier_envelope_get_version (self->current));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  on_import_clicked (DOSSIER_ENVELOPE_WINDOW (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  on_export_clicked (DOSSIER_ENVELOPE_WINDOW (widget));
}

/* Public ------------------------------------------------------------------------------- */

GtkWidget *
dossier_envelope_window_new (GtkWindow    *parent,
                             DossierStore *store,
                             gint64        model_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (model_id > 0, NULL);

  return g_object_new (DOSSIER_TYPE_ENVELOPE_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "store", store,
                       "model-id", model_id,
                       NULL);
}

gint64
dossier_envelope_window_get_model_id (DossierEnvelopeWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE_WINDOW (self), 0);

  return self->model_id;
}

gint64
dossier_envelope_window_get_selected (DossierEnvelopeWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE_WINDOW (self), 0);

  return self->current != NULL ? dossier_envelope_get_id (self->current) : 0;
}

void
dossier_envelope_window_select (DossierEnvelopeWindow *self,
                                gint64                 envelope_id)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE_WINDOW (self));

  reload (self, envelope_id);
}

static void
on_button_clicked (GtkWidget *button)
{
  DossierStore *store = g_object_get_data (G_OBJECT (button), "store");
  gint64 model_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "model-id"));
  GtkRoot *root = gtk_widget_get_root (button);
  GtkWidget *window = dossier_envelope_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, store, model_id);

  gtk_window_present (GTK_WINDOW (window));
}

GtkWidget *
dossier_envelope_window_button_new (DossierStore *store,
                                    gint64        model_id)
{
  g_autoptr(GHashTable) model = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *button;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  /* Each model's button has its own name, for screen readers and the end-to-end tests. */
  model = dossier_store_get_row (store, "product_model", model_id, NULL);
  /* Translators: the accessible name of a button, e.g. "Size ranges of AC-52" */
  accessible = g_strdup_printf (_("Size ranges of %s"), model != NULL ? (char *)g_hash_table_lookup (model, "code") : "?");

  button = gtk_button_new_with_mnemonic (_("Size _Ranges…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Registered Size Ranges of This Model"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "store", g_object_ref (store), g_object_unref);
  g_object_set_data (G_OBJECT (button), "model-id", GSIZE_TO_POINTER (model_id));
  g_signal_connect (button, "clicked", G_CALLBACK (on_button_clicked), NULL);
  return button;
}

/* GObject ------------------------------------------------------------------------------ */

static void
dossier_envelope_window_constructed (GObject *object)
{
  DossierEnvelopeWindow *self = (DossierEnvelopeWindow *)object;
  g_autoptr(GHashTable) model = NULL;
  g_autoptr(GHashTable) product = NULL;
  g_autofree char *subtitle = NULL;
  const char *product_id;

  G_OBJECT_CLASS (dossier_envelope_window_parent_class)->constructed (object);

  model = dossier_store_get_row (self->store, "product_model", self->model_id, NULL);
  if (model != NULL && (product_id = g_hash_table_lookup (model, "product_id")) != NULL)
    product = dossier_store_get_row (self->store, "product", g_ascii_strtoll (product_id, NULL, 10), NULL);
  if (model != NULL)
    self->model_code = g_strdup (g_hash_table_lookup (model, "code"));
  if (product != NULL)
    self->certificate_no = g_strdup (g_hash_table_lookup (product, "certificate_no"));

  /* Translators: the window's subtitle, the model code and the certificate, e.g. "AC-52 · 国械注准20203130123" */
  subtitle = g_strdup_printf (_("%s · %s"), self->model_code != NULL ? self->model_code : "?",
                              self->certificate_no != NULL ? self->certificate_no : "?");
  adw_window_title_set_subtitle (self->window_title, subtitle);

  reload (self, 0);
}

static void
dossier_envelope_window_dispose (GObject *object)
{
  DossierEnvelopeWindow *self = (DossierEnvelopeWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_ENVELOPE_WINDOW);
  g_clear_object (&self->current);
  g_clear_object (&self->store);
  g_clear_pointer (&self->envelopes, g_ptr_array_unref);
  g_clear_pointer (&self->parameters, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->model_code, g_free);
  g_clear_pointer (&self->certificate_no, g_free);

  G_OBJECT_CLASS (dossier_envelope_window_parent_class)->dispose (object);
}

static void
dossier_envelope_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DossierEnvelopeWindow *self = DOSSIER_ENVELOPE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_MODEL_ID:
      g_value_set_int64 (value, self->model_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_envelope_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  DossierEnvelopeWindow *self = DOSSIER_ENVELOPE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_MODEL_ID:
      self->model_id = g_value_get_int64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_envelope_window_class_init (DossierEnvelopeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_envelope_window_constructed;
  object_class->dispose = dossier_envelope_window_dispose;
  object_class->get_property = dossier_envelope_window_get_property;
  object_class->set_property = dossier_envelope_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_ID] =
    g_param_spec_int64 ("model-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "envelope.add-numeric", NULL, add_parameter_action);
  gtk_widget_class_install_action (widget_class, "envelope.add-categorical", NULL, add_parameter_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "envelope.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "envelope.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "envelope.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "envelope.export", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-envelope-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, new_version_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, versions_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, version_group);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, effective_on_row);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, change_document_row);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, parameters_group);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, add_parameter_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, parameters_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, rules_group);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, add_rule_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, rules_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, effective_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEnvelopeWindow, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_version_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_new_version_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_rule_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_effective_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_withdraw_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
dossier_envelope_window_init (DossierEnvelopeWindow *self)
{
  self->parameters = g_ptr_array_new_with_free_func (g_free);
  self->rules = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}
