/* dossier-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-export"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "dossier-check.h"
#include "dossier-dossier-list.h"
#include "dossier-export.h"
#include "dossier-import.h"
#include "dossier-json.h"
#include "dossier-package-verify.h"
#include "dossier-signature.h"

#define CHUNK_SIZE (64 * 1024)
#define NO_TIME "1970-01-01T00:00:00+00:00"

G_DEFINE_QUARK (dossier-export-error-quark, dossier_export_error)

static gboolean inject_invalid;

void
dossier_export_set_inject_invalid_for_testing (gboolean inject)
{
  inject_invalid = inject;
}

typedef struct
{
  char    *path;
  guint64  size;
  char    *media_type;
  char    *sha256;
} ManifestEntry;

static void
manifest_entry_free (ManifestEntry *e)
{
  g_free (e->path);
  g_free (e->media_type);
  g_free (e->sha256);
  g_free (e);
}

typedef struct
{
  DossierStore *store;
  char         *dir;          /* the temporary folder */
  GPtrArray    *manifest;     /* ManifestEntry */
  GHashTable   *attachments;  /* sha256 → NULL: content already written */
  GPtrArray    *findings;     /* DossierPackageFinding from validation */
  GCancellable *cancellable;
} Export;

/* Text as it goes into the package: NFC, and without the control characters XML 1.0
 * cannot carry (they become U+FFFD, which no valid record has anyway). */
static char *
clean_text (const char *text)
{
  g_autofree char *nfc = NULL;
  GString *s;

  if (text == NULL)
    return g_strdup ("");
  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return g_strdup ("\xEF\xBF\xBD");
  s = g_string_sized_new (strlen (nfc));
  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        g_string_append (s, "\xEF\xBF\xBD");
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (s, FALSE);
}

static void
write_text_element (xmlTextWriterPtr  w,
                    const char       *name,
                    const char       *text)
{
  g_autofree char *clean = clean_text (text);

  xmlTextWriterWriteElement (w, BAD_CAST name, BAD_CAST clean);
}

static void
write_attribute (xmlTextWriterPtr  w,
                 const char       *name,
                 const char       *value)
{
  g_autofree char *clean = clean_text (value);

  xmlTextWriterWriteAttribute (w, BAD_CAST name, BAD_CAST clean);
}

static void
write_attribute_int (xmlTextWriterPtr  w,
                     const char       *name,
                     gint64            value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  xmlTextWriterWriteAttribute (w, BAD_CAST name, BAD_CAST text);
}

static xmlTextWriterPtr
writer_new (xmlBufferPtr buffer)
{
  xmlTextWriterPtr w = xmlNewTextWriterMemory (buffer, 0);

  xmlTextWriterSetIndent (w, 1);
  xmlTextWriterSetIndentString (w, BAD_CAST "  ");
  xmlTextWriterStartDocument (w, "1.0", "UTF-8", NULL);
  return w;
}

/* Creates the folders of rel inside the temporary folder. */
static gboolean
make_parent (Export      *ex,
             const char  *rel,
             GError     **error)
{
  g_autofree char *full = g_build_filename (ex->dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (full);

  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder “%s”: %s"), parent, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static void
add_manifest (Export     *ex,
              const char *rel,
              guint64     size,
              const char *media_type,
              const char *sha256)
{
  ManifestEntry *e = g_new0 (ManifestEntry, 1);

  e->path = g_strdup (rel);
  e->size = size;
  e->media_type = g_strdup (media_type);
  e->sha256 = g_strdup (sha256);
  g_ptr_array_add (ex->manifest, e);
}

/* Writes data as rel; XML is validated first (a finding does not stop the export
 * here, so that every problem is reported at once). */
static gboolean
write_file (Export      *ex,
            const char  *rel,
            const char  *data,
            gsize        length,
            const char  *media_type,
            gboolean     listed,
            GError     **error)
{
  g_autofree char *full = g_build_filename (ex->dir, rel, NULL);
  g_autofree char *sha256 = NULL;

  if (g_str_has_suffix (rel, ".xml"))
    dossier_package_validate_xml (rel, data, length, ex->findings);

  if (!make_parent (ex, rel, error) ||
      !g_file_set_contents_full (full, data, length, G_FILE_SET_CONTENTS_NONE, 0644, error))
    return FALSE;

  if (listed)
    {
      sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);
      add_manifest (ex, rel, length, media_type, sha256);
    }
  return TRUE;
}

static gboolean
write_buffer (Export        *ex,
              const char    *rel,
              xmlBufferPtr   buffer,
              GError       **error)
{
  return write_file (ex, rel, (const char *)xmlBufferContent (buffer), xmlBufferLength (buffer),
                     "application/xml", TRUE, error);
}

/* The record: JSON values as <field>, <row> and <list>. */

static void
write_json (xmlTextWriterPtr  w,
            const char       *name,
            JsonNode         *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      xmlTextWriterStartElement (w, BAD_CAST "field");
      if (name != NULL)
        write_attribute (w, "name", name);
      xmlTextWriterWriteAttribute (w, BAD_CAST "null", BAD_CAST "true");
      xmlTextWriterEndElement (w);
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);
        g_autofree char *text = NULL;
        const char *type_name = "text";

        if (type == G_TYPE_INT64)
          {
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
            type_name = "integer";
          }
        else if (type == G_TYPE_DOUBLE)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            text = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
            type_name = "number";
          }
        else if (type == G_TYPE_BOOLEAN)
          {
            text = g_strdup (json_node_get_boolean (node) ? "true" : "false");
            type_name = "boolean";
          }
        else
          text = clean_text (json_node_get_string (node));

        xmlTextWriterStartElement (w, BAD_CAST "field");
        if (name != NULL)
          write_attribute (w, "name", name);
        xmlTextWriterWriteAttribute (w, BAD_CAST "type", BAD_CAST type_name);
        xmlTextWriterWriteString (w, BAD_CAST text);
        xmlTextWriterEndElement (w);
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        xmlTextWriterStartElement (w, BAD_CAST "row");
        if (name != NULL)
          write_attribute (w, "name", name);
        for (GList *l = members; l != NULL; l = l->next)
          write_json (w, l->data, json_object_get_member (object, l->data));
        xmlTextWriterEndElement (w);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        xmlTextWriterStartElement (w, BAD_CAST "list");
        if (name != NULL)
          write_attribute (w, "name", name);
        for (guint i = 0; i < json_array_get_length (array); i++)
          write_json (w, NULL, json_array_get_element (array, i));
        xmlTextWriterEndElement (w);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static const char *
signature_state_to_string (DossierSignatureState state)
{
  switch (state)
    {
    case DOSSIER_SIGNATURE_VALID:    return "valid";
    case DOSSIER_SIGNATURE_INVALID:  return "invalid";
    case DOSSIER_SIGNATURE_TAMPERED: return "tampered";
    default:                         g_assert_not_reached ();
    }
}

static gboolean
write_signatures (Export            *ex,
                  xmlTextWriterPtr   w,
                  gint64             dossier_id,
                  GError           **error)
{
  g_autoptr(GPtrArray) signatures = dossier_signature_list (ex->store, dossier_id, error);

  if (signatures == NULL)
    return FALSE;

  xmlTextWriterStartElement (w, BAD_CAST "signatures");
  for (guint i = 0; i < signatures->len; i++)
    {
      const DossierSignature *s = g_ptr_array_index (signatures, i);
      g_autofree char *manifestation = dossier_signature_describe (s);

      xmlTextWriterStartElement (w, BAD_CAST "signature");
      write_attribute_int (w, "id", s->id);
      write_attribute (w, "point", dossier_sign_point_to_string (s->point));
      write_attribute (w, "meaning", s->meaning);
      write_attribute (w, "login", s->login);
      write_attribute (w, "fullName", s->full_name);
      write_attribute (w, "role", s->role);
      write_attribute (w, "signedAt", s->signed_at);
      write_attribute (w, "contentHash", s->content_hash);
      write_attribute (w, "state", signature_state_to_string (s->state));
      write_attribute (w, "current", s->current ? "true" : "false");
      write_text_element (w, "manifestation", manifestation);
      if (s->comment != NULL && s->comment[0] != '\0')
        write_text_element (w, "comment", s->comment);
      if (s->problem != NULL)
        write_text_element (w, "problem", s->problem);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);
  return TRUE;
}

/* The newest audit entry of the record, "" when it has none. */
static const char *
newest_history (JsonObject *record)
{
  JsonArray *history = json_object_get_array_member (record, "history");
  const char *newest = "";

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonObject *entry = json_array_get_object_element (history, i);
      const char *at = json_object_get_string_member_with_default (entry, "at", "");

      if (strcmp (at, newest) > 0)
        newest = at;
    }
  return newest;
}

/* The stored result when there is one (it says what the check said at the time);
 * else the check computed now as of the dossier's last change, not stored, so that
 * exporting does not write to the database and the bytes do not depend on today. */
static gboolean
write_rule_check (Export            *ex,
                  xmlTextWriterPtr   w,
                  gint64             dossier_id,
                  const char        *as_of,
                  GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DossierCheckReport) report = NULL;
  g_autofree char *today = NULL;
  gboolean stored = TRUE;
  gboolean imported = FALSE;

  /* An imported dossier unchanged since: the check its package recorded. */
  if (!dossier_import_write_rule_check (ex->store, dossier_id, w, &imported, error))
    return FALSE;
  if (imported)
    return TRUE;

  report = dossier_check_get_stored_report (ex->store, dossier_id, &local_error);
  if (report == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (report == NULL)
    {
      DossierCheckOptions options = { NULL, NULL, DOSSIER_CHECK_NO_STORE };

      if (strlen (as_of) >= 10)
        today = g_strndup (as_of, 10);
      options.today = today;
      stored = FALSE;
      report = dossier_check_dossier (ex->store, dossier_id, &options, error);
      if (report == NULL)
        return FALSE;
    }

  xmlTextWriterStartElement (w, BAD_CAST "ruleCheck");
  write_attribute (w, "stored", stored ? "true" : "false");
  write_attribute (w, "verdict", dossier_verdict_to_string (dossier_check_report_get_verdict (report)));
  if (dossier_check_report_get_status (report) != NULL)
    write_attribute (w, "checkedAs", dossier_check_report_get_status (report));
  if (stored && dossier_check_report_get_checked_at (report) != NULL)
    write_attribute (w, "checkedAt", dossier_check_report_get_checked_at (report));
  if (dossier_check_report_get_reference_date (report) != NULL)
    write_attribute (w, "referenceDate", dossier_check_report_get_reference_date (report));
  if (dossier_check_report_get_model_code (report) != NULL)
    write_attribute (w, "modelCode", dossier_check_report_get_model_code (report));
  if (dossier_check_report_get_envelope_id (report) != 0)
    write_attribute_int (w, "envelopeVersion", dossier_check_report_get_envelope_version (report));
  if (dossier_check_report_get_inputs_hash (report) != NULL)
    write_attribute (w, "inputsHash", dossier_check_report_get_inputs_hash (report));
  write_attribute_int (w, "errors", dossier_check_report_get_n_errors (report));
  write_attribute_int (w, "warnings", dossier_check_report_get_n_warnings (report));

  for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
    {
      const DossierCheckFinding *f = dossier_check_report_get_finding (report, i);

      xmlTextWriterStartElement (w, BAD_CAST "finding");
      write_attribute (w, "ruleId", f->rule_id);
      write_attribute (w, "severity", dossier_severity_to_string (f->severity));
      if (f->parameter != NULL)
        write_attribute (w, "parameter", f->parameter);
      if (f->message_en != NULL)
        {
          xmlTextWriterStartElement (w, BAD_CAST "message");
          write_attribute (w, "lang", "en");
          {
            g_autofree char *clean = clean_text (f->message_en);
            xmlTextWriterWriteString (w, BAD_CAST clean);
          }
          xmlTextWriterEndElement (w);
        }
      if (f->message_zh != NULL)
        {
          xmlTextWriterStartElement (w, BAD_CAST "message");
          write_attribute (w, "lang", "zh");
          {
            g_autofree char *clean = clean_text (f->message_zh);
            xmlTextWriterWriteString (w, BAD_CAST clean);
          }
          xmlTextWriterEndElement (w);
        }
      if (f->source != NULL)
        write_text_element (w, "source", f->source);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);
  return TRUE;
}

/* Copies an attachment's content in chunks, hashing it on the way, and checks it
 * against what the store recorded. */
static gboolean
write_attachment (Export      *ex,
                  JsonObject  *row,
                  GError     **error)
{
  gint64 id = json_object_get_int_member (row, "id");
  const char *sha256 = json_object_get_string_member_with_default (row, "sha256", "");
  const char *media_type = json_object_get_string_member_with_default (row, "media_type", "application/octet-stream");
  gint64 expected_size = json_object_get_int_member_with_default (row, "size", -1);
  g_autofree char *rel = NULL;
  g_autofree char *full = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GChecksum) sum = NULL;
  g_autofree guint8 *buffer = NULL;
  guint64 size = 0;
  gssize n;

  if (g_hash_table_contains (ex->attachments, sha256))
    return TRUE;

  rel = g_strconcat ("attachments/", sha256, NULL);
  if (!dossier_package_path_is_safe (rel) || strlen (sha256) != 64)
    {
      g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_CONTENT,
                   _("Attachment %" PRId64 " has no valid SHA-256 recorded."), id);
      return FALSE;
    }
  if (!make_parent (ex, rel, error))
    return FALSE;

  in = dossier_store_open_attachment (ex->store, id, error);
  if (in == NULL)
    return FALSE;
  full = g_build_filename (ex->dir, rel, NULL);
  file = g_file_new_for_path (full);
  out = g_file_create (file, G_FILE_CREATE_NONE, ex->cancellable, error);
  if (out == NULL)
    return FALSE;

  sum = g_checksum_new (G_CHECKSUM_SHA256);
  buffer = g_malloc (CHUNK_SIZE);
  while ((n = g_input_stream_read (in, buffer, CHUNK_SIZE, ex->cancellable, error)) > 0)
    {
      g_checksum_update (sum, buffer, n);
      size += n;
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, n, NULL, ex->cancellable, error))
        return FALSE;
    }
  if (n < 0 || !g_output_stream_close (G_OUTPUT_STREAM (out), ex->cancellable, error))
    return FALSE;

  if (!g_str_equal (g_checksum_get_string (sum), sha256) ||
      (expected_size >= 0 && (guint64)expected_size != size))
    {
      g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_CONTENT,
                   _("The content of attachment %" PRId64 " (“%s”) does not match what was recorded when it was added; run “dossier-cli audit verify”."),
                   id, json_object_get_string_member_with_default (row, "original_name", "?"));
      return FALSE;
    }

  add_manifest (ex, rel, size, media_type, sha256);
  g_hash_table_add (ex->attachments, g_strdup (sha256));
  return TRUE;
}

/* A name for the record's folder: the unit number, reduced to ASCII. */
static char *
folder_name (const char *unit_no)
{
  GString *s = g_string_new (NULL);

  for (const char *p = unit_no; *p; p++)
    g_string_append_c (s, (g_ascii_isalnum (*p) || *p == '-' || *p == '_') ? *p : '_');
  if (s->len == 0 || s->str[0] == '-')
    g_string_prepend_c (s, 'u');
  return g_string_free (s, FALSE);
}

typedef struct
{
  char *unit_no;
  char *kind;
  char *status;
  char *record;
  char *title;
} TocEntry;

static void
toc_entry_free (TocEntry *e)
{
  g_free (e->unit_no);
  g_free (e->kind);
  g_free (e->status);
  g_free (e->record);
  g_free (e->title);
  g_free (e);
}

static const char *
member_string (JsonObject *object,
               const char *member,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

static gboolean
export_dossier (Export      *ex,
                gint64       dossier_id,
                GPtrArray   *toc,
                char       **newest,
                GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *record, *dossier;
  JsonArray *attachments;
  const char *unit_no;
  const char *as_of;
  const char *title;
  g_autofree char *folder = NULL;
  g_autofree char *rel = NULL;
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  TocEntry *entry;
  gboolean ok = TRUE;

  node = dossier_json_dossier_record (ex->store, dossier_id, error);
  if (node == NULL)
    return FALSE;
  record = json_node_get_object (node);
  dossier = json_object_get_object_member (record, "dossier");
  unit_no = json_object_get_string_member (dossier, "unit_no");
  as_of = newest_history (record);
  if (strcmp (as_of, *newest) > 0)
    {
      g_free (*newest);
      *newest = g_strdup (as_of);
    }

  folder = folder_name (unit_no);
  rel = g_strconcat ("records/", folder, "/record.xml", NULL);

  attachments = json_object_get_array_member (record, "attachments");
  for (guint i = 0; attachments != NULL && i < json_array_get_length (attachments); i++)
    if (!write_attachment (ex, json_array_get_object_element (attachments, i), error))
      return FALSE;

  buffer = xmlBufferCreate ();
  w = writer_new (buffer);
  xmlTextWriterStartElementNS (w, NULL, BAD_CAST "record", BAD_CAST DOSSIER_RECORD_NAMESPACE);
  write_attribute (w, "schemaVersion", DOSSIER_PACKAGE_SCHEMA_VERSION);
  write_attribute (w, "unitNo", unit_no);

  xmlTextWriterStartElement (w, BAD_CAST "data");
  {
    g_autoptr(GList) members = json_object_get_members (record);
    for (GList *l = members; l != NULL; l = l->next)
      write_json (w, l->data, json_object_get_member (record, l->data));
  }
  xmlTextWriterEndElement (w);

  ok = write_signatures (ex, w, dossier_id, error) &&
       write_rule_check (ex, w, dossier_id, as_of, error);

  if (ok)
    {
      xmlTextWriterStartElement (w, BAD_CAST "files");
      for (guint i = 0; attachments != NULL && i < json_array_get_length (attachments); i++)
        {
          JsonObject *row = json_array_get_object_element (attachments, i);
          g_autofree char *path = g_strconcat ("attachments/",
                                               json_object_get_string_member_with_default (row, "sha256", ""), NULL);

          xmlTextWriterStartElement (w, BAD_CAST "file");
          write_attribute_int (w, "id", json_object_get_int_member (row, "id"));
          write_attribute (w, "path", path);
          write_attribute (w, "sha256", json_object_get_string_member_with_default (row, "sha256", ""));
          xmlTextWriterEndElement (w);
        }
      xmlTextWriterEndElement (w);
      if (inject_invalid)
        xmlTextWriterWriteElement (w, BAD_CAST "injected", BAD_CAST "not in the schema");
      xmlTextWriterEndDocument (w);
    }
  xmlFreeTextWriter (w);

  if (ok)
    ok = write_buffer (ex, rel, buffer, error);
  xmlBufferFree (buffer);
  if (!ok)
    return FALSE;

  title = member_string (record, "product", "name_zh");
  if (title == NULL)
    title = member_string (record, "filing", "device_name");
  entry = g_new0 (TocEntry, 1);
  entry->unit_no = g_strdup (unit_no);
  entry->kind = g_strdup (json_object_get_string_member_with_default (dossier, "kind", ""));
  entry->status = g_strdup (json_object_get_string_member_with_default (dossier, "status", ""));
  entry->record = g_steal_pointer (&rel);
  entry->title = g_strdup (title != NULL ? title : unit_no);
  g_ptr_array_add (toc, entry);
  return TRUE;
}

static int
compare_manifest (gconstpointer a,
                  gconstpointer b)
{
  const ManifestEntry *ea = *(ManifestEntry * const *)a;
  const ManifestEntry *eb = *(ManifestEntry * const *)b;

  return strcmp (ea->path, eb->path);
}

static gboolean
write_schemas (Export   *ex,
               GError  **error)
{
  const char *names[] = { "package-1.xsd", "record-1.xsd" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GBytes) bytes = dossier_package_get_schema (names[i]);
      g_autofree char *rel = g_strconcat ("schemas/", names[i], NULL);

      if (bytes == NULL)
        {
          g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_INVALID,
                       _("The schema for filing packages is missing from this installation."));
          return FALSE;
        }
      if (!write_file (ex, rel, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       "application/xml", TRUE, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_package_xml (Export                      *ex,
                   const DossierExportOptions  *options,
                   const char                  *generated_at,
                   GPtrArray                   *toc,
                   GError                     **error)
{
  g_autoptr(GChecksum) id = g_checksum_new (G_CHECKSUM_SHA256);
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  gboolean ok;

  /* The id is derived from everything the package holds, so the same data gives the
   * same id and different data a different one. */
  g_checksum_update (id, (const guchar *)(options->scope == DOSSIER_EXPORT_SCOPE_ALL ? "all" : "unit"), -1);
  g_checksum_update (id, (const guchar *)generated_at, -1);
  for (guint i = 0; i < ex->manifest->len; i++)
    {
      const ManifestEntry *e = g_ptr_array_index (ex->manifest, i);
      g_checksum_update (id, (const guchar *)e->path, strlen (e->path) + 1);
      g_checksum_update (id, (const guchar *)e->sha256, strlen (e->sha256));
    }

  buffer = xmlBufferCreate ();
  w = writer_new (buffer);
  xmlTextWriterStartElementNS (w, NULL, BAD_CAST "package", BAD_CAST DOSSIER_PACKAGE_NAMESPACE);
  write_attribute (w, "schemaVersion", DOSSIER_PACKAGE_SCHEMA_VERSION);
  write_attribute (w, "id", g_checksum_get_string (id));

  xmlTextWriterStartElement (w, BAD_CAST "generator");
  write_attribute (w, "name", "Dossier");
  write_attribute (w, "version", PACKAGE_VERSION);
  xmlTextWriterEndElement (w);
  write_text_element (w, "generatedAt", generated_at);

  xmlTextWriterStartElement (w, BAD_CAST "scope");
  write_attribute (w, "kind", options->scope == DOSSIER_EXPORT_SCOPE_ALL ? "all" : "unit");
  if (options->scope == DOSSIER_EXPORT_SCOPE_UNIT)
    write_text_element (w, "unit", options->unit_no);
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "contents");
  write_attribute_int (w, "dossiers", toc->len);
  write_attribute_int (w, "attachments", g_hash_table_size (ex->attachments));
  for (guint i = 0; i < toc->len; i++)
    {
      const TocEntry *e = g_ptr_array_index (toc, i);

      xmlTextWriterStartElement (w, BAD_CAST "dossier");
      write_attribute (w, "unitNo", e->unit_no);
      write_attribute (w, "kind", e->kind);
      write_attribute (w, "status", e->status);
      write_attribute (w, "record", e->record);
      write_text_element (w, "title", e->title);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterStartElement (w, BAD_CAST "schema");
  write_attribute (w, "namespace", DOSSIER_PACKAGE_NAMESPACE);
  write_attribute (w, "path", "schemas/package-1.xsd");
  xmlTextWriterEndElement (w);
  xmlTextWriterStartElement (w, BAD_CAST "schema");
  write_attribute (w, "namespace", DOSSIER_RECORD_NAMESPACE);
  write_attribute (w, "path", "schemas/record-1.xsd");
  xmlTextWriterEndElement (w);
  write_text_element (w, "manifest", "manifest.xml");
  xmlTextWriterEndElement (w);
  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);

  ok = write_buffer (ex, "package.xml", buffer, error);
  xmlBufferFree (buffer);
  return ok;
}

static gboolean
write_manifest (Export   *ex,
                GError  **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  gboolean ok;

  g_ptr_array_sort (ex->manifest, compare_manifest);

  buffer = xmlBufferCreate ();
  w = writer_new (buffer);
  xmlTextWriterStartElementNS (w, NULL, BAD_CAST "manifest", BAD_CAST DOSSIER_PACKAGE_NAMESPACE);
  write_attribute (w, "schemaVersion", DOSSIER_PACKAGE_SCHEMA_VERSION);
  for (guint i = 0; i < ex->manifest->len; i++)
    {
      const ManifestEntry *e = g_ptr_array_index (ex->manifest, i);

      xmlTextWriterStartElement (w, BAD_CAST "file");
      write_attribute (w, "path", e->path);
      write_attribute_int (w, "size", (gint64)e->size);
      write_attribute (w, "mediaType", e->media_type);
      write_attribute (w, "sha256", e->sha256);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);

  ok = write_file (ex, "manifest.xml", (const char *)xmlBufferContent (buffer), xmlBufferLength (buffer),
                   "application/xml", FALSE, error);
  xmlBufferFree (buffer);
  return ok;
}

/* Removes what a failed export wrote; the folder holds only what we created. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static GArray *
collect_ids (DossierStore               *store,
             const DossierExportOptions *options,
             GError                    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (options->scope == DOSSIER_EXPORT_SCOPE_UNIT)
    {
      gint64 id = dossier_store_lookup_id (store, "dossier", "unit_no", options->unit_no, error);

      if (id <= 0)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                         _("There is no dossier with unit number “%s”."), options->unit_no);
          return NULL;
        }
      g_array_append_val (ids, id);
    }
  else
    {
      g_autoptr(DossierDossierList) list = dossier_dossier_list_new (store);
      guint n;

      dossier_dossier_list_set_sort (list, DOSSIER_SORT_UNIT_NO);
      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DossierDossier) d = g_list_model_get_item (G_LIST_MODEL (list), i);
          gint64 id;

          if (d == NULL)
            break;
          id = dossier_dossier_get_id (d);
          g_array_append_val (ids, id);
        }
      if (dossier_dossier_list_get_error (list) != NULL)
        {
          g_propagate_error (error, g_error_copy (dossier_dossier_list_get_error (list)));
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

gboolean
dossier_export_package (DossierStore                *store,
                        const DossierExportOptions  *options,
                        const char                  *out_path,
                        DossierExportSummary        *summary,
                        GCancellable                *cancellable,
                        GError                     **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) toc = NULL;
  g_autofree char *tmpl = NULL;
  g_autofree char *newest = g_strdup ("");
  const char *generated_at;
  Export ex = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->scope != DOSSIER_EXPORT_SCOPE_UNIT || options->unit_no != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_file_test (out_path, G_FILE_TEST_EXISTS) || g_file_test (out_path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” already exists; a package is only written to a new name."), out_path);
      return FALSE;
    }

  ids = collect_ids (store, options, error);
  if (ids == NULL)
    return FALSE;

  /* Beside the destination, so the final rename stays on one file system. */
  tmpl = g_strconcat (out_path, ".partial-XXXXXX", NULL);
  ex.dir = g_mkdtemp_full (tmpl, 0755);
  if (ex.dir == NULL)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create “%s”: %s"), tmpl, g_strerror (errsv));
      return FALSE;
    }
  ex.dir = g_strdup (ex.dir);   /* g_mkdtemp_full() returned tmpl itself */
  ex.store = store;
  ex.cancellable = cancellable;
  ex.manifest = g_ptr_array_new_with_free_func ((GDestroyNotify)manifest_entry_free);
  ex.attachments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ex.findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  toc = g_ptr_array_new_with_free_func ((GDestroyNotify)toc_entry_free);

  for (guint i = 0; i < ids->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!export_dossier (&ex, g_array_index (ids, gint64, i), toc, &newest, error))
        goto out;
      if (options->progress != NULL)
        options->progress (i + 1, ids->len, options->progress_data);
    }

  generated_at = options->generated_at != NULL ? options->generated_at
               : newest[0] != '\0' ? newest : NO_TIME;

  if (!write_schemas (&ex, error) ||
      !write_package_xml (&ex, options, generated_at, toc, error) ||
      !write_manifest (&ex, error))
    goto out;

  if (ex.findings->len > 0)
    {
      g_autoptr(GString) message = g_string_new (_("The package would not be valid, so it was not written:"));

      for (guint i = 0; i < ex.findings->len; i++)
        {
          g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (ex.findings, i));
          g_string_append_printf (message, "\n  %s", line);
        }
      g_set_error_literal (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_INVALID, message->str);
      goto out;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  if (g_rename (ex.dir, out_path) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not rename “%s” to “%s”: %s"), ex.dir, out_path, g_strerror (errsv));
      goto out;
    }

  if (summary != NULL)
    {
      summary->n_dossiers = toc->len;
      summary->n_attachments = g_hash_table_size (ex.attachments);
      summary->n_files = ex.manifest->len;
      summary->n_bytes = 0;
      for (guint i = 0; i < ex.manifest->len; i++)
        summary->n_bytes += ((ManifestEntry *)g_ptr_array_index (ex.manifest, i))->size;
    }
  ok = TRUE;

out:
  if (!ok)
    remove_tree (ex.dir);
  g_free (ex.dir);
  g_clear_pointer (&ex.manifest, g_ptr_array_unref);
  g_clear_pointer (&ex.attachments, g_hash_table_unref);
  g_clear_pointer (&ex.findings, g_ptr_array_unref);
  return ok;
}
