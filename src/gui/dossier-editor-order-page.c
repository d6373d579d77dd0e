/* dossier-editor-order-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-order-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-logic.h"
#include "dossier-editor-order-page.h"
#include "dossier-format.h"
#include "dossier-schema.h"

struct _DossierEditorOrderPage
{
  DossierEditorPage  parent_instance;

  GtkScrolledWindow *scroller;
  GtkListBox        *binding_list;
  GtkListBox        *request_list;
  GtkListBox        *requirements_list;
  GtkListBox        *signatures_list;
  GtkListBox        *notes_list;
};

G_DEFINE_FINAL_TYPE (DossierEditorOrderPage, dossier_editor_order_page, DOSSIER_TYPE_EDITOR_PAGE)

typedef enum
{
  GROUP_REQUEST,
  GROUP_REQUIREMENTS,
  GROUP_SIGNATURES,
  GROUP_NOTES,
} Group;

/* The order fields as Announcement 2019 No. 53 lists them: the clinical request,
 * then requirements, then signatures. */
static const struct
{
  const char *column;
  Group       group;
  gboolean    customized_only;
} order_columns[] = {
  { "ordered_on", GROUP_REQUEST, FALSE },
  { "clinician_id", GROUP_REQUEST, FALSE },
  { "patient_age", GROUP_REQUEST, FALSE },
  { "condition", GROUP_REQUEST, FALSE },
  { "lesion_site", GROUP_REQUEST, FALSE },
  { "treatment_plan", GROUP_REQUEST, FALSE },
  { "risks", GROUP_REQUEST, FALSE },
  { "necessity", GROUP_REQUEST, TRUE },
  { "clinical_data", GROUP_REQUEST, FALSE },
  { "design_requirements", GROUP_REQUIREMENTS, FALSE },
  { "delivery_requirements", GROUP_REQUIREMENTS, FALSE },
  { "acceptance_criteria", GROUP_REQUIREMENTS, FALSE },
  { "body_days", GROUP_REQUIREMENTS, FALSE },
  { "clinician_signed_on", GROUP_SIGNATURES, FALSE },
  { "manufacturer_contact", GROUP_SIGNATURES, FALSE },
  { "manufacturer_signed_on", GROUP_SIGNATURES, FALSE },
  { "notes", GROUP_NOTES, FALSE },
};

static GtkWidget *
group_list (DossierEditorOrderPage *self,
            Group                   group)
{
  switch (group)
    {
    case GROUP_REQUEST:      return GTK_WIDGET (self->request_list);
    case GROUP_REQUIREMENTS: return GTK_WIDGET (self->requirements_list);
    case GROUP_SIGNATURES:   return GTK_WIDGET (self->signatures_list);
    case GROUP_NOTES:
    default:                 return GTK_WIDGET (self->notes_list);
    }
}

static void
add_property (DossierEditorOrderPage *self,
              const char             *name,
              const char             *label,
              const char             *value)
{
  gtk_list_box_append (self->binding_list, dossier_editor_page_property_row_new (name, label, value));
}

static void
fill_binding (DossierEditorOrderPage *self,
              DossierEditorSession   *session)
{
  DossierStore *store = dossier_editor_session_get_store (session);
  g_autoptr(GHashTable) patient = NULL;
  g_autofree char *institution = NULL;
  const char *kind = dossier_editor_session_get_value (session, "kind");
  gint64 patient_id = dossier_editor_session_get_id_value (session, "patient_id");

  /* The unit number and the kind head the editor already. */
  institution = dossier_editor_session_reference_label (session, "institution",
                                                        dossier_editor_session_get_id_value (session, "institution_id"));
  add_property (self, "institution", dossier_schema_column_label ("dossier", "institution_id"), institution);

  patient = patient_id > 0 ? dossier_store_get_row (store, "patient", patient_id, NULL) : NULL;
  add_property (self, "patient_code", dossier_schema_column_label ("patient", "code"),
                patient != NULL ? g_hash_table_lookup (patient, "code") : NULL);
  if (patient != NULL)
    {
      const DossierColumn *sex = dossier_schema_lookup_column (dossier_schema_lookup_table ("patient"), "sex");

      add_property (self, "sex", dossier_schema_column_label ("patient", "sex"),
                    dossier_schema_choice_label (sex, g_hash_table_lookup (patient, "sex")));
      add_property (self, "birth_year", dossier_schema_column_label ("patient", "birth_year"),
                    g_hash_table_lookup (patient, "birth_year"));
    }

  if (g_strcmp0 (kind, "customized") == 0)
    {
      gint64 filing_id = dossier_editor_session_get_id_value (session, "filing_id");
      g_autoptr(GHashTable) filing = filing_id > 0 ? dossier_store_get_row (store, "filing", filing_id, NULL) : NULL;
      const char *number = filing != NULL ? g_hash_table_lookup (filing, "number") : NULL;

      add_property (self, "product", dossier_schema_column_label ("dossier", "filing_id"),
                    filing != NULL ? g_hash_table_lookup (filing, "device_name") : NULL);
      /* A draft filing has no number yet; say so rather than "not recorded". */
      add_property (self, "reference", dossier_schema_column_label ("filing", "number"),
                    number != NULL ? number : _("Filing not yet numbered"));
    }
  else
    {
      gint64 model_id = dossier_editor_session_get_id_value (session, "model_id");
      g_autoptr(GHashTable) model = model_id > 0 ? dossier_store_get_row (store, "product_model", model_id, NULL) : NULL;
      const char *product_id = model != NULL ? g_hash_table_lookup (model, "product_id") : NULL;
      g_autoptr(GHashTable) product = product_id != NULL
        ? dossier_store_get_row (store, "product", g_ascii_strtoll (product_id, NULL, 10), NULL) : NULL;

      add_property (self, "product", dossier_schema_column_label ("product_model", "product_id"),
                    product != NULL ? g_hash_table_lookup (product, "name_zh") : NULL);
      add_property (self, "reference", dossier_schema_column_label ("product_model", "code"),
                    model != NULL ? g_hash_table_lookup (model, "code") : NULL);
    }
}

static void
update_body_days_hint (DossierEditorOrderPage *self)
{
  DossierEditorPage *page = DOSSIER_EDITOR_PAGE (self);
  DossierEditorSession *session = dossier_editor_page_get_session (page);
  DossierEditorField *field;

  if (session == NULL)
    return;

  field = dossier_editor_page_find_field (page, "dossier", dossier_editor_session_get_dossier_id (session), "body_days");
  if (field != NULL)
    dossier_editor_field_set_hint (field,
                                   dossier_editor_body_days_hint (dossier_editor_session_get_value (session, "body_days"),
                                                                  dossier_editor_session_get_implantable_min_days (session)));
}

static void
dossier_editor_order_page_reload (DossierEditorPage *page)
{
  DossierEditorOrderPage *self = DOSSIER_EDITOR_ORDER_PAGE (page);
  DossierEditorSession *session = dossier_editor_page_get_session (page);
  gboolean customized;
  gint64 id;

  dossier_editor_page_clear_box (GTK_WIDGET (self->binding_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->request_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->requirements_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->signatures_list));
  dossier_editor_page_clear_box (GTK_WIDGET (self->notes_list));
  dossier_editor_page_clear_fields (page);

  if (session == NULL)
    return;

  fill_binding (self, session);

  customized = g_strcmp0 (dossier_editor_session_get_value (session, "kind"), "customized") == 0;
  id = dossier_editor_session_get_dossier_id (session);

  for (guint i = 0; i < G_N_ELEMENTS (order_columns); i++)
    {
      if (order_columns[i].customized_only && !customized)
        continue;

      dossier_editor_page_add_field (page, group_list (self, order_columns[i].group), "dossier",
                                     order_columns[i].column, id,
                                     dossier_editor_session_get_dossier (session));
    }

  update_body_days_hint (self);
}

static void
dossier_editor_order_page_changed (DossierEditorPage *page,
                                   const char        *table,
                                   gint64             id)
{
  if (g_str_equal (table, "dossier"))
    update_body_days_hint (DOSSIER_EDITOR_ORDER_PAGE (page));
}

static void
dossier_editor_order_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_ORDER_PAGE);

  G_OBJECT_CLASS (dossier_editor_order_page_parent_class)->dispose (object);
}

static void
dossier_editor_order_page_class_init (DossierEditorOrderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_order_page_dispose;
  page_class->reload = dossier_editor_order_page_reload;
  page_class->changed = dossier_editor_order_page_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-order-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorOrderPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorOrderPage, binding_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorOrderPage, request_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorOrderPage, requirements_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorOrderPage, signatures_list);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorOrderPage, notes_list);
}

static void
dossier_editor_order_page_init (DossierEditorOrderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
