/* dossier-package-verify.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libxml/tree.h>

#include "dossier-rules.h"

G_BEGIN_DECLS

/* Filing packages (docs/filing-package.md): the shared definitions, the XML checks
 * export runs before it finishes, and the offline verification of a package folder
 * or zip file (dossier-package-zip.h).
 *
 * Verification reports findings, each with a stable rule ID:
 *   PKG-CONTAINER  the package is not a readable folder or zip file
 *   PKG-ZIP        the zip itself: an entry that is encrypted, duplicated, damaged,
 *                  uses another compression method, or breaks the limits on entries,
 *                  total size or compression ratio (zip bombs)
 *   PKG-MANIFEST   manifest.xml or package.xml missing, unreadable or invalid
 *   PKG-PATH       a file name that is not ASCII, absolute, has "..", a backslash, or is not a
 *                  plain file (a link or a device; in a zip, a symbolic-link entry)
 *   PKG-MISSING    a file the manifest lists is not there
 *   PKG-SIZE       a file's size differs from the manifest
 *   PKG-HASH       a file's SHA-256 differs from the manifest
 *   PKG-UNLISTED   a file the manifest does not list
 *   PKG-XML        an XML file that is not well-formed, not UTF-8, too large or has a DTD
 *   PKG-XSD        an XML file that does not follow its schema
 *   PKG-RULE       a business rule (e.g. a record the table of contents names is missing)
 *
 * Input is treated as hostile: nothing is fetched from the network, DTDs and entities
 * are refused, XML files are limited in size and must be UTF-8, paths never leave
 * the package folder, and zip entries are checked before any is read. */

#define DOSSIER_PACKAGE_NAMESPACE       "urn:io.github.dossier:package:1"
#define DOSSIER_RECORD_NAMESPACE        "urn:io.github.dossier:record:1"
#define DOSSIER_PACKAGE_SCHEMA_VERSION  "1.0"
#define DOSSIER_PACKAGE_XML_MAX_BYTES   (64 * 1024 * 1024)
#define DOSSIER_PACKAGE_MAX_FILES       1000000

typedef struct
{
  char            *rule_id;   /* "PKG-HASH" */
  DossierSeverity  severity;
  char            *file;      /* path inside the package, or NULL for the package itself */
  int              line;      /* 0 when not about a line */
  char            *message;   /* a full sentence, translated */
} DossierPackageFinding;

void                   dossier_package_finding_free   (DossierPackageFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierPackageFinding, dossier_package_finding_free)

/* "records/DSR-2026-000001/record.xml:12: error PKG-XSD: …" */
char                  *dossier_package_finding_format (const DossierPackageFinding *finding);

/* The shipped schema "package-1.xsd" or "record-1.xsd", or NULL. */
GBytes                *dossier_package_get_schema     (const char  *name);

/* Text as Dossier writes it into XML (packages, the annual report): valid UTF-8 in
 * Unicode normalisation form C, without the control characters XML 1.0 cannot carry
 * (they become U+FFFD, which no valid record has anyway).  NULL gives "". */
char                  *dossier_package_clean_text     (const char  *text);

/* Whether path (relative to a package folder) is a file name a package may have:
 * ASCII letters, digits, '.', '_', '-' and '/' separators, not absolute, no empty,
 * "." or ".." component, at most 255 bytes. */
gboolean               dossier_package_path_is_safe   (const char  *path);

/* Parses data safely and validates it against the schema its root element's
 * namespace names (package or record).  Appends PKG-XML and PKG-XSD findings about
 * file to findings; TRUE when none were added. */
gboolean               dossier_package_validate_xml   (const char  *file,
                                                       const char  *data,
                                                       gsize        length,
                                                       GPtrArray   *findings);

/* Parses data with the same refusals as dossier_package_validate_xml() (size, UTF-8
 * only, no DTD or entities, nothing from the network) but without validating it;
 * NULL when it cannot be parsed.  Free with xmlFreeDoc(). */
xmlDocPtr              dossier_package_parse_xml      (const char  *data,
                                                       gsize        length);

/* Verifies the package at path, a folder or a zip file; findings
 * (DossierPackageFinding) are appended.  FALSE with error only when the verification
 * could not run (cancelled); a package that is not there, or neither a folder nor a
 * zip, is a PKG-CONTAINER finding. */
gboolean               dossier_package_verify         (const char    *path,
                                                       GPtrArray     *findings,
                                                       GCancellable  *cancellable,
                                                       GError       **error);

/* Number of findings of severity error in findings. */
guint                  dossier_package_count_errors   (GPtrArray     *findings);

G_END_DECLS
