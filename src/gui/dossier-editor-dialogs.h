/* dossier-editor-dialogs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Small questions the editor asks, as AdwMessageDialog transient for the window
 * of widget, and the way any part of the editor reports a failure. */

/* reason is NULL when the person cancelled. */
typedef void (*DossierEditorReasonFunc)  (const char *reason,
                                          gpointer    user_data);
typedef void (*DossierEditorConfirmFunc) (gboolean    confirmed,
                                          gpointer    user_data);

/* The store refused a change to signed content without a reason: message is its
 * explanation.  func is called once, with the reason or NULL. */
void dossier_editor_ask_reason (GtkWidget                *widget,
                                const char               *message,
                                DossierEditorReasonFunc   func,
                                gpointer                  user_data,
                                GDestroyNotify            destroy);

void dossier_editor_confirm    (GtkWidget                *widget,
                                const char               *heading,
                                const char               *body,
                                const char               *accept_label,
                                gboolean                  destructive,
                                DossierEditorConfirmFunc  func,
                                gpointer                  user_data,
                                GDestroyNotify            destroy);

/* Shows message in the editor's toast overlay (the "editor.show-message" action of
 * the DossierDossierView that contains widget). */
void dossier_editor_show_message (GtkWidget              *widget,
                                  const char             *message);

G_END_DECLS
