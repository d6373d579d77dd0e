/* dossier-new-dossier-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The New Dossier dialog: kind, ordering institution and clinician, patient
 * (an existing code or a new one), and the filing (customized) or registered
 * model (patient-matched).  Only valid, active choices are offered (see
 * dossier-choices.h); Create is enabled once everything is chosen, and makes
 * the dossier (and a new patient) in one transaction.  "created" is emitted
 * before the dialog closes. */

#define DOSSIER_TYPE_NEW_DOSSIER_DIALOG (dossier_new_dossier_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierNewDossierDialog, dossier_new_dossier_dialog, DOSSIER, NEW_DOSSIER_DIALOG, AdwWindow)

GtkWidget *dossier_new_dossier_dialog_new            (GtkWindow               *transient_for,
                                                      DossierStore            *store);

/* The same as choosing in the dialog; FALSE when the choice is not offered.
 * A NULL sex or birth year means none chosen or typed. */
void       dossier_new_dossier_dialog_set_kind       (DossierNewDossierDialog *self,
                                                      const char              *kind);
gboolean   dossier_new_dossier_dialog_choose         (DossierNewDossierDialog *self,
                                                      const char              *what,
                                                      gint64                   id);
void       dossier_new_dossier_dialog_set_patient    (DossierNewDossierDialog *self,
                                                      const char              *code,
                                                      const char              *sex,
                                                      const char              *birth_year);
/* The ids offered now for "institution", "clinician", "filing" or "model". */
GArray    *dossier_new_dossier_dialog_get_offered    (DossierNewDossierDialog *self,
                                                      const char              *what);
gboolean   dossier_new_dossier_dialog_get_can_create (DossierNewDossierDialog *self);
/* What Create does; returns the new dossier's id, or 0 (the dialog shows why). */
gint64     dossier_new_dossier_dialog_create         (DossierNewDossierDialog *self);

G_END_DECLS
