/* dossier-editor-processing-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-processing-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-auth.h"
#include "dossier-editor-logic.h"
#include "dossier-editor-processing-page.h"
#include "dossier-editor-record-dialog.h"
#include "dossier-schema.h"

#define MAX_POSITION 999

struct _DossierEditorProcessingPage
{
  DossierEditorPage  parent_instance;

  GHashTable        *expanders; /* step id → AdwExpanderRow, until the next reload */

  GtkScrolledWindow *scroller;
  GtkListBox        *steps_list;
};

G_DEFINE_FINAL_TYPE (DossierEditorProcessingPage, dossier_editor_processing_page, DOSSIER_TYPE_EDITOR_PAGE)

static gint64
id_of (GHashTable *row)
{
  const char *id = g_hash_table_lookup (row, "id");

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static gint64
position_of (GHashTable *row)
{
  const char *position = g_hash_table_lookup (row, "position");

  return position != NULL ? g_ascii_strtoll (position, NULL, 10) : 0;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static DossierEditorSession *
session_of (DossierEditorProcessingPage *self)
{
  return dossier_editor_page_get_session (DOSSIER_EDITOR_PAGE (self));
}

static DossierStore *
store_of (DossierEditorProcessingPage *self)
{
  return dossier_editor_session_get_store (session_of (self));
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  gint64 pa = position_of (*(GHashTable **)a);
  gint64 pb = position_of (*(GHashTable **)b);

  return pa < pb ? -1 : pa > pb;
}

static GPtrArray *
list_steps (DossierEditorProcessingPage  *self,
            GError                      **error)
{
  GPtrArray *steps = dossier_store_list_rows (store_of (self), "processing_step", "dossier_id",
                                              dossier_editor_session_get_dossier_id (session_of (self)), error);

  if (steps != NULL)
    g_ptr_array_sort (steps, compare_positions);
  return steps;
}

static void
set_titles (GtkWidget  *expander,
            GHashTable *row)
{
  const char *position = g_hash_table_lookup (row, "position");
  const char *type = g_hash_table_lookup (row, "step_type");
  const char *equipment = g_hash_table_lookup (row, "equipment");
  const char *operator = g_hash_table_lookup (row, "operator");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: a processing step, its number and kind: "2. Printing". */
  title = g_strdup_printf (_("%s. %s"), position != NULL ? position : "?", type != NULL ? type : "");

  if (equipment != NULL && *equipment != '\0' && operator != NULL && *operator != '\0')
    /* Translators: a processing step's equipment and operator. */
    subtitle = g_strdup_printf (_("%s · %s"), equipment, operator);
  else
    subtitle = g_strdup (equipment != NULL && *equipment != '\0' ? equipment : operator != NULL ? operator : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

/* Moving ------------------------------------------------------------------------------ */

gboolean
dossier_editor_processing_page_move_step (DossierEditorProcessingPage *self,
                                          gint64                       step_id,
                                          int                          delta)
{
  DossierEditorSession *session;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *temp_text = NULL;
  g_autofree char *a_text = NULL;
  g_autofree char *b_text = NULL;
  GHashTable *a = NULL;
  GHashTable *b;
  gint64 temp = 0;
  guint i;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PROCESSING_PAGE (self), FALSE);
  g_return_val_if_fail (delta == -1 || delta == 1, FALSE);

  session = session_of (self);
  steps = list_steps (self, &error);
  if (steps == NULL)
    goto failed_early;

  for (i = 0; i < steps->len; i++)
    if (id_of (g_ptr_array_index (steps, i)) == step_id)
      {
        a = g_ptr_array_index (steps, i);
        break;
      }

  if (a == NULL || (delta < 0 && i == 0) || (delta > 0 && i + 1 >= steps->len))
    return FALSE;
  b = g_ptr_array_index (steps, i + delta);

  /* Positions are unique: one step waits on a free number while the other moves. */
  for (gint64 p = MAX_POSITION; p >= 1 && temp == 0; p--)
    {
      gboolean used = FALSE;

      for (guint j = 0; j < steps->len && !used; j++)
        used = position_of (g_ptr_array_index (steps, j)) == p;
      if (!used)
        temp = p;
    }

  temp_text = id_text (temp);
  a_text = g_strdup (g_hash_table_lookup (a, "position"));
  b_text = g_strdup (g_hash_table_lookup (b, "position"));

  if (!dossier_editor_session_begin (session, &error))
    goto failed_early;

  if (!dossier_editor_session_update (session, "processing_step", id_of (a),
                                      (DossierField[]) { { "position", temp_text }, { NULL } }, NULL, &error) ||
      !dossier_editor_session_update (session, "processing_step", id_of (b),
                                      (DossierField[]) { { "position", a_text }, { NULL } }, NULL, &error) ||
      !dossier_editor_session_update (session, "processing_step", id_of (a),
                                      (DossierField[]) { { "position", b_text }, { NULL } }, NULL, &error) ||
      !dossier_editor_session_commit (session, &error))
    {
      dossier_editor_session_rollback (session);
      goto failed_early;
    }

  dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (self));
  return TRUE;

failed_early:
  dossier_editor_page_report (DOSSIER_EDITOR_PAGE (self), error);
  return FALSE;
}

static void
on_move (GtkWidget *button,
         gpointer   user_data)
{
  DossierEditorProcessingPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));

  dossier_editor_processing_page_move_step (self, id, GPOINTER_TO_INT (user_data));
}

static GtkWidget *
move_button_new (DossierEditorProcessingPage *self,
                 gint64                       id,
                 const char                  *title,
                 int                          delta,
                 gboolean                     sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (delta < 0 ? "go-up-symbolic" : "go-down-symbolic");
  g_autofree char *label = NULL;

  /* Translators: accessible names of the buttons that reorder steps, e.g. "Move 2. Printing up". */
  label = g_strdup_printf (delta < 0 ? _("Move %s up") : _("Move %s down"), title);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, sensitive);
  gtk_widget_set_tooltip_text (button, delta < 0 ? _("Move Up") : _("Move Down"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (button), "page", self);
  g_object_set_data (G_OBJECT (button), "id", GSIZE_TO_POINTER (id));
  g_signal_connect (button, "clicked", G_CALLBACK (on_move), GINT_TO_POINTER (delta));

  return button;
}

/* Materials ------------------------------------------------------------------------------ */

static void
on_remove_material (GtkWidget *button,
                    gpointer   user_data)
{
  DossierEditorProcessingPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  const char *lot = g_object_get_data (G_OBJECT (button), "lot");
  g_autofree char *name = g_strdup_printf (_("Material lot “%s”"), lot != NULL ? lot : "?");

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "step_material", id, name);
}

static GtkWidget *
material_row_new (DossierEditorProcessingPage *self,
                  GHashTable                  *used)
{
  DossierEditorSession *session = session_of (self);
  gint64 id = id_of (used);
  const char *lot_id = g_hash_table_lookup (used, "lot_id");
  g_autoptr(GHashTable) lot = lot_id != NULL
    ? dossier_store_get_row (store_of (self), "material_lot", g_ascii_strtoll (lot_id, NULL, 10), NULL) : NULL;
  g_autofree char *title = dossier_editor_session_reference_label (session, "material_lot",
                                                                   lot_id != NULL ? g_ascii_strtoll (lot_id, NULL, 10) : 0);
  const char *supplier = lot != NULL ? g_hash_table_lookup (lot, "supplier") : NULL;
  const char *received = lot != NULL ? g_hash_table_lookup (lot, "received_on") : NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  DossierEditorField *quantity;
  GtkWidget *entry;
  GtkWidget *remove;
  GtkWidget *box;
  g_autofree char *quantity_label = NULL;
  g_autofree char *remove_label = NULL;

  if (supplier != NULL && *supplier != '\0' && received != NULL)
    /* Translators: a material lot's supplier and the date it was received. */
    subtitle = g_strdup_printf (_("%s · received %s"), supplier, received);
  else if (received != NULL)
    subtitle = g_strdup_printf (_("Received %s"), received);
  else
    subtitle = g_strdup (supplier != NULL ? supplier : "");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("package-x-generic-symbolic"));
  gtk_widget_set_name (row, "step_material");

  quantity = dossier_editor_field_new (session, "step_material", "quantity", id,
                                       g_hash_table_lookup (used, "quantity"), DOSSIER_EDITOR_FIELD_COMPACT);
  dossier_editor_page_keep_field (DOSSIER_EDITOR_PAGE (self), quantity);
  entry = dossier_editor_field_get_widget (quantity);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
  gtk_widget_set_hexpand (entry, FALSE);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of the quantity of a material lot used, e.g. "Quantity of TC4 · L2026-031". */
  quantity_label = g_strdup_printf (_("%s of %s"), dossier_schema_column_label ("step_material", "quantity"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (entry))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, quantity_label, -1);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  remove_label = g_strdup_printf (_("Remove %s"), title);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Material Lot"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "page", self);
  g_object_set_data (G_OBJECT (remove), "id", GSIZE_TO_POINTER (id));
  g_object_set_data_full (G_OBJECT (remove), "lot", g_strdup (title), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_material), NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), dossier_editor_field_get_message_label (quantity));
  gtk_label_set_max_width_chars (GTK_LABEL (dossier_editor_field_get_message_label (quantity)), 24);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

typedef struct
{
  DossierEditorProcessingPage *page;
  gint64                       step_id;
  GPtrArray                   *lots;     /* DossierEditorOption; position 0 is a new lot */
  AdwComboRow                 *lot_row;
  DossierEditorRecordDialog   *dialog;   /* not owned */
} NewMaterial;

static void
new_material_free (NewMaterial *data)
{
  g_object_unref (data->page);
  g_ptr_array_unref (data->lots);
  g_free (data);
}

static gboolean
new_lot_chosen (NewMaterial *data)
{
  return adw_combo_row_get_selected (data->lot_row) == 0;
}

static void
on_lot_chosen (NewMaterial *data)
{
  static const char * const columns[] = { "material", "lot_no", "supplier", "received_on" };
  gboolean fresh = new_lot_chosen (data);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    dossier_editor_record_dialog_set_field_active (data->dialog,
                                                   dossier_editor_record_dialog_get_field (data->dialog, "material_lot",
                                                                                           columns[i]),
                                                   fresh);
}

/* A lot is the same lot when material and lot number are; the store keeps them
 * unique together. */
static gint64
find_lot (DossierStore *store,
          const char   *material,
          const char   *lot_no)
{
  gint64 id = dossier_store_lookup_id (store, "material_lot", "lot_no", lot_no, NULL);
  g_autoptr(GHashTable) row = NULL;

  if (id <= 0)
    return 0;

  row = dossier_store_get_row (store, "material_lot", id, NULL);
  return row != NULL && g_strcmp0 (g_hash_table_lookup (row, "material"), material) == 0 ? id : 0;
}

static gint64
save_material (DossierEditorRecordDialog  *dialog,
               const char                 *reason,
               gpointer                    user_data,
               GError                    **error)
{
  NewMaterial *data = user_data;
  DossierEditorSession *session = session_of (data->page);
  DossierStore *store = store_of (data->page);
  g_autofree char *step = id_text (data->step_id);
  g_autofree char *lot = NULL;
  g_autofree char *quantity = dossier_editor_record_dialog_get_value (dialog, "step_material", "quantity");
  gint64 lot_id;
  gint64 id;

  if (!dossier_editor_session_begin (session, error))
    return 0;

  if (new_lot_chosen (data))
    {
      g_autofree char *material = dossier_editor_record_dialog_get_value (dialog, "material_lot", "material");
      g_autofree char *lot_no = dossier_editor_record_dialog_get_value (dialog, "material_lot", "lot_no");
      g_autofree char *supplier = dossier_editor_record_dialog_get_value (dialog, "material_lot", "supplier");
      g_autofree char *received_on = dossier_editor_record_dialog_get_value (dialog, "material_lot", "received_on");

      lot_id = find_lot (store, material, lot_no);
      if (lot_id <= 0)
        lot_id = dossier_editor_session_insert (session, "material_lot", (DossierField[]) {
          { "material", material },
          { "lot_no", lot_no },
          { "supplier", supplier },
          { "received_on", *received_on != '\0' ? received_on : NULL },
          { NULL }
        }, reason, error);
    }
  else
    {
      DossierEditorOption *option = g_ptr_array_index (data->lots, adw_combo_row_get_selected (data->lot_row));

      lot_id = g_ascii_strtoll (option->value, NULL, 10);
    }

  if (lot_id <= 0)
    goto failed;

  lot = id_text (lot_id);
  id = dossier_editor_session_insert (session, "step_material", (DossierField[]) {
    { "step_id", step },
    { "lot_id", lot },
    { "quantity", quantity },
    { NULL }
  }, reason, error);

  if (id <= 0 || !dossier_editor_session_commit (session, error))
    goto failed;

  return id;

failed:
  dossier_editor_session_rollback (session);
  return 0;
}

GtkWidget *
dossier_editor_processing_page_add_material (DossierEditorProcessingPage *self,
                                             gint64                       step_id)
{
  DossierEditorRecordDialog *dialog;
  g_autoptr(GtkStringList) labels = NULL;
  g_autoptr(GPtrArray) used = NULL;
  NewMaterial *data;
  GtkWidget *lot_row;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PROCESSING_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("Material Lot Used"), _("_Add"));

  data = g_new0 (NewMaterial, 1);
  data->page = g_object_ref (self);
  data->step_id = step_id;
  data->dialog = dialog;
  data->lots = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_editor_option_free);

  /* Lots this dossier already uses come first: the same powder lot often feeds
   * several steps. */
  labels = gtk_string_list_new (NULL);
  {
    DossierEditorOption *fresh = g_new0 (DossierEditorOption, 1);

    fresh->value = g_strdup ("");
    fresh->label = g_strdup (_("New lot"));
    g_ptr_array_add (data->lots, fresh);
  }
  used = dossier_editor_session_reference_options (session_of (self), "step_material", "lot_id", NULL);
  g_ptr_array_extend_and_steal (data->lots, g_steal_pointer (&used));
  for (guint i = 0; i < data->lots->len; i++)
    gtk_string_list_append (labels, ((DossierEditorOption *)g_ptr_array_index (data->lots, i))->label);

  lot_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lot_row), dossier_schema_column_label ("step_material", "lot_id"));
  adw_combo_row_set_model (ADW_COMBO_ROW (lot_row), G_LIST_MODEL (labels));
  gtk_accessible_update_property (GTK_ACCESSIBLE (lot_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  dossier_schema_column_label ("step_material", "lot_id"), -1);
  data->lot_row = ADW_COMBO_ROW (lot_row);

  dossier_editor_record_dialog_add_group (dialog, NULL, NULL);
  dossier_editor_record_dialog_add_widget (dialog, lot_row);
  dossier_editor_record_dialog_add_field (dialog, "material_lot", "material", NULL);
  dossier_editor_record_dialog_add_field (dialog, "material_lot", "lot_no", NULL);
  dossier_editor_record_dialog_add_field (dialog, "material_lot", "supplier", NULL);
  dossier_editor_record_dialog_add_field (dialog, "material_lot", "received_on", NULL);
  dossier_editor_record_dialog_add_group (dialog, NULL, NULL);
  dossier_editor_record_dialog_add_field (dialog, "step_material", "quantity", NULL);

  g_signal_connect_swapped (lot_row, "notify::selected", G_CALLBACK (on_lot_chosen), data);
  dossier_editor_record_dialog_set_save_func (dialog, save_material, data, (GDestroyNotify)new_material_free);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_material (GtkWidget *button,
                 gpointer   user_data)
{
  DossierEditorProcessingPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));

  dossier_editor_processing_page_add_material (self, id);
}

/* Steps ----------------------------------------------------------------------------------- */

static void
on_remove_step (GtkWidget *button,
                gpointer   user_data)
{
  DossierEditorProcessingPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  g_autofree char *title = dossier_editor_session_reference_label (session_of (self), "processing_step", id);
  g_autofree char *name = g_strdup_printf (_("Processing step “%s”"), title);

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "processing_step", id, name);
}

static GtkWidget *
button_row_for (DossierEditorProcessingPage *self,
                const char                  *label,
                const char                  *icon_name,
                gboolean                     destructive,
                gint64                       id,
                GCallback                    callback)
{
  GtkWidget *row = dossier_editor_page_button_row_new (label, icon_name, destructive, callback, NULL);
  GtkWidget *button = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  g_object_set_data (G_OBJECT (button), "page", self);
  g_object_set_data (G_OBJECT (button), "id", GSIZE_TO_POINTER (id));
  return row;
}

static void
fill_steps (DossierEditorProcessingPage *self,
            GPtrArray                   *steps)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  static const char * const columns[] = {
    "step_type", "equipment", "operator", "started_at", "ended_at", "parameters", "notes"
  };

  if (steps->len == 0)
    {
      gtk_list_box_append (self->steps_list, dossier_editor_page_placeholder_new (_("No processing steps recorded yet")));
      return;
    }

  for (guint i = 0; i < steps->len; i++)
    {
      GHashTable *row = g_ptr_array_index (steps, i);
      gint64 id = id_of (row);
      GtkWidget *expander = dossier_editor_page_expander_new (page, "processing_step", id);
      g_autoptr(GPtrArray) used = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *title = NULL;

      set_titles (expander, row);
      title = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)));
      /* Actions are packed from the end: down first puts up on its left. */
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), move_button_new (self, id, title, +1, i + 1 < steps->len));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), move_button_new (self, id, title, -1, i > 0));
      g_hash_table_insert (self->expanders, g_memdup2 (&id, sizeof id), expander);

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        dossier_editor_page_add_field (page, expander, "processing_step", columns[c], id, row);

      used = dossier_store_list_rows (store_of (self), "step_material", "step_id", id, &error);
      if (used == NULL)
        dossier_editor_page_report (page, error);
      for (guint m = 0; used != NULL && m < used->len; m++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), material_row_new (self, g_ptr_array_index (used, m)));

      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                button_row_for (self, _("Add _Material Lot…"), "list-add-symbolic", FALSE, id,
                                                G_CALLBACK (on_add_material)));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                button_row_for (self, _("_Remove Step"), "user-trash-symbolic", TRUE, id,
                                                G_CALLBACK (on_remove_step)));
      gtk_list_box_append (self->steps_list, expander);
    }
}

static gint64
save_step (DossierEditorRecordDialog  *dialog,
           const char                 *reason,
           gpointer                    user_data,
           GError                    **error)
{
  DossierEditorProcessingPage *self = user_data;
  DossierEditorSession *session = session_of (self);
  g_autoptr(GPtrArray) steps = list_steps (self, error);
  g_autofree char *dossier = id_text (dossier_editor_session_get_dossier_id (session));
  g_autofree char *position = NULL;
  g_autofree char *step_type = dossier_editor_record_dialog_get_value (dialog, "processing_step", "step_type");
  g_autofree char *equipment = dossier_editor_record_dialog_get_value (dialog, "processing_step", "equipment");
  g_autofree char *operator = dossier_editor_record_dialog_get_value (dialog, "processing_step", "operator");
  g_autofree char *started_at = dossier_editor_record_dialog_get_value (dialog, "processing_step", "started_at");
  g_autofree char *ended_at = dossier_editor_record_dialog_get_value (dialog, "processing_step", "ended_at");
  g_autofree char *parameters = dossier_editor_record_dialog_get_value (dialog, "processing_step", "parameters");
  g_autofree char *notes = dossier_editor_record_dialog_get_value (dialog, "processing_step", "notes");
  gint64 id;

  if (steps == NULL)
    return 0;

  position = id_text (dossier_editor_next_position (steps));
  id = dossier_editor_session_insert (session, "processing_step", (DossierField[]) {
    { "dossier_id", dossier },
    { "position", position },
    { "step_type", step_type },
    { "equipment", equipment },
    { "operator", operator },
    { "started_at", *started_at != '\0' ? started_at : NULL },
    { "ended_at", *ended_at != '\0' ? ended_at : NULL },
    { "parameters", parameters },
    { "notes", notes },
    { NULL }
  }, reason, error);

  if (id > 0)
    dossier_editor_page_set_expanded (DOSSIER_EDITOR_PAGE (self), "processing_step", id, TRUE);
  return id;
}

GtkWidget *
dossier_editor_processing_page_add_step (DossierEditorProcessingPage *self)
{
  DossierEditorRecordDialog *dialog;
  const DossierUser *user;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PROCESSING_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  user = dossier_store_get_user (store_of (self));
  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("New Processing Step"), _("_Add"));
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "step_type", NULL);
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "equipment", NULL);
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "operator",
                                          user != NULL ? user->full_name : dossier_store_get_actor (store_of (self)));
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "started_at", NULL);
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "ended_at", NULL);
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "parameters", NULL);
  dossier_editor_record_dialog_add_field (dialog, "processing_step", "notes", NULL);

  dossier_editor_record_dialog_set_save_func (dialog, save_step, g_object_ref (self), g_object_unref);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_step (DossierEditorProcessingPage *self)
{
  dossier_editor_processing_page_add_step (self);
}

/* Page ---------------------------------------------------------------------------------------- */

static void
dossier_editor_processing_page_reload (DossierEditorPage *page)
{
  DossierEditorProcessingPage *self = DOSSIER_EDITOR_PROCESSING_PAGE (page);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;

  dossier_editor_page_clear_box (GTK_WIDGET (self->steps_list));
  dossier_editor_page_clear_fields (page);
  g_hash_table_remove_all (self->expanders);

  if (dossier_editor_page_get_session (page) == NULL)
    return;

  steps = list_steps (self, &error);
  if (steps == NULL)
    {
      dossier_editor_page_report (page, error);
      return;
    }

  fill_steps (self, steps);
}

static void
dossier_editor_processing_page_changed (DossierEditorPage *page,
                                        const char        *table,
                                        gint64             id)
{
  DossierEditorProcessingPage *self = DOSSIER_EDITOR_PROCESSING_PAGE (page);
  GtkWidget *expander;
  g_autoptr(GHashTable) row = NULL;

  if (!g_str_equal (table, "processing_step"))
    return;

  expander = g_hash_table_lookup (self->expanders, &id);
  if (expander != NULL && (row = dossier_store_get_row (store_of (self), table, id, NULL)) != NULL)
    set_titles (expander, row);
}

static void
dossier_editor_processing_page_dispose (GObject *object)
{
  DossierEditorProcessingPage *self = (DossierEditorProcessingPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_PROCESSING_PAGE);
  g_clear_pointer (&self->expanders, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_editor_processing_page_parent_class)->dispose (object);
}

static void
dossier_editor_processing_page_class_init (DossierEditorProcessingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_processing_page_dispose;
  page_class->reload = dossier_editor_processing_page_reload;
  page_class->changed = dossier_editor_processing_page_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-processing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorProcessingPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorProcessingPage, steps_list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_step);
}

static void
dossier_editor_processing_page_init (DossierEditorProcessingPage *self)
{
  self->expanders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}
