/* dossier-editor-design-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* The design: its inputs, its iterations each with a table of parameter values,
 * and the clinician's confirmations. */

#define DOSSIER_TYPE_EDITOR_DESIGN_PAGE (dossier_editor_design_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorDesignPage, dossier_editor_design_page, DOSSIER, EDITOR_DESIGN_PAGE, DossierEditorPage)

/* Opens the dialogs of the "Add" buttons; they are returned for tests. */
GtkWidget *dossier_editor_design_page_add_input        (DossierEditorDesignPage *self);
GtkWidget *dossier_editor_design_page_add_iteration    (DossierEditorDesignPage *self);
GtkWidget *dossier_editor_design_page_add_confirmation (DossierEditorDesignPage *self);

/* What the new-parameter line of iteration_id does with name, value (a number, or
 * a category) and unit; FALSE with the message shown there when refused. */
gboolean   dossier_editor_design_page_add_parameter    (DossierEditorDesignPage *self,
                                                        gint64                   iteration_id,
                                                        const char              *name,
                                                        const char              *value,
                                                        const char              *unit);

G_END_DECLS
