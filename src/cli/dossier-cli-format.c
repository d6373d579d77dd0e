/* dossier-cli-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dossier-cli.h"
#include "dossier-schema.h"
#include "dossier-validate.h"

/* Text output.  Columns are measured in terminal cells, not bytes or characters:
 * a Chinese character takes two cells, a combining mark none, so that tables of
 * Chinese names line up. */

#define INDENT "  "

/* Longest a value of the audit trail is shown in text; --json has it in full. */
#define HISTORY_VALUE_WIDTH 100

guint
dossier_cli_text_width (const char *text)
{
  guint width = 0;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

void
dossier_cli_append_padded (GString    *out,
                           const char *text,
                           guint       width)
{
  guint used = dossier_cli_text_width (text);

  g_string_append (out, text != NULL ? text : "");
  for (; used < width; used++)
    g_string_append_c (out, ' ');
}

/* One line of at most max_width cells (0: no limit): control characters become
 * spaces, and what does not fit is cut with an ellipsis. */
char *
dossier_cli_cell_text (const char *text,
                       guint       max_width)
{
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean cut;
  guint width = 0;

  if (text == NULL)
    return g_strdup ("");

  cut = max_width > 0 && dossier_cli_text_width (text) > max_width;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w;

      if (g_unichar_iscntrl (c))
        c = ' ';
      w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      /* Room is kept for the ellipsis, which takes one cell. */
      if (cut && width + w > max_width - 1)
        {
          g_string_append (s, "…");
          break;
        }

      g_string_append_unichar (s, c);
      width += w;
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Tables ---------------------------------------------------------------------- */

struct _DossierCliTable
{
  guint      n_columns;
  guint     *max_widths;
  GPtrArray *rows; /* GStrv, the first one the headers */
};

DossierCliTable *
dossier_cli_table_new (const char * const *headers,
                       const guint        *max_widths)
{
  DossierCliTable *table = g_new0 (DossierCliTable, 1);

  table->n_columns = g_strv_length ((char **)headers);
  table->max_widths = g_new0 (guint, table->n_columns);
  if (max_widths != NULL)
    memcpy (table->max_widths, max_widths, sizeof (guint) * table->n_columns);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  dossier_cli_table_add_row (table, headers);

  return table;
}

void
dossier_cli_table_add_row (DossierCliTable    *table,
                           const char * const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = dossier_cli_cell_text (cells[i], table->max_widths[i]);

  g_ptr_array_add (table->rows, row);
}

void
dossier_cli_table_format (DossierCliTable *table,
                          GString         *out)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], dossier_cli_text_width (row[c]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        {
          /* The last column is not padded: no trailing spaces. */
          if (c + 1 < table->n_columns)
            {
              dossier_cli_append_padded (out, row[c], widths[c]);
              g_string_append (out, "  ");
            }
          else
            g_string_append (out, row[c]);
        }
      g_string_append_c (out, '\n');
    }
}

void
dossier_cli_table_free (DossierCliTable *table)
{
  if (table == NULL)
    return;

  g_free (table->max_widths);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* Records --------------------------------------------------------------------- */

/* Label and value of one field as shown; the value may have several lines. */
typedef struct
{
  const char *label;
  char       *value;
} Field;

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->value);
}

/* A value as a person reads it: choice labels, yes/no, provinces by name. */
static char *
value_text (const char          *table,
            const DossierColumn *column,
            JsonNode            *node)
{
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));

    case G_TYPE_INT64:
      if (column != NULL && g_str_equal (column->name, "size") && g_str_equal (table, "attachment"))
        return g_format_size_full (json_node_get_int (node), G_FORMAT_SIZE_LONG_FORMAT);
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }

    case G_TYPE_STRING:
      text = json_node_get_string (node);
      if (text == NULL || *text == '\0')
        return NULL;
      if (column != NULL && column->kind == DOSSIER_COLUMN_CHOICE)
        return g_strdup (dossier_schema_choice_label (column, text));
      if (column != NULL && g_str_equal (column->name, "province_code"))
        {
          const DossierProvince *province = dossier_province_lookup (text);

          if (province != NULL)
            return g_strdup_printf ("%s (%s)", province->name_zh, text);
        }
      return g_strdup (text);

    default:
      return NULL;
    }
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

/* "first (second)", or whichever of the two there is. */
static char *
name_with_detail (const char *name,
                  const char *detail)
{
  gboolean has_name = name != NULL && *name != '\0';
  gboolean has_detail = detail != NULL && *detail != '\0';

  if (has_name && has_detail)
    return g_strdup_printf ("%s (%s)", name, detail);

  return g_strdup (has_name ? name : has_detail ? detail : "");
}

/* How a row another row refers to is named in text. */
static char *
describe_row (const char *table,
              JsonObject *row)
{
  if (row == NULL)
    return NULL;

  if (g_str_equal (table, "institution") || g_str_equal (table, "clinician"))
    return name_with_detail (member_string (row, "name_zh"), member_string (row, "name_en"));
  if (g_str_equal (table, "patient"))
    return g_strdup (member_string (row, "code"));
  if (g_str_equal (table, "filing"))
    return name_with_detail (member_string (row, "device_name"), member_string (row, "number"));
  if (g_str_equal (table, "product"))
    return name_with_detail (member_string (row, "name_zh"), member_string (row, "certificate_no"));
  if (g_str_equal (table, "product_model"))
    return name_with_detail (member_string (row, "code"), member_string (row, "name"));
  if (g_str_equal (table, "design_iteration"))
    /* Translators: a design iteration, e.g. "version 2". */
    return g_strdup_printf (_("version %d"),
                            (int)CLAMP (member_int (row, "version"), G_MININT, G_MAXINT));
  if (g_str_equal (table, "material_lot"))
    return name_with_detail (member_string (row, "material"), member_string (row, "lot_no"));

  return NULL;
}

typedef struct
{
  JsonObject *record;
  JsonObject *row;
} Resolve;

/* The row that a reference column of row points at, found in the record. */
static JsonObject *
referenced_row (const Resolve *resolve,
                const char    *column)
{
  gint64 id = member_int (resolve->row, column);

  if (g_str_equal (column, "institution_id"))
    return member_object (resolve->record, "institution");
  if (g_str_equal (column, "patient_id"))
    return member_object (resolve->record, "patient");
  if (g_str_equal (column, "filing_id"))
    return member_object (resolve->record, "filing");
  if (g_str_equal (column, "model_id"))
    return member_object (resolve->record, "model");
  if (g_str_equal (column, "product_id"))
    return member_object (resolve->record, "product");
  if (g_str_equal (column, "lot_id"))
    return member_object (resolve->row, "lot");

  if (g_str_equal (column, "clinician_id"))
    {
      JsonObject *own = member_object (resolve->row, "clinician");
      return own != NULL ? own : member_object (resolve->record, "clinician");
    }

  if (g_str_equal (column, "iteration_id"))
    {
      JsonArray *iterations = member_array (resolve->record, "design_iterations");

      for (guint i = 0; iterations != NULL && i < json_array_get_length (iterations); i++)
        {
          JsonObject *iteration = json_array_get_object_element (iterations, i);
          if (member_int (iteration, "id") == id)
            return iteration;
        }
    }

  return NULL;
}

static void
append_fields (GString    *out,
               GArray     *fields,
               const char *indent)
{
  guint width = 0;

  for (guint i = 0; i < fields->len; i++)
    width = MAX (width, dossier_cli_text_width (g_array_index (fields, Field, i).label) + 1);

  for (guint i = 0; i < fields->len; i++)
    {
      const Field *field = &g_array_index (fields, Field, i);
      g_auto(GStrv) lines = g_strsplit (field->value, "\n", -1);
      g_autofree char *label = g_strconcat (field->label, ":", NULL);

      g_string_append (out, indent);
      dossier_cli_append_padded (out, label, width + 1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          /* Continuation lines start under the value, not under the label. */
          if (l > 0)
            {
              g_string_append (out, indent);
              dossier_cli_append_padded (out, "", width + 1);
            }
          g_strchomp (lines[l]);
          g_string_append (out, lines[l]);
          g_string_append_c (out, '\n');
        }
    }
}

/* Every field of a row that has a value, with its translated label.  References
 * are named by what they point at; the links that the layout already shows (to the
 * dossier, to the parent iteration or step) and bookkeeping ids are left out. */
static void
append_row (GString    *out,
            JsonObject *record,
            const char *table,
            JsonObject *row,
            const char *indent)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  Resolve resolve = { record, row };

  g_array_set_clear_func (fields, field_clear);

  if (t == NULL || row == NULL)
    return;

  for (const DossierColumn *c = t->columns; c->name != NULL; c++)
    {
      Field field = { dossier_schema_column_label (table, c->name), NULL };

      if (c->kind == DOSSIER_COLUMN_REFERENCE)
        {
          JsonObject *target;

          if (g_str_equal (c->name, "dossier_id") || g_str_equal (c->name, "step_id") ||
              (g_str_equal (c->name, "iteration_id") && g_str_equal (table, "parameter_value")) ||
              (g_str_equal (c->name, "product_id") && g_str_equal (table, "product_model")))
            continue;

          target = referenced_row (&resolve, c->name);
          if (target != NULL)
            field.value = describe_row (c->ref_table, target);
        }

      if (field.value == NULL)
        field.value = value_text (table, c, json_object_get_member (row, c->name));
      if (field.value == NULL)
        continue;

      g_array_append_val (fields, field);
    }

  append_fields (out, fields, indent);
}

static void
append_heading (GString    *out,
                const char *heading)
{
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, heading);
  g_string_append_c (out, '\n');
}

/* A single row under its table's label, or nothing when it is null. */
static void
append_section (GString    *out,
                JsonObject *record,
                const char *member,
                const char *table)
{
  JsonObject *row = member_object (record, member);

  if (row == NULL)
    return;

  append_heading (out, dossier_schema_table_label (table));
  append_row (out, record, table, row, INDENT);
}

typedef void (*AppendExtra) (GString    *out,
                             JsonObject *record,
                             JsonObject *row);

/* Rows of a list, each under "Label n" (n counting from 1). */
static void
append_list (GString     *out,
             JsonObject  *record,
             const char  *member,
             const char  *table,
             AppendExtra  extra)
{
  JsonArray *rows = member_array (record, member);

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autofree char *heading = g_strdup_printf ("%s %u", dossier_schema_table_label (table),
                                                  i + 1);

      append_heading (out, heading);
      append_row (out, record, table, row, INDENT);
      if (extra != NULL)
        extra (out, record, row);
    }
}

static void
append_parameters (GString    *out,
                   JsonObject *record,
                   JsonObject *iteration)
{
  JsonArray *values = member_array (iteration, "parameter_values");
  g_autoptr(DossierCliTable) table = NULL;
  g_autoptr(GString) text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *headers[] = {
    dossier_schema_column_label ("parameter_value", "name"),
    dossier_schema_column_label ("parameter_value", "value"),
    dossier_schema_column_label ("parameter_value", "unit"),
    dossier_schema_column_label ("parameter_value", "category"),
    NULL
  };

  if (values == NULL || json_array_get_length (values) == 0)
    return;

  table = dossier_cli_table_new (headers, NULL);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *value = json_array_get_object_element (values, i);
      const char *cells[] = {
        member_string (value, "name"),
        member_string (value, "value"),
        member_string (value, "unit"),
        member_string (value, "category"),
        NULL
      };

      dossier_cli_table_add_row (table, cells);
    }

  g_string_append (out, INDENT);
  g_string_append (out, dossier_schema_table_label ("parameter_value"));
  g_string_append (out, ":\n");

  text = g_string_new (NULL);
  dossier_cli_table_format (table, text);
  lines = g_strsplit (text->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_string_append (out, INDENT INDENT);
      g_string_append (out, g_strchomp (lines[i]));
      g_string_append_c (out, '\n');
    }
}

static void
append_materials (GString    *out,
                  JsonObject *record,
                  JsonObject *step)
{
  JsonArray *materials = member_array (step, "materials");

  for (guint i = 0; materials != NULL && i < json_array_get_length (materials); i++)
    {
      JsonObject *material = json_array_get_object_element (materials, i);
      g_autofree char *heading = g_strdup_printf ("%s %u:",
                                                  dossier_schema_table_label ("step_material"),
                                                  i + 1);

      g_string_append (out, INDENT);
      g_string_append (out, heading);
      g_string_append_c (out, '\n');
      append_row (out, record, "step_material", material, INDENT INDENT);
    }
}

/* The audit trail ------------------------------------------------------------- */

static const char *
action_text (const char *action)
{
  if (g_strcmp0 (action, "create") == 0)
    return _("created");
  if (g_strcmp0 (action, "update") == 0)
    return _("changed");
  if (g_strcmp0 (action, "delete") == 0)
    return _("deleted");
  return action != NULL ? action : "";
}

/* A created or deleted row in one line: "Label: value; Label: value". */
static char *
row_summary (const char *table,
             JsonObject *row)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  g_autoptr(GString) s = g_string_new (NULL);

  if (t == NULL)
    return NULL;

  for (const DossierColumn *c = t->columns; c->name != NULL; c++)
    {
      g_autofree char *value = value_text (table, c, json_object_get_member (row, c->name));

      if (value == NULL)
        continue;
      g_string_append_printf (s, "%s%s: %s", s->len ? "; " : "",
                              dossier_schema_column_label (table, c->name), value);
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
history_value (const char *table,
               const char *field,
               JsonNode   *node)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  const DossierColumn *column = NULL;
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (t != NULL && field != NULL)
    column = dossier_schema_lookup_column (t, field);

  if (JSON_NODE_HOLDS_OBJECT (node))
    text = row_summary (table, json_node_get_object (node));
  else if (column != NULL)
    text = value_text (table, column, node);
  else if (JSON_NODE_HOLDS_VALUE (node))
    text = value_text (table, NULL, node);

  if (text == NULL)
    return NULL;

  return dossier_cli_cell_text (text, HISTORY_VALUE_WIDTH);
}

static void
append_history (GString    *out,
                JsonObject *record)
{
  JsonArray *entries = member_array (record, "history");
  guint n = entries != NULL ? json_array_get_length (entries) : 0;
  g_autofree char *heading = NULL;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Audit trail (%u entry)", "Audit trail (%u entries)", n),
                             n);
  append_heading (out, heading);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *table = member_string (entry, "table");
      const char *field = member_string (entry, "field");
      const char *reason = member_string (entry, "reason");
      const char *action = member_string (entry, "action");
      const char *at = member_string (entry, "at");
      const char *actor = member_string (entry, "actor");
      JsonNode *old_node = json_object_get_member (entry, "old");
      JsonNode *new_node = json_object_get_member (entry, "new");
      g_autofree char *old_value = history_value (table, field, old_node);
      g_autofree char *new_value = history_value (table, field, new_node);
      g_autofree char *what = NULL;
      g_autofree char *row_id = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (entry, "row_id"));

      g_string_append_printf (out, INDENT "#%" G_GINT64_FORMAT "  %s  %s\n",
                              member_int (entry, "seq"),
                              at != NULL ? at : "", actor != NULL ? actor : "");

      /* Translators: "<action> <record> <id>", e.g. "changed Design iteration 3". */
      what = g_strdup_printf (_("%s %s %s"),
                              action_text (action),
                              table != NULL ? dossier_schema_table_label (table) : "",
                              row_id);
      g_string_append (out, INDENT INDENT);
      g_string_append (out, what);
      if (field != NULL && table != NULL)
        g_string_append_printf (out, ", %s", dossier_schema_column_label (table, field));
      g_string_append_c (out, '\n');

      if (g_strcmp0 (action, "update") == 0)
        {
          g_string_append_printf (out, INDENT INDENT "%s: %s\n", _("Old"),
                                  old_value != NULL ? old_value : "—");
          g_string_append_printf (out, INDENT INDENT "%s: %s\n", _("New"),
                                  new_value != NULL ? new_value : "—");
        }
      else if (old_value != NULL || new_value != NULL)
        g_string_append_printf (out, INDENT INDENT "%s\n",
                                new_value != NULL ? new_value : old_value);

      if (reason != NULL)
        g_string_append_printf (out, INDENT INDENT "%s: %s\n", _("Reason"), reason);
    }
}

void
dossier_cli_format_record (JsonObject *record,
                           GString    *out)
{
  JsonObject *dossier = member_object (record, "dossier");
  g_autofree char *title = NULL;

  g_return_if_fail (dossier != NULL);

  /* Translators: the heading of a record, e.g. "Dossier DSR-2024-000001". */
  title = g_strdup_printf (_("Dossier %s"), member_string (dossier, "unit_no"));
  append_heading (out, title);
  append_row (out, record, "dossier", dossier, INDENT);

  append_section (out, record, "institution", "institution");
  append_section (out, record, "clinician", "clinician");
  append_section (out, record, "patient", "patient");
  append_section (out, record, "filing", "filing");
  append_section (out, record, "product", "product");
  append_section (out, record, "model", "product_model");

  append_list (out, record, "design_inputs", "design_input", NULL);
  append_list (out, record, "design_iterations", "design_iteration", append_parameters);
  append_list (out, record, "design_confirmations", "design_confirmation", NULL);
  append_list (out, record, "processing_steps", "processing_step", append_materials);
  append_list (out, record, "inspections", "inspection", NULL);
  append_section (out, record, "release", "release");
  append_section (out, record, "delivery", "delivery");
  append_section (out, record, "use_record", "use_record");
  append_list (out, record, "adverse_events", "adverse_event", NULL);
  append_list (out, record, "attachments", "attachment", NULL);

  append_history (out, record);
}
