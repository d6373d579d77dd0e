/* dossier-editor-attachments-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* The files of a dossier: name, type, size, SHA-256, who added them when, a
 * preview of images and of the first page of PDFs; opened with the default
 * application from a copy under the user's cache folder.  Files are added in a
 * worker thread with a progress bar and a cancel button. */

#define DOSSIER_TYPE_EDITOR_ATTACHMENTS_PAGE (dossier_editor_attachments_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorAttachmentsPage, dossier_editor_attachments_page, DOSSIER, EDITOR_ATTACHMENTS_PAGE, DossierEditorPage)

/* Opens the file chooser. */
void     dossier_editor_attachments_page_choose_files (DossierEditorAttachmentsPage *self);
/* Adds files (GFile) to section in the background; FALSE when files are being
 * added already (then nothing happens but a message). */
gboolean dossier_editor_attachments_page_add_files    (DossierEditorAttachmentsPage *self,
                                                       GSList                       *files,
                                                       const char                   *section);
/* Whether files are being added now. */
gboolean dossier_editor_attachments_page_is_busy      (DossierEditorAttachmentsPage *self);
void     dossier_editor_attachments_page_cancel       (DossierEditorAttachmentsPage *self);
guint    dossier_editor_attachments_page_get_count    (DossierEditorAttachmentsPage *self);
/* Copies the attachment to the cache folder and opens it with the default
 * application. */
void     dossier_editor_attachments_page_open         (DossierEditorAttachmentsPage *self,
                                                       gint64                        attachment_id);

G_END_DECLS
