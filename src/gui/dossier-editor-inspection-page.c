/* dossier-editor-inspection-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-inspection-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-inspection-page.h"
#include "dossier-editor-logic.h"
#include "dossier-editor-record-dialog.h"
#include "dossier-schema.h"

struct _DossierEditorInspectionPage
{
  DossierEditorPage  parent_instance;

  GHashTable        *expanders; /* inspection id → AdwExpanderRow */
  GHashTable        *badges;    /* inspection id → GtkLabel */

  GtkScrolledWindow *scroller;
  GtkListBox        *inspections_list;
  GtkListBox        *release_list;
};

G_DEFINE_FINAL_TYPE (DossierEditorInspectionPage, dossier_editor_inspection_page, DOSSIER_TYPE_EDITOR_PAGE)

static const char * const release_columns[] = { "released_by", "released_at", "notes", NULL };

static DossierEditorSession *
session_of (DossierEditorInspectionPage *self)
{
  return dossier_editor_page_get_session (DOSSIER_EDITOR_PAGE (self));
}

static DossierStore *
store_of (DossierEditorInspectionPage *self)
{
  return dossier_editor_session_get_store (session_of (self));
}

/* Inspections ------------------------------------------------------------------------ */

static void
show_result (GtkWidget  *badge,
             const char *result)
{
  const DossierColumn *column = dossier_schema_lookup_column (dossier_schema_lookup_table ("inspection"), "result");
  static const char * const classes[] = { "success", "error", "warning" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (badge, classes[i]);
  gtk_widget_add_css_class (badge, dossier_editor_result_css_class (result));
  gtk_label_set_label (GTK_LABEL (badge), dossier_schema_choice_label (column, result != NULL ? result : "pending"));
}

static void
set_titles (DossierEditorInspectionPage *self,
            gint64                       id,
            GHashTable                  *row)
{
  GtkWidget *expander = g_hash_table_lookup (self->expanders, &id);
  GtkWidget *badge = g_hash_table_lookup (self->badges, &id);
  const char *item = g_hash_table_lookup (row, "item");
  const char *requirement = g_hash_table_lookup (row, "requirement");
  const char *measured = g_hash_table_lookup (row, "measured");
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;

  if (expander == NULL)
    return;

  if (requirement != NULL && *requirement != '\0' && measured != NULL && *measured != '\0')
    /* Translators: an inspection's requirement and what was measured: "52.0 ± 0.2 mm → 52.1 mm". */
    subtitle = g_strdup_printf (_("%s → %s"), requirement, measured);
  else
    subtitle = g_strdup (requirement != NULL && *requirement != '\0' ? requirement : measured != NULL ? measured : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), item != NULL ? item : "");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  if (badge != NULL)
    show_result (badge, g_hash_table_lookup (row, "result"));

  /* Translators: the accessible name of an inspection: its item and result. */
  accessible = g_strdup_printf (_("%s, %s"), item != NULL ? item : "",
                                badge != NULL ? gtk_label_get_label (GTK_LABEL (badge)) : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
on_remove_inspection (GtkWidget *button,
                      gpointer   user_data)
{
  DossierEditorInspectionPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  g_autoptr(GHashTable) row = dossier_store_get_row (store_of (self), "inspection", id, NULL);
  const char *item = row != NULL ? g_hash_table_lookup (row, "item") : NULL;
  g_autofree char *name = g_strdup_printf (_("Inspection “%s”"), item != NULL ? item : "?");

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "inspection", id, name);
}

static void
fill_inspections (DossierEditorInspectionPage *self,
                  GPtrArray                   *inspections)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  static const char * const columns[] = { "item", "requirement", "measured", "result", "inspector", "inspected_on" };

  if (inspections->len == 0)
    {
      gtk_list_box_append (self->inspections_list, dossier_editor_page_placeholder_new (_("No inspections recorded yet")));
      return;
    }

  for (guint i = 0; i < inspections->len; i++)
    {
      GHashTable *row = g_ptr_array_index (inspections, i);
      gint64 id = dossier_editor_row_id (row);
      GtkWidget *expander = dossier_editor_page_expander_new (page, "inspection", id);
      GtkWidget *badge = gtk_label_new (NULL);
      GtkWidget *remove;
      GtkWidget *button;

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "tag");
      gtk_widget_add_css_class (badge, "result-badge");
      gtk_widget_set_name (badge, "inspection-result");
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), badge);
      g_hash_table_insert (self->expanders, g_memdup2 (&id, sizeof id), expander);
      g_hash_table_insert (self->badges, g_memdup2 (&id, sizeof id), badge);
      set_titles (self, id, row);

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        dossier_editor_page_add_field (page, expander, "inspection", columns[c], id, row);

      remove = dossier_editor_page_button_row_new (_("_Remove Inspection"), "user-trash-symbolic", TRUE,
                                                   G_CALLBACK (on_remove_inspection), NULL);
      button = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (remove));
      g_object_set_data (G_OBJECT (button), "page", self);
      g_object_set_data (G_OBJECT (button), "id", GSIZE_TO_POINTER (id));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), remove);

      gtk_list_box_append (self->inspections_list, expander);
    }
}

GtkWidget *
dossier_editor_inspection_page_add_inspection (DossierEditorInspectionPage *self)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  DossierEditorRecordDialog *dialog;
  g_autofree char *dossier = NULL;
  g_autofree char *date = dossier_editor_today ();

  g_return_val_if_fail (DOSSIER_IS_EDITOR_INSPECTION_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dossier = dossier_editor_page_dossier_id_text (page);
  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("New Inspection"), _("_Add"));
  dossier_editor_record_dialog_add_field (dialog, "inspection", "item", NULL);
  dossier_editor_record_dialog_add_field (dialog, "inspection", "requirement", NULL);
  dossier_editor_record_dialog_add_field (dialog, "inspection", "measured", NULL);
  dossier_editor_record_dialog_add_field (dialog, "inspection", "result", "pending");
  dossier_editor_record_dialog_add_field (dialog, "inspection", "inspector", dossier_editor_page_current_person (page));
  dossier_editor_record_dialog_add_field (dialog, "inspection", "inspected_on", date);
  dossier_editor_record_dialog_set_insert (dialog, "inspection", (DossierField[]) {
    { "dossier_id", dossier },
    { NULL }
  });

  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_inspection (DossierEditorInspectionPage *self)
{
  dossier_editor_inspection_page_add_inspection (self);
}

/* Release ---------------------------------------------------------------------------------- */

GtkWidget *
dossier_editor_inspection_page_add_release (DossierEditorInspectionPage *self)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  DossierEditorRecordDialog *dialog;
  g_autofree char *dossier = NULL;
  g_autofree char *now = dossier_editor_now ();

  g_return_val_if_fail (DOSSIER_IS_EDITOR_INSPECTION_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dossier = dossier_editor_page_dossier_id_text (page);
  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("Release"), _("_Record"));
  dossier_editor_record_dialog_add_group (dialog, NULL,
                                          _("Where Dossier has user accounts, the release is made by signing it, and this record follows from the signature."));
  dossier_editor_record_dialog_add_field (dialog, "release", "released_by", dossier_editor_page_current_person (page));
  dossier_editor_record_dialog_add_field (dialog, "release", "released_at", now);
  dossier_editor_record_dialog_add_field (dialog, "release", "notes", NULL);
  dossier_editor_record_dialog_set_insert (dialog, "release", (DossierField[]) {
    { "dossier_id", dossier },
    { NULL }
  });

  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

static void
on_add_release (GtkButton                   *button,
                DossierEditorInspectionPage *self)
{
  dossier_editor_inspection_page_add_release (self);
}

/* Page ----------------------------------------------------------------------------------- */

static void
dossier_editor_inspection_page_reload (DossierEditorPage *page)
{
  DossierEditorInspectionPage *self = DOSSIER_EDITOR_INSPECTION_PAGE (page);
  g_autoptr(GPtrArray) inspections = NULL;
  g_autoptr(GError) error = NULL;

  dossier_editor_page_clear_box (GTK_WIDGET (self->inspections_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->release_list));
  dossier_editor_page_clear_fields (page);
  g_hash_table_remove_all (self->expanders);
  g_hash_table_remove_all (self->badges);

  if (session_of (self) == NULL)
    return;

  inspections = dossier_store_list_rows (store_of (self), "inspection", "dossier_id",
                                         dossier_editor_session_get_dossier_id (session_of (self)), &error);
  if (inspections == NULL)
    dossier_editor_page_report (page, error);
  else
    fill_inspections (self, inspections);

  dossier_editor_page_fill_single (page, GTK_WIDGET (self->release_list), "release", release_columns,
                                   _("Not released yet"), _("_Record Release…"),
                                   G_CALLBACK (on_add_release), self);
}

static void
dossier_editor_inspection_page_changed (DossierEditorPage *page,
                                        const char        *table,
                                        gint64             id)
{
  DossierEditorInspectionPage *self = DOSSIER_EDITOR_INSPECTION_PAGE (page);
  g_autoptr(GHashTable) row = NULL;

  if (g_str_equal (table, "inspection") && (row = dossier_store_get_row (store_of (self), table, id, NULL)) != NULL)
    set_titles (self, id, row);
}

static void
dossier_editor_inspection_page_dispose (GObject *object)
{
  DossierEditorInspectionPage *self = (DossierEditorInspectionPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_INSPECTION_PAGE);
  g_clear_pointer (&self->expanders, g_hash_table_unref);
  g_clear_pointer (&self->badges, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_editor_inspection_page_parent_class)->dispose (object);
}

static void
dossier_editor_inspection_page_class_init (DossierEditorInspectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_inspection_page_dispose;
  page_class->reload = dossier_editor_inspection_page_reload;
  page_class->changed = dossier_editor_inspection_page_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-inspection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorInspectionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorInspectionPage, inspections_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorInspectionPage, release_list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_inspection);
}

static void
dossier_editor_inspection_page_init (DossierEditorInspectionPage *self)
{
  self->expanders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->badges = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}
