/* fuzz-xml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-fuzz"

#include "config.h"

#include <libxml/tree.h>
#include <stdint.h>
#include <string.h>

#include "dossier-package-verify.h"

#include "fuzz-util.h"

/* libFuzzer target: the input is one XML document of a filing package (package.xml,
 * manifest.xml, a record or a filing).  It is parsed and validated as verification
 * does; a record that is valid is then wrapped into a package of its own, with a
 * package.xml and a manifest that match it, and imported into a new database and
 * exported again.  Mutations of a zip rarely survive its checksums, so this is how
 * the import sees hostile records. */

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define RECORD_PATH "records/R/record.xml"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* Text for an attribute value, so that it reads back exactly as it was. */
static char *
escape_attribute (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  GString *s = g_string_new (NULL);

  for (const char *p = escaped; *p; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      g_string_append_printf (s, "&#%d;", *p);
    else
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static void
write_file (const char *dir,
            const char *rel,
            const char *data,
            gsize       length,
            GString    *manifest)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_build_filename (dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (full);
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);

  g_mkdir_with_parents (parent, 0755);
  if (!g_file_set_contents (full, data, (gssize)length, &error))
    g_error ("Cannot write %s: %s", full, error->message);
  if (manifest != NULL)
    g_string_append_printf (manifest, "  <file path=\"%s\" size=\"%zu\" mediaType=\"application/xml\" sha256=\"%s\"/>\n",
                            rel, length, sha256);
}

/* The record as the only dossier of a unit package, as the export would write it. */
static void
import_record (const char *data,
               gsize       length,
               const char *unit_no)
{
  g_autofree char *dir = fuzz_path ("package", "");
  g_autofree char *unit = escape_attribute (unit_no);
  g_autofree char *id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);
  g_autofree char *package = NULL;
  g_autoptr(GString) manifest = g_string_new (NULL);

  package = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<package schemaVersion=\"1.0\" id=\"%s\" xmlns=\"urn:io.github.dossier:package:1\">\n"
                             "  <generator name=\"Dossier\" version=\"0.1.0\"/>\n"
                             "  <generatedAt>2026-03-02T10:15:03+08:00</generatedAt>\n"
                             "  <scope kind=\"unit\">\n    <unit>%s</unit>\n  </scope>\n"
                             "  <contents dossiers=\"1\" attachments=\"0\">\n"
                             "    <dossier unitNo=\"%s\" kind=\"customized\" status=\"draft\" record=\"" RECORD_PATH "\">\n"
                             "      <title>fuzz</title>\n    </dossier>\n"
                             "    <manifest>manifest.xml</manifest>\n"
                             "  </contents>\n</package>\n",
                             id, unit, unit);

  g_string_append (manifest, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<manifest schemaVersion=\"1.0\" xmlns=\"urn:io.github.dossier:package:1\">\n");
  write_file (dir, "package.xml", package, strlen (package), manifest);
  write_file (dir, RECORD_PATH, data, length, manifest);
  g_string_append (manifest, "</manifest>\n");
  write_file (dir, "manifest.xml", manifest->str, manifest->len, NULL);

  fuzz_round_trip (dir, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  g_autofree char *unit_no = NULL;
  gboolean valid;
  xmlDocPtr doc;
  xmlNodePtr root;

  valid = dossier_package_validate_xml ("fuzz.xml", (const char *)data, size, findings);
  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
      (void)line;
    }

  /* The import parses again without validating; it must refuse the same input. */
  doc = dossier_package_parse_xml ((const char *)data, size);
  if (doc == NULL)
    return 0;
  root = xmlDocGetRootElement (doc);
  if (valid && root != NULL && root->ns != NULL && root->ns->href != NULL &&
      g_str_equal ((const char *)root->ns->href, DOSSIER_RECORD_NAMESPACE) &&
      g_str_equal ((const char *)root->name, "record"))
    {
      xmlChar *v = xmlGetProp (root, (const xmlChar *)"unitNo");

      unit_no = g_strdup ((const char *)v);
      xmlFree (v);
    }
  xmlFreeDoc (doc);

  if (unit_no != NULL)
    {
      import_record ((const char *)data, size, unit_no);
      fuzz_clean ();
    }
  return 0;
}
