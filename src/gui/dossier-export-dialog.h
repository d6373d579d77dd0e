/* dossier-export-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-export.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* Exports a filing package (docs/filing-package.md): one dossier, one filing with
 * its dossiers, the dossiers ordered in a period, or all of them, as a folder or a
 * zip file.  The export runs in a worker thread on its own connection to the
 * database (dossier_store_open_sibling()), shows how far it got and can be
 * cancelled; a failed or cancelled export leaves nothing behind. */

typedef enum
{
  DOSSIER_EXPORT_DIALOG_FORM,       /* choosing what, how and where */
  DOSSIER_EXPORT_DIALOG_RUNNING,
  DOSSIER_EXPORT_DIALOG_DONE,
  DOSSIER_EXPORT_DIALOG_CANCELLED,
  DOSSIER_EXPORT_DIALOG_FAILED,
} DossierExportDialogState;

#define DOSSIER_TYPE_EXPORT_DIALOG (dossier_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierExportDialog, dossier_export_dialog, DOSSIER, EXPORT_DIALOG, AdwWindow)

/* Whether the signed-in user may export: regulatory staff and administrators, or
 * anyone while the database has no accounts; never in a locked session. */
gboolean             dossier_export_dialog_may_export      (DossierStore         *store);

/* unit_no: the dossier "This Dossier" exports, or NULL (then that choice is hidden
 * and All Dossiers is chosen). */
DossierExportDialog *dossier_export_dialog_new             (GtkWindow            *parent,
                                                            DossierStore         *store,
                                                            const char           *unit_no);

void                 dossier_export_dialog_set_scope       (DossierExportDialog  *self,
                                                            DossierExportScope    scope);
DossierExportScope   dossier_export_dialog_get_scope       (DossierExportDialog  *self);
/* Chooses the filing with that number from those offered; FALSE when it is not one. */
gboolean             dossier_export_dialog_set_filing      (DossierExportDialog  *self,
                                                            const char           *filing_no);
void                 dossier_export_dialog_set_range       (DossierExportDialog  *self,
                                                            const char           *from,
                                                            const char           *to);
void                 dossier_export_dialog_set_format      (DossierExportDialog  *self,
                                                            DossierExportFormat   format);
DossierExportFormat  dossier_export_dialog_get_format      (DossierExportDialog  *self);
/* The folder or zip file to write; it must not exist yet. */
void                 dossier_export_dialog_set_destination (DossierExportDialog  *self,
                                                            const char           *path);
const char          *dossier_export_dialog_get_destination (DossierExportDialog  *self);
DossierExportDialogState dossier_export_dialog_get_state   (DossierExportDialog  *self);
/* What the dialog last said in words (the error under the form, the summary of a
 * finished, cancelled or failed export), for tests. */
const char          *dossier_export_dialog_get_message     (DossierExportDialog  *self);
/* Stops a running export, as the Cancel button does. */
void                 dossier_export_dialog_cancel          (DossierExportDialog  *self);

/* Tests: cancels the export from the worker thread once n dossiers are written, so
 * that a small database can show a cancellation in the middle. */
void                 dossier_export_dialog_set_cancel_after_for_testing (DossierExportDialog *self,
                                                                         guint                n);

/* View logic, testable without a display ---------------------------------------- */

typedef enum
{
  DOSSIER_EXPORT_FIELD_NONE,
  DOSSIER_EXPORT_FIELD_FILING,
  DOSSIER_EXPORT_FIELD_FROM,
  DOSSIER_EXPORT_FIELD_TO,
  DOSSIER_EXPORT_FIELD_DESTINATION,
} DossierExportField;

/* What is wrong with the choices, as a sentence that names the field (also in
 * *field), or NULL when they can be exported.  Does not look at the file system. */
char                *dossier_export_dialog_check           (const DossierExportOptions *options,
                                                            const char                 *destination,
                                                            DossierExportField         *field);
/* "3 of 12 dossiers". */
char                *dossier_export_dialog_format_progress (guint                 done,
                                                            guint                 total);
/* "Exported 12 dossiers to /home/…/all-dossiers." */
char                *dossier_export_dialog_format_done     (guint                 n_dossiers,
                                                            const char           *path);
/* A file name for the package from its scope (ASCII; ".zip" for a zip file). */
char                *dossier_export_dialog_suggest_name    (const DossierExportOptions *options);

G_END_DECLS
