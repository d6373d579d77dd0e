/* dossier-login-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* What the window shows instead of its content while nobody is signed in: the
 * first administrator's account on a database without accounts, the choice of
 * account and its password, and the lock screen (the same user's password, or
 * signing them out so that someone else can sign in).
 *
 * Emits "signed-in" once the store has a signed-in, unlocked user, and
 * "signed-out" when the lock screen signed its user out. */

#define DOSSIER_TYPE_LOGIN_PAGE (dossier_login_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierLoginPage, dossier_login_page, DOSSIER, LOGIN_PAGE, GtkWidget)

GtkWidget    *dossier_login_page_new         (void);
DossierStore *dossier_login_page_get_store   (DossierLoginPage *self);
void          dossier_login_page_set_store   (DossierLoginPage *self,
                                              DossierStore     *store);
/* Shows what the store needs now: the administrator's account when it has no
 * account, else the list of accounts.  Forgets anything typed. */
void          dossier_login_page_reset       (DossierLoginPage *self);
/* Shows the lock screen of the signed-in user. */
void          dossier_login_page_show_unlock (DossierLoginPage *self);
/* Shows the password page of login directly (FALSE when there is no such active
 * account). */
gboolean      dossier_login_page_choose_user (DossierLoginPage *self,
                                              const char       *login);
/* Whether the lock screen is shown. */
gboolean      dossier_login_page_get_unlocking (DossierLoginPage *self);

G_END_DECLS
