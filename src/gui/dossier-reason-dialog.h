/* dossier-reason-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Asks for the reason of a change to signed content.
 *
 * The store refuses such a change without a reason
 * (DOSSIER_STORE_ERROR_REASON_REQUIRED); the caller shows the store's message here,
 * then makes the change again with the reason given:
 *
 *   if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED))
 *     dossier_gui_ask_reason (window, error->message, NULL, on_reason, data);
 *   …
 *   on_reason: reason = dossier_gui_ask_reason_finish (result, &error);
 *              if (reason != NULL) dossier_store_update (…, reason, &error);
 *
 * The dialog is modal and transient for parent.  It finishes with the reason
 * (trimmed, never empty), or NULL and G_IO_ERROR_CANCELLED when the person
 * cancelled or cancellable was cancelled (which closes the dialog). */
void  dossier_gui_ask_reason        (GtkWindow            *parent,
                                     const char           *message,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char *dossier_gui_ask_reason_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
