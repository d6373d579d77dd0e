/* dossier-editor-field.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-field"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dossier-editor-dialogs.h"
#include "dossier-editor-field.h"
#include "dossier-editor-logic.h"

/* Texts allowed more than this many characters are edited in a text view. */
#define SHORT_TEXT_MAX 200

typedef enum
{
  INPUT_ENTRY,
  INPUT_TEXT_VIEW,
  INPUT_COMBO,
  INPUT_SWITCH,
  INPUT_LABEL,
} InputKind;

struct _DossierEditorField
{
  GObject                   parent_instance;

  DossierEditorSession     *session;
  const DossierTable       *table_schema;
  const DossierColumn      *column_schema;
  char                     *table;
  char                     *column;
  gint64                    id;
  DossierEditorFieldStyle   style;
  InputKind                 input;

  GtkWidget                *widget;
  GtkEditable              *editable;      /* INPUT_ENTRY */
  GtkTextView              *text_view;     /* INPUT_TEXT_VIEW */
  GtkSwitch                *switch_widget; /* INPUT_SWITCH */
  GtkLabel                 *value_label;   /* INPUT_LABEL */
  GtkLabel                 *title_label;   /* INPUT_TEXT_VIEW, INPUT_LABEL */
  GtkWidget                *hint_label;
  GtkWidget                *calendar_button;
  GtkCalendar              *calendar;
  GtkWidget                *message_row;
  GtkWidget                *message_label;
  GPtrArray                *options;       /* INPUT_COMBO: DossierEditorOption by position */

  char                     *committed;
  char                     *shown;
  char                     *error;
  gboolean                  updating;
  gboolean                  committing;

  DossierEditorCommitFunc   commit_func;
  gpointer                  commit_data;
};

G_DEFINE_FINAL_TYPE (DossierEditorField, dossier_editor_field, G_TYPE_OBJECT)

/* Showing values ------------------------------------------------------------------- */

static char *
shown_text (DossierEditorField *self,
            const char         *value)
{
  if (self->column_schema->kind == DOSSIER_COLUMN_TIMESTAMP)
    return dossier_editor_timestamp_to_input (value);

  return g_strdup (value != NULL ? value : "");
}

static guint
option_position (DossierEditorField *self,
                 const char         *value)
{
  for (guint i = 0; i < self->options->len; i++)
    {
      DossierEditorOption *option = g_ptr_array_index (self->options, i);

      if (dossier_editor_values_equal (option->value, value))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
show_committed (DossierEditorField *self)
{
  self->updating = TRUE;

  switch (self->input)
    {
    case INPUT_ENTRY:
      gtk_editable_set_text (self->editable, self->shown);
      break;

    case INPUT_TEXT_VIEW:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), self->shown, -1);
      break;

    case INPUT_COMBO:
      {
        guint position = option_position (self, self->committed);

        adw_combo_row_set_selected (ADW_COMBO_ROW (self->widget),
                                    position != GTK_INVALID_LIST_POSITION ? position : 0);
      }
      break;

    case INPUT_SWITCH:
      gtk_switch_set_active (self->switch_widget, g_strcmp0 (self->committed, "1") == 0);
      break;

    case INPUT_LABEL:
      {
        const char *text = self->shown;

        if (self->column_schema->kind == DOSSIER_COLUMN_CHOICE && self->committed != NULL)
          text = dossier_schema_choice_label (self->column_schema, self->committed);
        if (text == NULL || *text == '\0')
          {
            gtk_label_set_label (self->value_label, _("Not recorded"));
            gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "dim-label");
          }
        else
          {
            gtk_label_set_label (self->value_label, text);
            gtk_widget_remove_css_class (GTK_WIDGET (self->value_label), "dim-label");
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  self->updating = FALSE;
}

/* Errors ------------------------------------------------------------------------------ */

static GtkWidget *
focus_target (DossierEditorField *self)
{
  if (self->text_view != NULL)
    return GTK_WIDGET (self->text_view);
  if (self->editable != NULL && gtk_editable_get_delegate (self->editable) != NULL)
    return GTK_WIDGET (gtk_editable_get_delegate (self->editable));
  return self->widget;
}

void
dossier_editor_field_set_error (DossierEditorField *self,
                                const char         *message)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));

  if (message != NULL && *message == '\0')
    message = NULL;

  g_free (self->error);
  self->error = g_strdup (message);

  gtk_label_set_label (GTK_LABEL (self->message_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->message_label, message != NULL || self->message_row != NULL);
  if (self->message_row != NULL)
    gtk_widget_set_visible (self->message_row, message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (self->widget, "error");
  else
    gtk_widget_remove_css_class (self->widget, "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (focus_target (self)),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (focus_target (self)),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (focus_target (self)),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

const char *
dossier_editor_field_get_error (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->error;
}

/* Committing ---------------------------------------------------------------------- */

static gboolean
default_commit (DossierEditorField  *self,
                const char          *value,
                const char          *reason,
                gpointer             user_data,
                GError             **error)
{
  const DossierField fields[] = {
    { self->column, value },
    { NULL }
  };
  g_autoptr(GHashTable) row = NULL;

  if (!dossier_editor_session_update (self->session, self->table, self->id, fields, reason, error))
    return FALSE;

  row = dossier_store_get_row (dossier_editor_session_get_store (self->session), self->table, self->id, NULL);
  dossier_editor_field_set_value (self, row != NULL ? g_hash_table_lookup (row, self->column) : value);
  return TRUE;
}

typedef struct
{
  DossierEditorField *field;
  char               *value;
} PendingCommit;

static void
pending_commit_free (PendingCommit *pending)
{
  g_object_unref (pending->field);
  g_free (pending->value);
  g_free (pending);
}

static void write_value (DossierEditorField *self,
                         const char         *value,
                         const char         *reason);

static void
on_reason (const char *reason,
           gpointer    user_data)
{
  PendingCommit *pending = user_data;
  DossierEditorField *self = pending->field;

  self->committing = FALSE;

  if (self->widget == NULL)
    return;

  if (reason == NULL)
    {
      dossier_editor_field_set_error (self, _("Not saved: changing signed content needs a reason."));
      return;
    }

  write_value (self, pending->value, reason);
}

static void
write_value (DossierEditorField *self,
             const char         *value,
             const char         *reason)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->committing = TRUE;
  if (self->commit_func != NULL)
    ok = self->commit_func (self, value, reason, self->commit_data, &error);
  else
    ok = default_commit (self, value, reason, NULL, &error);
  self->committing = FALSE;

  if (ok)
    {
      dossier_editor_field_set_error (self, NULL);
      return;
    }

  if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED) && reason == NULL)
    {
      PendingCommit *pending = g_new0 (PendingCommit, 1);

      pending->field = g_object_ref (self);
      pending->value = g_strdup (value);
      self->committing = TRUE;
      dossier_editor_ask_reason (self->widget, error->message, on_reason, pending,
                                 (GDestroyNotify)pending_commit_free);
      return;
    }

  dossier_editor_field_set_error (self, error->message);
}

void
dossier_editor_field_commit (DossierEditorField *self)
{
  g_autofree char *value = NULL;

  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));

  if (self->committing || self->updating || self->input == INPUT_LABEL)
    return;

  if (self->id <= 0)
    {
      dossier_editor_field_check (self);
      return;
    }

  if (!dossier_editor_field_is_modified (self))
    {
      /* Typed back to what is stored: nothing is wrong any more. */
      if (self->error != NULL)
        dossier_editor_field_set_error (self, NULL);
      return;
    }

  value = dossier_editor_field_get_value (self);
  write_value (self, value, NULL);
}

gboolean
dossier_editor_field_check (DossierEditorField *self)
{
  g_autofree char *value = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), FALSE);

  if (self->input == INPUT_LABEL)
    return TRUE;

  value = dossier_editor_field_get_value (self);
  if (!dossier_schema_check_value (self->table_schema, self->column_schema, value, &normalized, &error))
    {
      dossier_editor_field_set_error (self, error->message);
      return FALSE;
    }

  dossier_editor_field_set_error (self, NULL);
  return TRUE;
}

/* Signal handlers ------------------------------------------------------------------------ */

static void
on_focus_leave (GtkEventControllerFocus *controller,
                DossierEditorField      *self)
{
  dossier_editor_field_commit (self);
}

static void
on_entry_activated (DossierEditorField *self)
{
  dossier_editor_field_commit (self);
}

static void
on_combo_selected (DossierEditorField *self)
{
  if (!self->updating)
    dossier_editor_field_commit (self);
}

static void
on_switch_active (DossierEditorField *self)
{
  if (!self->updating)
    dossier_editor_field_commit (self);
}

static void
on_session_flush (DossierEditorField *self)
{
  gboolean modified = dossier_editor_field_is_modified (self);

  dossier_editor_field_commit (self);

  /* The editor is about to show another dossier or to close: a refusal marked
   * on a row that goes away would go unseen. */
  if (modified && self->error != NULL)
    {
      /* Translators: typing that could not be saved when the editor moved on; the store's reason follows. */
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), self->error);

      dossier_editor_show_message (self->widget, message);
    }
}

static gboolean
on_text_view_commit (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  dossier_editor_field_commit (DOSSIER_EDITOR_FIELD (user_data));
  return TRUE;
}

static void
on_long_text_row_pressed (GtkGestureClick    *gesture,
                          int                 n_press,
                          double              x,
                          double              y,
                          DossierEditorField *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
on_calendar_shown (DossierEditorField *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = dossier_editor_field_get_value (self);
  int y, m, d;

  if (sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3)
    date = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (date == NULL)
    date = g_date_time_new_now_local ();

  self->updating = TRUE;
  gtk_calendar_select_day (self->calendar, date);
  self->updating = FALSE;
}

static void
on_day_selected (DossierEditorField *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;

  if (self->updating)
    return;

  date = gtk_calendar_get_date (self->calendar);
  text = g_date_time_format (date, "%Y-%m-%d");
  gtk_editable_set_text (self->editable, text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->calendar_button));
  dossier_editor_field_commit (self);
}

/* Building ---------------------------------------------------------------------------- */

static void
label_accessible (GtkWidget  *widget,
                  const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
add_focus_leave (DossierEditorField *self,
                 GtkWidget          *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), self, 0);
  gtk_widget_add_controller (widget, focus);
}

static GtkWidget *
build_calendar_button (DossierEditorField *self,
                       const char         *label)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();
  g_autofree char *accessible = NULL;

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Choose a Date"));
  /* Translators: the button beside a date field, e.g. "Choose Order date". */
  accessible = g_strdup_printf (_("Choose %s"), label);
  label_accessible (button, accessible);

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  label_accessible (calendar, label);

  self->calendar = GTK_CALENDAR (calendar);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_calendar_shown), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_day_selected), self, G_CONNECT_SWAPPED);

  return button;
}

static void
build_entry_row (DossierEditorField *self,
                 const char         *label)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  self->widget = row;
  self->editable = GTK_EDITABLE (row);

  switch (self->column_schema->kind)
    {
    case DOSSIER_COLUMN_INTEGER:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      break;
    case DOSSIER_COLUMN_DECIMAL:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
      break;
    case DOSSIER_COLUMN_DATE:
      self->calendar_button = build_calendar_button (self, label);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), self->calendar_button);
      break;
    default:
      break;
    }

  g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated), self, G_CONNECT_SWAPPED);
  add_focus_leave (self, row);
}

static void
build_compact_entry (DossierEditorField *self,
                     const char         *label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), label);
  gtk_widget_set_hexpand (entry, TRUE);
  self->widget = entry;
  self->editable = GTK_EDITABLE (entry);

  if (self->column_schema->kind == DOSSIER_COLUMN_DECIMAL || self->column_schema->kind == DOSSIER_COLUMN_INTEGER)
    gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);

  g_signal_connect_object (entry, "activate", G_CALLBACK (on_entry_activated), self, G_CONNECT_SWAPPED);
  add_focus_leave (self, entry);
}

static GtkWidget *
build_titled_row (DossierEditorField *self,
                  const char         *label,
                  const char         *css_class,
                  GtkWidget          *content,
                  const char         *icon_name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (label);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, css_class);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "caption");
  gtk_widget_add_css_class (title, "dim-label");
  self->title_label = GTK_LABEL (title);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), content);

  /* Editable, like an entry row says with its pencil. */
  if (icon_name != NULL)
    {
      GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_widget_set_hexpand (box, TRUE);
      gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_end (icon, 11);
      gtk_box_append (GTK_BOX (outer), box);
      gtk_box_append (GTK_BOX (outer), icon);
      box = outer;
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static void
build_text_view_row (DossierEditorField *self,
                     const char         *label)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_set_hexpand (view, TRUE);
  label_accessible (view, label);
  self->text_view = GTK_TEXT_VIEW (view);

  /* Enter starts a new line here; Ctrl+Enter saves, as leaving does. */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (on_text_view_commit,
                                                                                   self, NULL)));
  gtk_widget_add_controller (view, shortcuts);
  add_focus_leave (self, view);

  self->widget = build_titled_row (self, label, "long-text", view, "document-edit-symbolic");
  gtk_widget_add_css_class (self->widget, "property-row");

  /* A click anywhere on the row, not only on the text, starts typing. */
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_long_text_row_pressed), self, 0);
  gtk_widget_add_controller (self->widget, GTK_EVENT_CONTROLLER (click));
}

static void
build_label_row (DossierEditorField *self,
                 const char         *label)
{
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  self->value_label = GTK_LABEL (value);

  self->widget = build_titled_row (self, label, "property-row", value, NULL);
}

static void
fill_options (DossierEditorField *self)
{
  const DossierColumn *c = self->column_schema;
  gboolean required = (c->flags & DOSSIER_COLUMN_REQUIRED) != 0;
  gboolean empty = self->committed == NULL || *self->committed == '\0';

  g_ptr_array_set_size (self->options, 0);

  /* A required choice of a new record starts unchosen, so that nobody records
   * the first severity in the list by not looking. */
  if (!required || (self->id <= 0 && empty))
    {
      DossierEditorOption *none = g_new0 (DossierEditorOption, 1);

      none->value = g_strdup ("");
      if (required)
        none->label = g_strdup (_("Choose…"));
      else
        none->label = g_strdup (c->kind == DOSSIER_COLUMN_REFERENCE ? _("None") : _("Not set"));
      g_ptr_array_add (self->options, none);
    }

  if (c->kind == DOSSIER_COLUMN_CHOICE)
    {
      for (const DossierChoice *choice = c->choices; choice->value != NULL; choice++)
        {
          DossierEditorOption *option = g_new0 (DossierEditorOption, 1);

          option->value = g_strdup (choice->value);
          option->label = g_strdup (dossier_schema_choice_label (c, choice->value));
          g_ptr_array_add (self->options, option);
        }
    }
  else if (self->session != NULL)
    {
      GPtrArray *rows = dossier_editor_session_reference_options (self->session, self->table,
                                                                            self->column, self->committed);

      g_ptr_array_extend_and_steal (self->options, g_steal_pointer (&rows));
    }

  /* A stored value the list does not know (a choice retired since) stays visible. */
  if (self->committed != NULL && *self->committed != '\0' &&
      option_position (self, self->committed) == GTK_INVALID_LIST_POSITION)
    {
      DossierEditorOption *option = g_new0 (DossierEditorOption, 1);

      option->value = g_strdup (self->committed);
      option->label = g_strdup (self->committed);
      g_ptr_array_add (self->options, option);
    }
}

static void
build_combo_row (DossierEditorField *self,
                 const char         *label)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *strings = gtk_string_list_new (NULL);

  fill_options (self);
  for (guint i = 0; i < self->options->len; i++)
    gtk_string_list_append (strings, ((DossierEditorOption *)g_ptr_array_index (self->options, i))->label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (strings));
  g_object_unref (strings);
  self->widget = row;

  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_combo_selected), self, G_CONNECT_SWAPPED);
}

static void
build_switch_row (DossierEditorField *self,
                  const char         *label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  label_accessible (sw, label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  self->widget = row;
  self->switch_widget = GTK_SWITCH (sw);

  g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_switch_active), self, G_CONNECT_SWAPPED);
}

static void
build_message (DossierEditorField *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "field-message");
  self->message_label = g_object_ref_sink (label);

  if (self->style == DOSSIER_EDITOR_FIELD_ROW)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_widget_add_css_class (row, "field-message-row");
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_visible (row, FALSE);
      self->message_row = g_object_ref_sink (row);
    }
  else
    gtk_widget_set_visible (label, FALSE);
}

static void
dossier_editor_field_dispose (GObject *object)
{
  DossierEditorField *self = (DossierEditorField *)object;

  g_clear_object (&self->widget);
  g_clear_object (&self->message_row);
  g_clear_object (&self->message_label);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dossier_editor_field_parent_class)->dispose (object);
}

static void
dossier_editor_field_finalize (GObject *object)
{
  DossierEditorField *self = (DossierEditorField *)object;

  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->column, g_free);
  g_clear_pointer (&self->committed, g_free);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->options, g_ptr_array_unref);

  G_OBJECT_CLASS (dossier_editor_field_parent_class)->finalize (object);
}

static void
dossier_editor_field_class_init (DossierEditorFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_editor_field_dispose;
  object_class->finalize = dossier_editor_field_finalize;
}

static void
dossier_editor_field_init (DossierEditorField *self)
{
  self->options = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_editor_option_free);
}

DossierEditorField *
dossier_editor_field_new (DossierEditorSession    *session,
                          const char              *table,
                          const char              *column,
                          gint64                   id,
                          const char              *value,
                          DossierEditorFieldStyle  style)
{
  DossierEditorField *self;
  const DossierTable *t;
  const DossierColumn *c;
  const char *label;
  g_autofree char *name = NULL;
  gboolean read_only;

  g_return_val_if_fail (session == NULL || DOSSIER_IS_EDITOR_SESSION (session), NULL);
  g_return_val_if_fail (table != NULL && column != NULL, NULL);

  t = dossier_schema_lookup_table (table);
  c = t != NULL ? dossier_schema_lookup_column (t, column) : NULL;
  g_return_val_if_fail (c != NULL, NULL);
  /* Editing needs the session to write through. */
  g_return_val_if_fail (id <= 0 || session != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_EDITOR_FIELD, NULL);
  self->session = session != NULL ? g_object_ref (session) : NULL;
  self->table_schema = t;
  self->column_schema = c;
  self->table = g_strdup (table);
  self->column = g_strdup (column);
  self->id = id;
  self->style = style;
  self->committed = g_strdup (value);
  self->shown = shown_text (self, value);
  label = _(c->label);

  read_only = (c->flags & DOSSIER_COLUMN_GENERATED) != 0 ||
              (id > 0 && (c->flags & DOSSIER_COLUMN_IMMUTABLE) != 0);

  if (read_only)
    self->input = INPUT_LABEL;
  else if (c->kind == DOSSIER_COLUMN_CHOICE || c->kind == DOSSIER_COLUMN_REFERENCE)
    self->input = INPUT_COMBO;
  else if (c->kind == DOSSIER_COLUMN_BOOLEAN)
    self->input = INPUT_SWITCH;
  else if (c->kind == DOSSIER_COLUMN_TEXT && c->max > SHORT_TEXT_MAX && style == DOSSIER_EDITOR_FIELD_ROW)
    self->input = INPUT_TEXT_VIEW;
  else
    self->input = INPUT_ENTRY;

  /* Compact fields are entries in a table of values; anything else there is a
   * mistake of the caller. */
  g_return_val_if_fail (style == DOSSIER_EDITOR_FIELD_ROW || self->input == INPUT_ENTRY, self);

  switch (self->input)
    {
    case INPUT_ENTRY:
      if (style == DOSSIER_EDITOR_FIELD_COMPACT)
        build_compact_entry (self, label);
      else
        build_entry_row (self, label);
      break;
    case INPUT_TEXT_VIEW:
      build_text_view_row (self, label);
      break;
    case INPUT_COMBO:
      build_combo_row (self, label);
      break;
    case INPUT_SWITCH:
      build_switch_row (self, label);
      break;
    case INPUT_LABEL:
      build_label_row (self, label);
      break;
    default:
      g_assert_not_reached ();
    }

  g_object_ref_sink (self->widget);
  name = g_strdup_printf ("%s.%s", table, column);
  gtk_widget_set_name (self->widget, name);
  label_accessible (self->widget, label);
  if (self->editable != NULL && gtk_editable_get_delegate (self->editable) != NULL)
    label_accessible (GTK_WIDGET (gtk_editable_get_delegate (self->editable)), label);

  build_message (self);
  show_committed (self);

  if (session != NULL && id > 0)
    g_signal_connect_object (session, "flush", G_CALLBACK (on_session_flush), self, G_CONNECT_SWAPPED);

  return self;
}

const char *
dossier_editor_field_get_table (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->table;
}

const char *
dossier_editor_field_get_column (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->column;
}

gint64
dossier_editor_field_get_id (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), 0);

  return self->id;
}

const DossierColumn *
dossier_editor_field_get_schema (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->column_schema;
}

GtkWidget *
dossier_editor_field_get_widget (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->widget;
}

GtkWidget *
dossier_editor_field_get_message_row (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->message_row;
}

GtkWidget *
dossier_editor_field_get_message_label (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->message_label;
}

void
dossier_editor_field_add_to (DossierEditorField *self,
                             GtkWidget          *container)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));
  g_return_if_fail (self->style == DOSSIER_EDITOR_FIELD_ROW);

  /* Not an AdwPreferencesGroup: it keeps rows that are not AdwPreferencesRows
   * (long texts, messages) out of its list. */
  if (ADW_IS_EXPANDER_ROW (container))
    {
      adw_expander_row_add_row (ADW_EXPANDER_ROW (container), self->widget);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (container), self->message_row);
    }
  else if (GTK_IS_LIST_BOX (container))
    {
      gtk_list_box_append (GTK_LIST_BOX (container), self->widget);
      gtk_list_box_append (GTK_LIST_BOX (container), self->message_row);
    }
  else
    g_return_if_reached ();
}

void
dossier_editor_field_set_value (DossierEditorField *self,
                                const char         *value)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));

  g_free (self->committed);
  self->committed = g_strdup (value);
  g_free (self->shown);
  self->shown = shown_text (self, value);

  show_committed (self);
  dossier_editor_field_set_error (self, NULL);
}

const char *
dossier_editor_field_get_committed (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  return self->committed;
}

char *
dossier_editor_field_get_value (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), NULL);

  switch (self->input)
    {
    case INPUT_ENTRY:
      if (self->column_schema->kind == DOSSIER_COLUMN_TIMESTAMP)
        return dossier_editor_timestamp_from_input (gtk_editable_get_text (self->editable), NULL);
      return g_strdup (gtk_editable_get_text (self->editable));

    case INPUT_TEXT_VIEW:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      }

    case INPUT_COMBO:
      {
        guint position = adw_combo_row_get_selected (ADW_COMBO_ROW (self->widget));

        if (position >= self->options->len)
          return g_strdup ("");
        return g_strdup (((DossierEditorOption *)g_ptr_array_index (self->options, position))->value);
      }

    case INPUT_SWITCH:
      return g_strdup (gtk_switch_get_active (self->switch_widget) ? "1" : "0");

    case INPUT_LABEL:
    default:
      return g_strdup (self->committed != NULL ? self->committed : "");
    }
}

gboolean
dossier_editor_field_is_modified (DossierEditorField *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_FIELD (self), FALSE);

  switch (self->input)
    {
    case INPUT_ENTRY:
      /* Compared as shown, so that a timestamp shown in local minutes is not a
       * change of the seconds stored. */
      return g_strcmp0 (gtk_editable_get_text (self->editable), self->shown) != 0;

    case INPUT_TEXT_VIEW:
    case INPUT_COMBO:
    case INPUT_SWITCH:
      {
        g_autofree char *value = dossier_editor_field_get_value (self);
        const char *committed = self->committed;

        if (self->input == INPUT_SWITCH && committed == NULL)
          committed = "0";
        return !dossier_editor_values_equal (value, committed);
      }

    case INPUT_LABEL:
    default:
      return FALSE;
    }
}

void
dossier_editor_field_set_title (DossierEditorField *self,
                                const char         *title)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));

  if (ADW_IS_PREFERENCES_ROW (self->widget))
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->widget), title);
  else if (self->title_label != NULL)
    gtk_label_set_label (self->title_label, title);
  else if (GTK_IS_ENTRY (self->widget))
    gtk_entry_set_placeholder_text (GTK_ENTRY (self->widget), title);

  label_accessible (self->widget, title);
  if (self->editable != NULL && gtk_editable_get_delegate (self->editable) != NULL)
    label_accessible (GTK_WIDGET (gtk_editable_get_delegate (self->editable)), title);
  if (self->text_view != NULL)
    label_accessible (GTK_WIDGET (self->text_view), title);
}

void
dossier_editor_field_set_hint (DossierEditorField *self,
                               const char         *hint)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));

  if (self->hint_label == NULL && hint != NULL &&
      (ADW_IS_ENTRY_ROW (self->widget) || ADW_IS_ACTION_ROW (self->widget)))
    {
      self->hint_label = gtk_label_new (NULL);
      gtk_widget_set_valign (self->hint_label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (self->hint_label, "tag");

      if (ADW_IS_ENTRY_ROW (self->widget))
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->widget), self->hint_label);
      else
        adw_action_row_add_suffix (ADW_ACTION_ROW (self->widget), self->hint_label);
    }

  if (self->hint_label == NULL)
    return;

  gtk_label_set_label (GTK_LABEL (self->hint_label), hint != NULL ? hint : "");
  gtk_widget_set_visible (self->hint_label, hint != NULL);
}

void
dossier_editor_field_set_commit_func (DossierEditorField      *self,
                                      DossierEditorCommitFunc  func,
                                      gpointer                 user_data)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (self));

  self->commit_func = func;
  self->commit_data = user_data;
}
