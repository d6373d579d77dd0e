/* dossier-dossier-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-dossier.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The read-only record of one dossier: summary, order, design iterations. */

#define DOSSIER_TYPE_DOSSIER_VIEW (dossier_dossier_view_get_type ())
G_DECLARE_FINAL_TYPE (DossierDossierView, dossier_dossier_view, DOSSIER, DOSSIER_VIEW, GtkWidget)

GtkWidget      *dossier_dossier_view_new         (void);
DossierStore   *dossier_dossier_view_get_store   (DossierDossierView *self);
void            dossier_dossier_view_set_store   (DossierDossierView *self,
                                                  DossierStore       *store);
DossierDossier *dossier_dossier_view_get_dossier (DossierDossierView *self);
void            dossier_dossier_view_set_dossier (DossierDossierView *self,
                                                  DossierDossier     *dossier);

G_END_DECLS
