/* dossier-editor-delivery-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-delivery-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-delivery-page.h"
#include "dossier-editor-logic.h"
#include "dossier-editor-record-dialog.h"
#include "dossier-schema.h"

#define DESCRIPTION_CHARS 80

struct _DossierEditorDeliveryPage
{
  DossierEditorPage  parent_instance;

  GHashTable        *expanders; /* adverse event id → AdwExpanderRow */

  GtkScrolledWindow *scroller;
  GtkListBox        *delivery_list;
  GtkListBox        *use_list;
  GtkListBox        *events_list;
};

G_DEFINE_FINAL_TYPE (DossierEditorDeliveryPage, dossier_editor_delivery_page, DOSSIER_TYPE_EDITOR_PAGE)

static const char * const delivery_columns[] = { "delivered_on", "recipient", "notes", NULL };
static const char * const use_columns[] = {
  "outcome", "surgery_on", "surgeon", "consent_ref", "follow_up", "explanted_on", NULL
};
static const char * const event_columns[] = { "occurred_on", "reported_on", "severity", "description", NULL };

static DossierEditorSession *
session_of (DossierEditorDeliveryPage *self)
{
  return dossier_editor_page_get_session (DOSSIER_EDITOR_PAGE (self));
}

static DossierStore *
store_of (DossierEditorDeliveryPage *self)
{
  return dossier_editor_session_get_store (session_of (self));
}

static GtkWidget *
present (DossierEditorDeliveryPage *self,
         DossierEditorRecordDialog *dialog,
         const char                *table)
{
  g_autofree char *dossier = dossier_editor_page_dossier_id_text (DOSSIER_EDITOR_PAGE (self));

  dossier_editor_record_dialog_set_insert (dialog, table, (DossierField[]) {
    { "dossier_id", dossier },
    { NULL }
  });
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dossier_editor_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

/* Delivery and use -------------------------------------------------------------------- */

GtkWidget *
dossier_editor_delivery_page_add_delivery (DossierEditorDeliveryPage *self)
{
  DossierEditorRecordDialog *dialog;
  g_autofree char *date = dossier_editor_today ();

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DELIVERY_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("Delivery"), _("_Record"));
  dossier_editor_record_dialog_add_field (dialog, "delivery", "delivered_on", date);
  dossier_editor_record_dialog_add_field (dialog, "delivery", "recipient", NULL);
  dossier_editor_record_dialog_add_field (dialog, "delivery", "notes", NULL);

  return present (self, dialog, "delivery");
}

static void
on_add_delivery (GtkButton                 *button,
                 DossierEditorDeliveryPage *self)
{
  dossier_editor_delivery_page_add_delivery (self);
}

GtkWidget *
dossier_editor_delivery_page_add_use (DossierEditorDeliveryPage *self)
{
  DossierEditorRecordDialog *dialog;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DELIVERY_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("Use Record"), _("_Record"));
  for (guint i = 0; use_columns[i] != NULL; i++)
    dossier_editor_record_dialog_add_field (dialog, "use_record", use_columns[i], NULL);

  return present (self, dialog, "use_record");
}

static void
on_add_use (GtkButton                 *button,
            DossierEditorDeliveryPage *self)
{
  dossier_editor_delivery_page_add_use (self);
}

/* Adverse events --------------------------------------------------------------------- */

static void
set_titles (GtkWidget  *expander,
            GHashTable *row)
{
  const DossierColumn *severity = dossier_schema_lookup_column (dossier_schema_lookup_table ("adverse_event"), "severity");
  const char *occurred = g_hash_table_lookup (row, "occurred_on");
  const char *description = g_hash_table_lookup (row, "description");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: an adverse event: its severity and the day it happened. */
  title = g_strdup_printf (_("%s · %s"), dossier_schema_choice_label (severity, g_hash_table_lookup (row, "severity")),
                           occurred != NULL ? occurred : "?");

  /* The description is free text; its beginning is enough to tell events apart. */
  subtitle = g_strdup (description != NULL ? description : "");
  g_strdelimit (subtitle, "\r\n\t", ' ');
  if (g_utf8_strlen (subtitle, -1) > DESCRIPTION_CHARS)
    {
      g_autofree char *head = g_utf8_substring (subtitle, 0, DESCRIPTION_CHARS);

      g_free (subtitle);
      subtitle = g_strconcat (head, "…", NULL);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

static void
on_remove_event (GtkWidget *button,
                 gpointer   user_data)
{
  DossierEditorDeliveryPage *self = g_object_get_data (G_OBJECT (button), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  GtkWidget *expander = g_hash_table_lookup (self->expanders, &id);
  g_autofree char *name = g_strdup_printf (_("Adverse event “%s”"),
                                           expander != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)) : "?");

  dossier_editor_page_remove_record (DOSSIER_EDITOR_PAGE (self), "adverse_event", id, name);
}

static void
fill_events (DossierEditorDeliveryPage *self,
             GPtrArray                 *events)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);

  if (events->len == 0)
    {
      gtk_list_box_append (self->events_list, dossier_editor_page_placeholder_new (_("No adverse events recorded")));
      return;
    }

  for (guint i = events->len; i > 0; i--)
    {
      GHashTable *row = g_ptr_array_index (events, i - 1);
      gint64 id = dossier_editor_row_id (row);
      GtkWidget *expander = dossier_editor_page_expander_new (page, "adverse_event", id);
      GtkWidget *remove;
      GtkWidget *button;

      g_hash_table_insert (self->expanders, g_memdup2 (&id, sizeof id), expander);
      set_titles (expander, row);
      for (guint c = 0; event_columns[c] != NULL; c++)
        dossier_editor_page_add_field (page, expander, "adverse_event", event_columns[c], id, row);

      remove = dossier_editor_page_button_row_new (_("_Remove Event"), "user-trash-symbolic", TRUE,
                                                   G_CALLBACK (on_remove_event), NULL);
      button = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (remove));
      g_object_set_data (G_OBJECT (button), "page", self);
      g_object_set_data (G_OBJECT (button), "id", GSIZE_TO_POINTER (id));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), remove);

      gtk_list_box_append (self->events_list, expander);
    }
}

GtkWidget *
dossier_editor_delivery_page_add_event (DossierEditorDeliveryPage *self)
{
  DossierEditorRecordDialog *dialog;
  g_autofree char *date = dossier_editor_today ();

  g_return_val_if_fail (DOSSIER_IS_EDITOR_DELIVERY_PAGE (self), NULL);
  g_return_val_if_fail (session_of (self) != NULL, NULL);

  dialog = dossier_editor_record_dialog_new (GTK_WIDGET (self), session_of (self), _("Adverse Event"), _("_Record"));
  dossier_editor_record_dialog_add_field (dialog, "adverse_event", "occurred_on", NULL);
  dossier_editor_record_dialog_add_field (dialog, "adverse_event", "reported_on", date);
  dossier_editor_record_dialog_add_field (dialog, "adverse_event", "severity", NULL);
  dossier_editor_record_dialog_add_field (dialog, "adverse_event", "description", NULL);

  return present (self, dialog, "adverse_event");
}

static void
on_add_event (DossierEditorDeliveryPage *self)
{
  dossier_editor_delivery_page_add_event (self);
}

/* Page ---------------------------------------------------------------------------------- */

static void
dossier_editor_delivery_page_reload (DossierEditorPage *page)
{
  DossierEditorDeliveryPage *self = DOSSIER_EDITOR_DELIVERY_PAGE (page);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  dossier_editor_page_clear_box (GTK_WIDGET (self->delivery_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->use_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->events_list));
  dossier_editor_page_clear_fields (page);
  g_hash_table_remove_all (self->expanders);

  if (session_of (self) == NULL)
    return;

  dossier_editor_page_fill_single (page, GTK_WIDGET (self->delivery_list), "delivery", delivery_columns,
                                   _("Not delivered yet"), _("_Record Delivery…"),
                                   G_CALLBACK (on_add_delivery), self);
  dossier_editor_page_fill_single (page, GTK_WIDGET (self->use_list), "use_record", use_columns,
                                   _("No use reported yet"), _("Record _Use…"),
                                   G_CALLBACK (on_add_use), self);

  events = dossier_store_list_rows (store_of (self), "adverse_event", "dossier_id",
                                    dossier_editor_session_get_dossier_id (session_of (self)), &error);
  if (events == NULL)
    dossier_editor_page_report (page, error);
  else
    fill_events (self, events);
}

static void
dossier_editor_delivery_page_changed (DossierEditorPage *page,
                                      const char        *table,
                                      gint64             id)
{
  DossierEditorDeliveryPage *self = DOSSIER_EDITOR_DELIVERY_PAGE (page);
  GtkWidget *expander;
  g_autoptr(GHashTable) row = NULL;

  if (!g_str_equal (table, "adverse_event"))
    return;

  expander = g_hash_table_lookup (self->expanders, &id);
  if (expander != NULL && (row = dossier_store_get_row (store_of (self), table, id, NULL)) != NULL)
    set_titles (expander, row);
}

static void
dossier_editor_delivery_page_dispose (GObject *object)
{
  DossierEditorDeliveryPage *self = (DossierEditorDeliveryPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_DELIVERY_PAGE);
  g_clear_pointer (&self->expanders, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_editor_delivery_page_parent_class)->dispose (object);
}

static void
dossier_editor_delivery_page_class_init (DossierEditorDeliveryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_delivery_page_dispose;
  page_class->reload = dossier_editor_delivery_page_reload;
  page_class->changed = dossier_editor_delivery_page_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-delivery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDeliveryPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDeliveryPage, delivery_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDeliveryPage, use_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorDeliveryPage, events_list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_event);
}

static void
dossier_editor_delivery_page_init (DossierEditorDeliveryPage *self)
{
  self->expanders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}
