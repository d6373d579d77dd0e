/* dossier-editor-design-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-design-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-check-banner.h"
#include "dossier-confirmation.h"
#include "dossier-editor-design-page.h"
#include "dossier-editor-dialogs.h"
#include "dossier-editor-logic.h"
#include "dossier-editor-record-dialog.h"
#include "dossier-format.h"
#include "dossier-schema.h"

struct _DossierEditorDesignPage
{
  DossierEditorPage  parent_instance;

  GHashTable        *expanders;       /* "table:id" → AdwExpanderRow, until the next reload */
  GHashTable        *new_parameters;  /* iteration id → NewParameter */
  gint64             focus_iteration; /* give its new-parameter line the focus after a reload */

  GtkScrolledWindow *scroller;
  GtkWidget         *check_banner;    /* the check verdict, and the values it marks */
  GtkListBox        *inputs_list;
  GtkListBox        *iterations_list;
  GtkListBox        *confirmations_list;
};

G_DEFINE_FINAL_TYPE (DossierEditorDesignPage, dossier_editor_design_page, DOSSIER_TYPE_EDITOR_PAGE)

/* The line under a parameter table where a new value is typed. */
typedef struct
{
  DossierEditorDesignPage *page;
  gint64                   iteration_id;
  GtkWidget               *name;
  GtkWidget               *value;
  GtkWidget               *unit;
  GtkWidget               *message;
} NewParameter;

static char *
key_of (const char *table,
        gint64      id)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, id);
}

static gint64
id_of (GHashTable *row)
{
  const char *id = g_hash_table_lookup (row, "id");

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static DossierEditorSession *
session_of (DossierEditorDesignPage *self)
{
  return dossier_editor_page_get_session (DOSSIER_EDITOR_PAGE (self));
}

static DossierStore *
store_of (DossierEditorDesignPage *self)
{
  return dossier_editor_session_get_store (session_of (self));
}

static GtkWidget *
expander_for (DossierEditorDesignPage *self,
              const char              *table,
              gint64                   id)
{
  g_autofree char *key = key_of (table, id);
  GtkWidget *row = dossier_editor_page_expander_new (DOSSIER_EDITOR_PAGE (self), table, id);

  g_hash_table_replace (self->expanders, g_steal_pointer (&key), row);
  return row;
}

/* Titles ------------------------------------------------------------------------ */

static void
set_titles (GtkWidget  *expander,
            const char *title,
            const char *subtitle)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title != NULL && *title != '\0' ? title : "—");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle != NULL ? subtitle : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title != NULL ? title : "",
                                  -1);
}

static void
title_input (GtkWidget  *expander,
             GHashTable *row)
{
  set_titles (expander, g_hash_table_lookup (row, "title"), g_hash_table_lookup (row, "source"));
}

static void
title_iteration (GtkWidget  *expander,
                 GHashTable *row)
{
  g_autofree char *title = dossier_format_iteration_title (row);
  g_autofree char *subtitle = dossier_format_iteration_subtitle (row);

  set_titles (expander, title, subtitle);
}

static void
title_confirmation (DossierEditorDesignPage *self,
                    GtkWidget               *expander,
                    GHashTable              *row)
{
  DossierEditorSession *session = session_of (self);
  const char *iteration = g_hash_table_lookup (row, "iteration_id");
  const char *clinician = g_hash_table_lookup (row, "clinician_id");
  g_autofree char *version = dossier_editor_session_reference_label (session, "design_iteration",
                                                                     iteration != NULL ? g_ascii_strtoll (iteration, NULL, 10) : 0);
  g_autofree char *name = dossier_editor_session_reference_label (session, "clinician",
                                                                  clinician != NULL ? g_ascii_strtoll (clinician, NULL, 10) : 0);
  const char *on = g_hash_table_lookup (row, "confirmed_on");
  const char *document = g_hash_table_lookup (row, "document_no");
  /* Translators: a confirmation: the design version and the date, e.g. "Version 2 · 2026-03-05". */
  g_autofree char *title = g_strdup_printf (_("%s · %s"), version, on != NULL ? on : "?");
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), name, document != NULL ? document : "?");

  set_titles (expander, title, subtitle);
}

/* Design inputs ------------------------------------------------------------------- */

static void
on_remove_input (GtkWidget *button)
{
  DossierEditorDesignPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  g_autoptr(GHashTable) row = dossier_store_get_row (store_of (self), "design_input", id, NULL);
  const char *title = row != NULL ? g_hash_table_lookup (row, "title") : NULL;
  g_autofree char *name = g_strdup_printf (_("Design input “%s”"), title != NULL ? title : "?");

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "design_input", id, name);
}

static GtkWidget *
remove_row_new (DossierEditorDesignPage *self,
                const char              *label,
                gint64                   id,
                GCallback                callback)
{
  GtkWidget *row = dossier_editor_page_button_row_new (label, "user-trash-symbolic", TRUE, callback, NULL);
  GtkWidget *button = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  /* The button carries what it removes. */
  g_object_set_data (G_OBJECT (button), "page", self);
  g_object_set_data (G_OBJECT (button), "id", GSIZE_TO_POINTER (id));

  return row;
}

static void
fill_inputs (DossierEditorDesignPage *self,
             GPtrArray               *inputs)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);

  if (inputs->len == 0)
    {
      gtk_list_box_append (self->inputs_list, dossier_editor_page_placeholder_new (_("No design inputs recorded yet")));
      return;
    }

  for (guint i = 0; i < inputs->len; i++)
    {
      GHashTable *row = g_ptr_array_index (inputs, i);
      gint64 id = id_of (row);
      GtkWidget *expander = expander_for (self, "design_input", id);

      title_input (expander, row);
      dossier_editor_page_add_field (page, expander, "design_input", "title", id, row);
      dossier_editor_page_add_field (page, expander, "design_input", "description", id, row);
      dossier_editor_page_add_field (page, expander, "design_input", "source", id, row);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                remove_row_new (self, _("_Remove Input"), id, G_CALLBACK (on_remove_input)));
      gtk_list_box_append (self->inputs_list, expander);
    }
}

GtkWidget *
dossier_editor_design_page_add_input (DossierEditorDesignPage *self)
{
  DossierEditorRecordDialog *dialog;
  g_autofree char *dossier = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DESIGN_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dossier = id_text (dossier_editor_session_get_dossier_id (session_of (self)));
  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self),
                                             _("New Design Input"), _("_Add"));
  dossier_editor_record_dialog_add_field (dialog, "design_input", "title", NULL);
  dossier_editor_record_dialog_add_field (dialog, "design_input", "description", NULL);
  dossier_editor_record_dialog_add_field (dialog, "design_input", "source", NULL);
  dossier_editor_record_dialog_set_insert (dialog, "design_input", (DossierField[]) {
    { "dossier_id", dossier },
    { NULL }
  });

  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_input (DossierEditorDesignPage *self)
{
  dossier_editor_design_page_add_input (self);
}

/* Parameter values ----------------------------------------------------------------- */

static gboolean
commit_parameter_value (DossierEditorField  *field,
                        const char          *value,
                        const char          *reason,
                        gpointer             user_data,
                        GError             **error)
{
  DossierEditorDesignPage *self = user_data;
  gint64 id = dossier_editor_field_get_id (field);
  gboolean number = dossier_editor_parameter_is_number (value);
  g_autoptr(GHashTable) row = NULL;

  /* A parameter has a value or a category, never neither (the schema's rule,
   * said here in words). */
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("%s: enter a number, or the category of a categorical parameter"),
                   dossier_schema_column_label ("parameter_value", "value"));
      return FALSE;
    }

  {
    const DossierField fields[] = {
      { "value", number ? value : NULL },
      { "category", number ? NULL : value },
      { NULL }
    };

    if (!dossier_editor_session_update (session_of (self), "parameter_value", id, fields, reason, error))
      return FALSE;
  }

  row = dossier_store_get_row (store_of (self), "parameter_value", id, NULL);
  dossier_editor_field_set_value (field, row != NULL ? dossier_editor_parameter_shown (row) : value);
  return TRUE;
}

static GtkWidget *
compact_field (DossierEditorDesignPage *self,
               const char              *column,
               gint64                   id,
               const char              *value,
               const char              *parameter_name)
{
  DossierEditorField *field = dossier_editor_field_new (session_of (self), "parameter_value", column, id, value,
                                                        DOSSIER_EDITOR_FIELD_COMPACT);
  GtkWidget *widget = dossier_editor_field_get_widget (field);
  g_autofree char *accessible = NULL;

  dossier_editor_page_keep_field (DOSSIER_EDITOR_PAGE (self), field);

  /* Translators: the accessible name of a cell of the parameter table, e.g.
   * "Value of cup_outer_diameter". */
  accessible = g_strdup_printf (_("%s of %s"), dossier_schema_column_label ("parameter_value", column),
                                parameter_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (widget))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  if (g_str_equal (column, "value"))
    dossier_editor_field_set_commit_func (field, commit_parameter_value, self);
  if (g_str_equal (column, "unit"))
    {
      gtk_editable_set_width_chars (GTK_EDITABLE (widget), 6);
      gtk_widget_set_hexpand (widget, FALSE);
    }

  g_object_set_data (G_OBJECT (widget), "field", field);
  return widget;
}

static void
on_remove_parameter (GtkWidget *button)
{
  DossierEditorDesignPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  g_autoptr(GError) error = NULL;

  /* One value is quick to type again, and undo brings it back: no question. */
  if (!dossier_editor_session_delete (session_of (self), "parameter_value", id, NULL, &error))
    {
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED))
        {
          g_autoptr(GHashTable) row = dossier_store_get_row (store_of (self), "parameter_value", id, NULL);
          const char *name = row != NULL ? g_hash_table_lookup (row, "name") : NULL;
          g_autofree char *what = g_strdup_printf (_("Parameter value “%s”"), name != NULL ? name : "?");

          dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "parameter_value", id, what);
          return;
        }
      dossier_editor_page_report (DOSSIER_EDITOR_PAGE (self), error);
      return;
    }

  dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (self));
}

static GtkWidget *
header_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
show_new_parameter_error (NewParameter *line,
                          const char   *message)
{
  gtk_label_set_label (GTK_LABEL (line->message), message != NULL ? message : "");
  gtk_widget_set_visible (line->message, message != NULL);
}

gboolean
dossier_editor_design_page_add_parameter (DossierEditorDesignPage *self,
                                          gint64                   iteration_id,
                                          const char              *name,
                                          const char              *value,
                                          const char              *unit)
{
  NewParameter *line;
  g_autoptr(GError) error = NULL;
  g_autofree char *iteration = NULL;
  gboolean number;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DESIGN_PAGE (self), FALSE);

  line = g_hash_table_lookup (self->new_parameters, &iteration_id);
  iteration = id_text (iteration_id);
  number = dossier_editor_parameter_is_number (value);

  if (value == NULL || *value == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("%s: enter a number, or the category of a categorical parameter"),
                                                  dossier_schema_column_label ("parameter_value", "value"));
      if (line != NULL)
        {
          show_new_parameter_error (line, message);
          gtk_widget_add_css_class (line->value, "error");
        }
      return FALSE;
    }

  id = dossier_editor_session_insert (session_of (self), "parameter_value", (DossierField[]) {
    { "iteration_id", iteration },
    { "name", name },
    { number ? "value" : "category", value },
    { "unit", unit != NULL ? unit : "" },
    { NULL }
  }, NULL, &error);

  if (id <= 0)
    {
      if (line != NULL)
        {
          show_new_parameter_error (line, error->message);
          gtk_widget_add_css_class (g_str_has_prefix (error->message, dossier_schema_column_label ("parameter_value", "unit"))
                                    ? line->unit : g_str_has_prefix (error->message, dossier_schema_column_label ("parameter_value", "name"))
                                    ? line->name : line->value, "error");
        }
      else
        dossier_editor_page_report (DOSSIER_EDITOR_PAGE (self), error);
      return FALSE;
    }

  /* Values are typed one after another: the line is ready for the next. */
  self->focus_iteration = iteration_id;
  dossier_editor_page_set_expanded (DOSSIER_EDITOR_PAGE (self), "design_iteration", iteration_id, TRUE);
  dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (self));
  return TRUE;
}

static void
on_new_parameter_activate (NewParameter *line)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (line->name))));
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (line->value))));
  const char *unit = gtk_editable_get_text (GTK_EDITABLE (line->unit));

  gtk_widget_remove_css_class (line->name, "error");
  gtk_widget_remove_css_class (line->value, "error");
  gtk_widget_remove_css_class (line->unit, "error");
  show_new_parameter_error (line, NULL);

  if (*name == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("%s: is required"), dossier_schema_column_label ("parameter_value", "name"));

      show_new_parameter_error (line, message);
      gtk_widget_add_css_class (line->name, "error");
      gtk_widget_grab_focus (line->name);
      return;
    }

  dossier_editor_design_page_add_parameter (line->page, line->iteration_id, name, value, unit);
}

static GtkWidget *
new_parameter_entry (NewParameter *line,
                     const char   *placeholder,
                     const char   *accessible)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (on_new_parameter_activate), line);
  return entry;
}

static GtkWidget *
parameter_table_new (DossierEditorDesignPage *self,
                     gint64                   iteration_id,
                     GPtrArray               *parameters)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title = gtk_label_new (_("Parameter Values"));
  GtkWidget *add;
  NewParameter *line;
  int y = 0;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "parameter-table");
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 12);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Parameter values"), -1);

  gtk_grid_attach (GTK_GRID (grid), header_label (dossier_schema_column_label ("parameter_value", "name")), 0, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), header_label (_("Value or category")), 1, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), header_label (dossier_schema_column_label ("parameter_value", "unit")), 2, y, 1, 1);
  y++;

  for (guint i = 0; i < parameters->len; i++)
    {
      GHashTable *parameter = g_ptr_array_index (parameters, i);
      gint64 id = id_of (parameter);
      const char *name = g_hash_table_lookup (parameter, "name");
      GtkWidget *name_entry = compact_field (self, "name", id, name, name);
      GtkWidget *value_entry = compact_field (self, "value", id, dossier_editor_parameter_shown (parameter), name);
      GtkWidget *unit_entry = compact_field (self, "unit", id, g_hash_table_lookup (parameter, "unit"), name);
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      GtkWidget *messages = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *remove_label = g_strdup_printf (_("Remove parameter %s"), name);

      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Parameter"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
      g_object_set_data (G_OBJECT (remove), "page", self);
      g_object_set_data (G_OBJECT (remove), "id", GSIZE_TO_POINTER (id));
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_parameter), NULL);

      gtk_grid_attach (GTK_GRID (grid), name_entry, 0, y, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value_entry, 1, y, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), unit_entry, 2, y, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), remove, 3, y, 1, 1);
      y++;

      /* The messages of the three cells, under them, across the table; they must
       * not make the unit column grow. */
      gtk_widget_set_hexpand (messages, FALSE);
      gtk_box_append (GTK_BOX (messages),
                      dossier_editor_field_get_message_label (g_object_get_data (G_OBJECT (name_entry), "field")));
      gtk_box_append (GTK_BOX (messages),
                      dossier_editor_field_get_message_label (g_object_get_data (G_OBJECT (value_entry), "field")));
      gtk_box_append (GTK_BOX (messages),
                      dossier_editor_field_get_message_label (g_object_get_data (G_OBJECT (unit_entry), "field")));
      gtk_grid_attach (GTK_GRID (grid), messages, 0, y, 4, 1);
      y++;
    }

  line = g_new0 (NewParameter, 1);
  line->page = self;
  line->iteration_id = iteration_id;
  line->name = new_parameter_entry (line, _("New parameter"), _("New parameter name"));
  line->value = new_parameter_entry (line, _("Value"), _("New parameter value or category"));
  line->unit = new_parameter_entry (line, dossier_schema_column_label ("parameter_value", "unit"), _("New parameter unit"));
  line->message = gtk_label_new (NULL);
  gtk_widget_set_hexpand (line->name, TRUE);
  gtk_widget_set_hexpand (line->value, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (line->unit), 6);
  gtk_label_set_xalign (GTK_LABEL (line->message), 0);
  gtk_label_set_wrap (GTK_LABEL (line->message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (line->message), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (line->message, "error");
  gtk_widget_set_visible (line->message, FALSE);
  g_hash_table_replace (self->new_parameters, g_memdup2 (&iteration_id, sizeof iteration_id), line);

  add = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_tooltip_text (add, _("Add Parameter"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add parameter"), -1);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_new_parameter_activate), line);

  gtk_grid_attach (GTK_GRID (grid), line->name, 0, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), line->value, 1, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), line->unit, 2, y, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), add, 3, y, 1, 1);
  y++;
  gtk_grid_attach (GTK_GRID (grid), line->message, 0, y, 4, 1);

  gtk_box_append (GTK_BOX (box), grid);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

/* Design iterations -------------------------------------------------------------------- */

static void
on_remove_iteration (GtkWidget *button)
{
  DossierEditorDesignPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  g_autoptr(GHashTable) row = dossier_store_get_row (store_of (self), "design_iteration", id, NULL);
  g_autofree char *title = row != NULL ? dossier_format_iteration_title (row) : g_strdup ("?");
  g_autofree char *name = g_strdup_printf (_("Design iteration “%s”"), title);

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "design_iteration", id, name);
}

static void
fill_iterations (DossierEditorDesignPage *self,
                 GPtrArray               *iterations)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  static const char * const columns[] = { "designed_on", "designer", "software", "software_version", "notes" };

  if (iterations->len == 0)
    {
      gtk_list_box_append (self->iterations_list,
                           dossier_editor_page_placeholder_new (_("No design iterations recorded yet")));
      return;
    }

  /* Newest first: the latest version is the one worked on. */
  for (guint i = iterations->len; i > 0; i--)
    {
      GHashTable *row = g_ptr_array_index (iterations, i - 1);
      gint64 id = id_of (row);
      GtkWidget *expander = expander_for (self, "design_iteration", id);
      g_autoptr(GPtrArray) parameters = NULL;
      g_autoptr(GError) error = NULL;

      title_iteration (expander, row);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        dossier_editor_page_add_field (page, expander, "design_iteration", columns[c], id, row);

      parameters = dossier_store_list_rows (store_of (self), "parameter_value", "iteration_id", id, &error);
      if (parameters == NULL)
        {
          dossier_editor_page_report (page, error);
          parameters = g_ptr_array_new ();
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), parameter_table_new (self, id, parameters));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                remove_row_new (self, _("_Remove Iteration"), id, G_CALLBACK (on_remove_iteration)));
      gtk_list_box_append (self->iterations_list, expander);
    }
}

typedef struct
{
  DossierEditorDesignPage *page;
  GtkSwitch               *copy_switch;
  gint64                   copy_from;
} NewIteration;

static void
new_iteration_free (NewIteration *data)
{
  g_object_unref (data->page);
  g_free (data);
}

static gint64
save_iteration (DossierEditorRecordDialog  *dialog,
                const char                 *reason,
                gpointer                    user_data,
                GError                    **error)
{
  NewIteration *data = user_data;
  DossierEditorSession *session = session_of (data->page);
  g_autofree char *dossier = id_text (dossier_editor_session_get_dossier_id (session));
  g_autofree char *version = dossier_editor_record_dialog_get_value (dialog, "design_iteration", "version");
  g_autofree char *designed_on = dossier_editor_record_dialog_get_value (dialog, "design_iteration", "designed_on");
  g_autofree char *designer = dossier_editor_record_dialog_get_value (dialog, "design_iteration", "designer");
  g_autofree char *software = dossier_editor_record_dialog_get_value (dialog, "design_iteration", "software");
  g_autofree char *software_version = dossier_editor_record_dialog_get_value (dialog, "design_iteration", "software_version");
  g_autofree char *notes = dossier_editor_record_dialog_get_value (dialog, "design_iteration", "notes");
  g_autofree char *iteration = NULL;
  gint64 id;

  if (!dossier_editor_session_begin (session, error))
    return 0;

  id = dossier_editor_session_insert (session, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier },
    { "version", version },
    { "designed_on", designed_on },
    { "designer", designer },
    { "software", software },
    { "software_version", software_version },
    { "notes", notes },
    { NULL }
  }, reason, error);
  if (id <= 0)
    goto failed;

  /* A new version usually changes a few values of the one before. */
  iteration = id_text (id);
  if (data->copy_from > 0 && gtk_switch_get_active (data->copy_switch))
    {
      g_autoptr(GPtrArray) parameters = dossier_store_list_rows (dossier_editor_session_get_store (session),
                                                                 "parameter_value", "iteration_id",
                                                                 data->copy_from, error);

      if (parameters == NULL)
        goto failed;

      for (guint i = 0; i < parameters->len; i++)
        {
          GHashTable *p = g_ptr_array_index (parameters, i);

          if (dossier_editor_session_insert (session, "parameter_value", (DossierField[]) {
                { "iteration_id", iteration },
                { "name", g_hash_table_lookup (p, "name") },
                { "value", g_hash_table_lookup (p, "value") },
                { "category", g_hash_table_lookup (p, "category") },
                { "unit", g_hash_table_lookup (p, "unit") },
                { NULL }
              }, reason, error) <= 0)
            goto failed;
        }
    }

  if (!dossier_editor_session_commit (session, error))
    goto failed;

  dossier_editor_page_set_expanded (DOSSIER_EDITOR_PAGE (data->page), "design_iteration", id, TRUE);
  return id;

failed:
  dossier_editor_session_rollback (session);
  return 0;
}

GtkWidget *
dossier_editor_design_page_add_iteration (DossierEditorDesignPage *self)
{
  DossierEditorRecordDialog *dialog;
  DossierEditorSession *session;
  g_autoptr(GPtrArray) iterations = NULL;
  g_autofree char *version = NULL;
  g_autofree char *date = dossier_editor_today ();
  NewIteration *data;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DESIGN_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  session = session_of (self);
  iterations = dossier_store_list_rows (store_of (self), "design_iteration", "dossier_id",
                                        dossier_editor_session_get_dossier_id (session), NULL);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, dossier_editor_next_version (iterations));

  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session, _("New Design Iteration"), _("_Add"));
  dossier_editor_record_dialog_add_field (dialog, "design_iteration", "version", version);
  dossier_editor_record_dialog_add_field (dialog, "design_iteration", "designed_on", date);
  dossier_editor_record_dialog_add_field (dialog, "design_iteration", "designer", dossier_editor_page_current_person (DOSSIER_EDITOR_PAGE (self)));
  dossier_editor_record_dialog_add_field (dialog, "design_iteration", "software", NULL);
  dossier_editor_record_dialog_add_field (dialog, "design_iteration", "software_version", NULL);
  dossier_editor_record_dialog_add_field (dialog, "design_iteration", "notes", NULL);

  data = g_new0 (NewIteration, 1);
  data->page = g_object_ref (self);

  if (iterations != NULL && iterations->len > 0)
    {
      GHashTable *latest = g_ptr_array_index (iterations, iterations->len - 1);
      g_autofree char *title = dossier_format_iteration_title (latest);
      g_autofree char *label = g_strdup_printf (_("Copy the parameter values of %s"), title);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      dossier_editor_record_dialog_add_group (dialog, NULL, NULL);
      dossier_editor_record_dialog_add_widget (dialog, row);

      data->copy_switch = GTK_SWITCH (sw);
      data->copy_from = id_of (latest);
    }

  dossier_editor_record_dialog_set_save_func (dialog, save_iteration, data, (GDestroyNotify)new_iteration_free);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_iteration (DossierEditorDesignPage *self)
{
  dossier_editor_design_page_add_iteration (self);
}

/* Confirmations ------------------------------------------------------------------------- */

static GtkWidget *
confirmation_status_row (DossierEditorDesignPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierConfirmationStatus) status = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree char *text = NULL;
  const char *icon_name;
  const char *css;

  status = dossier_confirmation_get_status (store_of (self), dossier_editor_session_get_dossier_id (session_of (self)),
                                            &error);
  if (status == NULL)
    {
      text = g_strdup (error->message);
      icon_name = "dialog-error-symbolic";
      css = "error";
    }
  else if (!status->confirmed)
    {
      text = g_strdup (_("No design version is confirmed by the clinician yet."));
      icon_name = "dialog-information-symbolic";
      css = "dim-label";
    }
  else if (status->covers_current)
    {
      /* Translators: version, clinician, date, document number. */
      text = g_strdup_printf (_("Version %d is confirmed by %s on %s (document %s)."),
                              status->confirmed_version,
                              status->clinician_name != NULL ? status->clinician_name : "?",
                              status->confirmed_on != NULL ? status->confirmed_on : "?",
                              status->document_no != NULL ? status->document_no : "?");
      icon_name = "emblem-ok-symbolic";
      css = "success";
    }
  else
    {
      text = g_strdup (status->reminder != NULL ? status->reminder
                                                : _("The newest design version is not confirmed by the clinician."));
      icon_name = "dialog-warning-symbolic";
      css = "warning";
    }

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_set_name (row, "confirmation-status");

  return row;
}

static void
on_remove_confirmation (GtkWidget *button)
{
  DossierEditorDesignPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  g_autoptr(GHashTable) row = dossier_store_get_row (store_of (self), "design_confirmation", id, NULL);
  const char *document = row != NULL ? g_hash_table_lookup (row, "document_no") : NULL;
  g_autofree char *name = g_strdup_printf (_("Design confirmation “%s”"), document != NULL ? document : "?");

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "design_confirmation", id, name);
}

static void
fill_confirmations (DossierEditorDesignPage *self,
                    GPtrArray               *confirmations)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  static const char * const columns[] = { "iteration_id", "clinician_id", "confirmed_on", "document_no", "attachment_id" };

  gtk_list_box_append (self->confirmations_list, confirmation_status_row (self));

  for (guint i = confirmations->len; i > 0; i--)
    {
      GHashTable *row = g_ptr_array_index (confirmations, i - 1);
      gint64 id = id_of (row);
      GtkWidget *expander = expander_for (self, "design_confirmation", id);

      title_confirmation (self, expander, row);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        dossier_editor_page_add_field (page, expander, "design_confirmation", columns[c], id, row);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                remove_row_new (self, _("_Remove Confirmation"), id, G_CALLBACK (on_remove_confirmation)));
      gtk_list_box_append (self->confirmations_list, expander);
    }
}

GtkWidget *
dossier_editor_design_page_add_confirmation (DossierEditorDesignPage *self)
{
  DossierEditorRecordDialog *dialog;
  DossierEditorSession *session;
  g_autoptr(GPtrArray) iterations = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *latest = NULL;
  g_autofree char *date = dossier_editor_today ();

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DESIGN_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  session = session_of (self);
  dossier = id_text (dossier_editor_session_get_dossier_id (session));
  iterations = dossier_store_list_rows (store_of (self), "design_iteration", "dossier_id",
                                        dossier_editor_session_get_dossier_id (session), NULL);
  if (iterations != NULL && iterations->len > 0)
    latest = g_strdup (g_hash_table_lookup (g_ptr_array_index (iterations, iterations->len - 1), "id"));

  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session, _("Clinician Confirmation"), _("_Record"));
  dossier_editor_record_dialog_add_group (dialog, NULL,
                                          _("The confirmation covers the design version chosen here; a later version needs a new one."));
  dossier_editor_record_dialog_add_field (dialog, "design_confirmation", "iteration_id", latest);
  dossier_editor_record_dialog_add_field (dialog, "design_confirmation", "clinician_id",
                                          dossier_editor_session_get_value (session, "clinician_id"));
  dossier_editor_record_dialog_add_field (dialog, "design_confirmation", "confirmed_on", date);
  dossier_editor_record_dialog_add_field (dialog, "design_confirmation", "document_no", NULL);
  dossier_editor_record_dialog_add_field (dialog, "design_confirmation", "attachment_id", NULL);
  dossier_editor_record_dialog_set_insert (dialog, "design_confirmation", (DossierField[]) {
    { "dossier_id", dossier },
    { NULL }
  });

  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_confirmation (DossierEditorDesignPage *self)
{
  dossier_editor_design_page_add_confirmation (self);
}

/* Page -------------------------------------------------------------------------------- */

static gboolean
focus_new_parameter (gpointer user_data)
{
  DossierEditorDesignPage *self = user_data;
  NewParameter *line = g_hash_table_lookup (self->new_parameters, &self->focus_iteration);

  if (line != NULL)
    gtk_widget_grab_focus (line->name);
  self->focus_iteration = 0;

  return G_SOURCE_REMOVE;
}

static void
dossier_editor_design_page_reload (DossierEditorPage *page)
{
  DossierEditorDesignPage *self = DOSSIER_EDITOR_DESIGN_PAGE (page);
  DossierEditorSession *session = dossier_editor_page_get_session (page);
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GPtrArray) iterations = NULL;
  g_autoptr(GPtrArray) confirmations = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  dossier_editor_page_clear_box (GTK_WIDGET (self->inputs_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->iterations_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->confirmations_list));
  dossier_editor_page_clear_fields (page);
  g_hash_table_remove_all (self->expanders);
  g_hash_table_remove_all (self->new_parameters);

  if (session == NULL)
    {
      dossier_check_banner_set_report (DOSSIER_CHECK_BANNER (self->check_banner), NULL);
      return;
    }

  id = dossier_editor_session_get_dossier_id (session);
  if (!(inputs = dossier_store_list_rows (store_of (self), "design_input", "dossier_id", id, &error)) ||
      !(iterations = dossier_store_list_rows (store_of (self), "design_iteration", "dossier_id", id, &error)) ||
      !(confirmations = dossier_store_list_rows (store_of (self), "design_confirmation", "dossier_id", id, &error)))
    {
      dossier_editor_page_report (page, error);
      return;
    }

  fill_inputs (self, inputs);
  fill_iterations (self, iterations);
  fill_confirmations (self, confirmations);
  /* The full check when the page is built; quick ones follow each change. */
  dossier_check_banner_refresh_page (DOSSIER_CHECK_BANNER (self->check_banner), page, TRUE);

  if (self->focus_iteration > 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_new_parameter, g_object_ref (self), g_object_unref);
}

static void
dossier_editor_design_page_changed (DossierEditorPage *page,
                                    const char        *table,
                                    gint64             id)
{
  DossierEditorDesignPage *self = DOSSIER_EDITOR_DESIGN_PAGE (page);
  g_autofree char *key = key_of (table, id);
  GtkWidget *expander = g_hash_table_lookup (self->expanders, key);
  g_autoptr(GHashTable) row = NULL;

  if (expander != NULL && (row = dossier_store_get_row (store_of (self), table, id, NULL)) != NULL)
    {
      if (g_str_equal (table, "design_input"))
        title_input (expander, row);
      else if (g_str_equal (table, "design_iteration"))
        title_iteration (expander, row);
      else if (g_str_equal (table, "design_confirmation"))
        title_confirmation (self, expander, row);
    }

  /* Whether the confirmation covers the newest version follows from both. */
  if (g_str_equal (table, "design_confirmation") || g_str_equal (table, "design_iteration"))
    {
      GtkWidget *old = gtk_widget_get_first_child (GTK_WIDGET (self->confirmations_list));

      if (old != NULL && g_strcmp0 (gtk_widget_get_name (old), "confirmation-status") == 0)
        {
          gtk_list_box_remove (self->confirmations_list, old);
          gtk_list_box_prepend (self->confirmations_list, confirmation_status_row (self));
        }
    }

  dossier_check_banner_queue_refresh (DOSSIER_CHECK_BANNER (self->check_banner), page);
}

static void
dossier_editor_design_page_dispose (GObject *object)
{
  DossierEditorDesignPage *self = (DossierEditorDesignPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_DESIGN_PAGE);
  g_clear_pointer (&self->expanders, g_hash_table_unref);
  g_clear_pointer (&self->new_parameters, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_editor_design_page_parent_class)->dispose (object);
}

static void
dossier_editor_design_page_class_init (DossierEditorDesignPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_design_page_dispose;
  page_class->reload = dossier_editor_design_page_reload;
  page_class->changed = dossier_editor_design_page_changed;

  g_type_ensure (DOSSIER_TYPE_CHECK_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-design-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDesignPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDesignPage, check_banner);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDesignPage, inputs_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDesignPage, iterations_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDesignPage, confirmations_list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_input);
  gtk_widget_class_bind_template_callback (widget_class, on_add_iteration);
  gtk_widget_class_bind_template_callback (widget_class, on_add_confirmation);
}

static void
dossier_editor_design_page_init (DossierEditorDesignPage *self)
{
  self->expanders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->new_parameters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}
