/* dossier-a11y.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* libadwaita 1.2's AdwPasswordEntryRow has a button to show the password that screen
 * readers cannot name (it has only an icon); this gives it an accessible label. */
void dossier_a11y_name_password_peek (AdwPasswordEntryRow *row);

G_END_DECLS
