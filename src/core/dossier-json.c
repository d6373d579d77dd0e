/* dossier-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-json"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dossier-history.h"
#include "dossier-json.h"
#include "dossier-schema.h"

static JsonNode *
string_or_null (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (text == NULL)
    return json_node_init_null (node);

  return json_node_init_string (node, text);
}

/* A value as its column's type.  Text that does not parse (only possible when the
 * file was changed outside Dossier) stays text, so that it is seen rather than lost. */
static JsonNode *
value_node (const DossierColumn *column,
            const char          *value)
{
  JsonNode *node;
  gint64 number;

  if (value == NULL)
    return json_node_new (JSON_NODE_NULL);

  node = json_node_new (JSON_NODE_VALUE);

  switch (column != NULL ? column->kind : DOSSIER_COLUMN_TEXT)
    {
    case DOSSIER_COLUMN_INTEGER:
    case DOSSIER_COLUMN_REFERENCE:
      if (g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
        return json_node_init_int (node, number);
      break;

    case DOSSIER_COLUMN_BOOLEAN:
      if (g_str_equal (value, "1") || g_str_equal (value, "0"))
        return json_node_init_boolean (node, g_str_equal (value, "1"));
      break;

    case DOSSIER_COLUMN_TEXT:
    case DOSSIER_COLUMN_DATE:
    case DOSSIER_COLUMN_TIMESTAMP:
    case DOSSIER_COLUMN_CHOICE:
    case DOSSIER_COLUMN_DECIMAL:
    default:
      break;
    }

  return json_node_init_string (node, value);
}

static gint64
row_id (GHashTable *row,
        const char *column)
{
  const char *value = g_hash_table_lookup (row, column);
  gint64 id = 0;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &id, NULL))
    return 0;

  return id;
}

/* id first, then every column the schema knows, in schema order. */
static JsonObject *
row_object (const char *table,
            GHashTable *row)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  JsonObject *object = json_object_new ();
  gint64 id = row_id (row, "id");

  g_assert (t != NULL);

  if (id > 0)
    json_object_set_int_member (object, "id", id);
  else
    json_object_set_member (object, "id", string_or_null (g_hash_table_lookup (row, "id")));

  for (const DossierColumn *c = t->columns; c->name != NULL; c++)
    json_object_set_member (object, c->name, value_node (c, g_hash_table_lookup (row, c->name)));

  return object;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* The row a reference column points at, or null when the column is empty. */
static gboolean
add_referenced_row (JsonObject    *object,
                    const char    *member,
                    DossierStore  *store,
                    const char    *table,
                    gint64         id,
                    GHashTable   **out_row,
                    GError       **error)
{
  g_autoptr(GHashTable) row = NULL;

  if (id <= 0)
    {
      json_object_set_null_member (object, member);
      return TRUE;
    }

  if (!(row = dossier_store_get_row (store, table, id, error)))
    return FALSE;

  json_object_set_member (object, member, object_node (row_object (table, row)));
  if (out_row != NULL)
    *out_row = g_steal_pointer (&row);

  return TRUE;
}

typedef gboolean (*RowExtra) (DossierStore  *store,
                              GHashTable    *row,
                              JsonObject    *object,
                              GError       **error);

/* The rows of table whose column is id, each one extended by extra. */
static JsonArray *
child_rows (DossierStore  *store,
            const char    *table,
            const char    *column,
            gint64         id,
            RowExtra       extra,
            GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonArray) array = NULL;

  if (!(rows = dossier_store_list_rows (store, table, column, id, error)))
    return NULL;

  array = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      GHashTable *row = g_ptr_array_index (rows, i);
      JsonObject *object = row_object (table, row);

      json_array_add_object_element (array, object);
      if (extra != NULL && !extra (store, row, object, error))
        return NULL;
    }

  return g_steal_pointer (&array);
}

/* release, delivery and use_record: at most one per dossier. */
static gboolean
add_single_child (JsonObject    *record,
                  DossierStore  *store,
                  const char    *table,
                  gint64         dossier_id,
                  GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  if (!(rows = dossier_store_list_rows (store, table, "dossier_id", dossier_id, error)))
    return FALSE;

  if (rows->len == 0)
    json_object_set_null_member (record, table);
  else
    json_object_set_member (record, table,
                            object_node (row_object (table, g_ptr_array_index (rows, 0))));

  return TRUE;
}

static gboolean
add_children (JsonObject    *record,
              const char    *member,
              DossierStore  *store,
              const char    *table,
              const char    *column,
              gint64         id,
              RowExtra       extra,
              GError       **error)
{
  JsonArray *array = child_rows (store, table, column, id, extra, error);

  if (array == NULL)
    return FALSE;

  json_object_set_array_member (record, member, array);
  return TRUE;
}

static gboolean
iteration_extra (DossierStore  *store,
                 GHashTable    *row,
                 JsonObject    *object,
                 GError       **error)
{
  return add_children (object, "parameter_values", store, "parameter_value", "iteration_id",
                       row_id (row, "id"), NULL, error);
}

static gboolean
confirmation_extra (DossierStore  *store,
                    GHashTable    *row,
                    JsonObject    *object,
                    GError       **error)
{
  return add_referenced_row (object, "clinician", store, "clinician",
                             row_id (row, "clinician_id"), NULL, error);
}

static gboolean
material_extra (DossierStore  *store,
                GHashTable    *row,
                JsonObject    *object,
                GError       **error)
{
  return add_referenced_row (object, "lot", store, "material_lot",
                             row_id (row, "lot_id"), NULL, error);
}

static gboolean
step_extra (DossierStore  *store,
            GHashTable    *row,
            JsonObject    *object,
            GError       **error)
{
  return add_children (object, "materials", store, "step_material", "step_id",
                       row_id (row, "id"), material_extra, error);
}

/* A created or deleted row is recorded as a JSON object; it is embedded as one so
 * that readers need not parse a string inside the document. */
static JsonNode *
history_value (const char *action,
               const char *value)
{
  if (value != NULL && (g_str_equal (action, "create") || g_str_equal (action, "delete")))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, value, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        return json_node_copy (json_parser_get_root (parser));
    }

  return string_or_null (value);
}

static JsonArray *
history_array (DossierStore  *store,
               gint64         dossier_id,
               GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  JsonArray *array;

  if (!(entries = dossier_store_dossier_audit (store, dossier_id, error)))
    return NULL;

  array = json_array_new ();
  for (guint i = 0; i < entries->len; i++)
    {
      const DossierAuditEntry *e = g_ptr_array_index (entries, i);
      const char *action = e->action != NULL ? e->action : "";
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "seq", e->seq);
      json_object_set_member (object, "at", string_or_null (e->at));
      json_object_set_member (object, "actor", string_or_null (e->actor));
      json_object_set_member (object, "action", string_or_null (e->action));
      json_object_set_member (object, "table", string_or_null (e->table_name));
      json_object_set_int_member (object, "row_id", e->row_id);
      json_object_set_member (object, "field", string_or_null (e->field));
      json_object_set_member (object, "old", history_value (action, e->old_value));
      json_object_set_member (object, "new", history_value (action, e->new_value));
      json_object_set_member (object, "reason", string_or_null (e->reason));
      json_array_add_object_element (array, object);
    }

  return array;
}

static JsonNode *
build_record (DossierStore  *store,
              gint64         dossier_id,
              GError       **error)
{
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(GHashTable) dossier = NULL;
  g_autoptr(GHashTable) model = NULL;
  JsonArray *history;

  if (!(dossier = dossier_store_get_row (store, "dossier", dossier_id, error)))
    return NULL;

  json_object_set_member (record, "dossier", object_node (row_object ("dossier", dossier)));

  if (!add_referenced_row (record, "institution", store, "institution",
                           row_id (dossier, "institution_id"), NULL, error) ||
      !add_referenced_row (record, "clinician", store, "clinician",
                           row_id (dossier, "clinician_id"), NULL, error) ||
      !add_referenced_row (record, "patient", store, "patient",
                           row_id (dossier, "patient_id"), NULL, error) ||
      !add_referenced_row (record, "filing", store, "filing",
                           row_id (dossier, "filing_id"), NULL, error))
    return NULL;

  /* The model is read first; the product it belongs to is shown before it. */
  if (row_id (dossier, "model_id") > 0)
    {
      model = dossier_store_get_row (store, "product_model", row_id (dossier, "model_id"), error);
      if (model == NULL ||
          !add_referenced_row (record, "product", store, "product",
                               row_id (model, "product_id"), NULL, error))
        return NULL;
      json_object_set_member (record, "model", object_node (row_object ("product_model", model)));
    }
  else
    {
      json_object_set_null_member (record, "product");
      json_object_set_null_member (record, "model");
    }

#define CHILDREN(member, table, extra) \
  add_children (record, member, store, table, "dossier_id", dossier_id, extra, error)

  if (!CHILDREN ("design_inputs", "design_input", NULL) ||
      !CHILDREN ("design_iterations", "design_iteration", iteration_extra) ||
      !CHILDREN ("design_confirmations", "design_confirmation", confirmation_extra) ||
      !CHILDREN ("processing_steps", "processing_step", step_extra) ||
      !CHILDREN ("inspections", "inspection", NULL) ||
      !add_single_child (record, store, "release", dossier_id, error) ||
      !add_single_child (record, store, "delivery", dossier_id, error) ||
      !add_single_child (record, store, "use_record", dossier_id, error) ||
      !CHILDREN ("adverse_events", "adverse_event", NULL) ||
      !CHILDREN ("attachments", "attachment", NULL))
    return NULL;

#undef CHILDREN

  if (!(history = history_array (store, dossier_id, error)))
    return NULL;
  json_object_set_array_member (record, "history", history);

  return object_node (g_steal_pointer (&record));
}

JsonNode *
dossier_json_dossier_record (DossierStore  *store,
                             gint64         dossier_id,
                             GError       **error)
{
  JsonNode *node;
  gboolean started = FALSE;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (dossier_id <= 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, dossier_id);

      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("There is no dossier with id %s."), id);
      return NULL;
    }

  if (!dossier_store_read_begin (store, &started, error))
    return NULL;

  node = build_record (store, dossier_id, error);

  dossier_store_read_end (store, started);

  return node;
}

JsonNode *
dossier_json_dossier_summary (DossierDossier *dossier)
{
  JsonObject *object;

  g_return_val_if_fail (DOSSIER_IS_DOSSIER (dossier), NULL);

#define TEXT(member, getter) \
  json_object_set_member (object, member, string_or_null (getter (dossier)))

  object = json_object_new ();
  json_object_set_int_member (object, "id", dossier_dossier_get_id (dossier));
  TEXT ("unit_no", dossier_dossier_get_unit_no);
  TEXT ("kind", dossier_dossier_get_kind);
  TEXT ("status", dossier_dossier_get_status);
  TEXT ("patient_code", dossier_dossier_get_patient_code);
  TEXT ("institution", dossier_dossier_get_institution_name);
  TEXT ("clinician", dossier_dossier_get_clinician_name);
  TEXT ("product", dossier_dossier_get_product_name);
  TEXT ("reference", dossier_dossier_get_reference);
  json_object_set_boolean_member (object, "implantable", dossier_dossier_get_implantable (dossier));
  TEXT ("created_at", dossier_dossier_get_created_at);
  TEXT ("updated_at", dossier_dossier_get_updated_at);

#undef TEXT

  return object_node (object);
}

char *
dossier_json_to_string (JsonNode *node,
                        gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}
