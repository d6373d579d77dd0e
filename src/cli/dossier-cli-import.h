/* dossier-cli-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-cli.h"

G_BEGIN_DECLS

/* `dossier-cli import PATH [--json]`: verifies the filing package folder PATH and
 * imports it in one transaction (docs/filing-package.md, "Import").  Exit status 0
 * when imported (also when everything was already present), 1 when the package does
 * not verify or conflicts with the database (nothing is written; the findings or the
 * conflict are printed), 2 for bad usage or a missing permission, 3 when the database
 * could not be used. */
int dossier_cli_import (DossierCli  *cli,
                        int          argc,
                        char       **argv);

G_END_DECLS
