/* dossier-dossier-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-dossier.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The list gives each signed dossier the store it was read from, where
 * dossier_dossier_get_changed_after_signature() looks when first asked. */
void  _dossier_dossier_set_store  (DossierDossier *self,
                                   DossierStore   *store);

G_END_DECLS
