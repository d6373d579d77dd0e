/* dossier-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOSSIER_TYPE_APPLICATION (dossier_application_get_type ())
G_DECLARE_FINAL_TYPE (DossierApplication, dossier_application, DOSSIER, APPLICATION, AdwApplication)

/* start_time: g_get_monotonic_time() when main() began, for startup timing. */
DossierApplication *dossier_application_new (gint64 start_time);

G_END_DECLS
