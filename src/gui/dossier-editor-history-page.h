/* dossier-editor-history-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* The dossier's audit trail, newest first, grouped by day, in sentences. Read
 * when the page is shown, and again after changes while it is. */

#define DOSSIER_EDITOR_HISTORY_PAGE_SIZE 200

#define DOSSIER_TYPE_EDITOR_HISTORY_PAGE (dossier_editor_history_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorHistoryPage, dossier_editor_history_page, DOSSIER, EDITOR_HISTORY_PAGE, DossierEditorPage)

/* How many entries are shown now (for tests). */
guint dossier_editor_history_page_get_n_shown (DossierEditorHistoryPage *self);

G_END_DECLS
