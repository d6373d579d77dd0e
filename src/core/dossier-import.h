/* dossier-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libxml/xmlwriter.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Import of filing packages (docs/filing-package.md, "Import").
 *
 * The package folder is verified first (dossier_package_verify()); any error finding
 * refuses the import.  Everything is then written in one transaction, all or
 * nothing: each dossier with every row of its record, its attachments' content
 * (streamed into the store and checked against its SHA-256), its signatures, the
 * audit trail the package carried and the rule check it recorded.  Rows keep the ids
 * they had in the package where those ids are free here, so that exporting an
 * imported database again gives the same bytes; a row whose id is taken gets a new
 * one and the references to it follow.  Registers that several dossiers share
 * (institutions, clinicians, patients, filings, products and models, material lots)
 * are written once; one that is already here with the same content is reused.
 *
 * A dossier whose unit number is already here with the same content is left alone
 * ("already present"), so importing a package twice adds nothing the second time;
 * one that is here with other content refuses the whole import.  Signers who have no
 * account here get an inactive account with an unusable password.
 *
 * The import is recorded in the database's own audit trail (table package_import and
 * the creation entries of every row it wrote, in the importing user's name). */

#define DOSSIER_IMPORT_ERROR (dossier_import_error_quark ())

typedef enum
{
  DOSSIER_IMPORT_ERROR_INVALID,   /* the package does not verify; the message lists the findings */
  DOSSIER_IMPORT_ERROR_CONFLICT,  /* a unit or a register entry is here with other content */
  DOSSIER_IMPORT_ERROR_CONTENT,   /* a record cannot be taken into the database as it is */
} DossierImportError;

GQuark dossier_import_error_quark (void);

/* Called after each dossier of the package; done counts dossiers handled so far.
 * Cancelling the import's GCancellable from here stops it, and nothing is written. */
typedef void (*DossierImportProgressFunc) (guint     done,
                                           guint     total,
                                           gpointer  user_data);

typedef struct
{
  DossierImportProgressFunc  progress;       /* may be NULL */
  gpointer                   progress_data;
} DossierImportOptions;

typedef struct
{
  guint   n_dossiers;      /* in the package */
  guint   n_added;         /* dossiers written */
  guint   n_present;       /* dossiers already here with the same content */
  guint   n_attachments;   /* attachment records written */
  guint   n_accounts;      /* inactive signer accounts created */
  guint   n_renumbered;    /* rows written with another id than in the package */
  gint64  import_id;       /* the package_import row, 0 when nothing was added */
  char    package_id[65];  /* the package's id (hex SHA-256) */
} DossierImportSummary;

/* Imports the package folder at path (a zip is unpacked to a folder first).
 * options and summary may be NULL.  When the database has accounts, the signed-in
 * user needs the regulatory or administrator role.  Must not be called inside a
 * transaction.  Errors: DOSSIER_IMPORT_ERROR_*, G_IO_ERROR_CANCELLED, and the store's
 * (DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED, _PERMISSION_DENIED, …). */
gboolean dossier_import_package (DossierStore                *store,
                                 const char                  *path,
                                 const DossierImportOptions  *options,
                                 DossierImportSummary        *summary,
                                 GCancellable                *cancellable,
                                 GError                     **error);

/* For the export: when dossier_id was imported and has not changed here since,
 * writes the rule check its package recorded (the check needs registers a package
 * does not carry, such as size ranges, so it is repeated rather than recomputed) and
 * sets *written; otherwise writes nothing. */
gboolean dossier_import_write_rule_check (DossierStore      *store,
                                          gint64             dossier_id,
                                          xmlTextWriterPtr   writer,
                                          gboolean          *written,
                                          GError           **error);

G_END_DECLS
