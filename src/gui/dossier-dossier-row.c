/* dossier-dossier-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-dossier-row"

#include "config.h"

#include "dossier-dossier-row.h"
#include "dossier-format.h"

struct _DossierDossierRow
{
  GtkWidget       parent_instance;

  DossierDossier *dossier;

  GtkLabel       *unit_no_label;
  GtkLabel       *status_label;
  GtkLabel       *subtitle_label;
  GtkLabel       *product_label;
  GtkLabel       *implant_label;
  GtkImage       *problem_icon;
  GtkImage       *changed_icon;

  const char     *status_class;
};

G_DEFINE_FINAL_TYPE (DossierDossierRow, dossier_dossier_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOSSIER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dossier_dossier_row_update (DossierDossierRow *self)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *product = NULL;
  g_autofree char *accessible = NULL;
  const char *status_class;

  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
      self->status_class = NULL;
    }

  if (self->dossier == NULL)
    {
      gtk_label_set_label (self->unit_no_label, "");
      gtk_label_set_label (self->status_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      gtk_label_set_label (self->product_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->implant_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_icon), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->changed_icon), FALSE);
      return;
    }

  subtitle = dossier_format_row_subtitle (self->dossier);
  product = dossier_format_product_line (self->dossier);
  accessible = dossier_format_row_accessible_label (self->dossier);
  status_class = dossier_format_status_css_class (dossier_dossier_get_status (self->dossier));

  gtk_label_set_label (self->unit_no_label, dossier_dossier_get_unit_no (self->dossier));
  gtk_label_set_label (self->status_label,
                       dossier_format_status_label (dossier_dossier_get_status (self->dossier)));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_class);
  self->status_class = status_class;
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_label_set_label (self->product_label, product);
  gtk_widget_set_visible (GTK_WIDGET (self->implant_label),
                          dossier_dossier_get_implantable (self->dossier));
  gtk_widget_set_visible (GTK_WIDGET (self->problem_icon),
                          dossier_dossier_get_has_problems (self->dossier));
  /* Worked out here, for the rows shown, not when the list reads a page. */
  gtk_widget_set_visible (GTK_WIDGET (self->changed_icon),
                          dossier_dossier_get_changed_after_signature (self->dossier));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
dossier_dossier_row_dispose (GObject *object)
{
  DossierDossierRow *self = (DossierDossierRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_DOSSIER_ROW);
  /* dispose_template() only drops bound children; the layout box is not one. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->dossier);

  G_OBJECT_CLASS (dossier_dossier_row_parent_class)->dispose (object);
}

static void
dossier_dossier_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DossierDossierRow *self = DOSSIER_DOSSIER_ROW (object);

  switch (prop_id)
    {
    case PROP_DOSSIER:
      g_value_set_object (value, self->dossier);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DossierDossierRow *self = DOSSIER_DOSSIER_ROW (object);

  switch (prop_id)
    {
    case PROP_DOSSIER:
      dossier_dossier_row_set_dossier (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_row_class_init (DossierDossierRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_dossier_row_dispose;
  object_class->get_property = dossier_dossier_row_get_property;
  object_class->set_property = dossier_dossier_row_set_property;

  properties[PROP_DOSSIER] =
    g_param_spec_object ("dossier", NULL, NULL, DOSSIER_TYPE_DOSSIER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-dossier-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, unit_no_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, product_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, implant_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, problem_icon);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierRow, changed_icon);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dossierrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dossier_dossier_row_init (DossierDossierRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dossier_dossier_row_new (void)
{
  return g_object_new (DOSSIER_TYPE_DOSSIER_ROW, NULL);
}

DossierDossier *
dossier_dossier_row_get_dossier (DossierDossierRow *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_ROW (self), NULL);

  return self->dossier;
}

void
dossier_dossier_row_set_dossier (DossierDossierRow *self,
                                 DossierDossier    *dossier)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_ROW (self));
  g_return_if_fail (dossier == NULL || DOSSIER_IS_DOSSIER (dossier));

  if (!g_set_object (&self->dossier, dossier))
    return;

  dossier_dossier_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOSSIER]);
}
