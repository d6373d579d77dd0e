/* dossier-editor-history-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-history-page.h"
#include "dossier-editor-logic.h"
#include "dossier-history.h"

struct _DossierEditorHistoryPage
{
  DossierEditorPage  parent_instance;

  gboolean           stale;
  guint              rebuild_source;
  guint              limit;
  guint              n_shown;

  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkScrolledWindow *scroller;
  GtkBox            *days_box;
};

G_DEFINE_FINAL_TYPE (DossierEditorHistoryPage, dossier_editor_history_page, DOSSIER_TYPE_EDITOR_PAGE)

static char *
name_reference (const char *table,
                gint64      id,
                gpointer    user_data)
{
  return dossier_editor_session_reference_label (user_data, table, id);
}

static GtkWidget *
entry_row_new (DossierEditorHistoryItem *item)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (item->text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "history-row");
  gtk_widget_set_name (row, "history-entry");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  if (item->tooltip != NULL)
    gtk_widget_set_tooltip_text (label, item->tooltip);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, item->text, -1);

  return row;
}

static GtkWidget *
day_group_new (const char  *day,
               GtkWidget  **list)
{
  g_autofree char *heading = dossier_editor_history_day_heading (day, NULL);
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), heading);
  /* The heading is a friendly name; the date itself stays visible beside it. */
  if (!g_str_equal (heading, day))
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), day);

  *list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (*list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (*list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (*list), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), *list);

  return group;
}

static void rebuild (DossierEditorHistoryPage *self);

static void
on_show_older (GtkButton                *button,
               DossierEditorHistoryPage *self)
{
  self->limit += DOSSIER_EDITOR_HISTORY_PAGE_SIZE;
  rebuild (self);
}

static void
rebuild (DossierEditorHistoryPage *self)
{
  DossierEditorSession *session = dossier_editor_page_get_session (DOSSIER_EDITOR_PAGE (self));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *day = NULL;
  GtkWidget *list = NULL;
  guint n;

  self->stale = FALSE;
  self->n_shown = 0;
  dossier_editor_page_clear_box (GTK_WIDGET (self->days_box));

  if (session == NULL)
    return;

  entries = dossier_store_dossier_audit (dossier_editor_session_get_store (session),
                                         dossier_editor_session_get_dossier_id (session), &error);
  if (entries == NULL)
    {
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  items = dossier_editor_history_build (entries, name_reference, session);
  if (items->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* A long trail is shown a page at a time: thousands of rows are slow to build
   * and nobody reads them at once. */
  n = MIN (items->len, self->limit);
  for (guint i = 0; i < n; i++)
    {
      DossierEditorHistoryItem *item = g_ptr_array_index (items, i);

      if (day == NULL || !g_str_equal (day, item->day))
        {
          day = item->day;
          gtk_box_append (self->days_box, day_group_new (day, &list));
        }
      gtk_list_box_append (GTK_LIST_BOX (list), entry_row_new (item));
    }
  self->n_shown = n;

  if (n < items->len)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _Older Entries"));

      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "pill");
      g_signal_connect (button, "clicked", G_CALLBACK (on_show_older), self);
      gtk_box_append (self->days_box, button);
    }

  gtk_stack_set_visible_child_name (self->stack, "history");
}

static gboolean
rebuild_idle (gpointer user_data)
{
  DossierEditorHistoryPage *self = user_data;

  self->rebuild_source = 0;
  rebuild (self);

  return G_SOURCE_REMOVE;
}

/* Several changes in a row are read once, after them. */
static void
queue_rebuild (DossierEditorHistoryPage *self)
{
  self->stale = TRUE;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->rebuild_source == 0)
    self->rebuild_source = g_idle_add (rebuild_idle, self);
}

static void
dossier_editor_history_page_reload (DossierEditorPage *page)
{
  DossierEditorHistoryPage *self = DOSSIER_EDITOR_HISTORY_PAGE (page);

  self->limit = DOSSIER_EDITOR_HISTORY_PAGE_SIZE;

  if (dossier_editor_page_get_session (page) == NULL || gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_clear_handle_id (&self->rebuild_source, g_source_remove);
      rebuild (self);
    }
  else
    {
      /* Another dossier's entries must not show, even for a moment. */
      dossier_editor_page_clear_box (GTK_WIDGET (self->days_box));
      self->n_shown = 0;
      self->stale = TRUE;
    }
}

static void
dossier_editor_history_page_changed (DossierEditorPage *page,
                                     const char        *table,
                                     gint64             id)
{
  queue_rebuild (DOSSIER_EDITOR_HISTORY_PAGE (page));
}

static void
dossier_editor_history_page_map (GtkWidget *widget)
{
  DossierEditorHistoryPage *self = DOSSIER_EDITOR_HISTORY_PAGE (widget);

  GTK_WIDGET_CLASS (dossier_editor_history_page_parent_class)->map (widget);

  if (self->stale)
    rebuild (self);
}

static void
dossier_editor_history_page_dispose (GObject *object)
{
  DossierEditorHistoryPage *self = (DossierEditorHistoryPage *)object;

  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_HISTORY_PAGE);

  G_OBJECT_CLASS (dossier_editor_history_page_parent_class)->dispose (object);
}

static void
dossier_editor_history_page_class_init (DossierEditorHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_history_page_dispose;
  widget_class->map = dossier_editor_history_page_map;
  page_class->reload = dossier_editor_history_page_reload;
  page_class->changed = dossier_editor_history_page_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorHistoryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorHistoryPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorHistoryPage, days_box);
}

static void
dossier_editor_history_page_init (DossierEditorHistoryPage *self)
{
  self->limit = DOSSIER_EDITOR_HISTORY_PAGE_SIZE;

  gtk_widget_init_template (GTK_WIDGET (self));
}

guint
dossier_editor_history_page_get_n_shown (DossierEditorHistoryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_HISTORY_PAGE (self), 0);

  return self->n_shown;
}
