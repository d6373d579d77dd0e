/* dossier-registry-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-registry-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-registry-window.h"

struct _DossierRegistryWindow
{
  AdwWindow       parent_instance;

  DossierStore   *store;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet     *leaflet;
  GtkWidget      *sidebar;
  AdwHeaderBar   *sidebar_header;
  GtkListBox     *sidebar_list;
  GtkStack       *stack;
};

G_DEFINE_FINAL_TYPE (DossierRegistryWindow, dossier_registry_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
sidebar_row_new (DossierRegistryPage *page)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (dossier_registry_page_get_icon_name (page));
  GtkWidget *label = gtk_label_new (dossier_registry_page_get_title (page));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "table", g_strdup (dossier_registry_page_get_table (page)), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, dossier_registry_page_get_title (page),
                                  -1);

  return row;
}

static void
on_sidebar_row_selected (DossierRegistryWindow *self,
                         GtkListBoxRow         *row)
{
  const char *table = row != NULL ? g_object_get_data (G_OBJECT (row), "table") : NULL;
  GtkWidget *page;

  if (table == NULL)
    return;

  page = gtk_stack_get_child_by_name (self->stack, table);
  /* Other registers may have changed since it was last shown. */
  dossier_registry_page_reload (DOSSIER_REGISTRY_PAGE (page));
  gtk_stack_set_visible_child (self->stack, page);
}

static void
on_sidebar_row_activated (DossierRegistryWindow *self,
                          GtkListBoxRow         *row)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
}

static void
on_folded_changed (DossierRegistryWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  adw_header_bar_set_show_end_title_buttons (self->sidebar_header, folded);

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    dossier_registry_page_set_narrow (DOSSIER_REGISTRY_PAGE (c), folded);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierRegistryWindow *self = DOSSIER_REGISTRY_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
dossier_registry_window_constructed (GObject *object)
{
  DossierRegistryWindow *self = (DossierRegistryWindow *)object;
  const char * const *tables = dossier_registry_page_tables ();

  G_OBJECT_CLASS (dossier_registry_window_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  for (guint i = 0; tables[i] != NULL; i++)
    {
      GtkWidget *page = dossier_registry_page_new (self->store, tables[i]);
      GtkStackPage *stack_page = gtk_stack_add_named (self->stack, page, tables[i]);

      gtk_stack_page_set_title (stack_page, dossier_registry_page_get_title (DOSSIER_REGISTRY_PAGE (page)));
      gtk_list_box_append (self->sidebar_list, sidebar_row_new (DOSSIER_REGISTRY_PAGE (page)));
    }

  on_folded_changed (self);

  /* Institutions are what people come here for most often. */
  dossier_registry_window_show_page (self, "institution");
}

static void
dossier_registry_window_dispose (GObject *object)
{
  DossierRegistryWindow *self = (DossierRegistryWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_REGISTRY_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_registry_window_parent_class)->dispose (object);
}

static void
dossier_registry_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DossierRegistryWindow *self = DOSSIER_REGISTRY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_registry_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  DossierRegistryWindow *self = DOSSIER_REGISTRY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_registry_window_class_init (DossierRegistryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_registry_window_constructed;
  object_class->dispose = dossier_registry_window_dispose;
  object_class->get_property = dossier_registry_window_get_property;
  object_class->set_property = dossier_registry_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOSSIER_TYPE_REGISTRY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-registry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);

  gtk_widget_class_install_action (widget_class, "registers.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "registers.back", NULL);
}

static void
dossier_registry_window_init (DossierRegistryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

GtkWidget *
dossier_registry_window_new (GtkWindow    *transient_for,
                             DossierStore *store)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_REGISTRY_WINDOW,
                       "transient-for", transient_for,
                       "application", transient_for != NULL ? gtk_window_get_application (transient_for) : NULL,
                       "store", store,
                       NULL);
}

DossierStore *
dossier_registry_window_get_store (DossierRegistryWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_WINDOW (self), NULL);

  return self->store;
}

DossierRegistryPage *
dossier_registry_window_get_page (DossierRegistryWindow *self,
                                  const char            *table)
{
  GtkWidget *page;

  g_return_val_if_fail (DOSSIER_IS_REGISTRY_WINDOW (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  page = gtk_stack_get_child_by_name (self->stack, table);
  return page != NULL ? DOSSIER_REGISTRY_PAGE (page) : NULL;
}

void
dossier_registry_window_show_page (DossierRegistryWindow *self,
                                   const char            *table)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_WINDOW (self));
  g_return_if_fail (table != NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c) && g_strcmp0 (g_object_get_data (G_OBJECT (c), "table"), table) == 0)
      {
        if (gtk_list_box_get_selected_row (self->sidebar_list) == GTK_LIST_BOX_ROW (c))
          on_sidebar_row_selected (self, GTK_LIST_BOX_ROW (c));
        else
          gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (c));
        on_sidebar_row_activated (self, GTK_LIST_BOX_ROW (c));
        return;
      }

  g_return_if_reached ();
}
