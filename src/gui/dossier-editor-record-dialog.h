/* dossier-editor-record-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-editor-field.h"
#include "dossier-editor-session.h"

G_BEGIN_DECLS

/* A small window that makes one new record (a design input, an inspection, the
 * delivery…): its fields are drafts, checked as they are left; "Add" checks them
 * all, then saves.  A refusal of the store is shown at the field it names, or
 * above the fields; the window stays open with what was typed. */

#define DOSSIER_TYPE_EDITOR_RECORD_DIALOG (dossier_editor_record_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorRecordDialog, dossier_editor_record_dialog, DOSSIER, EDITOR_RECORD_DIALOG, AdwWindow)

/* Saves the record from the dialog's values; returns its id, or 0 with error. */
typedef gint64 (*DossierEditorSaveFunc) (DossierEditorRecordDialog  *dialog,
                                         const char                 *reason,
                                         gpointer                    user_data,
                                         GError                    **error);

DossierEditorRecordDialog *dossier_editor_record_dialog_new        (GtkWidget                 *parent,
                                                                    DossierEditorSession      *session,
                                                                    const char                *title,
                                                                    const char                *accept_label);
/* Starts a new group of fields, with a title (or NULL). */
GtkWidget          *dossier_editor_record_dialog_add_group  (DossierEditorRecordDialog *self,
                                                             const char                *title,
                                                             const char                *description);
DossierEditorField *dossier_editor_record_dialog_add_field  (DossierEditorRecordDialog *self,
                                                             const char                *table,
                                                             const char                *column,
                                                             const char                *value);
/* Any other widget (a row) into the current group. */
void                dossier_editor_record_dialog_add_widget (DossierEditorRecordDialog *self,
                                                             GtkWidget                 *widget);
DossierEditorField *dossier_editor_record_dialog_get_field  (DossierEditorRecordDialog *self,
                                                             const char                *table,
                                                             const char                *column);
/* The value of a field as the store takes it ("" when empty). */
char               *dossier_editor_record_dialog_get_value  (DossierEditorRecordDialog *self,
                                                             const char                *table,
                                                             const char                *column);

/* The default save inserts one row of table: fixed (may be NULL) and the values
 * of every field of that table. */
void                dossier_editor_record_dialog_set_insert (DossierEditorRecordDialog *self,
                                                             const char                *table,
                                                             const DossierField        *fixed);
void                dossier_editor_record_dialog_set_save_func (DossierEditorRecordDialog *self,
                                                                DossierEditorSaveFunc      func,
                                                                gpointer                   user_data,
                                                                GDestroyNotify             destroy);
/* Whether a field takes part in checking and saving (a hidden one does not). */
void                dossier_editor_record_dialog_set_field_active (DossierEditorRecordDialog *self,
                                                                   DossierEditorField        *field,
                                                                   gboolean                   active);

/* What "Add" does, for tests: returns the new id, 0 when something was refused
 * (then shown in the dialog). */
gint64              dossier_editor_record_dialog_save       (DossierEditorRecordDialog *self);

G_END_DECLS
