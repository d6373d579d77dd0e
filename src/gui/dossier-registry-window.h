/* dossier-registry-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-registry-page.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The Registers window: the manufacturer profile, institutions, clinicians,
 * patients, filings and registered products, each a page beside a list of
 * them.  It stays open beside the main window. */

#define DOSSIER_TYPE_REGISTRY_WINDOW (dossier_registry_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierRegistryWindow, dossier_registry_window, DOSSIER, REGISTRY_WINDOW, AdwWindow)

GtkWidget           *dossier_registry_window_new       (GtkWindow             *transient_for,
                                                        DossierStore          *store);
DossierStore        *dossier_registry_window_get_store (DossierRegistryWindow *self);
DossierRegistryPage *dossier_registry_window_get_page  (DossierRegistryWindow *self,
                                                        const char            *table);
/* Shows the register of that table (and reads it again). */
void                 dossier_registry_window_show_page (DossierRegistryWindow *self,
                                                        const char            *table);

G_END_DECLS
