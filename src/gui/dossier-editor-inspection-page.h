/* dossier-editor-inspection-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* Inspection and release: the inspections with their results and the release
 * record (its signature is on the Sign-offs page). */

#define DOSSIER_TYPE_EDITOR_INSPECTION_PAGE (dossier_editor_inspection_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorInspectionPage, dossier_editor_inspection_page, DOSSIER, EDITOR_INSPECTION_PAGE, DossierEditorPage)

GtkWidget *dossier_editor_inspection_page_add_inspection (DossierEditorInspectionPage *self);
GtkWidget *dossier_editor_inspection_page_add_release    (DossierEditorInspectionPage *self);

G_END_DECLS
