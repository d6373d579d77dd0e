/* dossier-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Number of dossiers in the realistic showcase that dossier_demo_seed() always
 * writes first. */
#define DOSSIER_DEMO_SHOWCASE_DOSSIERS 12

/* Seeds an empty database.  count 0 (or any count up to the size of the showcase):
 * the realistic showcase only; count N greater than the showcase: the showcase plus
 * synthetic dossiers up to N dossiers in total.
 * Everything is written in one transaction through the store's validated, audited
 * writes; the database must not hold any data yet (DOSSIER_STORE_ERROR_CONSTRAINT
 * otherwise).  Cancelling rolls everything back (G_IO_ERROR_CANCELLED). */
gboolean dossier_demo_seed (DossierStore  *store,
                            guint          count,
                            GCancellable  *cancellable,
                            GError       **error);

/* Whether the database was seeded with the demonstration data (its accounts have
 * the passwords the README gives). */
gboolean dossier_demo_is_demo_database (DossierStore *store);

G_END_DECLS
