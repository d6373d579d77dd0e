/* dossier-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/xmlwriter.h>
#include <string.h>
#include <unistd.h>

#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-dossier-list.h"
#include "dossier-export.h"
#include "dossier-import.h"
#include "dossier-json.h"
#include "dossier-package-verify.h"
#include "dossier-package-zip.h"
#include "dossier-signature.h"
#include "dossier-store-private.h"
#include "dossier-validate.h"

#define CHUNK_SIZE (64 * 1024)
#define NO_TIME "1970-01-01T00:00:00+00:00"
/* The release of the documents that use what 1.1 added (the filing); every other
 * document stays 1.0, so that readers of 1.0 still read the packages they could. */
#define SCHEMA_VERSION_FILING "1.1"

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


static void
write_text_element (xmlTextWriterPtr  w,
                    const char       *name,
                    const char       *text)
{
  g_autofree char *clean = dossier_package_clean_text (text);

  xmlTextWriterWriteElement (w, BAD_CAST name, BAD_CAST clean);
}

static void
write_attribute (xmlTextWriterPtr  w,
                 const char       *name,
                 const char       *value)
{
  g_autofree char *clean = dossier_package_clean_text (value);

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
          text = dossier_package_clean_text (json_node_get_string (node));

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
  g_autoptr(GPtrArray) history = NULL;

  if (signatures == NULL)
    return FALSE;
  if (signatures->len > 0 && !(history = dossier_store_dossier_audit (ex->store, dossier_id, error)))
    return FALSE;

  xmlTextWriterStartElement (w, BAD_CAST "signatures");
  for (guint i = 0; i < signatures->len; i++)
    {
      const DossierSignature *s = g_ptr_array_index (signatures, i);
      /* In English whatever the exporter's language: the same database gives the same bytes. */
      g_autofree char *manifestation = dossier_signature_describe_en (s);
      guint position;

      if (!dossier_signature_get_history_position (ex->store, s, history, &position, error))
        return FALSE;

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
      write_attribute_int (w, "historyPosition", position);
      write_text_element (w, "manifestation", manifestation);
      if (s->comment != NULL && s->comment[0] != '\0')
        write_text_element (w, "comment", s->comment);
      /* Fixed English, like the manifestation; `dossier-cli signatures verify`
       * gives the details in the reader's language. */
      if (s->state == DOSSIER_SIGNATURE_INVALID)
        write_text_element (w, "problem", "The signed content was changed after signing.");
      else if (s->state == DOSSIER_SIGNATURE_TAMPERED)
        write_text_element (w, "problem", "The signature or the content it covers was changed outside Dossier.");
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
            g_autofree char *clean = dossier_package_clean_text (f->message_en);
            xmlTextWriterWriteString (w, BAD_CAST clean);
          }
          xmlTextWriterEndElement (w);
        }
      if (f->message_zh != NULL)
        {
          xmlTextWriterStartElement (w, BAD_CAST "message");
          write_attribute (w, "lang", "zh");
          {
            g_autofree char *clean = dossier_package_clean_text (f->message_zh);
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
  char *ordered_on;
} TocEntry;

static void
toc_entry_free (TocEntry *e)
{
  g_free (e->ordered_on);
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
  entry->ordered_on = g_strdup (json_object_get_string_member_with_default (dossier, "ordered_on", NULL));
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

static const char *
scope_kind (DossierExportScope scope)
{
  switch (scope)
    {
    case DOSSIER_EXPORT_SCOPE_UNIT:   return "unit";
    case DOSSIER_EXPORT_SCOPE_ALL:    return "all";
    case DOSSIER_EXPORT_SCOPE_FILING: return "filing";
    case DOSSIER_EXPORT_SCOPE_RANGE:  return "range";
    default:                          g_assert_not_reached ();
    }
}

/* The filing of a filing-scope package: its row and its partner institution. */
typedef struct
{
  GHashTable *row;
  GHashTable *institution;
  char       *document;     /* filings/<name>/filing.xml */
} Filing;

static void
filing_clear (Filing *filing)
{
  g_clear_pointer (&filing->row, g_hash_table_unref);
  g_clear_pointer (&filing->institution, g_hash_table_unref);
  g_clear_pointer (&filing->document, g_free);
}

/* An ASCII folder name for a filing: the province code and the digits of its
 * number (粤械定制备20240003号 of 440000 → 440000-20240003), which the number
 * pattern makes unique; the row id when the number has no digits. */
static char *
filing_folder (GHashTable *row,
               gint64      id)
{
  const char *number = g_hash_table_lookup (row, "number");
  const char *province = g_hash_table_lookup (row, "province_code");
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = number != NULL ? number : ""; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len == 0)
    return g_strdup_printf ("filing-%" G_GINT64_FORMAT, id);
  return g_strdup_printf ("%s-%s", province != NULL ? province : "000000", digits->str);
}

static void
write_optional_element (xmlTextWriterPtr  w,
                        const char       *name,
                        const char       *text)
{
  if (text != NULL && text[0] != '\0')
    write_text_element (w, name, text);
}

static gboolean
write_filing_xml (Export     *ex,
                  Filing     *filing,
                  GPtrArray  *toc,
                  GError    **error)
{
  GHashTable *row = filing->row;
  GHashTable *inst = filing->institution;
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  const char *name_en;
  gboolean ok;

  buffer = xmlBufferCreate ();
  w = writer_new (buffer);
  xmlTextWriterStartElementNS (w, NULL, BAD_CAST "filing", BAD_CAST DOSSIER_PACKAGE_NAMESPACE);
  write_attribute (w, "schemaVersion", SCHEMA_VERSION_FILING);
  write_attribute (w, "number", g_hash_table_lookup (row, "number"));
  write_attribute (w, "status", g_hash_table_lookup (row, "status"));

  write_text_element (w, "provinceCode", g_hash_table_lookup (row, "province_code"));
  write_optional_element (w, "filedOn", g_hash_table_lookup (row, "filed_on"));
  write_text_element (w, "deviceName", g_hash_table_lookup (row, "device_name"));
  write_text_element (w, "intendedUse", g_hash_table_lookup (row, "intended_use"));
  write_text_element (w, "mainMaterials", g_hash_table_lookup (row, "main_materials"));
  write_text_element (w, "caseThreshold", g_hash_table_lookup (row, "case_threshold"));

  xmlTextWriterStartElement (w, BAD_CAST "institution");
  write_attribute (w, "practisingLicence", g_hash_table_lookup (inst, "practising_licence"));
  write_attribute (w, "provinceCode", g_hash_table_lookup (inst, "province_code"));
  xmlTextWriterStartElement (w, BAD_CAST "name");
  write_attribute (w, "lang", "zh");
  {
    g_autofree char *clean = dossier_package_clean_text (g_hash_table_lookup (inst, "name_zh"));
    xmlTextWriterWriteString (w, BAD_CAST clean);
  }
  xmlTextWriterEndElement (w);
  name_en = g_hash_table_lookup (inst, "name_en");
  if (name_en != NULL && name_en[0] != '\0')
    {
      g_autofree char *clean = dossier_package_clean_text (name_en);

      xmlTextWriterStartElement (w, BAD_CAST "name");
      write_attribute (w, "lang", "en");
      xmlTextWriterWriteString (w, BAD_CAST clean);
      xmlTextWriterEndElement (w);
    }
  write_optional_element (w, "grade", g_hash_table_lookup (inst, "grade"));
  write_optional_element (w, "address", g_hash_table_lookup (inst, "address"));
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "units");
  write_attribute_int (w, "count", toc->len);
  for (guint i = 0; i < toc->len; i++)
    {
      const TocEntry *e = g_ptr_array_index (toc, i);

      xmlTextWriterStartElement (w, BAD_CAST "unit");
      write_attribute (w, "unitNo", e->unit_no);
      write_attribute (w, "status", e->status);
      if (e->ordered_on != NULL)
        write_attribute (w, "orderedOn", e->ordered_on);
      write_attribute (w, "record", e->record);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);
  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);

  ok = write_buffer (ex, filing->document, buffer, error);
  xmlBufferFree (buffer);
  return ok;
}

static gboolean
write_package_xml (Export                      *ex,
                   const DossierExportOptions  *options,
                   const char                  *generated_at,
                   GPtrArray                   *toc,
                   Filing                      *filing,
                   GError                     **error)
{
  g_autoptr(GChecksum) id = g_checksum_new (G_CHECKSUM_SHA256);
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  gboolean ok;

  /* The id is derived from everything the package holds, so the same data gives the
   * same id and different data a different one. */
  g_checksum_update (id, (const guchar *)scope_kind (options->scope), -1);
  /* The scopes whose files do not say everything about them. */
  if (options->scope == DOSSIER_EXPORT_SCOPE_FILING)
    g_checksum_update (id, (const guchar *)options->filing_no, strlen (options->filing_no) + 1);
  else if (options->scope == DOSSIER_EXPORT_SCOPE_RANGE)
    {
      g_checksum_update (id, (const guchar *)options->from, strlen (options->from) + 1);
      g_checksum_update (id, (const guchar *)options->to, strlen (options->to) + 1);
    }
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
  write_attribute (w, "schemaVersion", filing != NULL ? SCHEMA_VERSION_FILING : DOSSIER_PACKAGE_SCHEMA_VERSION);
  write_attribute (w, "id", g_checksum_get_string (id));

  xmlTextWriterStartElement (w, BAD_CAST "generator");
  write_attribute (w, "name", "Dossier");
  write_attribute (w, "version", PACKAGE_VERSION);
  xmlTextWriterEndElement (w);
  write_text_element (w, "generatedAt", generated_at);

  xmlTextWriterStartElement (w, BAD_CAST "scope");
  write_attribute (w, "kind", scope_kind (options->scope));
  if (options->scope == DOSSIER_EXPORT_SCOPE_RANGE)
    {
      write_attribute (w, "from", options->from);
      write_attribute (w, "to", options->to);
    }
  if (options->scope == DOSSIER_EXPORT_SCOPE_UNIT)
    write_text_element (w, "unit", options->unit_no);
  else if (options->scope == DOSSIER_EXPORT_SCOPE_FILING)
    write_text_element (w, "filing", options->filing_no);
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "contents");
  write_attribute_int (w, "dossiers", toc->len);
  write_attribute_int (w, "attachments", g_hash_table_size (ex->attachments));
  if (filing != NULL)
    {
      xmlTextWriterStartElement (w, BAD_CAST "filing");
      write_attribute (w, "number", g_hash_table_lookup (filing->row, "number"));
      write_attribute (w, "document", filing->document);
      write_text_element (w, "title", g_hash_table_lookup (filing->row, "device_name"));
      xmlTextWriterEndElement (w);
    }
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


/* Exporting is the regulatory staff's task (and the administrator's); a database
 * without accounts has nobody to ask. */
static gboolean
check_permission (DossierStore  *store,
                  GError       **error)
{
  const DossierRoles allowed = DOSSIER_ROLE_REGULATORY | DOSSIER_ROLE_ADMINISTRATOR;
  const DossierUser *user;

  if (!dossier_auth_has_accounts (store))
    return TRUE;

  user = dossier_store_get_user (store);
  if (user == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   _("Exporting a filing package needs a signed-in user with the role “%s” or “%s”."),
                   dossier_role_get_label (DOSSIER_ROLE_REGULATORY),
                   dossier_role_get_label (DOSSIER_ROLE_ADMINISTRATOR));
      return FALSE;
    }
  if ((user->roles & allowed) == 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   _("%s (%s) may not export filing packages: that needs the role “%s” or “%s”."),
                   user->full_name, user->login,
                   dossier_role_get_label (DOSSIER_ROLE_REGULATORY),
                   dossier_role_get_label (DOSSIER_ROLE_ADMINISTRATOR));
      return FALSE;
    }
  if (dossier_auth_is_locked (store))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                   _("The session of %s is locked; enter the password again to export."), user->login);
      return FALSE;
    }
  return TRUE;
}

/* The dossiers a statement with at most two bound texts or one id gives. */
static gboolean
query_ids (DossierStore  *store,
           const char    *sql,
           const char    *text1,
           const char    *text2,
           gint64         id,
           GArray        *ids,
           GError       **error)
{
  sqlite3_stmt *stmt = _dossier_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (text1 != NULL)
    {
      sqlite3_bind_text (stmt, 1, text1, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 value = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, value);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the dossiers to export"));
  return TRUE;
}

static gboolean
parse_date (const char  *text,
            const char  *label,
            GDate       *date,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int y = 0, m = 0, d = 0;

  if (text == NULL || !dossier_validate_date (text, &local_error) ||
      sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE,
                   /* Translators: the first %s is “Start of the period” or “End of the period” */
                   _("%s: “%s” is not a date like 2026-01-31: %s"), label,
                   text != NULL ? text : "", local_error != NULL ? local_error->message : _("no such day"));
      return FALSE;
    }
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static GArray *
collect_ids (DossierStore               *store,
             const DossierExportOptions *options,
             Filing                     *filing,
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
  else if (options->scope == DOSSIER_EXPORT_SCOPE_FILING)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *folder = NULL;
      const char *status, *institution;
      gint64 id;

      id = dossier_store_lookup_id (store, "filing", "number", options->filing_no, &local_error);
      if (id <= 0)
        {
          if (local_error != NULL && !g_error_matches (local_error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                         _("There is no filing with number “%s”."), options->filing_no);
          return NULL;
        }
      filing->row = dossier_store_get_row (store, "filing", id, error);
      if (filing->row == NULL)
        return NULL;
      status = g_hash_table_lookup (filing->row, "status");
      /* A draft has not been filed: there is nothing the regulator could receive. */
      if (g_strcmp0 (status, "draft") == 0)
        {
          g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE,
                       _("Filing “%s” is still a draft; only a filed filing is exported."), options->filing_no);
          return NULL;
        }
      institution = g_hash_table_lookup (filing->row, "institution_id");
      filing->institution = dossier_store_get_row (store, "institution",
                                                   institution != NULL ? g_ascii_strtoll (institution, NULL, 10) : 0,
                                                   error);
      if (filing->institution == NULL)
        return NULL;
      folder = filing_folder (filing->row, id);
      filing->document = g_strconcat ("filings/", folder, "/filing.xml", NULL);

      if (!query_ids (store, "SELECT id FROM dossier WHERE filing_id = ?1 ORDER BY unit_no",
                      NULL, NULL, id, ids, error))
        return NULL;
      if (ids->len == 0)
        {
          g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_EMPTY,
                       _("Filing “%s” has no dossier; no package was written."), options->filing_no);
          return NULL;
        }
    }
  else if (options->scope == DOSSIER_EXPORT_SCOPE_RANGE)
    {
      GDate from, to;

      if (!parse_date (options->from, _("Start of the period"), &from, error) ||
          !parse_date (options->to, _("End of the period"), &to, error))
        return NULL;
      if (g_date_compare (&from, &to) > 0)
        {
          g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE,
                       _("The range starts on %s, after its end on %s."), options->from, options->to);
          return NULL;
        }
      /* Dates are stored as YYYY-MM-DD, so text order is date order. */
      if (!query_ids (store, "SELECT id FROM dossier WHERE ordered_on >= ?1 AND ordered_on <= ?2 ORDER BY unit_no",
                      options->from, options->to, 0, ids, error))
        return NULL;
      if (ids->len == 0)
        {
          g_set_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_EMPTY,
                       _("No dossier was ordered from %s to %s; no package was written."), options->from, options->to);
          return NULL;
        }
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
      if (ids->len == 0)
        {
          g_set_error_literal (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_EMPTY,
                               _("The database has no dossier; no package was written."));
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

/* Moves from to the new name to, refusing to replace anything that appeared there
 * meanwhile (a hard link fails when to exists; rename() would replace it). */
static gboolean
move_into_place (const char  *from,
                 const char  *to,
                 GError     **error)
{
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return TRUE;
    }
  if (errno == EEXIST)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” already exists; a package is only written to a new name."), to);
      return FALSE;
    }
  /* File systems without hard links. */
  if (g_rename (from, to) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not rename “%s” to “%s”: %s"), from, to, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* The zip holds the staged folder's files: package.xml and manifest.xml first, then
 * the manifest's order. */
static gboolean
write_zip (Export        *ex,
           const char    *generated_at,
           const char    *out_path,
           char         **tmp_zip,
           GError       **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autofree char *tmpl = g_strconcat (out_path, ".partial-XXXXXX", NULL);
  int fd;

  g_ptr_array_add (paths, (gpointer)"package.xml");
  g_ptr_array_add (paths, (gpointer)"manifest.xml");
  for (guint i = 0; i < ex->manifest->len; i++)
    {
      const ManifestEntry *e = g_ptr_array_index (ex->manifest, i);

      if (!g_str_equal (e->path, "package.xml"))
        g_ptr_array_add (paths, e->path);
    }

  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create “%s”: %s"), tmpl, g_strerror (errsv));
      return FALSE;
    }
  close (fd);
  *tmp_zip = g_strdup (tmpl);

  return dossier_package_zip_write (ex->dir, paths, generated_at, *tmp_zip, ex->cancellable, error);
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
  g_autofree char *tmp_zip = NULL;
  g_autofree char *newest = g_strdup ("");
  const char *generated_at;
  Export ex = { 0 };
  Filing filing = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->scope != DOSSIER_EXPORT_SCOPE_UNIT || options->unit_no != NULL, FALSE);
  g_return_val_if_fail (options->scope != DOSSIER_EXPORT_SCOPE_FILING || options->filing_no != NULL, FALSE);
  g_return_val_if_fail (options->scope != DOSSIER_EXPORT_SCOPE_RANGE || (options->from != NULL && options->to != NULL), FALSE);
  g_return_val_if_fail (options->format == DOSSIER_EXPORT_FORMAT_FOLDER || options->format == DOSSIER_EXPORT_FORMAT_ZIP, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_permission (store, error))
    return FALSE;

  if (g_file_test (out_path, G_FILE_TEST_EXISTS) || g_file_test (out_path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” already exists; a package is only written to a new name."), out_path);
      return FALSE;
    }

  ids = collect_ids (store, options, &filing, error);
  if (ids == NULL)
    {
      filing_clear (&filing);
      return FALSE;
    }

  /* Beside the destination, so the final rename stays on one file system.  A zip
   * is made from this folder once everything in it is valid. */
  tmpl = g_strconcat (out_path, ".partial-XXXXXX", NULL);
  ex.dir = g_mkdtemp_full (tmpl, 0755);
  if (ex.dir == NULL)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create “%s”: %s"), tmpl, g_strerror (errsv));
      filing_clear (&filing);
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

  if ((filing.row != NULL && !write_filing_xml (&ex, &filing, toc, error)) ||
      !write_schemas (&ex, error) ||
      !write_package_xml (&ex, options, generated_at, toc, filing.row != NULL ? &filing : NULL, error) ||
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

  if (options->format == DOSSIER_EXPORT_FORMAT_ZIP)
    {
      if (!write_zip (&ex, generated_at, out_path, &tmp_zip, error) ||
          g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !move_into_place (tmp_zip, out_path, error))
        goto out;
      g_clear_pointer (&tmp_zip, g_free);
      dossier_package_remove_tree (ex.dir);
    }
  else if (g_rename (ex.dir, out_path) != 0)
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
    {
      dossier_package_remove_tree (ex.dir);
      if (tmp_zip != NULL)
        g_unlink (tmp_zip);
    }
  g_free (ex.dir);
  g_clear_pointer (&ex.manifest, g_ptr_array_unref);
  g_clear_pointer (&ex.attachments, g_hash_table_unref);
  g_clear_pointer (&ex.findings, g_ptr_array_unref);
  filing_clear (&filing);
  return ok;
}
