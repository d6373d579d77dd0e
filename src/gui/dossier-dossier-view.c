/* dossier-dossier-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-dossier-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dossier-dossier-view.h"
#include "dossier-format.h"
#include "dossier-schema.h"

struct _DossierDossierView
{
  GtkWidget       parent_instance;

  DossierStore   *store;
  DossierDossier *dossier;
  const char     *status_class;

  GtkScrolledWindow *scroller;
  GtkLabel       *unit_no_label;
  GtkLabel       *status_label;
  GtkLabel       *kind_label;
  GtkLabel       *implant_label;
  GtkLabel       *dates_label;
  GtkLabel       *error_label;
  GtkWidget      *summary_group;
  GtkListBox     *summary_list;
  GtkWidget      *order_group;
  GtkListBox     *order_list;
  GtkWidget      *iterations_group;
  GtkListBox     *iterations_list;
};

G_DEFINE_FINAL_TYPE (DossierDossierView, dossier_dossier_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DOSSIER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A labelled value, read-only: the label small above the value, as GNOME shows
 * properties.  The value label is named after the field so that tests and
 * accessibility tools can find it. */
static GtkWidget *
property_row_new (const DossierFormatField *field)
{
  const char *text = field->value != NULL ? field->value : _("Not recorded");
  g_autofree char *accessible = g_strdup_printf ("%s: %s", field->label, text);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (field->label);
  GtkWidget *value = gtk_label_new (text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property-row");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "caption");
  gtk_widget_add_css_class (title, "dim-label");

  gtk_widget_set_name (value, field->column);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  if (field->value == NULL)
    {
      gtk_widget_add_css_class (value, "dim-label");
      gtk_widget_add_css_class (value, "missing");
    }

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  return row;
}

static void
fill_properties (GtkListBox *list,
                 GPtrArray  *fields)
{
  clear_list (list);
  for (guint i = 0; i < fields->len; i++)
    gtk_list_box_append (list, property_row_new (g_ptr_array_index (fields, i)));
}

static GtkWidget *
placeholder_row_new (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property-row");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);

  return row;
}

static GtkWidget *
parameter_row_new (GHashTable *parameter)
{
  g_autofree char *text = dossier_format_parameter_value (parameter);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (text);

  /* Names and values are data, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_hash_table_lookup (parameter, "name"));

  /* Values are short; a long category is cut, with all of it in the tooltip. */
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (value), 40);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_set_tooltip_text (value, text);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);

  return row;
}

static GtkWidget *
iteration_row_new (DossierDossierView  *self,
                   GHashTable          *iteration,
                   gboolean             expanded,
                   GError             **error)
{
  g_autoptr(GPtrArray) parameters = NULL;
  g_autofree char *title = dossier_format_iteration_title (iteration);
  g_autofree char *subtitle = dossier_format_iteration_subtitle (iteration);
  const char *notes = g_hash_table_lookup (iteration, "notes");
  const char *id = g_hash_table_lookup (iteration, "id");
  GtkWidget *row;

  parameters = dossier_store_list_rows (self->store, "parameter_value", "iteration_id",
                                        g_ascii_strtoll (id != NULL ? id : "0", NULL, 10), error);
  if (parameters == NULL)
    return NULL;

  row = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), expanded);

  for (guint i = 0; i < parameters->len; i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), parameter_row_new (g_ptr_array_index (parameters, i)));

  if (parameters->len == 0)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), placeholder_row_new (_("No parameter values recorded")));

  if (notes != NULL && *notes != '\0')
    {
      DossierFormatField field = {
        "iteration-notes",
        dossier_schema_column_label ("design_iteration", "notes"),
        (char *)notes,
        TRUE
      };
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), property_row_new (&field));
    }

  return row;
}

static gboolean
fill_iterations (DossierDossierView  *self,
                 GError             **error)
{
  g_autoptr(GPtrArray) iterations = NULL;

  clear_list (self->iterations_list);

  iterations = dossier_store_list_rows (self->store, "design_iteration", "dossier_id",
                                        dossier_dossier_get_id (self->dossier), error);
  if (iterations == NULL)
    return FALSE;

  if (iterations->len == 0)
    {
      gtk_list_box_append (self->iterations_list,
                           placeholder_row_new (_("No design iterations recorded yet")));
      return TRUE;
    }

  /* Newest first, and open: the latest version is the one under review. */
  for (guint i = iterations->len; i > 0; i--)
    {
      GtkWidget *row = iteration_row_new (self, g_ptr_array_index (iterations, i - 1),
                                          i == iterations->len, error);

      if (row == NULL)
        return FALSE;
      gtk_list_box_append (self->iterations_list, row);
    }

  return TRUE;
}

static void
show_error (DossierDossierView *self,
            const GError       *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not read this dossier: %s"), error->message);

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
dossier_dossier_view_update (DossierDossierView *self)
{
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GHashTable) patient = NULL;
  g_autoptr(GPtrArray) summary = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *dates = NULL;
  const char *status;

  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
      self->status_class = NULL;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  clear_list (self->summary_list);
  clear_list (self->order_list);
  clear_list (self->iterations_list);

  if (self->dossier == NULL || self->store == NULL)
    {
      gtk_label_set_label (self->unit_no_label, "");
      return;
    }

  status = dossier_dossier_get_status (self->dossier);
  self->status_class = dossier_format_status_css_class (status);

  gtk_label_set_label (self->unit_no_label, dossier_dossier_get_unit_no (self->dossier));
  gtk_label_set_label (self->status_label, dossier_format_status_label (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), self->status_class);
  gtk_label_set_label (self->kind_label, dossier_format_kind_label (dossier_dossier_get_kind (self->dossier)));
  gtk_widget_set_visible (GTK_WIDGET (self->implant_label), dossier_dossier_get_implantable (self->dossier));

  created = dossier_format_timestamp (dossier_dossier_get_created_at (self->dossier));
  updated = dossier_format_timestamp (dossier_dossier_get_updated_at (self->dossier));
  /* Translators: when the dossier was created and last changed. */
  dates = g_strdup_printf (_("Created %s · Updated %s"), created, updated);
  gtk_label_set_label (self->dates_label, dates);

  row = dossier_store_get_row (self->store, "dossier", dossier_dossier_get_id (self->dossier), &error);
  if (row != NULL)
    {
      const char *patient_id = g_hash_table_lookup (row, "patient_id");

      /* Missing patient details are shown as not recorded, not as an error. */
      if (patient_id != NULL)
        patient = dossier_store_get_row (self->store, "patient", g_ascii_strtoll (patient_id, NULL, 10), NULL);
    }

  summary = dossier_format_summary_fields (self->dossier, patient);
  fill_properties (self->summary_list, summary);

  if (row == NULL)
    {
      show_error (self, error);
      gtk_widget_set_visible (self->order_group, FALSE);
      gtk_widget_set_visible (self->iterations_group, FALSE);
      return;
    }

  order = dossier_format_order_fields (row, dossier_dossier_get_implantable (self->dossier));
  fill_properties (self->order_list, order);
  gtk_widget_set_visible (self->order_group, TRUE);

  gtk_widget_set_visible (self->iterations_group, TRUE);
  if (!fill_iterations (self, &error))
    show_error (self, error);
}

static void
dossier_dossier_view_dispose (GObject *object)
{
  DossierDossierView *self = (DossierDossierView *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_DOSSIER_VIEW);
  /* dispose_template() only drops bound children; the layout box is not one. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->dossier);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_dossier_view_parent_class)->dispose (object);
}

static void
dossier_dossier_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DOSSIER:
      g_value_set_object (value, self->dossier);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dossier_dossier_view_set_store (self, g_value_get_object (value));
      break;

    case PROP_DOSSIER:
      dossier_dossier_view_set_dossier (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_view_class_init (DossierDossierViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_dossier_view_dispose;
  object_class->get_property = dossier_dossier_view_get_property;
  object_class->set_property = dossier_dossier_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DOSSIER] =
    g_param_spec_object ("dossier", NULL, NULL, DOSSIER_TYPE_DOSSIER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-dossier-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, unit_no_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, status_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, kind_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, implant_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, dates_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, summary_group);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, summary_list);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, order_group);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, order_list);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, iterations_group);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, iterations_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dossierview");
}

static void
dossier_dossier_view_init (DossierDossierView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dossier_dossier_view_new (void)
{
  return g_object_new (DOSSIER_TYPE_DOSSIER_VIEW, NULL);
}

DossierStore *
dossier_dossier_view_get_store (DossierDossierView *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);

  return self->store;
}

void
dossier_dossier_view_set_store (DossierDossierView *self,
                                DossierStore       *store)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));
  g_return_if_fail (store == NULL || DOSSIER_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  dossier_dossier_view_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DossierDossier *
dossier_dossier_view_get_dossier (DossierDossierView *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);

  return self->dossier;
}

void
dossier_dossier_view_set_dossier (DossierDossierView *self,
                                  DossierDossier     *dossier)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));
  g_return_if_fail (dossier == NULL || DOSSIER_IS_DOSSIER (dossier));

  if (!g_set_object (&self->dossier, dossier))
    return;

  dossier_dossier_view_update (self);

  /* A different record starts at its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOSSIER]);
}
