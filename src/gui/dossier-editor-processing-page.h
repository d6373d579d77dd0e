/* dossier-editor-processing-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* The processing record: ordered steps with their equipment, operators, times
 * and parameters, and the material lots each used. */

#define DOSSIER_TYPE_EDITOR_PROCESSING_PAGE (dossier_editor_processing_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorProcessingPage, dossier_editor_processing_page, DOSSIER, EDITOR_PROCESSING_PAGE, DossierEditorPage)

GtkWidget *dossier_editor_processing_page_add_step     (DossierEditorProcessingPage *self);
GtkWidget *dossier_editor_processing_page_add_material (DossierEditorProcessingPage *self,
                                                        gint64                       step_id);
/* Swaps the step with the one before (delta -1) or after (+1). */
gboolean   dossier_editor_processing_page_move_step    (DossierEditorProcessingPage *self,
                                                        gint64                       step_id,
                                                        int                          delta);

G_END_DECLS
