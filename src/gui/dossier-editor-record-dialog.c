/* dossier-editor-record-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-record-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dossier-editor-dialogs.h"
#include "dossier-editor-record-dialog.h"

struct _DossierEditorRecordDialog
{
  AdwWindow              parent_instance;

  DossierEditorSession  *session;
  GPtrArray             *fields;   /* DossierEditorField */
  GHashTable            *inactive; /* DossierEditorField → itself */
  GtkWidget             *group;    /* the GtkListBox of the current group */
  char                  *table;
  GArray                *fixed;    /* DossierField with owned strings */

  DossierEditorSaveFunc  save_func;
  gpointer               save_data;
  GDestroyNotify         save_destroy;

  guint                  fit_source;

  AdwWindowTitle        *window_title;
  GtkWidget             *accept_button;
  GtkWidget             *content;
  GtkLabel              *error_label;
};

G_DEFINE_FINAL_TYPE (DossierEditorRecordDialog, dossier_editor_record_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_fixed (DossierField *field)
{
  g_free ((char *)field->column);
  g_free ((char *)field->value);
}

static gboolean
is_active (DossierEditorRecordDialog *self,
           DossierEditorField        *field)
{
  return !g_hash_table_contains (self->inactive, field);
}

static void
show_error (DossierEditorRecordDialog *self,
            const char                *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* The store's messages start with the field's label ("Order date: …"); the field
 * they name is marked, so that the person sees where to look. */
static DossierEditorField *
field_named_by (DossierEditorRecordDialog *self,
                const char                *message)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      DossierEditorField *field = g_ptr_array_index (self->fields, i);
      const char *label = _(dossier_editor_field_get_schema (field)->label);
      gsize n = strlen (label);

      if (is_active (self, field) && strncmp (message, label, n) == 0 && message[n] == ':')
        return field;
    }

  return NULL;
}

static gint64
default_save (DossierEditorRecordDialog  *self,
              const char                 *reason,
              gpointer                    user_data,
              GError                    **error)
{
  g_autoptr(GArray) fields = g_array_new (TRUE, TRUE, sizeof (DossierField));
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  g_assert (self->table != NULL);

  for (guint i = 0; self->fixed != NULL && i < self->fixed->len; i++)
    g_array_append_val (fields, g_array_index (self->fixed, DossierField, i));

  for (guint i = 0; i < self->fields->len; i++)
    {
      DossierEditorField *field = g_ptr_array_index (self->fields, i);
      DossierField f;
      char *value;

      if (!is_active (self, field) || g_strcmp0 (dossier_editor_field_get_table (field), self->table) != 0)
        continue;

      value = dossier_editor_field_get_value (field);
      g_ptr_array_add (values, value);
      /* Left empty, the column gets its default (or stays empty). */
      if (*value == '\0')
        continue;

      f.column = dossier_editor_field_get_column (field);
      f.value = value;
      g_array_append_val (fields, f);
    }

  return dossier_editor_session_insert (self->session, self->table,
                                        (const DossierField *)(gpointer)fields->data, reason, error);
}

static gint64 save_with_reason (DossierEditorRecordDialog *self,
                                const char                *reason);

static void
on_reason (const char *reason,
           gpointer    user_data)
{
  DossierEditorRecordDialog *self = user_data;

  if (reason == NULL)
    {
      show_error (self, _("Not added: changing signed content needs a reason."));
      return;
    }

  save_with_reason (self, reason);
}

static gint64
save_with_reason (DossierEditorRecordDialog *self,
                  const char                *reason)
{
  g_autoptr(GError) error = NULL;
  DossierEditorField *named;
  gint64 id;

  if (self->save_func != NULL)
    id = self->save_func (self, reason, self->save_data, &error);
  else
    id = default_save (self, reason, NULL, &error);

  if (id > 0)
    {
      g_signal_emit (self, signals[SAVED], 0, id);
      gtk_window_close (GTK_WINDOW (self));
      return id;
    }

  if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED) && reason == NULL)
    {
      dossier_editor_ask_reason (GTK_WIDGET (self), error->message, on_reason,
                                 g_object_ref (self), g_object_unref);
      return 0;
    }

  named = field_named_by (self, error->message);
  if (named != NULL)
    {
      dossier_editor_field_set_error (named, error->message);
      gtk_widget_grab_focus (dossier_editor_field_get_widget (named));
      show_error (self, NULL);
    }
  else
    show_error (self, error->message);

  return 0;
}

gint64
dossier_editor_record_dialog_save (DossierEditorRecordDialog *self)
{
  DossierEditorField *first_invalid = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self), 0);

  show_error (self, NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      DossierEditorField *field = g_ptr_array_index (self->fields, i);

      if (is_active (self, field) && !dossier_editor_field_check (field) && first_invalid == NULL)
        first_invalid = field;
    }

  if (first_invalid != NULL)
    {
      gtk_widget_grab_focus (dossier_editor_field_get_widget (first_invalid));
      return 0;
    }

  return save_with_reason (self, NULL);
}

static void
on_accept_clicked (DossierEditorRecordDialog *self)
{
  dossier_editor_record_dialog_save (self);
}

/* Text views learn their height only once their text is laid out, after the
 * window took its size; the window then grows to show every field (up to a
 * height that still fits small screens, beyond which it scrolls). */
static gboolean
fit_content (gpointer user_data)
{
  DossierEditorRecordDialog *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int natural = 0;

  self->fit_source = 0;
  if (width <= 0)
    return G_SOURCE_REMOVE;

  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  if (natural > gtk_widget_get_height (GTK_WIDGET (self)))
    gtk_window_set_default_size (GTK_WINDOW (self), width, MIN (natural, 720));

  return G_SOURCE_REMOVE;
}

static void
dossier_editor_record_dialog_map (GtkWidget *widget)
{
  DossierEditorRecordDialog *self = DOSSIER_EDITOR_RECORD_DIALOG (widget);

  GTK_WIDGET_CLASS (dossier_editor_record_dialog_parent_class)->map (widget);

  if (self->fit_source == 0)
    self->fit_source = g_timeout_add (100, fit_content, self);
}

static void
dossier_editor_record_dialog_dispose (GObject *object)
{
  DossierEditorRecordDialog *self = (DossierEditorRecordDialog *)object;

  if (self->save_destroy != NULL)
    g_clear_pointer (&self->save_data, self->save_destroy);
  self->save_destroy = NULL;
  g_clear_handle_id (&self->fit_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_EDITOR_RECORD_DIALOG);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->inactive, g_hash_table_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dossier_editor_record_dialog_parent_class)->dispose (object);
}

static void
dossier_editor_record_dialog_finalize (GObject *object)
{
  DossierEditorRecordDialog *self = (DossierEditorRecordDialog *)object;

  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->fixed, g_array_unref);

  G_OBJECT_CLASS (dossier_editor_record_dialog_parent_class)->finalize (object);
}

static void
dossier_editor_record_dialog_class_init (DossierEditorRecordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_editor_record_dialog_dispose;
  object_class->finalize = dossier_editor_record_dialog_finalize;
  widget_class->map = dossier_editor_record_dialog_map;

  /**
   * DossierEditorRecordDialog::saved:
   * @id: the new record
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-record-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorRecordDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorRecordDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorRecordDialog, content);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorRecordDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_accept_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_editor_record_dialog_init (DossierEditorRecordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
  self->inactive = g_hash_table_new (NULL, NULL);
}

DossierEditorRecordDialog *
dossier_editor_record_dialog_new (GtkWidget            *parent,
                                  DossierEditorSession *session,
                                  const char           *title,
                                  const char           *accept_label)
{
  DossierEditorRecordDialog *self;
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (session), NULL);
  g_return_val_if_fail (title != NULL && accept_label != NULL, NULL);

  self = g_object_new (DOSSIER_TYPE_EDITOR_RECORD_DIALOG,
                       "title", title,
                       NULL);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));

  self->session = g_object_ref (session);
  adw_window_title_set_title (self->window_title, title);
  gtk_button_set_label (GTK_BUTTON (self->accept_button), accept_label);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->accept_button);

  return self;
}

GtkWidget *
dossier_editor_record_dialog_add_group (DossierEditorRecordDialog *self,
                                        const char                *title,
                                        const char                *description)
{
  GtkWidget *group;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self), NULL);

  group = adw_preferences_group_new ();
  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (GTK_BOX (self->content), group);

  /* A list of our own: the group puts only AdwPreferencesRows in its list, and
   * long texts and messages are plain rows. */
  self->group = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->group), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->group, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->group), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title != NULL ? title : gtk_window_get_title (GTK_WINDOW (self)), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->group);

  return group;
}

DossierEditorField *
dossier_editor_record_dialog_add_field (DossierEditorRecordDialog *self,
                                        const char                *table,
                                        const char                *column,
                                        const char                *value)
{
  DossierEditorField *field;
  GtkWidget *widget;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self), NULL);

  if (self->group == NULL)
    dossier_editor_record_dialog_add_group (self, NULL, NULL);

  field = dossier_editor_field_new (self->session, table, column, 0, value, DOSSIER_EDITOR_FIELD_ROW);
  dossier_editor_field_add_to (field, self->group);
  g_ptr_array_add (self->fields, field);

  /* Enter in any line adds the record. */
  widget = dossier_editor_field_get_widget (field);
  if (ADW_IS_ENTRY_ROW (widget))
    adw_entry_row_set_activates_default (ADW_ENTRY_ROW (widget), TRUE);

  return field;
}

void
dossier_editor_record_dialog_add_widget (DossierEditorRecordDialog *self,
                                         GtkWidget                 *widget)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self));

  if (self->group == NULL)
    dossier_editor_record_dialog_add_group (self, NULL, NULL);

  gtk_list_box_append (GTK_LIST_BOX (self->group), widget);
}

DossierEditorField *
dossier_editor_record_dialog_get_field (DossierEditorRecordDialog *self,
                                        const char                *table,
                                        const char                *column)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      DossierEditorField *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (dossier_editor_field_get_table (field), table) &&
          g_str_equal (dossier_editor_field_get_column (field), column))
        return field;
    }

  return NULL;
}

char *
dossier_editor_record_dialog_get_value (DossierEditorRecordDialog *self,
                                        const char                *table,
                                        const char                *column)
{
  DossierEditorField *field = dossier_editor_record_dialog_get_field (self, table, column);

  return field != NULL ? dossier_editor_field_get_value (field) : g_strdup ("");
}

void
dossier_editor_record_dialog_set_insert (DossierEditorRecordDialog *self,
                                         const char                *table,
                                         const DossierField        *fixed)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self));
  g_return_if_fail (table != NULL);

  g_free (self->table);
  self->table = g_strdup (table);

  g_clear_pointer (&self->fixed, g_array_unref);
  self->fixed = g_array_new (FALSE, TRUE, sizeof (DossierField));
  g_array_set_clear_func (self->fixed, (GDestroyNotify)clear_fixed);

  for (const DossierField *f = fixed; f != NULL && f->column != NULL; f++)
    {
      DossierField copy = { g_strdup (f->column), g_strdup (f->value) };
      g_array_append_val (self->fixed, copy);
    }
}

void
dossier_editor_record_dialog_set_save_func (DossierEditorRecordDialog *self,
                                            DossierEditorSaveFunc      func,
                                            gpointer                   user_data,
                                            GDestroyNotify             destroy)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self));

  if (self->save_destroy != NULL)
    self->save_destroy (self->save_data);

  self->save_func = func;
  self->save_data = user_data;
  self->save_destroy = destroy;
}

void
dossier_editor_record_dialog_set_field_active (DossierEditorRecordDialog *self,
                                               DossierEditorField        *field,
                                               gboolean                   active)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_RECORD_DIALOG (self));
  g_return_if_fail (DOSSIER_IS_EDITOR_FIELD (field));

  if (active)
    g_hash_table_remove (self->inactive, field);
  else
    {
      g_hash_table_add (self->inactive, field);
      dossier_editor_field_set_error (field, NULL);
    }

  gtk_widget_set_visible (dossier_editor_field_get_widget (field), active);
}
