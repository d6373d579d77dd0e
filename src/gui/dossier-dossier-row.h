/* dossier-dossier-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-dossier.h"

G_BEGIN_DECLS

/* One line of the dossier list: unit number, status, patient and institution,
 * product or filing, whether the unit is implantable, and a warning icon when
 * its stored rule check found errors. */

#define DOSSIER_TYPE_DOSSIER_ROW (dossier_dossier_row_get_type ())
G_DECLARE_FINAL_TYPE (DossierDossierRow, dossier_dossier_row, DOSSIER, DOSSIER_ROW, GtkWidget)

GtkWidget      *dossier_dossier_row_new         (void);
DossierDossier *dossier_dossier_row_get_dossier (DossierDossierRow *self);
void            dossier_dossier_row_set_dossier (DossierDossierRow *self,
                                                 DossierDossier    *dossier);

G_END_DECLS
