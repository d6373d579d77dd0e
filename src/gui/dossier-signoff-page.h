/* dossier-signoff-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-canonical.h"
#include "dossier-sign-dialog.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The sign-offs of one dossier, in full: each sign-off point with its current
 * signature and a button to sign it, the clinician's design confirmation and
 * whether it covers the current design, and every signature with its signer's
 * name, login and role, meaning, date and time with UTC offset, and state ("no
 * longer valid" with who changed what and when, in the error colour).
 *
 * It reads everything again on refresh(); whoever changes the dossier calls it.
 * Emits "signed" with the signature's id after a signature was made here (the
 * dossier's status may have changed with it). */

#define DOSSIER_TYPE_SIGNOFF_PAGE (dossier_signoff_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierSignoffPage, dossier_signoff_page, DOSSIER, SIGNOFF_PAGE, GtkWidget)

GtkWidget         *dossier_signoff_page_new            (void);
DossierStore      *dossier_signoff_page_get_store      (DossierSignoffPage *self);
void               dossier_signoff_page_set_store      (DossierSignoffPage *self,
                                                        DossierStore       *store);
gint64             dossier_signoff_page_get_dossier_id (DossierSignoffPage *self);
void               dossier_signoff_page_set_dossier_id (DossierSignoffPage *self,
                                                        gint64              dossier_id);
void               dossier_signoff_page_refresh        (DossierSignoffPage *self);
/* Opens the sign dialog of point, as its Sign button does, and returns it. */
DossierSignDialog *dossier_signoff_page_sign           (DossierSignoffPage *self,
                                                        DossierSignPoint    point);

G_END_DECLS
