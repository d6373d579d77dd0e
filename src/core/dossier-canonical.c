/* dossier-canonical.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-canonical"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-canonical.h"
#include "dossier-history.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"

/* The serialisation (docs/signatures.md has a worked example):
 *
 *   "dossier-signature-v1\n"
 *   "point " <point key> "\n"
 *   "dossier " <dossier id> "\n"
 *   then for every covered record, in the order below:
 *     "row " <table> " " <id> "\n"
 *     and for each covered column of that table, in the order of the lists below:
 *       <column> " N\n"                      for NULL
 *       <column> " T" <bytes> ":" <text> "\n" for any other value, as SQLite's text
 *   "end\n"
 *
 * Values are what SQLite gives as text: integers in decimal, decimals exactly as
 * entered (they are stored as text), text as UTF-8.  Nothing is formatted with the C
 * library, so the locale cannot change a byte.  The length in bytes before each value
 * makes the serialisation unambiguous whatever the text contains (newlines too).
 *
 * Design content (design review, design approval, release):
 *   dossier (the one row), design_input by id, design_iteration by version each
 *   followed by its parameter_value rows by name, attachment of section "design" by id.
 * Processing content (processing record review, release):
 *   processing_step by position, each followed by its step_material rows by id, each
 *   of those followed by the material_lot row it uses; inspection by id; attachment of
 *   sections "processing" and "inspection" by id.
 *
 * Not covered: the dossier's status, notes and timestamps (the workflow, not the
 * content), design confirmations (the clinician's external record, checked on its
 * own), the release record (made by the release sign-off itself), delivery and use. */

static const char * const dossier_columns[] = {
  "unit_no", "kind", "institution_id", "clinician_id", "patient_id", "filing_id",
  "model_id", "ordered_on", "patient_age", "condition", "treatment_plan", "risks",
  "necessity", "clinical_data", "lesion_site", "design_requirements",
  "delivery_requirements", "acceptance_criteria", "clinician_signed_on",
  "manufacturer_contact", "manufacturer_signed_on", "body_days", NULL
};
static const char * const design_input_columns[] = {
  "title", "description", "source", NULL
};
static const char * const design_iteration_columns[] = {
  "version", "designed_on", "designer", "software", "software_version", "notes", NULL
};
static const char * const parameter_value_columns[] = {
  "name", "value", "unit", "category", NULL
};
static const char * const attachment_columns[] = {
  "section", "original_name", "media_type", "size", "sha256", NULL
};
static const char * const processing_step_columns[] = {
  "position", "step_type", "equipment", "operator", "started_at", "ended_at",
  "parameters", "notes", NULL
};
static const char * const step_material_columns[] = {
  "lot_id", "quantity", NULL
};
static const char * const material_lot_columns[] = {
  "material", "lot_no", NULL
};
static const char * const inspection_columns[] = {
  "item", "requirement", "measured", "result", "inspector", "inspected_on", NULL
};

typedef enum
{
  CONTENT_DESIGN     = 1 << 0,
  CONTENT_PROCESSING = 1 << 1,
} Content;

typedef struct
{
  const char         *table;
  const char * const *columns;
  Content             content;
} Coverage;

static const Coverage coverage[] = {
  { "dossier", dossier_columns, CONTENT_DESIGN },
  { "design_input", design_input_columns, CONTENT_DESIGN },
  { "design_iteration", design_iteration_columns, CONTENT_DESIGN },
  { "parameter_value", parameter_value_columns, CONTENT_DESIGN },
  { "attachment", attachment_columns, CONTENT_DESIGN | CONTENT_PROCESSING },
  { "processing_step", processing_step_columns, CONTENT_PROCESSING },
  { "step_material", step_material_columns, CONTENT_PROCESSING },
  { "material_lot", material_lot_columns, CONTENT_PROCESSING },
  { "inspection", inspection_columns, CONTENT_PROCESSING },
};

static const struct
{
  const char *key;
  const char *label;
  const char *meaning;
  Content     content;
} points[DOSSIER_N_SIGN_POINTS] = {
  [DOSSIER_SIGN_POINT_DESIGN_REVIEW] = { "design-review", N_("Design review"), "reviewed", CONTENT_DESIGN },
  [DOSSIER_SIGN_POINT_DESIGN_APPROVAL] = { "design-approval", N_("Design approval"), "approved", CONTENT_DESIGN },
  [DOSSIER_SIGN_POINT_PROCESSING_REVIEW] = { "processing-review", N_("Processing record review"), "reviewed", CONTENT_PROCESSING },
  [DOSSIER_SIGN_POINT_RELEASE] = { "release", N_("Release"), "released", CONTENT_DESIGN | CONTENT_PROCESSING },
};

const char *
dossier_sign_point_to_string (DossierSignPoint point)
{
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  return points[point].key;
}

gboolean
dossier_sign_point_from_string (const char       *text,
                                DossierSignPoint *point)
{
  g_return_val_if_fail (point != NULL, FALSE);

  for (guint i = 0; text != NULL && i < DOSSIER_N_SIGN_POINTS; i++)
    if (g_str_equal (points[i].key, text))
      {
        *point = i;
        return TRUE;
      }

  return FALSE;
}

const char *
dossier_sign_point_get_label (DossierSignPoint point)
{
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  return _(points[point].label);
}

const char *
dossier_sign_point_get_meaning (DossierSignPoint point)
{
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  return points[point].meaning;
}

const char *
dossier_sign_meaning_get_label_en (const char *meaning)
{
  if (g_strcmp0 (meaning, "reviewed") == 0)
    return N_("Reviewed");
  if (g_strcmp0 (meaning, "approved") == 0)
    return N_("Approved");
  if (g_strcmp0 (meaning, "released") == 0)
    return N_("Released");

  return meaning;
}

const char *
dossier_sign_meaning_get_label (const char *meaning)
{
  const char *label = dossier_sign_meaning_get_label_en (meaning);

  return label != meaning ? _(label) : meaning;
}

const char *
dossier_sign_point_get_label_en (DossierSignPoint point)
{
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  return points[point].label;
}

static const Coverage *
lookup_coverage (DossierSignPoint  point,
                 const char       *table)
{
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  if (table == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (coverage); i++)
    if (g_str_equal (coverage[i].table, table) && (coverage[i].content & points[point].content))
      return &coverage[i];

  return NULL;
}

const char * const *
dossier_canonical_columns (const char *table)
{
  g_return_val_if_fail (table != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (coverage); i++)
    if (g_str_equal (coverage[i].table, table))
      return coverage[i].columns;

  return NULL;
}

gboolean
dossier_canonical_covers_table (DossierSignPoint  point,
                                const char       *table)
{
  return lookup_coverage (point, table) != NULL;
}

gboolean
dossier_canonical_covers_column (DossierSignPoint  point,
                                 const char       *table,
                                 const char       *column)
{
  const Coverage *c = lookup_coverage (point, table);

  return c != NULL && column != NULL && g_strv_contains ((const char * const *)c->columns, column);
}

gboolean
dossier_canonical_covers_attachment_section (DossierSignPoint  point,
                                             const char       *section)
{
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, FALSE);

  if (section == NULL)
    return FALSE;
  if (g_str_equal (section, "design"))
    return (points[point].content & CONTENT_DESIGN) != 0;
  if (g_str_equal (section, "processing") || g_str_equal (section, "inspection"))
    return (points[point].content & CONTENT_PROCESSING) != 0;

  return FALSE;
}

/* Building ---------------------------------------------------------------------- */

struct _DossierCanonical
{
  GString *body;
  char    *text;   /* body and the closing line, made on demand */
  gsize    length;
};

DossierCanonical *
dossier_canonical_new (DossierSignPoint point,
                       gint64           dossier_id)
{
  DossierCanonical *self;

  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  self = g_new0 (DossierCanonical, 1);
  self->body = g_string_new (DOSSIER_CANONICAL_VERSION "\n");
  g_string_append_printf (self->body, "point %s\ndossier %" G_GINT64_FORMAT "\n",
                          points[point].key, dossier_id);

  return self;
}

void
dossier_canonical_add_row (DossierCanonical   *self,
                           const char         *table,
                           gint64              id,
                           const char * const *columns,
                           const char * const *values,
                           guint               n_values)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (table != NULL);

  g_clear_pointer (&self->text, g_free);

  g_string_append_printf (self->body, "row %s %" G_GINT64_FORMAT "\n", table, id);
  for (guint i = 0; i < n_values; i++)
    {
      g_string_append (self->body, columns[i]);
      if (values[i] == NULL)
        g_string_append (self->body, " N\n");
      else
        {
          gsize len = strlen (values[i]);

          g_string_append_printf (self->body, " T%" G_GSIZE_FORMAT ":", len);
          g_string_append_len (self->body, values[i], len);
          g_string_append_c (self->body, '\n');
        }
    }
}

const char *
dossier_canonical_get_text (DossierCanonical *self,
                            gsize            *length)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->text == NULL)
    {
      self->length = self->body->len + strlen ("end\n");
      self->text = g_strconcat (self->body->str, "end\n", NULL);
    }

  if (length != NULL)
    *length = self->length;

  return self->text;
}

char *
dossier_canonical_get_sha256 (DossierCanonical *self)
{
  gsize length = 0;
  const char *text;

  g_return_val_if_fail (self != NULL, NULL);

  text = dossier_canonical_get_text (self, &length);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)text, length);
}

void
dossier_canonical_free (DossierCanonical *self)
{
  if (self == NULL)
    return;

  g_string_free (self->body, TRUE);
  g_free (self->text);
  g_free (self);
}

/* Reading ------------------------------------------------------------------------ */

/* SELECT id, <columns> FROM <table> WHERE <where> ORDER BY <order>: every part is a
 * constant of this file; the one value is bound. */
static char *
select_sql (const char         *table,
            const char * const *columns,
            const char         *where,
            const char         *order)
{
  g_autoptr(GString) sql = g_string_new ("SELECT id");
  g_autofree char *qt = _dossier_quote_identifier (table);

  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_autofree char *qc = _dossier_quote_identifier (columns[i]);
      g_string_append_printf (sql, ", %s", qc);
    }
  g_string_append_printf (sql, " FROM %s WHERE %s ORDER BY %s", qt, where, order);

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

typedef gboolean (*ChildFunc) (DossierStore      *store,
                               DossierCanonical  *canon,
                               sqlite3_stmt      *row,
                               GError           **error);

static gboolean
emit_rows (DossierStore        *store,
           DossierCanonical    *canon,
           const char          *table,
           const char * const  *columns,
           const char          *where,
           const char          *order,
           gint64               key,
           ChildFunc            child,
           guint               *n_rows,
           GError             **error)
{
  g_autofree char *sql = select_sql (table, columns, where, order);
  guint n_columns = g_strv_length ((char **)columns);
  g_autofree const char **values = g_new0 (const char *, n_columns + 1);
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Not the store's statement cache: children run the same kind of query while this
   * one is still stepping. */
  rc = sqlite3_prepare_v2 (dossier_store_get_handle (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return _dossier_store_set_error (store, error, rc, _("Reading the signed content"));
    }

  sqlite3_bind_int64 (stmt, 1, key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < n_columns; i++)
        values[i] = sqlite3_column_type (stmt, i + 1) == SQLITE_NULL
                    ? NULL : (const char *)sqlite3_column_text (stmt, i + 1);
      dossier_canonical_add_row (canon, table, sqlite3_column_int64 (stmt, 0),
                                 columns, values, n_columns);
      if (n_rows != NULL)
        (*n_rows)++;

      if (child != NULL && !child (store, canon, stmt, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the signed content"));

  return TRUE;
}

static gboolean
emit_parameters (DossierStore      *store,
                 DossierCanonical  *canon,
                 sqlite3_stmt      *iteration,
                 GError           **error)
{
  return emit_rows (store, canon, "parameter_value", parameter_value_columns,
                    "iteration_id = ?1", "name, id", sqlite3_column_int64 (iteration, 0),
                    NULL, NULL, error);
}

static gboolean
emit_lot (DossierStore      *store,
          DossierCanonical  *canon,
          sqlite3_stmt      *material,
          GError           **error)
{
  /* Column 1 of a step_material row is lot_id. */
  return emit_rows (store, canon, "material_lot", material_lot_columns,
                    "id = ?1", "id", sqlite3_column_int64 (material, 1),
                    NULL, NULL, error);
}

static gboolean
emit_materials (DossierStore      *store,
                DossierCanonical  *canon,
                sqlite3_stmt      *step,
                GError           **error)
{
  return emit_rows (store, canon, "step_material", step_material_columns,
                    "step_id = ?1", "id", sqlite3_column_int64 (step, 0),
                    emit_lot, NULL, error);
}

DossierCanonical *
dossier_canonical_read (DossierStore      *store,
                        gint64             dossier_id,
                        DossierSignPoint   point,
                        GError           **error)
{
  g_autoptr(DossierCanonical) canon = NULL;
  gboolean started = FALSE;
  gboolean ok = TRUE;
  guint n_dossier = 0;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  canon = dossier_canonical_new (point, dossier_id);

  if (!dossier_store_read_begin (store, &started, error))
    return NULL;

  if (points[point].content & CONTENT_DESIGN)
    ok = emit_rows (store, canon, "dossier", dossier_columns, "id = ?1", "id", dossier_id,
                    NULL, &n_dossier, error) &&
         emit_rows (store, canon, "design_input", design_input_columns,
                    "dossier_id = ?1", "id", dossier_id, NULL, NULL, error) &&
         emit_rows (store, canon, "design_iteration", design_iteration_columns,
                    "dossier_id = ?1", "version, id", dossier_id, emit_parameters, NULL, error) &&
         emit_rows (store, canon, "attachment", attachment_columns,
                    "dossier_id = ?1 AND section = 'design'", "id", dossier_id, NULL, NULL, error);

  if (ok && !(points[point].content & CONTENT_DESIGN))
    {
      /* The processing record alone still has to belong to an existing dossier. */
      g_autoptr(GHashTable) row = dossier_store_get_row (store, "dossier", dossier_id, error);
      ok = row != NULL;
      n_dossier = ok ? 1 : 0;
    }

  if (ok && (points[point].content & CONTENT_PROCESSING))
    ok = emit_rows (store, canon, "processing_step", processing_step_columns,
                    "dossier_id = ?1", "position, id", dossier_id, emit_materials, NULL, error) &&
         emit_rows (store, canon, "inspection", inspection_columns,
                    "dossier_id = ?1", "id", dossier_id, NULL, NULL, error) &&
         emit_rows (store, canon, "attachment", attachment_columns,
                    "dossier_id = ?1 AND section IN ('processing', 'inspection')", "id",
                    dossier_id, NULL, NULL, error);

  dossier_store_read_end (store, started);

  if (!ok)
    return NULL;

  if (n_dossier == 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with id %" PRId64 "."),
                   dossier_schema_table_label ("dossier"), dossier_id);
      return NULL;
    }

  return g_steal_pointer (&canon);
}

char *
dossier_canonical_hash (DossierStore      *store,
                        gint64             dossier_id,
                        DossierSignPoint   point,
                        GError           **error)
{
  g_autoptr(DossierCanonical) canon = dossier_canonical_read (store, dossier_id, point, error);

  if (canon == NULL)
    return NULL;

  return dossier_canonical_get_sha256 (canon);
}
