/* dossier-registry-form.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-registry-form"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choices.h"
#include "dossier-registry-form.h"
#include "dossier-schema.h"
#include "dossier-validate.h"

/* Free text longer than this gets a multi-line editor. */
#define LONG_TEXT 1000

typedef enum
{
  EDITOR_ENTRY,
  EDITOR_TEXT,
  EDITOR_SWITCH,
  EDITOR_COMBO,
} EditorKind;

typedef struct
{
  DossierRegistryForm *form;        /* unowned */
  const DossierColumn *column;
  EditorKind           kind;
  GtkWidget           *row;         /* the row in the list */
  GtkWidget           *editor;      /* the entry row, text view, switch or combo row */
  GtkWidget           *message_row;
  GtkLabel            *message;
  GPtrArray           *values;      /* combo: the stored value at each position (NULL: none) */
  char                *error;
  GPtrArray           *connected;   /* objects with handlers of this field, held until it goes */
} Field;

struct _DossierRegistryForm
{
  GtkWidget           parent_instance;

  DossierStore       *store;
  char               *table;
  const DossierTable *schema;
  gint64              record_id;
  GHashTable         *row;          /* the stored record: column → text */
  GHashTable         *fixed;        /* column → value given by the context */
  GPtrArray          *fields;       /* Field */
  gboolean            loading;      /* widgets are being filled, not edited */
  char               *error;
  char               *add_label;
  char               *delete_label;
  GtkWidget          *extra;

  /* Template widgets */
  GtkWidget          *box;
  GtkLabel           *error_label;
  GtkListBox         *list;
  GtkButton          *add_button;
  GtkButton          *delete_button;
};

G_DEFINE_FINAL_TYPE (DossierRegistryForm, dossier_registry_form, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TABLE,
  PROP_RECORD_ID,
  N_PROPS
};

enum {
  SAVED,
  DELETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void field_commit (Field *field);

/* Widgets may outlive their field a little (focus moves after a row is
 * removed), so a field disconnects its handlers before it goes. */
static void
field_connect (Field      *field,
               gpointer    instance,
               const char *signal,
               GCallback   callback)
{
  g_signal_connect (instance, signal, callback, field);
  g_ptr_array_add (field->connected, g_object_ref (instance));
}

static void
field_free (Field *field)
{
  for (guint i = 0; i < field->connected->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (field->connected, i), field);
  g_clear_pointer (&field->connected, g_ptr_array_unref);
  g_clear_pointer (&field->values, g_ptr_array_unref);
  g_clear_pointer (&field->error, g_free);
  g_free (field);
}

static Field *
lookup_field (DossierRegistryForm *self,
              const char          *column)
{
  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->column->name, column))
        return field;
    }

  return NULL;
}

static gboolean
is_province (const DossierColumn *column)
{
  return column->validate == dossier_validate_province_code;
}

/* Device classes are numbers in the schema, but people know them as names. */
static gboolean
is_device_class (const DossierColumn *column)
{
  return column->kind == DOSSIER_COLUMN_INTEGER && g_str_equal (column->name, "device_class");
}

/* Columns the form does not show: set by Dossier, given by the context, or the
 * single manufacturer every site belongs to. */
static gboolean
is_hidden (DossierRegistryForm *self,
           const DossierColumn *column)
{
  return (column->flags & DOSSIER_COLUMN_GENERATED) ||
         g_hash_table_contains (self->fixed, column->name) ||
         (column->kind == DOSSIER_COLUMN_REFERENCE && g_strcmp0 (column->ref_table, "manufacturer") == 0);
}

/* Messages -------------------------------------------------------------------- */

static void
set_general_error (DossierRegistryForm *self,
                   const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
field_set_error (Field      *field,
                 const char *message)
{
  g_free (field->error);
  field->error = g_strdup (message);

  if (message != NULL)
    {
      gtk_widget_add_css_class (field->row, "error");
      gtk_label_set_label (field->message, message);
    }
  else
    gtk_widget_remove_css_class (field->row, "error");

  gtk_widget_set_visible (field->message_row, message != NULL);

  /* A screen reader says what is wrong with the field it is on. */
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (field->editor),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (field->editor), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field->editor),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* The store's messages start with the field's label ("Province: …"); such a
 * message goes under that field, any other above the form. */
static void
show_store_error (DossierRegistryForm *self,
                  const GError        *error,
                  Field               *fallback)
{
  Field *best = NULL;
  gsize best_len = 0;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *label = _(field->column->label);
      gsize len = strlen (label);

      if (len > best_len && g_str_has_prefix (error->message, label) &&
          g_str_has_prefix (error->message + len, ": "))
        {
          best = field;
          best_len = len;
        }
    }

  if (best == NULL && fallback != NULL && error->domain == DOSSIER_STORE_ERROR &&
      (error->code == DOSSIER_STORE_ERROR_INVALID || error->code == DOSSIER_STORE_ERROR_CONSTRAINT))
    best = fallback;

  if (best != NULL)
    field_set_error (best, error->message);
  else
    set_general_error (self, error->message);
}

/* Values ------------------------------------------------------------------------ */

static char *
field_get_text (Field *field)
{
  switch (field->kind)
    {
    case EDITOR_ENTRY:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->editor)));

    case EDITOR_TEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->editor));
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      }

    case EDITOR_SWITCH:
      return g_strdup (gtk_switch_get_active (GTK_SWITCH (field->editor)) ? "1" : "0");

    case EDITOR_COMBO:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->editor));

        if (selected == GTK_INVALID_LIST_POSITION || selected >= field->values->len)
          return NULL;
        return g_strdup (g_ptr_array_index (field->values, selected));
      }

    default:
      g_assert_not_reached ();
    }
}

/* What goes to the store for what the field shows.  An empty text is stored as
 * an empty string, except in a unique column (a filing number), where it means
 * "none yet". */
static char *
field_get_value (Field *field)
{
  g_autofree char *text = field_get_text (field);

  if (text != NULL && *text == '\0' &&
      (field->column->kind != DOSSIER_COLUMN_TEXT || (field->column->flags & DOSSIER_COLUMN_UNIQUE)))
    return NULL;

  return g_steal_pointer (&text);
}

static void
field_set_text (Field      *field,
                const char *value)
{
  switch (field->kind)
    {
    case EDITOR_ENTRY:
      gtk_editable_set_text (GTK_EDITABLE (field->editor), value != NULL ? value : "");
      break;

    case EDITOR_TEXT:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->editor)),
                                value != NULL ? value : "", -1);
      break;

    case EDITOR_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (field->editor), g_strcmp0 (value, "1") == 0);
      break;

    case EDITOR_COMBO:
      {
        guint position = GTK_INVALID_LIST_POSITION;

        for (guint i = 0; i < field->values->len; i++)
          if (g_strcmp0 (g_ptr_array_index (field->values, i), value) == 0)
            position = i;
        adw_combo_row_set_selected (ADW_COMBO_ROW (field->editor), position);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* The same check the store makes first, so that a wrong value is caught as it
 * is entered.  A defaulted field may stay empty in a new record. */
static gboolean
field_check (Field       *field,
             const char  *value,
             GError     **error)
{
  DossierRegistryForm *self = field->form;
  g_autofree char *normalized = NULL;

  if (self->record_id == 0 && (value == NULL || *value == '\0') &&
      (field->column->flags & DOSSIER_COLUMN_DEFAULTED))
    return TRUE;

  return dossier_schema_check_value (self->schema, field->column, value, &normalized, error);
}

static gboolean
field_validate (Field *field)
{
  g_autofree char *value = field_get_value (field);
  g_autoptr(GError) error = NULL;

  if (!field_check (field, value, &error))
    {
      field_set_error (field, error->message);
      return FALSE;
    }

  field_set_error (field, NULL);
  return TRUE;
}

/* Committing an existing record ----------------------------------------------------- */

static void
field_revert (Field *field)
{
  DossierRegistryForm *self = field->form;
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  field_set_text (field, g_hash_table_lookup (self->row, field->column->name));
  self->loading = was_loading;
}

static gboolean
reload_row (DossierRegistryForm  *self,
            GError              **error)
{
  GHashTable *row = dossier_store_get_row (self->store, self->table, self->record_id, error);

  if (row == NULL)
    return FALSE;

  g_clear_pointer (&self->row, g_hash_table_unref);
  self->row = row;
  return TRUE;
}

/* A value committed when the field was left is saved: its apply button,
 * still shown, would say otherwise.  Switching the button off hides it. */
static void
field_saved (Field *field)
{
  if (field->kind == EDITOR_ENTRY && adw_entry_row_get_show_apply_button (ADW_ENTRY_ROW (field->editor)))
    {
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (field->editor), FALSE);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (field->editor), TRUE);
    }
}

static void
field_commit (Field *field)
{
  DossierRegistryForm *self = field->form;
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;
  const char *stored;

  if (self->loading || self->record_id == 0)
    return;

  value = field_get_value (field);
  stored = g_hash_table_lookup (self->row, field->column->name);

  /* Nothing changed: an empty text is the same as a stored empty or none. */
  if (g_strcmp0 (value, stored) == 0 ||
      (field->column->kind == DOSSIER_COLUMN_TEXT && (value == NULL || *value == '\0') &&
       (stored == NULL || *stored == '\0')))
    {
      field_set_error (field, NULL);
      field_saved (field);
      return;
    }

  if (!field_check (field, value, &error))
    {
      field_set_error (field, error->message);
      if (field->kind == EDITOR_SWITCH || field->kind == EDITOR_COMBO)
        field_revert (field);
      return;
    }

  {
    const DossierField fields[] = { { field->column->name, value }, { NULL } };

    if (!dossier_store_update (self->store, self->table, self->record_id, fields, NULL, &error))
      {
        show_store_error (self, error, field);
        /* A drop-down or switch cannot show a refused value; it shows the stored
         * one, and the message says why the other was refused. */
        if (field->kind == EDITOR_SWITCH || field->kind == EDITOR_COMBO)
          field_revert (field);
        return;
      }
  }

  field_set_error (field, NULL);
  field_saved (field);
  set_general_error (self, NULL);

  if (!reload_row (self, &error))
    {
      set_general_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, self->record_id, FALSE);
}

/* Editors ------------------------------------------------------------------------ */

static void
on_entry_changed (GtkEditable *editable,
                  Field       *field)
{
  /* A shown problem goes (or changes) as soon as the text changes. */
  if (!field->form->loading && field->error != NULL)
    field_validate (field);
}

static void
on_entry_apply (AdwEntryRow *row,
                Field       *field)
{
  if (field->form->record_id == 0)
    field_validate (field);
  else
    field_commit (field);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                Field                   *field)
{
  DossierRegistryForm *self = field->form;

  if (self->loading || !gtk_widget_get_mapped (field->row))
    return;

  if (self->record_id == 0)
    field_validate (field);
  else
    field_commit (field);
}

static void
on_switch_active (GtkSwitch  *widget,
                  GParamSpec *pspec,
                  Field      *field)
{
  field_commit (field);
}

static void
on_combo_selected (AdwComboRow *row,
                   GParamSpec  *pspec,
                   Field       *field)
{
  if (field->form->loading)
    return;

  if (field->form->record_id == 0)
    field_validate (field);
  else
    field_commit (field);
}

static void
on_day_selected (GtkCalendar *calendar,
                 Field       *field)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  if (field->form->loading)
    return;

  gtk_editable_set_text (GTK_EDITABLE (field->editor), text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));

  on_entry_apply (ADW_ENTRY_ROW (field->editor), field);
}

static void
on_calendar_shown (GtkPopover *popover,
                   Field      *field)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field->editor));
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *iso = g_strconcat (text, "T00:00:00Z", NULL);

  /* Opens on the date in the field, if it is one. */
  date = g_date_time_new_from_iso8601 (iso, NULL);
  if (date != NULL)
    {
      gboolean was_loading = field->form->loading;

      field->form->loading = TRUE;
      gtk_calendar_select_day (calendar, date);
      field->form->loading = was_loading;
    }
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
add_focus_leave (Field     *field,
                 GtkWidget *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  field_connect (field, focus, "leave", G_CALLBACK (on_focus_leave));
  gtk_widget_add_controller (widget, focus);
}

static GtkWidget *
date_button_new (Field *field)
{
  g_autofree char *accessible = g_strdup_printf (_("Choose %s"), _(field->column->label));
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Choose a Date"));
  gtk_widget_add_css_class (button, "flat");
  set_accessible_label (button, accessible);

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  field_connect (field, calendar, "day-selected", G_CALLBACK (on_day_selected));
  field_connect (field, popover, "show", G_CALLBACK (on_calendar_shown));

  return button;
}

static void
add_option (Field      *field,
            GtkStringList *labels,
            const char *value,
            const char *label)
{
  g_ptr_array_add (field->values, g_strdup (value));
  gtk_string_list_append (labels, label);
}

/* The entries of a drop-down: the schema's choices, provinces by name, classes
 * by name, or the records a reference may point at, by name. */
static gboolean
fill_options (Field          *field,
              GtkStringList  *labels,
              GError        **error)
{
  DossierRegistryForm *self = field->form;
  const DossierColumn *column = field->column;

  if (!(column->flags & DOSSIER_COLUMN_REQUIRED))
    add_option (field, labels, NULL, column->kind == DOSSIER_COLUMN_REFERENCE ? _("None") : _("Not set"));

  if (column->kind == DOSSIER_COLUMN_CHOICE)
    {
      for (const DossierChoice *c = column->choices; c->value != NULL; c++)
        add_option (field, labels, c->value, dossier_schema_choice_label (column, c->value));
    }
  else if (is_province (column))
    {
      guint n;
      const DossierProvince *provinces = dossier_provinces (&n);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *code = g_strconcat (provinces[i].code, "0000", NULL);
          add_option (field, labels, code, _(provinces[i].name_en));
        }
    }
  else if (is_device_class (column))
    {
      add_option (field, labels, "1", _("Class I"));
      add_option (field, labels, "2", _("Class II"));
      add_option (field, labels, "3", _("Class III"));
    }
  else if (column->kind == DOSSIER_COLUMN_REFERENCE)
    {
      g_autoptr(GPtrArray) records = NULL;

      records = dossier_choices_list_records (self->store, column->ref_table, NULL, NULL, 0, 0, NULL, error);
      if (records == NULL)
        return FALSE;

      for (guint i = 0; i < records->len; i++)
        {
          DossierOption *option = g_ptr_array_index (records, i);
          g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, option->id);
          g_autofree char *label = NULL;

          /* Translators: a record in a drop-down that is no longer in use */
          label = option->active ? g_strdup (option->title) : g_strdup_printf (_("%s (inactive)"), option->title);
          add_option (field, labels, value, label);
        }
    }
  else
    g_assert_not_reached ();

  return TRUE;
}

static gboolean
uses_combo (const DossierColumn *column)
{
  return column->kind == DOSSIER_COLUMN_CHOICE || column->kind == DOSSIER_COLUMN_REFERENCE ||
         is_province (column) || is_device_class (column);
}

static Field *
field_new (DossierRegistryForm  *self,
           const DossierColumn  *column,
           GError              **error)
{
  Field *field = g_new0 (Field, 1);
  const char *label = _(column->label);
  gboolean editable = self->record_id == 0 || !(column->flags & DOSSIER_COLUMN_IMMUTABLE);
  GtkWidget *message;

  field->form = self;
  field->column = column;
  field->connected = g_ptr_array_new_with_free_func (g_object_unref);

  if (uses_combo (column))
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

      field->kind = EDITOR_COMBO;
      field->values = g_ptr_array_new_with_free_func (g_free);
      if (!fill_options (field, labels, error))
        {
          field_free (field);
          return NULL;
        }
      field->row = field->editor = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (labels));
      field_connect (field, field->row, "notify::selected", G_CALLBACK (on_combo_selected));
    }
  else if (column->kind == DOSSIER_COLUMN_BOOLEAN)
    {
      field->kind = EDITOR_SWITCH;
      field->row = adw_action_row_new ();
      field->editor = gtk_switch_new ();
      gtk_widget_set_valign (field->editor, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (field->row), field->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->editor);
      field_connect (field, field->editor, "notify::active", G_CALLBACK (on_switch_active));
    }
  else if (column->kind == DOSSIER_COLUMN_TEXT && column->max > LONG_TEXT)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *title = gtk_label_new (label);

      field->kind = EDITOR_TEXT;
      field->row = gtk_list_box_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (field->row), FALSE);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "caption");
      gtk_widget_add_css_class (title, "dim-label");
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 10);

      field->editor = gtk_text_view_new ();
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (field->editor), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (field->editor), FALSE);
      gtk_widget_set_size_request (field->editor, -1, 60);
      field_connect (field, gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->editor)), "changed",
                     G_CALLBACK (on_entry_changed));
      add_focus_leave (field, field->editor);

      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), field->editor);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (field->row), box);
    }
  else
    {
      field->kind = EDITOR_ENTRY;
      field->row = field->editor = adw_entry_row_new ();
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (field->row), self->record_id != 0);
      if (column->kind == DOSSIER_COLUMN_INTEGER)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (field->row), GTK_INPUT_PURPOSE_DIGITS);
      else if (column->kind == DOSSIER_COLUMN_DECIMAL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (field->row), GTK_INPUT_PURPOSE_NUMBER);
      if (column->kind == DOSSIER_COLUMN_DATE && editable)
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (field->row), date_button_new (field));
      field_connect (field, field->row, "changed", G_CALLBACK (on_entry_changed));
      field_connect (field, field->row, "apply", G_CALLBACK (on_entry_apply));
      field_connect (field, field->row, "entry-activated", G_CALLBACK (on_entry_apply));
      add_focus_leave (field, field->row);
    }

  if (ADW_IS_PREFERENCES_ROW (field->row))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), label);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
    }
  set_accessible_label (field->editor, label);
  if (field->kind == EDITOR_ENTRY)
    set_accessible_label (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (field->editor))), label);

  /* Widget names let tests and accessibility tools find a field by column. */
  gtk_widget_set_name (field->row, column->name);

  if (!editable)
    {
      gtk_widget_set_sensitive (field->row, FALSE);
      gtk_widget_set_tooltip_text (field->row, _("Cannot be changed once recorded"));
    }

  field->message_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (field->message_row), FALSE);
  gtk_widget_set_visible (field->message_row, FALSE);
  message = gtk_label_new (NULL);
  field->message = GTK_LABEL (message);
  gtk_label_set_xalign (field->message, 0);
  gtk_label_set_wrap (field->message, TRUE);
  gtk_label_set_wrap_mode (field->message, PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (message, 12);
  gtk_widget_set_margin_end (message, 12);
  gtk_widget_set_margin_top (message, 6);
  gtk_widget_set_margin_bottom (message, 6);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_add_css_class (message, "caption");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (field->message_row), message);

  return field;
}

/* The value a new record starts with: the SQL default of a defaulted field. */
static char *
default_value (DossierRegistryForm *self,
               const DossierColumn *column)
{
  if (!(column->flags & DOSSIER_COLUMN_DEFAULTED))
    return NULL;

  if (column->kind == DOSSIER_COLUMN_BOOLEAN)
    return g_strdup ("1");
  if (column->kind == DOSSIER_COLUMN_CHOICE)
    return g_strdup (column->choices[0].value);
  /* The threshold is configurable; a new filing starts with the setting. */
  if (g_str_equal (self->table, "filing") && g_str_equal (column->name, "case_threshold"))
    return dossier_store_get_setting (self->store, "filing.default_case_threshold");

  return NULL;
}

/* Building ---------------------------------------------------------------------- */

static void
clear_fields (DossierRegistryForm *self)
{
  GtkWidget *child;

  /* Removing a focused row moves the focus, which must not commit anything. */
  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->fields, 0);
  self->loading = FALSE;
}

static gboolean
build_fields (DossierRegistryForm  *self,
              GError              **error)
{
  clear_fields (self);

  self->loading = TRUE;
  for (const DossierColumn *c = self->schema->columns; c->name != NULL; c++)
    {
      Field *field;
      g_autofree char *initial = NULL;

      if (is_hidden (self, c))
        continue;

      if (!(field = field_new (self, c, error)))
        {
          self->loading = FALSE;
          clear_fields (self);
          return FALSE;
        }
      g_ptr_array_add (self->fields, field);
      gtk_list_box_append (self->list, field->row);
      gtk_list_box_append (self->list, field->message_row);

      if (self->record_id != 0)
        field_set_text (field, g_hash_table_lookup (self->row, c->name));
      else
        {
          initial = default_value (self, c);
          field_set_text (field, initial);
        }
    }
  self->loading = FALSE;

  return TRUE;
}

static void
update_buttons (DossierRegistryForm *self)
{
  gtk_button_set_label (self->add_button, self->add_label != NULL ? self->add_label : _("_Add"));
  gtk_button_set_label (self->delete_button, self->delete_label != NULL ? self->delete_label : _("_Delete…"));
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), self->record_id == 0);
  /* The manufacturer profile is one record that stays. */
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button),
                          self->record_id != 0 && !g_str_equal (self->table, "manufacturer"));
}

/* Actions ---------------------------------------------------------------------- */

static void
on_add_clicked (DossierRegistryForm *self)
{
  dossier_registry_form_add (self);
}

static void
on_delete_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    DossierRegistryForm *self)
{
  if (g_str_equal (response, "delete"))
    dossier_registry_form_delete (self, NULL);
}

static void
on_delete_clicked (DossierRegistryForm *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(DossierOption) record = dossier_choices_get_record (self->store, self->table, self->record_id, NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("“%s” is removed from the registers; the audit trail keeps its history. "
                            "A record that other records refer to cannot be deleted."),
                          record != NULL ? record->title : "");
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete the Record?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject --------------------------------------------------------------------- */

static void
dossier_registry_form_constructed (GObject *object)
{
  DossierRegistryForm *self = (DossierRegistryForm *)object;
  g_autofree char *accessible = NULL;

  G_OBJECT_CLASS (dossier_registry_form_parent_class)->constructed (object);

  self->schema = dossier_schema_lookup_table (self->table);
  g_assert (self->schema != NULL);

  accessible = g_strdup_printf (_("%s details"), dossier_schema_table_label (self->table));
  set_accessible_label (GTK_WIDGET (self->list), accessible);
  update_buttons (self);
}

static void
dossier_registry_form_dispose (GObject *object)
{
  DossierRegistryForm *self = (DossierRegistryForm *)object;

  /* Rows go first so that no handler sees a freed field. */
  self->loading = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_REGISTRY_FORM);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_registry_form_parent_class)->dispose (object);
}

static void
dossier_registry_form_finalize (GObject *object)
{
  DossierRegistryForm *self = (DossierRegistryForm *)object;

  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->row, g_hash_table_unref);
  g_clear_pointer (&self->fixed, g_hash_table_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->add_label, g_free);
  g_clear_pointer (&self->delete_label, g_free);

  G_OBJECT_CLASS (dossier_registry_form_parent_class)->finalize (object);
}

static void
dossier_registry_form_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DossierRegistryForm *self = DOSSIER_REGISTRY_FORM (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_TABLE:
      g_value_set_string (value, self->table);
      break;

    case PROP_RECORD_ID:
      g_value_set_int64 (value, self->record_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_registry_form_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DossierRegistryForm *self = DOSSIER_REGISTRY_FORM (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_TABLE:
      self->table = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_registry_form_class_init (DossierRegistryFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_registry_form_constructed;
  object_class->dispose = dossier_registry_form_dispose;
  object_class->finalize = dossier_registry_form_finalize;
  object_class->get_property = dossier_registry_form_get_property;
  object_class->set_property = dossier_registry_form_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TABLE] =
    g_param_spec_string ("table", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD_ID] =
    g_param_spec_int64 ("record-id", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierRegistryForm::saved:
   * @id: the record's id
   * @added: whether the record was just added
   *
   * Emitted after a new record was added or a change committed.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  /**
   * DossierRegistryForm::deleted:
   * @id: the id the record had
   */
  signals[DELETED] =
    g_signal_new ("deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-registry-form.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryForm, box);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryForm, list);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryForm, add_button);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryForm, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dossier_registry_form_init (DossierRegistryForm *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify)field_free);
  self->fixed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->row = g_hash_table_new (g_str_hash, g_str_equal);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public ---------------------------------------------------------------------- */

GtkWidget *
dossier_registry_form_new (DossierStore *store,
                           const char   *table)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (dossier_schema_lookup_table (table) != NULL, NULL);

  return g_object_new (DOSSIER_TYPE_REGISTRY_FORM,
                       "store", store,
                       "table", table,
                       NULL);
}

DossierStore *
dossier_registry_form_get_store (DossierRegistryForm *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), NULL);

  return self->store;
}

const char *
dossier_registry_form_get_table (DossierRegistryForm *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), NULL);

  return self->table;
}

gint64
dossier_registry_form_get_record_id (DossierRegistryForm *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), 0);

  return self->record_id;
}

void
dossier_registry_form_set_fixed (DossierRegistryForm *self,
                                 const char          *column,
                                 const char          *value)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_FORM (self));
  g_return_if_fail (dossier_schema_lookup_column (self->schema, column) != NULL);

  if (value != NULL)
    g_hash_table_insert (self->fixed, g_strdup (column), g_strdup (value));
  else
    g_hash_table_remove (self->fixed, column);
}

void
dossier_registry_form_set_button_labels (DossierRegistryForm *self,
                                         const char          *add_label,
                                         const char          *delete_label)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_FORM (self));

  g_free (self->add_label);
  self->add_label = g_strdup (add_label);
  g_free (self->delete_label);
  self->delete_label = g_strdup (delete_label);
  update_buttons (self);
}

void
dossier_registry_form_set_extra (DossierRegistryForm *self,
                                 GtkWidget           *extra)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_FORM (self));
  g_return_if_fail (extra == NULL || GTK_IS_WIDGET (extra));

  if (self->extra != NULL)
    gtk_box_remove (GTK_BOX (self->box), self->extra);
  self->extra = extra;
  if (extra != NULL)
    gtk_box_insert_child_after (GTK_BOX (self->box), extra, GTK_WIDGET (self->list));
}

gboolean
dossier_registry_form_load (DossierRegistryForm  *self,
                            gint64                id,
                            GError              **error)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), FALSE);
  g_return_val_if_fail (id >= 0, FALSE);

  g_clear_pointer (&self->row, g_hash_table_unref);
  if (id > 0)
    {
      self->row = dossier_store_get_row (self->store, self->table, id, error);
      if (self->row == NULL)
        {
          self->row = g_hash_table_new (g_str_hash, g_str_equal);
          return FALSE;
        }
    }
  else
    self->row = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->record_id != id)
    {
      self->record_id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
    }

  set_general_error (self, NULL);
  update_buttons (self);

  return build_fields (self, error);
}

void
dossier_registry_form_set_value (DossierRegistryForm *self,
                                 const char          *column,
                                 const char          *value)
{
  Field *field;

  g_return_if_fail (DOSSIER_IS_REGISTRY_FORM (self));
  g_return_if_fail (column != NULL);

  field = lookup_field (self, column);
  g_return_if_fail (field != NULL);

  field_set_text (field, value);
}

gboolean
dossier_registry_form_apply (DossierRegistryForm *self,
                             const char          *column)
{
  Field *field;

  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  field = lookup_field (self, column);
  g_return_val_if_fail (field != NULL, FALSE);

  if (self->record_id == 0)
    return field_validate (field);

  field_commit (field);
  return field->error == NULL && self->error == NULL;
}

gint64
dossier_registry_form_add (DossierRegistryForm *self)
{
  g_autoptr(GArray) fields = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  Field *first_invalid = NULL;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), 0);
  g_return_val_if_fail (self->record_id == 0, 0);

  set_general_error (self, NULL);

  /* Every problem at once, so that nobody fixes them one Add at a time. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (!field_validate (field) && first_invalid == NULL)
        first_invalid = field;
    }
  if (first_invalid != NULL)
    {
      gtk_widget_grab_focus (first_invalid->editor);
      return 0;
    }

  fields = g_array_new (TRUE, TRUE, sizeof (DossierField));
  values = g_ptr_array_new_with_free_func (g_free);

  g_hash_table_iter_init (&iter, self->fixed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DossierField f = { key, value };
      g_array_append_val (fields, f);
    }

  /* Empty fields are left out: their SQL default applies. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      char *text = field_get_value (field);

      if (text == NULL || *text == '\0')
        {
          g_free (text);
          continue;
        }

      g_ptr_array_add (values, text);
      g_array_append_val (fields, ((DossierField) { field->column->name, text }));
    }

  id = dossier_store_insert (self->store, self->table, (const DossierField *)(gpointer)fields->data, &error);
  if (id == 0)
    {
      show_store_error (self, error, NULL);
      return 0;
    }

  if (!dossier_registry_form_load (self, id, &error))
    set_general_error (self, error->message);

  g_signal_emit (self, signals[SAVED], 0, id, TRUE);

  return id;
}

gboolean
dossier_registry_form_delete (DossierRegistryForm  *self,
                              GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), FALSE);
  g_return_val_if_fail (self->record_id > 0, FALSE);

  id = self->record_id;
  if (!dossier_store_delete (self->store, self->table, id, NULL, &local_error))
    {
      set_general_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  set_general_error (self, NULL);
  g_signal_emit (self, signals[DELETED], 0, id);

  return TRUE;
}

GtkWidget *
dossier_registry_form_get_field_widget (DossierRegistryForm *self,
                                        const char          *column)
{
  Field *field;

  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), NULL);

  field = lookup_field (self, column);
  return field != NULL ? field->editor : NULL;
}

const char *
dossier_registry_form_get_field_error (DossierRegistryForm *self,
                                       const char          *column)
{
  Field *field;

  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), NULL);

  field = lookup_field (self, column);
  return field != NULL ? field->error : NULL;
}

const char *
dossier_registry_form_get_error (DossierRegistryForm *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), NULL);

  return self->error;
}

const char *
dossier_registry_form_get_first_field_error (DossierRegistryForm *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_FORM (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->error != NULL)
        return field->error;
    }

  return NULL;
}
