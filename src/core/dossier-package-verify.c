/* dossier-package-verify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-package"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <string.h>

#include "dossier-core-resources.h"
#include "dossier-package-verify.h"
#include "dossier-package-zip.h"

#define SCHEMA_RESOURCE_DIR "/io/github/dossier/Dossier/schemas/"
#define MAX_XML_MESSAGES 50
#define CHUNK_SIZE (64 * 1024)

void
dossier_package_finding_free (DossierPackageFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->rule_id);
  g_free (finding->file);
  g_free (finding->message);
  g_free (finding);
}

static void
add_finding (GPtrArray       *findings,
             const char      *rule_id,
             DossierSeverity  severity,
             const char      *file,
             int              line,
             char            *message)   /* owned */
{
  DossierPackageFinding *f = g_new0 (DossierPackageFinding, 1);

  f->rule_id = g_strdup (rule_id);
  f->severity = severity;
  f->file = g_strdup (file);
  f->line = line;
  f->message = message;
  g_ptr_array_add (findings, f);
}

char *
dossier_package_finding_format (const DossierPackageFinding *finding)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_val_if_fail (finding != NULL, NULL);

  if (finding->file != NULL)
    {
      g_string_append (s, finding->file);
      if (finding->line > 0)
        g_string_append_printf (s, ":%d", finding->line);
      g_string_append (s, ": ");
    }
  g_string_append_printf (s, "%s %s: %s", dossier_severity_to_string (finding->severity),
                          finding->rule_id, finding->message);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

guint
dossier_package_count_errors (GPtrArray *findings)
{
  guint n = 0;

  g_return_val_if_fail (findings != NULL, 0);

  for (guint i = 0; i < findings->len; i++)
    {
      const DossierPackageFinding *f = g_ptr_array_index (findings, i);
      if (f->severity == DOSSIER_SEVERITY_ERROR)
        n++;
    }
  return n;
}

GBytes *
dossier_package_get_schema (const char *name)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  /* Verifying needs no database, so the resources may not be registered yet. */
  dossier_core_register_resource ();
  path = g_strconcat (SCHEMA_RESOURCE_DIR, name, NULL);
  return g_resources_lookup_data (path, 0, NULL);
}

char *
dossier_package_clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfc = NULL;
  GString *s;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
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

gboolean
dossier_package_path_is_safe (const char *path)
{
  g_auto(GStrv) parts = NULL;
  gsize len;

  if (path == NULL)
    return FALSE;
  len = strlen (path);
  if (len == 0 || len > 255 || path[0] == '/')
    return FALSE;
  for (const char *p = path; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '/')
      return FALSE;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/* XML: parsing and validation. */

typedef struct
{
  GPtrArray  *findings;
  const char *file;
  const char *rule_id;
  guint       n;
} XmlCollector;

static void
collect_xml_error (void        *data,
                   xmlErrorPtr  error)
{
  XmlCollector *c = data;
  g_autofree char *message = NULL;

  if (error == NULL || error->level == XML_ERR_WARNING)
    return;
  if (c->n++ >= MAX_XML_MESSAGES)
    return;
  message = g_strstrip (g_strdup (error->message != NULL ? error->message : "?"));
  add_finding (c->findings, c->rule_id, DOSSIER_SEVERITY_ERROR, c->file, error->line,
               g_steal_pointer (&message));
}

static xmlSchemaPtr
load_schema (const char *name)
{
  g_autoptr(GBytes) bytes = dossier_package_get_schema (name);
  xmlSchemaParserCtxtPtr ctxt;
  xmlSchemaPtr schema;

  if (bytes == NULL)
    return NULL;
  ctxt = xmlSchemaNewMemParserCtxt (g_bytes_get_data (bytes, NULL), (int)g_bytes_get_size (bytes));
  schema = xmlSchemaParse (ctxt);
  xmlSchemaFreeParserCtxt (ctxt);
  if (schema == NULL)
    g_critical ("The shipped schema %s does not load", name);
  return schema;
}

/* Parsed once; a parsed schema is read-only while validating. */
static xmlSchemaPtr
get_schema (gboolean record)
{
  static xmlSchemaPtr schemas[2];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      schemas[0] = load_schema ("package-1.xsd");
      schemas[1] = load_schema ("record-1.xsd");
      g_once_init_leave (&initialized, 1);
    }
  return schemas[record ? 1 : 0];
}

gboolean
dossier_package_validate_xml (const char *file,
                              const char *data,
                              gsize       length,
                              GPtrArray  *findings)
{
  XmlCollector c = { findings, file, "PKG-XML", 0 };
  guint before;
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  xmlNodePtr root;
  xmlSchemaPtr schema;
  xmlSchemaValidCtxtPtr vctxt;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);

  before = findings->len;
  xmlInitParser ();

  if (data == NULL || length == 0)
    {
      add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, file, 0, g_strdup (_("The file is empty.")));
      return FALSE;
    }
  if (length > DOSSIER_PACKAGE_XML_MAX_BYTES)
    {
      add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, file, 0,
                   g_strdup_printf (_("The file is too large (%zu bytes; at most %d)."),
                                    length, DOSSIER_PACKAGE_XML_MAX_BYTES));
      return FALSE;
    }
  /* UTF-8 only, so that the look for a DTD below cannot be dodged with another
   * encoding. */
  if (!g_utf8_validate (data, length, NULL))
    {
      add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, file, 0, g_strdup (_("The file is not UTF-8 text.")));
      return FALSE;
    }
  if (g_strstr_len (data, length, "<!DOCTYPE") != NULL || g_strstr_len (data, length, "<!ENTITY") != NULL)
    {
      add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, file, 0,
                   g_strdup (_("The file declares a DTD or entities, which are not allowed.")));
      return FALSE;
    }

  /* No network, no DTD loading, no entity substitution (XML_PARSE_NOENT is not set),
   * no XInclude. */
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    g_error ("Out of memory");
  xmlSetStructuredErrorFunc (&c, collect_xml_error);
  doc = xmlCtxtReadMemory (ctxt, data, (int)length, file, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOCDATA);
  xmlSetStructuredErrorFunc (NULL, NULL);
  xmlFreeParserCtxt (ctxt);

  if (doc == NULL)
    {
      if (findings->len == before)
        add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, file, 0, g_strdup (_("The file is not well-formed XML.")));
      return FALSE;
    }
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      xmlFreeDoc (doc);
      add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, file, 0,
                   g_strdup (_("The file declares a DTD or entities, which are not allowed.")));
      return FALSE;
    }

  root = xmlDocGetRootElement (doc);
  if (root == NULL || root->ns == NULL || root->ns->href == NULL ||
      (!g_str_equal ((const char *)root->ns->href, DOSSIER_PACKAGE_NAMESPACE) &&
       !g_str_equal ((const char *)root->ns->href, DOSSIER_RECORD_NAMESPACE)))
    {
      add_finding (findings, "PKG-XSD", DOSSIER_SEVERITY_ERROR, file, root != NULL ? (int)xmlGetLineNo (root) : 0,
                   g_strdup_printf (_("The root element is not in the namespace %s or %s."),
                                    DOSSIER_PACKAGE_NAMESPACE, DOSSIER_RECORD_NAMESPACE));
      xmlFreeDoc (doc);
      return FALSE;
    }

  schema = get_schema (g_str_equal ((const char *)root->ns->href, DOSSIER_RECORD_NAMESPACE));
  if (schema == NULL)
    {
      add_finding (findings, "PKG-XSD", DOSSIER_SEVERITY_ERROR, file, 0,
                   g_strdup (_("The schema for filing packages is missing from this installation.")));
      xmlFreeDoc (doc);
      return FALSE;
    }

  c.rule_id = "PKG-XSD";
  c.n = 0;
  vctxt = xmlSchemaNewValidCtxt (schema);
  xmlSchemaSetValidStructuredErrors (vctxt, collect_xml_error, &c);
  if (xmlSchemaValidateDoc (vctxt, doc) != 0 && findings->len == before)
    add_finding (findings, "PKG-XSD", DOSSIER_SEVERITY_ERROR, file, 0,
                 g_strdup (_("The file does not follow its schema.")));
  xmlSchemaFreeValidCtxt (vctxt);
  xmlFreeDoc (doc);

  return findings->len == before;
}

/* Verification of a folder. */

/* Collects the relative paths of every entry under dir; anything that is not a
 * plain file or folder (a symbolic link, a device) is a PKG-PATH finding. */
static void
walk (const char *root,
      const char *rel,
      GPtrArray  *files,
      GPtrArray  *findings,
      guint       depth)
{
  g_autofree char *dir_path = rel != NULL ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      add_finding (findings, "PKG-CONTAINER", DOSSIER_SEVERITY_ERROR, rel, 0,
                   g_strdup (_("A folder of the package cannot be read.")));
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = rel != NULL ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, child, NULL);
      GStatBuf st;

      if (files->len >= DOSSIER_PACKAGE_MAX_FILES)
        {
          add_finding (findings, "PKG-CONTAINER", DOSSIER_SEVERITY_ERROR, NULL, 0,
                       g_strdup (_("The package has too many files.")));
          return;
        }
      if (g_lstat (full, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (!dossier_package_path_is_safe (child) || depth > 8)
            add_finding (findings, "PKG-PATH", DOSSIER_SEVERITY_ERROR, child, 0,
                         g_strdup (_("The folder name is not allowed in a package (ASCII letters, digits, “.”, “_” and “-” only).")));
          else
            walk (root, child, files, findings, depth + 1);
        }
      else if (!S_ISREG (st.st_mode))
        add_finding (findings, "PKG-PATH", DOSSIER_SEVERITY_ERROR, child, 0,
                     g_strdup (_("This is not a plain file (a link or a device); packages hold only plain files.")));
      else if (!dossier_package_path_is_safe (child))
        add_finding (findings, "PKG-PATH", DOSSIER_SEVERITY_ERROR, child, 0,
                     g_strdup (_("The file name is not allowed in a package (ASCII letters, digits, “.”, “_” and “-” only).")));
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

/* Where the files of the package are read from: a folder or a zip. */
typedef struct
{
  const char        *root;     /* the folder, or NULL */
  DossierPackageZip *zip;      /* or the zip */
  GHashTable        *present;  /* the plain files with safe names */
} Source;

static char *
read_xml_file (Source      *src,
               const char  *rel,
               gsize       *length,
               GPtrArray   *findings)
{
  g_autofree char *full = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  char *data = NULL;

  if (src->zip != NULL)
    {
      if (!g_hash_table_contains (src->present, rel))
        {
          add_finding (findings, "PKG-MANIFEST", DOSSIER_SEVERITY_ERROR, rel, 0,
                       g_strdup (_("The file is missing.")));
          return NULL;
        }
      return dossier_package_zip_read (src->zip, rel, DOSSIER_PACKAGE_XML_MAX_BYTES, length, findings);
    }

  full = g_build_filename (src->root, rel, NULL);
  if (g_lstat (full, &st) != 0 || !S_ISREG (st.st_mode))
    {
      add_finding (findings, "PKG-MANIFEST", DOSSIER_SEVERITY_ERROR, rel, 0,
                   g_strdup (_("The file is missing.")));
      return NULL;
    }
  if (st.st_size > DOSSIER_PACKAGE_XML_MAX_BYTES)
    {
      add_finding (findings, "PKG-XML", DOSSIER_SEVERITY_ERROR, rel, 0,
                   g_strdup_printf (_("The file is too large (%" PRId64 " bytes; at most %d)."),
                                    (gint64)st.st_size, DOSSIER_PACKAGE_XML_MAX_BYTES));
      return NULL;
    }
  if (!g_file_get_contents (full, &data, length, &error))
    {
      add_finding (findings, "PKG-CONTAINER", DOSSIER_SEVERITY_ERROR, rel, 0, g_strdup (error->message));
      return NULL;
    }
  return data;
}

static char *
hash_file (const char    *path,
           guint64       *size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  gssize n;

  *size = 0;
  if (in == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, CHUNK_SIZE, cancellable, error)) > 0)
    {
      g_checksum_update (sum, buffer, n);
      *size += n;
    }
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (sum));
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

static xmlDocPtr
parse_valid (const char *data,
             gsize       length)
{
  /* Only called on data dossier_package_validate_xml() looked at; the same limits
   * apply again here, since it may have refused it. */
  if (length == 0 || length > DOSSIER_PACKAGE_XML_MAX_BYTES || !g_utf8_validate (data, length, NULL) ||
      g_strstr_len (data, length, "<!DOCTYPE") != NULL || g_strstr_len (data, length, "<!ENTITY") != NULL)
    return NULL;
  return xmlReadMemory (data, (int)length, NULL, "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

xmlDocPtr
dossier_package_parse_xml (const char *data,
                           gsize       length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  xmlInitParser ();
  return parse_valid (data, length);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *)a, *(char * const *)b);
}

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && g_str_equal ((const char *)node->name, name);
}

/* The filing document lists the units made under the filing: each one's record must
 * be in the package. */
static void
check_filing (Source     *src,
              const char *file,
              GPtrArray  *findings)
{
  g_autoptr(GPtrArray) scratch = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  g_autofree char *data = NULL;
  gsize len = 0;
  xmlDocPtr doc;
  xmlNodePtr root;

  /* Its own problems were reported with the other XML files. */
  data = read_xml_file (src, file, &len, scratch);
  if (data == NULL || !dossier_package_validate_xml (file, data, len, scratch) ||
      (doc = parse_valid (data, len)) == NULL)
    return;

  root = xmlDocGetRootElement (doc);
  if (!is_element (root, "filing"))
    add_finding (findings, "PKG-RULE", DOSSIER_SEVERITY_ERROR, file, (int)xmlGetLineNo (root),
                 g_strdup (_("The filing document’s root element is not <filing>.")));
  else
    for (xmlNodePtr n = root->children; n != NULL; n = n->next)
      if (is_element (n, "units"))
        for (xmlNodePtr u = n->children; u != NULL; u = u->next)
          {
            g_autofree char *record = NULL;

            if (!is_element (u, "unit"))
              continue;
            record = prop (u, "record");
            if (!g_hash_table_contains (src->present, record))
              add_finding (findings, "PKG-RULE", DOSSIER_SEVERITY_ERROR, file, (int)xmlGetLineNo (u),
                           g_strdup_printf (_("The filing lists the unit record “%s”, which is not in the package."), record));
          }
  xmlFreeDoc (doc);
}

gboolean
dossier_package_verify (const char    *path,
                        GPtrArray     *findings,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GHashTable) present = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autofree char *manifest_data = NULL;
  g_autofree char *package_data = NULL;
  g_autoptr(DossierPackageZip) zip = NULL;
  gsize manifest_len = 0, package_len = 0;
  Source src = { NULL, NULL, NULL };
  xmlDocPtr doc;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);

  files = g_ptr_array_new_with_free_func (g_free);
  if (g_stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      src.root = path;
      walk (path, NULL, files, findings, 0);
    }
  else if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    {
      /* Every entry is checked (names, links, duplicates, encryption, sizes) before
       * any is read. */
      zip = dossier_package_zip_open (path, findings);
      if (zip == NULL)
        return TRUE;
      src.zip = zip;
      for (guint i = 0; i < dossier_package_zip_get_files (zip)->len; i++)
        g_ptr_array_add (files, g_strdup (g_ptr_array_index (dossier_package_zip_get_files (zip), i)));
    }
  else
    {
      add_finding (findings, "PKG-CONTAINER", DOSSIER_SEVERITY_ERROR, NULL, 0,
                   g_strdup_printf (_("“%s” is not a package folder or zip file."), path));
      return TRUE;
    }

  /* Findings in the same order every time. */
  g_ptr_array_sort (files, compare_paths);
  present = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < files->len; i++)
    g_hash_table_add (present, g_ptr_array_index (files, i));
  src.present = present;
  listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The manifest. */
  manifest_data = read_xml_file (&src, "manifest.xml", &manifest_len, findings);
  if (manifest_data != NULL)
    {
      g_autoptr(GPtrArray) xml_findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);

      if (!dossier_package_validate_xml ("manifest.xml", manifest_data, manifest_len, xml_findings))
        {
          add_finding (findings, "PKG-MANIFEST", DOSSIER_SEVERITY_ERROR, "manifest.xml", 0,
                       g_strdup (_("The manifest is not valid, so the files cannot be checked against it.")));
          g_ptr_array_extend_and_steal (findings, g_steal_pointer (&xml_findings));

          /* A path that would leave the package is worth naming even then. */
          if ((doc = parse_valid (manifest_data, manifest_len)) != NULL)
            {
              xmlNodePtr root = xmlDocGetRootElement (doc);

              for (xmlNodePtr n = root != NULL ? root->children : NULL; n != NULL; n = n->next)
                {
                  g_autofree char *file = NULL;

                  if (!is_element (n, "file"))
                    continue;
                  file = prop (n, "path");
                  if (file != NULL && !dossier_package_path_is_safe (file))
                    add_finding (findings, "PKG-PATH", DOSSIER_SEVERITY_ERROR, "manifest.xml", (int)xmlGetLineNo (n),
                                 g_strdup_printf (_("The manifest lists a path that is not allowed: “%s”."), file));
                }
              xmlFreeDoc (doc);
            }
          g_clear_pointer (&manifest_data, g_free);
        }
    }

  if (manifest_data != NULL && (doc = parse_valid (manifest_data, manifest_len)) != NULL)
    {
      xmlNodePtr root = xmlDocGetRootElement (doc);

      if (!is_element (root, "manifest"))
        add_finding (findings, "PKG-MANIFEST", DOSSIER_SEVERITY_ERROR, "manifest.xml", (int)xmlGetLineNo (root),
                     g_strdup (_("The root element of the manifest is not <manifest>.")));
      else
        for (xmlNodePtr n = root->children; n != NULL; n = n->next)
          {
            g_autofree char *file = NULL;
            g_autofree char *size_text = NULL;
            g_autofree char *sha256 = NULL;
            g_autofree char *actual = NULL;
            g_autoptr(GError) local_error = NULL;
            guint64 size = 0;
            int line;

            if (!is_element (n, "file"))
              continue;
            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              {
                xmlFreeDoc (doc);
                return FALSE;
              }

            line = (int)xmlGetLineNo (n);
            file = prop (n, "path");
            size_text = prop (n, "size");
            sha256 = prop (n, "sha256");
            if (!dossier_package_path_is_safe (file) || g_str_equal (file, "manifest.xml"))
              {
                add_finding (findings, "PKG-PATH", DOSSIER_SEVERITY_ERROR, "manifest.xml", line,
                             g_strdup_printf (_("The manifest lists a path that is not allowed: “%s”."), file));
                continue;
              }
            g_hash_table_add (listed, g_strdup (file));
            if (!g_hash_table_contains (present, file))
              {
                add_finding (findings, "PKG-MISSING", DOSSIER_SEVERITY_ERROR, file, 0,
                             g_strdup_printf (_("The file is listed in the manifest (line %d) but missing."), line));
                continue;
              }

            if (src.zip != NULL)
              {
                /* A damaged entry is a finding about it. */
                actual = dossier_package_zip_hash (src.zip, file, &size, findings, cancellable, &local_error);
                if (actual == NULL && local_error == NULL)
                  continue;
              }
            else
              {
                g_autofree char *full = g_build_filename (path, file, NULL);
                actual = hash_file (full, &size, cancellable, &local_error);
              }
            if (actual == NULL)
              {
                if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                  {
                    g_propagate_error (error, g_steal_pointer (&local_error));
                    xmlFreeDoc (doc);
                    return FALSE;
                  }
                add_finding (findings, "PKG-CONTAINER", DOSSIER_SEVERITY_ERROR, file, 0, g_strdup (local_error->message));
                continue;
              }
            if (g_ascii_strtoull (size_text, NULL, 10) != size)
              add_finding (findings, "PKG-SIZE", DOSSIER_SEVERITY_ERROR, file, 0,
                           g_strdup_printf (_("The file has %" PRId64 " bytes; the manifest (line %d) says %s."),
                                            (gint64)size, line, size_text));
            else if (g_strcmp0 (actual, sha256) != 0)
              add_finding (findings, "PKG-HASH", DOSSIER_SEVERITY_ERROR, file, 0,
                           g_strdup_printf (_("The file’s SHA-256 is %s; the manifest (line %d) says %s."),
                                            actual, line, sha256));
          }
      xmlFreeDoc (doc);

      for (guint i = 0; i < files->len; i++)
        {
          const char *file = g_ptr_array_index (files, i);

          if (!g_str_equal (file, "manifest.xml") && !g_hash_table_contains (listed, file))
            add_finding (findings, "PKG-UNLISTED", DOSSIER_SEVERITY_ERROR, file, 0,
                         g_strdup (_("The file is not listed in the manifest.")));
        }
    }

  /* Every XML file against its schema (the shipped schemas are .xsd files). */
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_str_has_suffix (file, ".xml") || g_str_equal (file, "manifest.xml"))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      data = read_xml_file (&src, file, &len, findings);
      if (data != NULL)
        dossier_package_validate_xml (file, data, len, findings);
    }

  /* The table of contents: package.xml names records that are there. */
  package_data = read_xml_file (&src, "package.xml", &package_len, findings);
  if (package_data != NULL)
    {
      g_autoptr(GPtrArray) scratch = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);

      /* Its own validity was reported above. */
      if (dossier_package_validate_xml ("package.xml", package_data, package_len, scratch) &&
          (doc = parse_valid (package_data, package_len)) != NULL)
        {
          xmlNodePtr root = xmlDocGetRootElement (doc);

          if (!is_element (root, "package"))
            add_finding (findings, "PKG-MANIFEST", DOSSIER_SEVERITY_ERROR, "package.xml", (int)xmlGetLineNo (root),
                         g_strdup (_("The root element of package.xml is not <package>.")));
          else
            for (xmlNodePtr n = root->children; n != NULL; n = n->next)
              if (is_element (n, "contents"))
                for (xmlNodePtr d = n->children; d != NULL; d = d->next)
                  {
                    g_autofree char *record = NULL;

                    if (!is_element (d, "dossier") && !is_element (d, "schema") && !is_element (d, "filing"))
                      continue;
                    record = prop (d, is_element (d, "dossier") ? "record" : is_element (d, "filing") ? "document" : "path");
                    if (!g_hash_table_contains (present, record))
                      add_finding (findings, "PKG-RULE", DOSSIER_SEVERITY_ERROR, "package.xml", (int)xmlGetLineNo (d),
                                   g_strdup_printf (_("The table of contents names “%s”, which is not in the package."), record));
                    else if (is_element (d, "filing"))
                      check_filing (&src, record, findings);
                  }
          xmlFreeDoc (doc);
        }
    }

  return TRUE;
}
