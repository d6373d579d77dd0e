/* dossier-registry-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-registry-form.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* One register in the Registers window: a searchable list of its records beside
 * the form of the selected one (folded into one pane when narrow), or, for the
 * manufacturer profile, just its single record.  Registers with parts (a
 * product's models, the manufacturer's sites) list them under the form.
 *
 * The buttons that lead back to the window's list of registers use the
 * "registers.back" action of an ancestor. */

#define DOSSIER_TYPE_REGISTRY_PAGE (dossier_registry_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierRegistryPage, dossier_registry_page, DOSSIER, REGISTRY_PAGE, GtkWidget)

/* The tables that have a page, in the order the window lists them. */
const char * const  *dossier_registry_page_tables         (void);

GtkWidget           *dossier_registry_page_new            (DossierStore        *store,
                                                           const char          *table);
const char          *dossier_registry_page_get_table      (DossierRegistryPage *self);
/* The translated title ("Institutions") and symbolic icon of the register. */
const char          *dossier_registry_page_get_title      (DossierRegistryPage *self);
const char          *dossier_registry_page_get_icon_name  (DossierRegistryPage *self);
/* Whether the window's list of registers is folded away (then the page shows a
 * way back to it and the window's start buttons). */
gboolean             dossier_registry_page_get_narrow     (DossierRegistryPage *self);
void                 dossier_registry_page_set_narrow     (DossierRegistryPage *self,
                                                           gboolean             narrow);

/* Reads the list (and the filter's choices) again. */
void                 dossier_registry_page_reload         (DossierRegistryPage *self);
/* Shows the record in the form (0: none); FALSE when it does not exist. */
gboolean             dossier_registry_page_select         (DossierRegistryPage *self,
                                                           gint64               id);
/* An empty form for a new record. */
void                 dossier_registry_page_add_record     (DossierRegistryPage *self);
DossierRegistryForm *dossier_registry_page_get_form       (DossierRegistryPage *self);
/* The records listed now (after search and filter). */
guint                dossier_registry_page_get_n_records  (DossierRegistryPage *self);
void                 dossier_registry_page_set_search     (DossierRegistryPage *self,
                                                           const char          *text);
/* Narrows the list to one parent (clinicians: an institution); 0 for all. */
void                 dossier_registry_page_set_filter     (DossierRegistryPage *self,
                                                           gint64               id);

G_END_DECLS
