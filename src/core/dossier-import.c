/* dossier-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "dossier-auth-private.h"
#include "dossier-canonical.h"
#include "dossier-history.h"
#include "dossier-import.h"
#include "dossier-json.h"
#include "dossier-package-verify.h"
#include "dossier-package-zip.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"

/* How a package becomes rows again.
 *
 * The record's <data> is the JSON record of dossier_json_dossier_record() written as
 * XML, so it is read back into the same JSON shape first; every row is then written
 * with plain INSERTs that name every column, the id included, inside one store
 * transaction.  The generated audit triggers record each row in the importing user's
 * name, with the import as the reason, so "audit verify" finds the trail and the data
 * in agreement.  The generic writes (dossier_store_insert()) are not used: they apply
 * the rules of entering data by hand (a new dossier starts at its order, a filing must
 * be in force, dates and signers are set by Dossier), which an archived record has
 * already passed where it was made.  Every value still goes through the schema's
 * validation.
 *
 * Memory: records are at most 64 MiB of XML each (verification refuses more);
 * attachments are streamed in chunks and never held whole. */

#define CHUNK_SIZE (256 * 1024)
#define TEMP_PREFIX ".incoming-"

G_DEFINE_QUARK (dossier-import-error-quark, dossier_import_error)

typedef struct
{
  char       *unit_no;
  char       *path;          /* records/<unit>/record.xml */
  JsonObject *record;        /* the <data> part */
  GPtrArray  *signatures;    /* JsonObject: the <signature> attributes and comment */
  char       *rule_check;    /* the <ruleCheck> element as JSON, or NULL */
  gboolean    present;       /* already here with the same content */
} Record;

static void
record_free (Record *r)
{
  g_free (r->unit_no);
  g_free (r->path);
  g_clear_pointer (&r->record, json_object_unref);
  g_clear_pointer (&r->signatures, g_ptr_array_unref);
  g_free (r->rule_check);
  g_free (r);
}

typedef struct
{
  DossierStore         *store;
  const char           *dir;
  GCancellable         *cancellable;
  GHashTable           *manifest;    /* path → sha256 */
  GPtrArray            *records;     /* Record */
  GHashTable           *ids;         /* "table:origin id" → gint64 *: the id here */
  GPtrArray            *new_files;   /* attachment content this import created */
  DossierImportSummary *summary;
  char                 *package_id;
  char                 *package_sha256;
  char                 *generated_at;
} Import;

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, DOSSIER_IMPORT_ERROR, code, message);
  return FALSE;
}

/* XML helpers ------------------------------------------------------------------ */

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         (name == NULL || g_str_equal ((const char *)node->name, name));
}

static char *
prop (xmlNodePtr  node,
      const char *name)
{
  xmlChar *v = xmlGetProp (node, (const xmlChar *)name);
  char *s = v != NULL ? g_strdup ((const char *)v) : NULL;

  xmlFree (v);
  return s;
}

static char *
content (xmlNodePtr node)
{
  xmlChar *v = xmlNodeGetContent (node);
  char *s = g_strdup (v != NULL ? (const char *)v : "");

  xmlFree (v);
  return s;
}

/* Text as the database keeps it: NFC, which the export wrote already; normalising
 * again makes a package from elsewhere give the same bytes too. */
static char *
nfc (const char *text)
{
  char *s = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

  return s != NULL ? s : g_strdup (text);
}

/* A file of the package, read whole (XML only, at most 64 MiB) and checked again
 * against the manifest, so that what is imported is what was verified even if the
 * folder changed in between. */
static char *
read_listed (Import      *im,
             const char  *rel,
             gsize       *length,
             GError     **error)
{
  g_autofree char *full = NULL;
  g_autofree char *sha256 = NULL;
  const char *expected;
  char *data = NULL;
  GStatBuf st;

  expected = g_hash_table_lookup (im->manifest, rel);
  if (!dossier_package_path_is_safe (rel) || (expected == NULL && !g_str_equal (rel, "manifest.xml")))
    {
      fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("The package names “%s”, which its manifest does not list."), rel);
      return NULL;
    }
  full = g_build_filename (im->dir, rel, NULL);
  if (g_lstat (full, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > DOSSIER_PACKAGE_XML_MAX_BYTES)
    {
      fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("“%s” in the package is missing, not a plain file or too large."), rel);
      return NULL;
    }
  if (!g_file_get_contents (full, &data, length, error))
    return NULL;
  if (expected != NULL)
    {
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, *length);
      if (!g_str_equal (sha256, expected))
        {
          g_free (data);
          fail (error, DOSSIER_IMPORT_ERROR_INVALID,
                _("“%s” changed after the package was verified (its SHA-256 no longer matches the manifest); nothing was imported."),
                rel);
          return NULL;
        }
    }
  return data;
}

static xmlDocPtr
parse_listed (Import      *im,
              const char  *rel,
              char       **sha256,
              GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  xmlDocPtr doc;

  if (!(data = read_listed (im, rel, &length, error)))
    return NULL;
  doc = dossier_package_parse_xml (data, length);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("“%s” in the package cannot be read as XML."), rel);
      return NULL;
    }
  if (sha256 != NULL)
    *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);
  return doc;
}

/* An xs:boolean attribute is true: "true" or "1", with the white space the schema
 * allows around it, so that every value verification accepts reads the same. */
static gboolean
is_true (const char *value)
{
  g_autofree char *v = g_strstrip (g_strdup (value != NULL ? value : ""));

  return g_str_equal (v, "true") || g_str_equal (v, "1");
}

/* The record's <data> back into the JSON of dossier_json_dossier_record(). */
static JsonNode *
xml_to_json (xmlNodePtr   node,
             const char  *file,
             GError     **error)
{
  if (is_element (node, "field"))
    {
      g_autofree char *is_null = prop (node, "null");
      g_autofree char *type = prop (node, "type");
      g_autofree char *text = NULL;
      JsonNode *value;

      if (is_true (is_null))
        return json_node_new (JSON_NODE_NULL);

      text = content (node);
      value = json_node_new (JSON_NODE_VALUE);
      if (g_strcmp0 (type, "integer") == 0)
        {
          gint64 number;

          if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &number, NULL))
            {
              json_node_unref (value);
              fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("%s, line %ld: “%s” is not a whole number."),
                    file, xmlGetLineNo (node), text);
              return NULL;
            }
          json_node_set_int (value, number);
        }
      else if (g_strcmp0 (type, "number") == 0)
        json_node_set_double (value, g_ascii_strtod (text, NULL));
      else if (g_strcmp0 (type, "boolean") == 0)
        json_node_set_boolean (value, g_str_equal (text, "true"));
      else
        {
          g_autofree char *normal = nfc (text);
          json_node_set_string (value, normal);
        }
      return value;
    }

  if (is_element (node, "row"))
    {
      g_autoptr(JsonObject) object = json_object_new ();

      for (xmlNodePtr c = node->children; c != NULL; c = c->next)
        {
          g_autofree char *name = NULL;
          JsonNode *member;

          if (!is_element (c, NULL))
            continue;
          name = prop (c, "name");
          if (name == NULL)
            {
              fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("%s, line %ld: a value without a name."),
                    file, xmlGetLineNo (c));
              return NULL;
            }
          if (!(member = xml_to_json (c, file, error)))
            return NULL;
          json_object_set_member (object, name, member);
        }
      return json_node_init_object (json_node_alloc (), object);
    }

  if (is_element (node, "list"))
    {
      g_autoptr(JsonArray) array = json_array_new ();

      for (xmlNodePtr c = node->children; c != NULL; c = c->next)
        {
          JsonNode *element;

          if (!is_element (c, NULL))
            continue;
          if (!(element = xml_to_json (c, file, error)))
            return NULL;
          json_array_add_element (array, element);
        }
      return json_node_init_array (json_node_alloc (), array);
    }

  fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("%s, line %ld: unexpected element <%s>."),
        file, xmlGetLineNo (node), (const char *)node->name);
  return NULL;
}

/* Elements of a rule check that carry text (the export writes them even when empty). */
static gboolean
is_text_element (const char *name)
{
  return g_str_equal (name, "message") || g_str_equal (name, "source");
}

/* An element as {name, attributes: [[name, value]…], text | children}, enough to write
 * it again with the same calls the export made. */
static JsonNode *
element_to_json (xmlNodePtr node)
{
  JsonObject *object = json_object_new ();
  JsonArray *attributes = json_array_new ();
  JsonArray *children = json_array_new ();
  JsonNode *result;

  json_object_set_string_member (object, "name", (const char *)node->name);
  for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
    {
      JsonArray *pair = json_array_new ();
      xmlChar *value = xmlNodeListGetString (node->doc, a->children, 1);

      json_array_add_string_element (pair, (const char *)a->name);
      json_array_add_string_element (pair, value != NULL ? (const char *)value : "");
      json_array_add_array_element (attributes, pair);
      xmlFree (value);
    }
  json_object_set_array_member (object, "attributes", attributes);

  if (is_text_element ((const char *)node->name))
    {
      g_autofree char *text = content (node);
      json_object_set_string_member (object, "text", text);
      json_array_unref (children);
    }
  else
    {
      for (xmlNodePtr c = node->children; c != NULL; c = c->next)
        if (is_element (c, NULL))
          json_array_add_element (children, element_to_json (c));
      json_object_set_array_member (object, "children", children);
    }

  result = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (result, object);
  return result;
}

static void
write_element (xmlTextWriterPtr  w,
               JsonObject       *element)
{
  JsonArray *attributes = json_object_get_array_member (element, "attributes");
  JsonArray *children = json_object_has_member (element, "children")
                        ? json_object_get_array_member (element, "children") : NULL;

  xmlTextWriterStartElement (w, BAD_CAST json_object_get_string_member (element, "name"));
  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    {
      JsonArray *pair = json_array_get_array_element (attributes, i);

      xmlTextWriterWriteAttribute (w, BAD_CAST json_array_get_string_element (pair, 0),
                                   BAD_CAST json_array_get_string_element (pair, 1));
    }
  if (json_object_has_member (element, "text"))
    xmlTextWriterWriteString (w, BAD_CAST json_object_get_string_member (element, "text"));
  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    write_element (w, json_array_get_object_element (children, i));
  xmlTextWriterEndElement (w);
}

static char *
json_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Reading the package ------------------------------------------------------------ */

static gboolean
read_manifest (Import  *im,
               GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  xmlDocPtr doc;

  if (!(data = read_listed (im, "manifest.xml", &length, error)))
    return FALSE;
  if (!(doc = dossier_package_parse_xml (data, length)))
    return fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("The manifest of the package cannot be read."));

  for (xmlNodePtr n = xmlDocGetRootElement (doc)->children; n != NULL; n = n->next)
    {
      g_autofree char *path = NULL;
      g_autofree char *sha256 = NULL;

      if (!is_element (n, "file"))
        continue;
      path = prop (n, "path");
      sha256 = prop (n, "sha256");
      if (path != NULL && sha256 != NULL)
        g_hash_table_insert (im->manifest, g_steal_pointer (&path), g_steal_pointer (&sha256));
    }
  xmlFreeDoc (doc);
  return TRUE;
}

static gboolean
read_record (Import      *im,
             Record      *r,
             GError     **error)
{
  xmlDocPtr doc;
  xmlNodePtr root;
  g_autofree char *unit_no = NULL;
  gboolean ok = FALSE;

  if (!(doc = parse_listed (im, r->path, NULL, error)))
    return FALSE;
  root = xmlDocGetRootElement (doc);
  unit_no = prop (root, "unitNo");
  if (!is_element (root, "record") || g_strcmp0 (unit_no, r->unit_no) != 0)
    {
      fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("%s is not the record of unit %s."), r->path, r->unit_no);
      goto out;
    }

  r->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  for (xmlNodePtr n = root->children; n != NULL; n = n->next)
    {
      if (is_element (n, "data"))
        {
          g_autoptr(JsonObject) object = json_object_new ();

          for (xmlNodePtr c = n->children; c != NULL; c = c->next)
            {
              g_autofree char *name = NULL;
              JsonNode *member;

              if (!is_element (c, NULL))
                continue;
              name = prop (c, "name");
              if (name == NULL || !(member = xml_to_json (c, r->path, error)))
                {
                  if (name == NULL)
                    fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("%s, line %ld: a value without a name."),
                          r->path, xmlGetLineNo (c));
                  goto out;
                }
              json_object_set_member (object, name, member);
            }
          r->record = g_steal_pointer (&object);
        }
      else if (is_element (n, "signatures"))
        {
          for (xmlNodePtr s = n->children; s != NULL; s = s->next)
            {
              JsonObject *sig;

              if (!is_element (s, "signature"))
                continue;
              sig = json_object_new ();
              for (xmlAttrPtr a = s->properties; a != NULL; a = a->next)
                {
                  g_autofree char *value = prop (s, (const char *)a->name);
                  g_autofree char *normal = nfc (value != NULL ? value : "");
                  json_object_set_string_member (sig, (const char *)a->name, normal);
                }
              for (xmlNodePtr c = s->children; c != NULL; c = c->next)
                if (is_element (c, "comment"))
                  {
                    g_autofree char *text = content (c);
                    g_autofree char *normal = nfc (text);
                    json_object_set_string_member (sig, "comment", normal);
                  }
              g_ptr_array_add (r->signatures, sig);
            }
        }
      else if (is_element (n, "ruleCheck"))
        {
          g_autoptr(JsonNode) tree = element_to_json (n);
          r->rule_check = json_text (tree);
        }
    }

  if (r->record == NULL || !json_object_has_member (r->record, "dossier") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (r->record, "dossier")))
    {
      fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("%s has no dossier record."), r->path);
      goto out;
    }
  ok = TRUE;

out:
  xmlFreeDoc (doc);
  return ok;
}

static gboolean
read_package (Import  *im,
              GError **error)
{
  xmlDocPtr doc;
  xmlNodePtr root;

  if (!read_manifest (im, error))
    return FALSE;
  if (!(doc = parse_listed (im, "package.xml", &im->package_sha256, error)))
    return FALSE;

  root = xmlDocGetRootElement (doc);
  im->package_id = prop (root, "id");
  for (xmlNodePtr n = root->children; n != NULL; n = n->next)
    {
      if (is_element (n, "generatedAt"))
        im->generated_at = content (n);
      else if (is_element (n, "contents"))
        for (xmlNodePtr d = n->children; d != NULL; d = d->next)
          if (is_element (d, "dossier"))
            {
              Record *r = g_new0 (Record, 1);

              r->unit_no = prop (d, "unitNo");
              r->path = prop (d, "record");
              g_ptr_array_add (im->records, r);
              if (r->unit_no == NULL || r->path == NULL)
                {
                  xmlFreeDoc (doc);
                  return fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("The table of contents of the package is incomplete."));
                }
            }
    }
  xmlFreeDoc (doc);

  if (im->package_id == NULL || strlen (im->package_id) != 64 || im->generated_at == NULL)
    return fail (error, DOSSIER_IMPORT_ERROR_INVALID, _("package.xml has no id or no time it was made."));

  for (guint i = 0; i < im->records->len; i++)
    if (!read_record (im, g_ptr_array_index (im->records, i), error))
      return FALSE;
  return TRUE;
}

/* Ids ------------------------------------------------------------------------------ */

static void
map_id (Import     *im,
        const char *table,
        gint64      origin,
        gint64      local)
{
  g_hash_table_insert (im->ids, g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, origin),
                       g_memdup2 (&local, sizeof local));
}

static gint64
mapped_id (Import     *im,
           const char *table,
           gint64      origin)
{
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, origin);
  gint64 *local = g_hash_table_lookup (im->ids, key);

  return local != NULL ? *local : 0;
}

static gint64
query_id (Import      *im,
          const char  *sql,
          GPtrArray   *args,
          GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!(stmt = _dossier_store_prepare (im->store, sql, error)))
    return -1;
  for (guint i = 0; i < args->len; i++)
    {
      const char *arg = g_ptr_array_index (args, i);

      if (arg == NULL)
        sqlite3_bind_null (stmt, i + 1);
      else
        sqlite3_bind_text (stmt, i + 1, arg, -1, SQLITE_TRANSIENT);
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dossier_store_set_error (im->store, error, rc, _("Reading the database"));
      return -1;
    }
  return id;
}

static gboolean
id_taken (Import      *im,
          const char  *table,
          gint64       id,
          gboolean    *taken,
          GError     **error)
{
  g_autofree char *qt = _dossier_quote_identifier (table);
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", qt);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  gint64 found;

  g_ptr_array_add (args, g_strdup_printf ("%" G_GINT64_FORMAT, id));
  if ((found = query_id (im, sql, args, error)) < 0)
    return FALSE;
  *taken = found != 0;
  return TRUE;
}

/* Rows ----------------------------------------------------------------------------- */

/* The text a JSON value of the record is stored as. */
static char *
node_text (JsonNode *node)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "1" : "0");
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return g_strdup (json_node_get_string (node));
}

/* Members of a record row that are not columns but related rows. */
static const char * const nested_members[] = { "parameter_values", "materials", "lot", "clinician", NULL };

/* The values of table's columns (schema order) from row, references translated to
 * the ids here and every value validated like the store validates it. */
static GPtrArray *
row_values (Import      *im,
            const char  *unit_no,
            const char  *table,
            JsonObject  *row,
            GError     **error)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) members = json_object_get_members (row);

  g_assert (t != NULL);

  /* Nothing of the record is left behind: a field this version does not know would
   * be lost. */
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "id") && !g_strv_contains (nested_members, l->data) &&
        dossier_schema_lookup_column (t, l->data) == NULL)
      {
        fail (error, DOSSIER_IMPORT_ERROR_CONTENT,
              _("Unit %s: the %s has a field “%s” that this version of Dossier does not know."),
              unit_no, dossier_schema_table_label (table), (const char *)l->data);
        return NULL;
      }

  for (const DossierColumn *c = t->columns; c->name != NULL; c++)
    {
      g_autofree char *text = node_text (json_object_get_member (row, c->name));
      g_autoptr(GError) local_error = NULL;
      char *normalized = NULL;

      if (text != NULL && c->kind == DOSSIER_COLUMN_TEXT)
        {
          char *normal = nfc (text);
          g_free (text);
          text = normal;
        }

      if (text != NULL && c->kind == DOSSIER_COLUMN_REFERENCE)
        {
          gint64 origin = g_ascii_strtoll (text, NULL, 10);
          gint64 local = mapped_id (im, c->ref_table, origin);

          if (local == 0)
            {
              fail (error, DOSSIER_IMPORT_ERROR_CONTENT,
                    _("Unit %s: the %s refers to %s %" PRId64 ", which the package does not contain."),
                    unit_no, dossier_schema_table_label (table), dossier_schema_table_label (c->ref_table), origin);
              return NULL;
            }
          g_free (text);
          text = g_strdup_printf ("%" G_GINT64_FORMAT, local);
        }

      if (!dossier_schema_check_value (t, c, text, &normalized, &local_error))
        {
          fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: %s: %s"), unit_no,
                dossier_schema_table_label (table), local_error->message);
          return NULL;
        }
      g_ptr_array_add (values, normalized);
    }

  return g_steal_pointer (&values);
}

static gint64
origin_id (JsonObject *row)
{
  JsonNode *node = json_object_get_member (row, "id");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* Inserts values as a row of table, with the id origin when it is free here. */
static gint64
insert_values (Import      *im,
               const char  *table,
               gint64       origin,
               GPtrArray   *values,
               GError     **error)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  g_autofree char *qt = _dossier_quote_identifier (table);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) params = g_string_new ("?1");
  sqlite3_stmt *stmt;
  gboolean taken = TRUE;
  gint64 id;
  guint i = 0;
  int rc;

  if (origin > 0 && !id_taken (im, table, origin, &taken, error))
    return 0;

  g_string_append_printf (sql, "INSERT INTO %s (id", qt);
  for (const DossierColumn *c = t->columns; c->name != NULL; c++, i++)
    {
      g_autofree char *qc = _dossier_quote_identifier (c->name);

      g_string_append_printf (sql, ", %s", qc);
      g_string_append_printf (params, ", ?%u", i + 2);
    }
  g_string_append_printf (sql, ") VALUES (%s)", params->str);

  if (!(stmt = _dossier_store_prepare (im->store, sql->str, error)))
    return 0;
  if (!taken)
    sqlite3_bind_int64 (stmt, 1, origin);
  else
    sqlite3_bind_null (stmt, 1);
  for (i = 0; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);

      if (value == NULL)
        sqlite3_bind_null (stmt, i + 2);
      else
        sqlite3_bind_text (stmt, i + 2, value, -1, SQLITE_TRANSIENT);
    }
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("Importing a %s"), dossier_schema_table_label (table));
      _dossier_store_set_error (im->store, error, rc, what);
      return 0;
    }

  id = sqlite3_last_insert_rowid (dossier_store_get_handle (im->store));
  if (id != origin && im->summary != NULL)
    im->summary->n_renumbered++;
  if (origin > 0)
    map_id (im, table, origin, id);
  return id;
}

static gint64
write_row (Import      *im,
           const char  *unit_no,
           const char  *table,
           JsonObject  *row,
           GError     **error)
{
  g_autoptr(GPtrArray) values = row_values (im, unit_no, table, row, error);
  gint64 origin = origin_id (row);

  if (values == NULL)
    return 0;
  if (origin <= 0)
    {
      fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: a %s without an id."), unit_no,
            dossier_schema_table_label (table));
      return 0;
    }
  return insert_values (im, table, origin, values, error);
}

/* Registers: shared rows, each written once. */

static const struct
{
  const char *table;
  const char *keys[3];
} register_keys[] = {
  { "institution", { "practising_licence" } },
  { "clinician", { "certificate_no" } },
  { "patient", { "code" } },
  { "filing", { "number" } },
  { "product", { "certificate_no" } },
  { "product_model", { "product_id", "code" } },
  { "material_lot", { "material", "lot_no" } },
};

static guint
column_index (const DossierTable *t,
              const char         *name)
{
  guint i = 0;

  for (const DossierColumn *c = t->columns; c->name != NULL; c++, i++)
    if (g_str_equal (c->name, name))
      return i;
  g_assert_not_reached ();
}

/* NULL when the row with id has the same values; else the label of the first field
 * that differs. */
static gboolean
row_differs (Import      *im,
             const char  *table,
             gint64       id,
             GPtrArray   *values,
             const char **field,
             GError     **error)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  g_autoptr(GHashTable) row = dossier_store_get_row (im->store, table, id, error);
  guint i = 0;

  if (row == NULL)
    return FALSE;
  *field = NULL;
  for (const DossierColumn *c = t->columns; c->name != NULL; c++, i++)
    if (g_strcmp0 (g_hash_table_lookup (row, c->name), g_ptr_array_index (values, i)) != 0)
      {
        *field = _(c->label);
        break;
      }
  return TRUE;
}

static gint64
resolve_register (Import      *im,
                  const char  *unit_no,
                  const char  *table,
                  JsonObject  *row,
                  GError     **error)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  g_autoptr(GPtrArray) values = NULL;
  gint64 origin = origin_id (row);
  gint64 local;
  const char *field = NULL;

  if (origin <= 0)
    {
      fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: a %s without an id."), unit_no,
            dossier_schema_table_label (table));
      return 0;
    }
  if ((local = mapped_id (im, table, origin)) > 0)
    return local;
  if (!(values = row_values (im, unit_no, table, row, error)))
    return 0;

  /* The same entry under its identifying number: reused when it is the same. */
  for (guint r = 0; r < G_N_ELEMENTS (register_keys); r++)
    {
      g_autoptr(GString) sql = NULL;
      g_autoptr(GPtrArray) args = NULL;
      g_autofree char *qt = NULL;
      gboolean complete = TRUE;
      gint64 found;

      if (!g_str_equal (register_keys[r].table, table))
        continue;

      qt = _dossier_quote_identifier (table);
      sql = g_string_new (NULL);
      args = g_ptr_array_new ();
      g_string_append_printf (sql, "SELECT id FROM %s WHERE ", qt);
      for (guint k = 0; k < G_N_ELEMENTS (register_keys[r].keys) && register_keys[r].keys[k] != NULL; k++)
        {
          g_autofree char *qc = _dossier_quote_identifier (register_keys[r].keys[k]);
          const char *value = g_ptr_array_index (values, column_index (t, register_keys[r].keys[k]));

          complete = complete && value != NULL;
          g_string_append_printf (sql, "%s%s = ?%u", k > 0 ? " AND " : "", qc, k + 1);
          g_ptr_array_add (args, (gpointer)value);
        }
      if (!complete)
        break;
      if ((found = query_id (im, sql->str, args, error)) < 0)
        return 0;
      if (found == 0)
        break;
      if (!row_differs (im, table, found, values, &field, error))
        return 0;
      if (field != NULL)
        {
          fail (error, DOSSIER_IMPORT_ERROR_CONFLICT,
                _("Unit %s: the %s %s is already in this database with other details (%s differs). Make the two agree, then import again."),
                unit_no, dossier_schema_table_label (table),
                (const char *)g_ptr_array_index (values, column_index (t, register_keys[r].keys[register_keys[r].keys[1] != NULL ? 1 : 0])),
                field);
          return 0;
        }
      map_id (im, table, origin, found);
      if (found != origin && im->summary != NULL)
        im->summary->n_renumbered++;
      return found;
    }

  /* Without a number (a draft filing), the same row under the same id is reused. */
  {
    gboolean taken = FALSE;

    if (!id_taken (im, table, origin, &taken, error))
      return 0;
    if (taken)
      {
        if (!row_differs (im, table, origin, values, &field, error))
          return 0;
        if (field == NULL)
          {
            map_id (im, table, origin, origin);
            return origin;
          }
      }
  }

  return insert_values (im, table, origin, values, error);
}

static gboolean
resolve_member (Import      *im,
                const char  *unit_no,
                JsonObject  *object,
                const char  *member,
                const char  *table,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: “%s” is not a record."), unit_no, member);
  return resolve_register (im, unit_no, table, json_node_get_object (node), error) > 0;
}

static JsonArray *
list_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* A package may put a row where the export writes a field, or a field where it
 * writes a row; json-glib's typed getters treat that as a programming error. */
static JsonObject *
list_row (JsonArray   *list,
          guint        i,
          const char  *unit_no,
          const char  *member,
          GError     **error)
{
  JsonNode *node = json_array_get_element (list, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: “%s” holds something that is not a record."),
            unit_no, member);
      return NULL;
    }
  return json_node_get_object (node);
}

static const char *
member_string (JsonObject *object,
               const char *member,
               const char *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *member,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_int (node);
}

static gboolean
write_list (Import      *im,
            const char  *unit_no,
            JsonObject  *object,
            const char  *member,
            const char  *table,
            GError     **error)
{
  JsonArray *list = list_member (object, member);

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: “%s” holds something that is not a record."),
                     unit_no, member);
      if (write_row (im, unit_no, table, json_node_get_object (node), error) == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_single (Import      *im,
              const char  *unit_no,
              JsonObject  *object,
              const char  *member,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: “%s” is not a record."), unit_no, member);
  return write_row (im, unit_no, member, json_node_get_object (node), error) > 0;
}

/* Attachment content ------------------------------------------------------------- */

/* Streams the package's copy into the store's content folder (named by SHA-256, as
 * dossier-store-attachments.c keeps it), checking hash and size on the way. */
static gboolean
copy_content (Import      *im,
              const char  *unit_no,
              JsonObject  *row,
              GError     **error)
{
  const char *sha256 = member_string (row, "sha256", "");
  gint64 size = member_int (row, "size", -1);
  g_autofree char *rel = g_strconcat ("attachments/", sha256, NULL);
  g_autofree char *source = NULL;
  g_autofree char *store_dir = dossier_store_get_attachment_dir (im->store);
  g_autofree char *final_dir = NULL;
  g_autofree char *final = NULL;
  g_autofree char *tmp = NULL;
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GChecksum) sum = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  gint64 copied = 0;
  gssize n;
  int fd;

  if (strlen (sha256) != 64 || !dossier_package_path_is_safe (rel) || g_hash_table_lookup (im->manifest, rel) == NULL ||
      !g_str_equal (g_hash_table_lookup (im->manifest, rel), sha256))
    return fail (error, DOSSIER_IMPORT_ERROR_CONTENT,
                 _("Unit %s: the content of attachment “%s” is not in the package."), unit_no,
                 member_string (row, "original_name", "?"));

  {
    char sub[3] = { sha256[0], sha256[1], 0 };
    final_dir = g_build_filename (store_dir, sub, NULL);
    final = g_build_filename (final_dir, sha256, NULL);
  }
  /* Content is shared by hash: already here is already right (audit verify checks it). */
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    return TRUE;

  if (g_mkdir_with_parents (final_dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY,
                   _("Cannot create the attachment folder “%s”: %s"), final_dir, g_strerror (saved));
      return FALSE;
    }

  source = g_build_filename (im->dir, rel, NULL);
  file = g_file_new_for_path (source);
  if (!(in = g_file_read (file, im->cancellable, error)))
    return FALSE;

  tmp = g_build_filename (store_dir, TEMP_PREFIX "XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY,
                   _("Cannot write in the attachment folder “%s”: %s"), store_dir, g_strerror (saved));
      return FALSE;
    }

  sum = g_checksum_new (G_CHECKSUM_SHA256);
  buffer = g_malloc (CHUNK_SIZE);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, CHUNK_SIZE, im->cancellable, error)) > 0)
    {
      const guint8 *p = buffer;
      gssize left = n;

      g_checksum_update (sum, buffer, n);
      copied += n;
      while (left > 0)
        {
          ssize_t w = write (fd, p, left);

          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            {
              int saved = errno;
              g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                           _("Could not store the attachment: %s"), g_strerror (saved));
              n = -1;
              break;
            }
          p += w;
          left -= w;
        }
      if (n < 0)
        break;
    }
  if (n < 0 || fsync (fd) != 0)
    {
      if (n >= 0)
        {
          int saved = errno;
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                       _("Could not store the attachment: %s"), g_strerror (saved));
        }
      close (fd);
      g_unlink (tmp);
      return FALSE;
    }
  close (fd);

  if (!g_str_equal (g_checksum_get_string (sum), sha256) || (size >= 0 && copied != size))
    {
      g_unlink (tmp);
      return fail (error, DOSSIER_IMPORT_ERROR_INVALID,
                   _("Unit %s: the content of attachment “%s” does not match its SHA-256 or size."), unit_no,
                   member_string (row, "original_name", "?"));
    }

  if (g_rename (tmp, final) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   _("Could not store the attachment: %s"), g_strerror (saved));
      return FALSE;
    }
  g_ptr_array_add (im->new_files, g_steal_pointer (&final));
  return TRUE;
}

/* Signatures ----------------------------------------------------------------------- */

/* A signer who has no account here gets one, inactive, whose password is the hash of
 * 32 random bytes nobody ever sees: nobody can sign in as them until an administrator
 * sets a password.  Guessing such a secret is hopeless whatever the hash costs, so
 * the cheapest Argon2id parameters are enough. */
static gint64
signer_account (Import      *im,
                const char  *unit_no,
                JsonObject  *sig,
                GError     **error)
{
  const char *login = json_object_get_string_member_with_default (sig, "login", "");
  const char *full_name = json_object_get_string_member_with_default (sig, "fullName", "");
  const char *role = json_object_get_string_member_with_default (sig, "role", "");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  char hash[crypto_pwhash_STRBYTES];
  guint8 secret[32];
  DossierRoles bit;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_ptr_array_add (args, (gpointer)login);
  if ((id = query_id (im, "SELECT id FROM user_account WHERE login = ?1", args, error)) != 0)
    return id;

  if (!dossier_auth_validate_login (login, &local_error) || !dossier_role_from_string (role, &bit) ||
      full_name[0] == '\0')
    {
      fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: a signature names the signer “%s” as %s, which is not a valid account."),
            unit_no, login, role);
      return 0;
    }

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  randombytes_buf (secret, sizeof secret);
  rc = crypto_pwhash_str_alg (hash, (const char *)secret, sizeof secret, crypto_pwhash_OPSLIMIT_MIN,
                              crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13);
  sodium_memzero (secret, sizeof secret);
  if (rc != 0)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                           _("Could not hash the password: not enough memory."));
      return 0;
    }

  now = _dossier_store_now ();
  if (!(stmt = _dossier_store_prepare (im->store,
                                       "INSERT INTO user_account (login, full_name, roles, active, password_hash, "
                                       "password_changed_at, created_at) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?5)", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, full_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, dossier_role_to_string (bit), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (im->store, error, rc, _("Importing a signer’s account"));
      return 0;
    }
  if (im->summary != NULL)
    im->summary->n_accounts++;
  return sqlite3_last_insert_rowid (dossier_store_get_handle (im->store));
}

static gboolean
write_signatures (Import      *im,
                  Record      *r,
                  gint64       dossier_id,
                  GError     **error)
{
  for (guint i = 0; i < r->signatures->len; i++)
    {
      JsonObject *sig = g_ptr_array_index (r->signatures, i);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonObject) row = json_object_new ();
      gint64 user_id, origin, signature_id;
      const char *position;
      static const struct { const char *column; const char *attribute; } columns[] = {
        { "point", "point" }, { "meaning", "meaning" }, { "login", "login" },
        { "full_name", "fullName" }, { "role", "role" }, { "signed_at", "signedAt" },
        { "content_hash", "contentHash" }, { "comment", "comment" },
      };

      if ((user_id = signer_account (im, r->unit_no, sig, error)) <= 0)
        return FALSE;

      /* Through the same validation and the same column order as every other row. */
      origin = g_ascii_strtoll (json_object_get_string_member_with_default (sig, "id", "0"), NULL, 10);
      json_object_set_int_member (row, "id", origin);
      json_object_set_int_member (row, "dossier_id", mapped_id (im, "dossier", origin_id (json_object_get_object_member (r->record, "dossier"))));
      json_object_set_int_member (row, "user_id", user_id);
      json_object_set_string_member (row, "serialization", DOSSIER_CANONICAL_VERSION);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        json_object_set_string_member (row, columns[c].column,
                                       json_object_get_string_member_with_default (sig, columns[c].attribute,
                                                                                   g_str_equal (columns[c].column, "comment") ? "" : NULL));

      /* The references are already ids here. */
      {
        const DossierTable *t = dossier_schema_lookup_table ("signature");

        for (const DossierColumn *c = t->columns; c->name != NULL; c++)
          {
            g_autofree char *text = node_text (json_object_get_member (row, c->name));
            g_autoptr(GError) local_error = NULL;
            char *normalized = NULL;

            if (!dossier_schema_check_value (t, c, text, &normalized, &local_error))
              return fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: %s: %s"), r->unit_no,
                           dossier_schema_table_label ("signature"), local_error->message);
            g_ptr_array_add (values, normalized);
          }
      }
      if (origin <= 0)
        return fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: a %s without an id."), r->unit_no,
                     dossier_schema_table_label ("signature"));
      if ((signature_id = insert_values (im, "signature", origin, values, error)) == 0)
        return FALSE;

      /* Where in the history it was made, so that the changes after it stay known. */
      position = json_object_get_string_member_with_default (sig, "historyPosition", NULL);
      if (position != NULL)
        {
          sqlite3_stmt *stmt;
          int rc;

          if (!(stmt = _dossier_store_prepare (im->store,
                                               "INSERT INTO imported_signature (signature_id, history_position) VALUES (?1, ?2)",
                                               error)))
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, signature_id);
          sqlite3_bind_int64 (stmt, 2, g_ascii_strtoll (position, NULL, 10));
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
          if (rc != SQLITE_DONE)
            return _dossier_store_set_error (im->store, error, rc, _("Recording the signature"));
        }
    }
  return TRUE;
}

/* History -------------------------------------------------------------------------- */

static char *
history_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_text (node);
  return node_text (node);
}

static gboolean
write_history (Import      *im,
               Record      *r,
               gint64       dossier_id,
               GError     **error)
{
  JsonArray *history = list_member (r->record, "history");
  sqlite3_stmt *stmt;

  if (!(stmt = _dossier_store_prepare (im->store,
                                       "INSERT INTO imported_history (dossier_id, position, seq, at, actor, action, "
                                       "table_name, row_id, field, old_value, new_value, reason) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error)))
    return FALSE;

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *e;
      const char *text_members[] = { "at", "actor", "action", "table" };
      int rc;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, DOSSIER_IMPORT_ERROR_CONTENT, _("Unit %s: the history holds something that is not an entry."),
                     r->unit_no);
      e = json_node_get_object (node);

      sqlite3_bind_int64 (stmt, 1, dossier_id);
      sqlite3_bind_int64 (stmt, 2, i + 1);
      sqlite3_bind_int64 (stmt, 3, member_int (e, "seq", 0));
      for (guint m = 0; m < G_N_ELEMENTS (text_members); m++)
        {
          g_autofree char *text = node_text (json_object_get_member (e, text_members[m]));
          if (text != NULL)
            sqlite3_bind_text (stmt, 4 + m, text, -1, SQLITE_TRANSIENT);
        }
      sqlite3_bind_int64 (stmt, 8, member_int (e, "row_id", 0));
      {
        g_autofree char *field = node_text (json_object_get_member (e, "field"));
        g_autofree char *old_value = history_text (json_object_get_member (e, "old"));
        g_autofree char *new_value = history_text (json_object_get_member (e, "new"));
        g_autofree char *reason = node_text (json_object_get_member (e, "reason"));

        if (field != NULL)
          sqlite3_bind_text (stmt, 9, field, -1, SQLITE_TRANSIENT);
        if (old_value != NULL)
          sqlite3_bind_text (stmt, 10, old_value, -1, SQLITE_TRANSIENT);
        if (new_value != NULL)
          sqlite3_bind_text (stmt, 11, new_value, -1, SQLITE_TRANSIENT);
        if (reason != NULL)
          sqlite3_bind_text (stmt, 12, reason, -1, SQLITE_TRANSIENT);
      }
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        return _dossier_store_set_error (im->store, error, rc, _("Importing the history"));
    }
  return TRUE;
}

/* One dossier ------------------------------------------------------------------------ */

static gboolean
import_dossier (Import      *im,
                Record      *r,
                gint64       import_id,
                GError     **error)
{
  JsonObject *record = r->record;
  const char *unit = r->unit_no;
  JsonObject *dossier = json_object_get_object_member (record, "dossier");
  JsonArray *list;
  gint64 dossier_id;
  sqlite3_stmt *stmt;
  int rc;

  if (!resolve_member (im, unit, record, "institution", "institution", error) ||
      !resolve_member (im, unit, record, "clinician", "clinician", error) ||
      !resolve_member (im, unit, record, "patient", "patient", error) ||
      !resolve_member (im, unit, record, "filing", "filing", error) ||
      !resolve_member (im, unit, record, "product", "product", error) ||
      !resolve_member (im, unit, record, "model", "product_model", error))
    return FALSE;

  if ((dossier_id = write_row (im, unit, "dossier", dossier, error)) == 0)
    return FALSE;

  if (!write_list (im, unit, record, "design_inputs", "design_input", error))
    return FALSE;

  list = list_member (record, "design_iterations");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *iteration = list_row (list, i, unit, "design_iterations", error);

      if (iteration == NULL || write_row (im, unit, "design_iteration", iteration, error) == 0 ||
          !write_list (im, unit, iteration, "parameter_values", "parameter_value", error))
        return FALSE;
    }

  /* Before the confirmations, which may refer to their scanned document. */
  list = list_member (record, "attachments");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *attachment = list_row (list, i, unit, "attachments", error);

      if (attachment == NULL || !copy_content (im, unit, attachment, error) ||
          write_row (im, unit, "attachment", attachment, error) == 0)
        return FALSE;
      if (im->summary != NULL)
        im->summary->n_attachments++;
      if (g_cancellable_set_error_if_cancelled (im->cancellable, error))
        return FALSE;
    }

  list = list_member (record, "design_confirmations");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *confirmation = list_row (list, i, unit, "design_confirmations", error);

      if (confirmation == NULL || !resolve_member (im, unit, confirmation, "clinician", "clinician", error) ||
          write_row (im, unit, "design_confirmation", confirmation, error) == 0)
        return FALSE;
    }

  list = list_member (record, "processing_steps");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *step = list_row (list, i, unit, "processing_steps", error);
      JsonArray *materials;

      if (step == NULL || write_row (im, unit, "processing_step", step, error) == 0)
        return FALSE;
      materials = list_member (step, "materials");
      for (guint m = 0; materials != NULL && m < json_array_get_length (materials); m++)
        {
          JsonObject *material = list_row (materials, m, unit, "materials", error);

          if (material == NULL || !resolve_member (im, unit, material, "lot", "material_lot", error) ||
              write_row (im, unit, "step_material", material, error) == 0)
            return FALSE;
        }
    }

  if (!write_list (im, unit, record, "inspections", "inspection", error) ||
      !write_single (im, unit, record, "release", error) ||
      !write_single (im, unit, record, "delivery", error) ||
      !write_single (im, unit, record, "use_record", error) ||
      !write_list (im, unit, record, "adverse_events", "adverse_event", error) ||
      !write_signatures (im, r, dossier_id, error) ||
      !write_history (im, r, dossier_id, error))
    return FALSE;

  /* Last: its creation entry marks where the dossier's own history here begins
   * (dossier-store-history.c). */
  if (!(stmt = _dossier_store_prepare (im->store,
                                       "INSERT INTO imported_dossier (import_id, dossier_id, unit_no, origin_id, rule_check) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, dossier_id);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, origin_id (dossier));
  sqlite3_bind_text (stmt, 5, r->rule_check != NULL ? r->rule_check : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (im->store, error, rc, _("Importing a dossier"));
  return TRUE;
}

/* Already here? ------------------------------------------------------------------- */

/* The record without ids (which may differ when the package's were taken) and
 * without its history (this database adds its own entries after an import). */
static JsonNode *
strip (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_equal (name, "id") || g_str_has_suffix (name, "_id") || g_str_equal (name, "history"))
            continue;
          json_object_set_member (copy, name, strip (json_object_get_member (object, name)));
        }
      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, strip (json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  return json_node_copy (node);
}

static gboolean
check_present (Import      *im,
               Record      *r,
               GError     **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(JsonNode) here = NULL;
  g_autoptr(JsonNode) here_stripped = NULL;
  g_autoptr(JsonNode) package = NULL;
  g_autoptr(JsonNode) package_stripped = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gint64 id;

  g_ptr_array_add (args, r->unit_no);
  if ((id = query_id (im, "SELECT id FROM dossier WHERE unit_no = ?1", args, error)) < 0)
    return FALSE;
  r->present = FALSE;
  if (id == 0)
    return TRUE;

  if (!(here = dossier_json_dossier_record (im->store, id, error)))
    return FALSE;
  package = json_node_init_object (json_node_alloc (), r->record);
  here_stripped = strip (here);
  package_stripped = strip (package);
  a = json_text (here_stripped);
  b = json_text (package_stripped);
  if (!g_str_equal (a, b))
    return fail (error, DOSSIER_IMPORT_ERROR_CONFLICT,
                 _("Unit %s is already in this database with different content, so nothing was imported. Export it from here and compare, or remove the unit from the package."),
                 r->unit_no);
  r->present = TRUE;
  return TRUE;
}

/* The import ------------------------------------------------------------------------ */

static gboolean
check_permission (DossierStore  *store,
                  GError       **error)
{
  const DossierUser *user;

  /* A database without accounts is being set up: as for every other write. */
  if (!dossier_auth_has_accounts (store))
    return TRUE;
  if (!_dossier_auth_check_session (store, error))
    return FALSE;
  user = dossier_store_get_user (store);
  if (user == NULL || !(user->roles & (DOSSIER_ROLE_REGULATORY | DOSSIER_ROLE_ADMINISTRATOR)))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   _("Importing a filing package needs the role %s or %s."),
                   dossier_role_get_label (DOSSIER_ROLE_REGULATORY),
                   dossier_role_get_label (DOSSIER_ROLE_ADMINISTRATOR));
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify (const char  *path,
        GCancellable *cancellable,
        GError     **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  g_autoptr(GString) message = NULL;

  if (!dossier_package_verify (path, findings, cancellable, error))
    return FALSE;
  if (dossier_package_count_errors (findings) == 0)
    return TRUE;

  message = g_string_new (NULL);
  g_string_printf (message, _("The package “%s” did not pass verification, so nothing was imported:"), path);
  for (guint i = 0; i < findings->len; i++)
    {
      const DossierPackageFinding *f = g_ptr_array_index (findings, i);
      g_autofree char *line = NULL;

      if (f->severity != DOSSIER_SEVERITY_ERROR)
        continue;
      line = dossier_package_finding_format (f);
      g_string_append_printf (message, "\n%s", line);
    }
  g_set_error_literal (error, DOSSIER_IMPORT_ERROR, DOSSIER_IMPORT_ERROR_INVALID, message->str);
  return FALSE;
}

static gint64
write_package_import (Import  *im,
                      guint    n_added,
                      GError **error)
{
  g_autofree char *now = _dossier_store_now ();
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (im->store,
                                       "INSERT INTO package_import (package_id, package_sha256, generated_at, "
                                       "imported_at, imported_by, dossiers) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, im->package_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, im->package_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, im->generated_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, dossier_store_get_actor (im->store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, n_added);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (im->store, error, rc, _("Recording the import"));
      return 0;
    }
  return sqlite3_last_insert_rowid (dossier_store_get_handle (im->store));
}

gboolean
dossier_import_package (DossierStore                *store,
                        const char                  *path,
                        const DossierImportOptions  *options,
                        DossierImportSummary        *summary,
                        GCancellable                *cancellable,
                        GError                     **error)
{
  DossierImportSummary local_summary = { 0 };
  g_autofree char *unpacked_parent = NULL;
  g_autofree char *unpacked = NULL;
  g_autofree char *reason = NULL;
  Import im = { 0 };
  guint n_added = 0;
  gint64 import_id = 0;
  gboolean ok = FALSE;
  gboolean in_transaction = FALSE;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (summary == NULL)
    summary = &local_summary;
  memset (summary, 0, sizeof *summary);

  if (!check_permission (store, error) || !verify (path, cancellable, error))
    return FALSE;

  /* A zip package is read from a copy unpacked beside the database (attachments may
   * be large; the temporary folder may be small), with the same limits as its
   * verification, and removed afterwards. */
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (dossier_store_get_path (store));
      g_autofree char *base = g_build_filename (parent, ".dossier-import-XXXXXX", NULL);

      if (g_mkdtemp (base) == NULL)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Could not create a folder to unpack the package in “%s”: %s"), parent, g_strerror (errsv));
          return FALSE;
        }
      unpacked_parent = g_steal_pointer (&base);
      unpacked = g_build_filename (unpacked_parent, "package", NULL);
      if (!dossier_package_unpack (path, unpacked, cancellable, error))
        goto out;
      path = unpacked;
    }

  im.store = store;
  im.dir = path;
  im.cancellable = cancellable;
  im.summary = summary;
  im.manifest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im.records = g_ptr_array_new_with_free_func ((GDestroyNotify)record_free);
  im.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im.new_files = g_ptr_array_new_with_free_func (g_free);

  if (!read_package (&im, error))
    goto out;
  summary->n_dossiers = im.records->len;
  g_strlcpy (summary->package_id, im.package_id, sizeof summary->package_id);

  if (!dossier_store_begin (store, error))
    goto out;
  in_transaction = TRUE;

  /* Everything that is already here first, so that a unit with other content refuses
   * the import before anything is written. */
  for (guint i = 0; i < im.records->len; i++)
    {
      Record *r = g_ptr_array_index (im.records, i);

      if (!check_present (&im, r, error))
        goto out;
      if (r->present)
        summary->n_present++;
      else
        n_added++;
    }

  reason = g_strdup_printf (_("Import of filing package %s"), im.package_id);
  _dossier_store_set_reason (store, reason);

  /* Nothing new: nothing is written, not even the record of the attempt. */
  if (n_added > 0 && (import_id = write_package_import (&im, n_added, error)) == 0)
    goto out;

  for (guint i = 0; i < im.records->len; i++)
    {
      Record *r = g_ptr_array_index (im.records, i);

      if (!r->present)
        {
          if (!import_dossier (&im, r, import_id, error))
            goto out;
          summary->n_added++;
        }
      if (options != NULL && options->progress != NULL)
        options->progress (i + 1, im.records->len, options->progress_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
    }

  if (!dossier_store_commit (store, error))
    goto out;
  in_transaction = FALSE;
  summary->import_id = import_id;
  ok = TRUE;

  g_debug ("Imported %s: %u added, %u already present", path, summary->n_added, summary->n_present);

out:
  _dossier_store_set_reason (store, NULL);
  if (in_transaction)
    dossier_store_rollback (store);
  if (!ok)
    {
      /* Content this import brought in and no row now refers to. */
      for (guint i = 0; i < im.new_files->len; i++)
        g_unlink (g_ptr_array_index (im.new_files, i));
      summary->n_added = 0;
      summary->n_attachments = 0;
      summary->n_accounts = 0;
      summary->n_renumbered = 0;
      summary->import_id = 0;
    }
  g_clear_pointer (&im.manifest, g_hash_table_unref);
  g_clear_pointer (&im.records, g_ptr_array_unref);
  g_clear_pointer (&im.ids, g_hash_table_unref);
  g_clear_pointer (&im.new_files, g_ptr_array_unref);
  g_free (im.package_id);
  g_free (im.package_sha256);
  g_free (im.generated_at);
  if (unpacked_parent != NULL)
    dossier_package_remove_tree (unpacked_parent);
  return ok;
}

/* For the export -------------------------------------------------------------------- */

gboolean
dossier_import_write_rule_check (DossierStore      *store,
                                 gint64             dossier_id,
                                 xmlTextWriterPtr   writer,
                                 gboolean          *written,
                                 GError           **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *json = NULL;
  gint64 n_history = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (written != NULL, FALSE);

  *written = FALSE;
  if (dossier_store_get_schema_version (store) < 4)
    return TRUE;

  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT rule_check, (SELECT count (*) FROM imported_history h WHERE h.dossier_id = ?1) "
                                       "FROM imported_dossier WHERE dossier_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      json = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      n_history = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the database"));
  if (json == NULL || json[0] == '\0')
    return TRUE;

  /* Changed here since the import: this database's own check applies. */
  if (!(entries = dossier_store_dossier_audit (store, dossier_id, error)))
    return FALSE;
  if (entries->len != (guint64)n_history)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return TRUE;
  write_element (writer, json_node_get_object (json_parser_get_root (parser)));
  *written = TRUE;
  return TRUE;
}
