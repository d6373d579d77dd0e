/* dossier-registry-record-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-registry-record-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choices.h"
#include "dossier-registry-record-window.h"
#include "dossier-schema.h"

struct _DossierRegistryRecordWindow
{
  AdwWindow            parent_instance;

  DossierRegistryForm *form;
  char                *new_title;

  /* Template widgets */
  AdwWindowTitle      *title;
  GtkWidget           *box;
};

G_DEFINE_FINAL_TYPE (DossierRegistryRecordWindow, dossier_registry_record_window, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_title (DossierRegistryRecordWindow *self)
{
  DossierStore *store = dossier_registry_form_get_store (self->form);
  const char *table = dossier_registry_form_get_table (self->form);
  gint64 id = dossier_registry_form_get_record_id (self->form);
  g_autoptr(DossierOption) option = id > 0 ? dossier_choices_get_record (store, table, id, NULL) : NULL;

  if (option != NULL)
    {
      adw_window_title_set_title (self->title, option->title);
      adw_window_title_set_subtitle (self->title, dossier_schema_table_label (table));
      gtk_window_set_title (GTK_WINDOW (self), option->title);
    }
  else
    {
      adw_window_title_set_title (self->title, self->new_title);
      gtk_window_set_title (GTK_WINDOW (self), self->new_title);
    }
}

static void
on_saved (DossierRegistryForm         *form,
          gint64                       id,
          gboolean                     added,
          DossierRegistryRecordWindow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);

  if (added)
    gtk_window_close (GTK_WINDOW (self));
  else
    update_title (self);
}

static void
on_deleted (DossierRegistryForm         *form,
            gint64                       id,
            DossierRegistryRecordWindow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
dossier_registry_record_window_finalize (GObject *object)
{
  DossierRegistryRecordWindow *self = (DossierRegistryRecordWindow *)object;

  g_clear_pointer (&self->new_title, g_free);

  G_OBJECT_CLASS (dossier_registry_record_window_parent_class)->finalize (object);
}

static void
dossier_registry_record_window_class_init (DossierRegistryRecordWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dossier_registry_record_window_finalize;

  /**
   * DossierRegistryRecordWindow::changed:
   *
   * Emitted after the part was added, changed or deleted.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-registry-record-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryRecordWindow, title);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryRecordWindow, box);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_registry_record_window_init (DossierRegistryRecordWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dossier_registry_record_window_new (GtkWindow     *transient_for,
                                    DossierStore  *store,
                                    const char    *table,
                                    const char    *parent_column,
                                    const char    *parent_value,
                                    gint64         id,
                                    const char    *new_title,
                                    GError       **error)
{
  DossierRegistryRecordWindow *self;

  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  /* GTK's list of toplevels owns the window; gtk_window_destroy() lets go. */
  self = g_object_new (DOSSIER_TYPE_REGISTRY_RECORD_WINDOW,
                       "transient-for", transient_for,
                       NULL);

  self->new_title = g_strdup (new_title != NULL ? new_title : dossier_schema_table_label (table));
  self->form = DOSSIER_REGISTRY_FORM (dossier_registry_form_new (store, table));
  if (parent_column != NULL)
    dossier_registry_form_set_fixed (self->form, parent_column, parent_value);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->form));

  if (!dossier_registry_form_load (self->form, id, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  g_signal_connect_object (self->form, "saved", G_CALLBACK (on_saved), self, 0);
  g_signal_connect_object (self->form, "deleted", G_CALLBACK (on_deleted), self, 0);
  update_title (self);

  return GTK_WIDGET (self);
}

DossierRegistryForm *
dossier_registry_record_window_get_form (DossierRegistryRecordWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_RECORD_WINDOW (self), NULL);

  return self->form;
}
