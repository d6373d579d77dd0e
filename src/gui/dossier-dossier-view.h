/* dossier-dossier-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-dossier.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The editor of one dossier: a header with its status (and the next workflow
 * steps), undo, and pages for the order, the design, processing, inspection and
 * release, delivery and use, attachments and the history.  Every change is
 * committed as it is made; see DossierEditorSession.
 *
 * Actions: win.undo (Ctrl+Z anywhere in the window), editor.set-status (s),
 * editor.page (s, Alt+1…8), editor.add-files, editor.show-message (s). */

#define DOSSIER_TYPE_DOSSIER_VIEW (dossier_dossier_view_get_type ())
G_DECLARE_FINAL_TYPE (DossierDossierView, dossier_dossier_view, DOSSIER, DOSSIER_VIEW, GtkWidget)

GtkWidget      *dossier_dossier_view_new         (void);
DossierStore   *dossier_dossier_view_get_store   (DossierDossierView *self);
void            dossier_dossier_view_set_store   (DossierDossierView *self,
                                                  DossierStore       *store);
DossierDossier *dossier_dossier_view_get_dossier (DossierDossierView *self);
/* Showing another object of the same dossier (the list re-read it) keeps the
 * pages as they are. */
void            dossier_dossier_view_set_dossier (DossierDossierView *self,
                                                  DossierDossier     *dossier);

/* The page shown: "order", "design", "processing", "inspection", "delivery",
 * "attachments", "history", "signoffs". */
const char     *dossier_dossier_view_get_page    (DossierDossierView *self);
void            dossier_dossier_view_set_page    (DossierDossierView *self,
                                                  const char         *name);
/* The page widget of that name (a DossierEditorPage), for tests. */
GtkWidget      *dossier_dossier_view_get_page_widget (DossierDossierView *self,
                                                      const char         *name);

/* Moves the dossier to status through the store; a refusal is shown. */
void            dossier_dossier_view_set_status  (DossierDossierView *self,
                                                  const char         *status);
/* Commits what is typed but not yet committed (before the window closes). */
void            dossier_dossier_view_flush       (DossierDossierView *self);
/* The last message shown in a toast (for tests). */
const char     *dossier_dossier_view_get_last_message (DossierDossierView *self);

G_END_DECLS
