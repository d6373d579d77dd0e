/* dossier-export.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Export of filing packages (docs/filing-package.md) as a folder or as one zip file
 * holding the same files:
 *
 *   package.xml                    what the package is, its scope, table of contents
 *   manifest.xml                   every other file: path, size, media type, SHA-256
 *   filings/<name>/filing.xml      the filing itself (filing scope only)
 *   records/<unit>/record.xml      the record of each dossier
 *   attachments/<sha256>           the content of each attachment, once
 *   schemas/package-1.xsd, schemas/record-1.xsd
 *
 * The same database gives the same bytes: nothing depends on the time of the export
 * (the package's time stamp is the newest audit entry of the dossiers it holds, or
 * options->generated_at).  Every XML file is validated against the shipped schemas
 * before the package is finished; the package is written under a temporary name
 * beside out_path and renamed into place, so a failed or cancelled export leaves
 * nothing behind.  Attachments are copied in chunks (and streamed into the zip);
 * memory use does not depend on their size.
 *
 * Exporting is a regulatory task: once the database has accounts, the signed-in user
 * needs the regulatory or the administrator role. */

#define DOSSIER_EXPORT_ERROR (dossier_export_error_quark ())

typedef enum
{
  DOSSIER_EXPORT_ERROR_INVALID,  /* the package would not be valid; the message lists why */
  DOSSIER_EXPORT_ERROR_CONTENT,  /* an attachment's content does not match its record */
  DOSSIER_EXPORT_ERROR_SCOPE,    /* the scope cannot be exported: a draft filing, from > to, a bad date */
  DOSSIER_EXPORT_ERROR_EMPTY,    /* the scope holds no dossier, so no package is written */
} DossierExportError;

GQuark dossier_export_error_quark (void);

typedef enum
{
  DOSSIER_EXPORT_SCOPE_UNIT,    /* one dossier: unit_no */
  DOSSIER_EXPORT_SCOPE_ALL,     /* every dossier */
  DOSSIER_EXPORT_SCOPE_FILING,  /* one filing with its dossiers: filing_no */
  DOSSIER_EXPORT_SCOPE_RANGE,   /* dossiers ordered from..to (inclusive YYYY-MM-DD) */
} DossierExportScope;

typedef enum
{
  DOSSIER_EXPORT_FORMAT_FOLDER,  /* out_path is a folder */
  DOSSIER_EXPORT_FORMAT_ZIP,     /* out_path is a deterministic zip file */
} DossierExportFormat;

/* Called after each dossier; done counts dossiers written so far. */
typedef void (*DossierExportProgressFunc) (guint     done,
                                           guint     total,
                                           gpointer  user_data);

typedef struct
{
  DossierExportScope         scope;
  const char                *unit_no;       /* DOSSIER_EXPORT_SCOPE_UNIT */
  const char                *filing_no;     /* DOSSIER_EXPORT_SCOPE_FILING */
  const char                *from;          /* DOSSIER_EXPORT_SCOPE_RANGE */
  const char                *to;            /* DOSSIER_EXPORT_SCOPE_RANGE */
  DossierExportFormat        format;
  const char                *generated_at;  /* ISO 8601 with UTC offset; NULL: derived */
  DossierExportProgressFunc  progress;      /* may be NULL */
  gpointer                   progress_data;
} DossierExportOptions;

typedef struct
{
  guint   n_dossiers;
  guint   n_attachments;
  guint   n_files;        /* in the manifest */
  guint64 n_bytes;        /* of every file, the manifest included */
} DossierExportSummary;

/* Writes the package out_path (a folder, or a zip file for
 * DOSSIER_EXPORT_FORMAT_ZIP), which must not exist yet.  summary may be NULL.
 * Errors: DOSSIER_STORE_ERROR_NOT_FOUND for an unknown unit or filing number,
 * DOSSIER_STORE_ERROR_PERMISSION_DENIED without the regulatory or administrator
 * role, G_IO_ERROR_EXISTS, G_IO_ERROR_CANCELLED, DOSSIER_EXPORT_ERROR_*, and the
 * store's and the file system's errors. */
gboolean dossier_export_package (DossierStore                *store,
                                 const DossierExportOptions  *options,
                                 const char                  *out_path,
                                 DossierExportSummary        *summary,
                                 GCancellable                *cancellable,
                                 GError                     **error);

/* Tests: makes every record.xml invalid, to see a refused export leave nothing. */
void     dossier_export_set_inject_invalid_for_testing (gboolean inject);

G_END_DECLS
