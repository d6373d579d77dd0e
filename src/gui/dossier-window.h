/* dossier-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-dossier-list.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The main window: the list of dossiers beside the selected one. */

#define DOSSIER_TYPE_WINDOW (dossier_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierWindow, dossier_window, DOSSIER, WINDOW, AdwApplicationWindow)

DossierWindow      *dossier_window_new          (GtkApplication *application,
                                                 DossierStore   *store);
DossierStore       *dossier_window_get_store    (DossierWindow  *self);
DossierDossierList *dossier_window_get_list     (DossierWindow  *self);
void                dossier_window_focus_search (DossierWindow  *self);
/* Reloads the list and selects the dossier (clearing the search and filters
 * when they hide it). */
void                dossier_window_select_dossier (DossierWindow *self,
                                                   gint64         id);
/* Shows a short message at the bottom of the window. */
void                dossier_window_show_toast   (DossierWindow  *self,
                                                 const char     *message);
/* Tests: the day the annual report reminder is computed for (NULL: today). */
void                dossier_window_set_today_for_testing (DossierWindow *self,
                                                          const GDate   *today);

G_END_DECLS
