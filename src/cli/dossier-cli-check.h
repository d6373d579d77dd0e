/* dossier-cli-check.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-store.h"

G_BEGIN_DECLS

/* `dossier-cli check [UNIT…] [--json]`: checks the named units (by unit number), or
 * every dossier, against their registered size ranges and the customized-device rules.
 * argv[0] is "check".  Exit status: 0 when nothing has an error (warnings allowed), 1
 * when any dossier has an error, 2 for bad usage or an unknown unit number, 3 when the
 * database could not be used. */
int dossier_cli_check (DossierStore  *store,
                       int            argc,
                       char         **argv);

G_END_DECLS
