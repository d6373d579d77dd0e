/* dossier-sign-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-canonical.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The electronic signature of one sign-off point: shows exactly what is signed
 * (the point, its meaning, the dossier's unit number, a summary of the covered
 * content and its SHA-256) and who signs, then asks for the signer's password.
 * When core refuses the signature (role, author, workflow, rule check) the reason
 * is shown before any password is typed.  Emits "signed" with the new signature's
 * id, then closes. */

#define DOSSIER_TYPE_SIGN_DIALOG (dossier_sign_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierSignDialog, dossier_sign_dialog, DOSSIER, SIGN_DIALOG, AdwWindow)

DossierSignDialog *dossier_sign_dialog_new         (GtkWindow         *parent,
                                                    DossierStore      *store,
                                                    gint64             dossier_id,
                                                    DossierSignPoint   point);
/* Whether core allows the signed-in user to sign (everything but the password). */
gboolean           dossier_sign_dialog_get_allowed (DossierSignDialog *self);
/* The SHA-256 shown, of the content as it was read when the dialog opened. */
const char        *dossier_sign_dialog_get_content_hash (DossierSignDialog *self);

/* A summary of the content a serialisation covers: "the order, 2 design inputs,
 * 1 design version with 4 parameter values, 1 file", translated. */
char              *dossier_sign_dialog_summarize_content (const char *canonical_text,
                                                          gsize       length);

G_END_DECLS
