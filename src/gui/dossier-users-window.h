/* dossier-users-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* User accounts, for administrators: every account with its roles and whether it
 * is active; adding one with its roles, deactivating and activating, setting a
 * new password.  Core checks that the signed-in user is an administrator and
 * refuses otherwise; its message is shown. */

#define DOSSIER_TYPE_USERS_WINDOW (dossier_users_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierUsersWindow, dossier_users_window, DOSSIER, USERS_WINDOW, AdwWindow)

DossierUsersWindow *dossier_users_window_new     (GtkWindow          *parent,
                                                  DossierStore       *store);
/* Reads the accounts again. */
void                dossier_users_window_refresh (DossierUsersWindow *self);

G_END_DECLS
