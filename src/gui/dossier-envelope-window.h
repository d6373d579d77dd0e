/* dossier-envelope-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The registered size ranges (design envelopes) of one registered product model:
 * its versions, and for the selected one its parameters and dependency rules,
 * editable while it is a draft; import and export as XML (envelope-1.xsd). */

#define DOSSIER_TYPE_ENVELOPE_WINDOW (dossier_envelope_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierEnvelopeWindow, dossier_envelope_window, DOSSIER, ENVELOPE_WINDOW, AdwWindow)

GtkWidget *dossier_envelope_window_new          (GtkWindow             *parent,
                                                 DossierStore          *store,
                                                 gint64                 model_id);
gint64     dossier_envelope_window_get_model_id (DossierEnvelopeWindow *self);
/* The id of the version shown, 0 for none or an unsaved draft. */
gint64     dossier_envelope_window_get_selected (DossierEnvelopeWindow *self);
void       dossier_envelope_window_select       (DossierEnvelopeWindow *self,
                                                 gint64                 envelope_id);
/* What the Import… and Export… buttons do once a file is chosen; they return the
 * imported envelope's id (0 on error) and whether the file was written. */
gint64     dossier_envelope_window_import_file  (DossierEnvelopeWindow *self,
                                                 GFile                 *file,
                                                 GError               **error);
gboolean   dossier_envelope_window_export_file  (DossierEnvelopeWindow *self,
                                                 GFile                 *file,
                                                 GError               **error);

/* A "Size Ranges…" button for a model's row in the registers; it opens the window
 * for model_id, transient for the button's window. */
GtkWidget *dossier_envelope_window_button_new   (DossierStore          *store,
                                                 gint64                 model_id);

G_END_DECLS
