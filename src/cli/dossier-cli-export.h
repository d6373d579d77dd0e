/* dossier-cli-export.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-cli.h"

G_BEGIN_DECLS

/* `dossier-cli export (--unit U | --filing F | --from D --to D | --all) --out PATH
 * [--zip] [--generated-at TIME] [--user LOGIN]`: writes a filing package folder or
 * zip file (docs/filing-package.md).  Exit status 0 when written, 1 when the package
 * would not be valid (nothing is written), 2 for bad usage, an unknown unit or
 * filing, an empty scope, a missing role or an existing PATH, 3 when the database
 * could not be used. */
int dossier_cli_export (DossierCli  *cli,
                        int          argc,
                        char       **argv);

/* `dossier-cli verify PATH [--json]`: verifies a package folder or zip offline: the
 * zip container, the manifest, every file's size and SHA-256, no unlisted files, safe
 * names, every XML file against the shipped schemas.  One line per finding (file:line: severity
 * RULE-ID: message).  Exit status 0 valid, 1 invalid, 2 bad usage.  Needs no
 * database. */
int dossier_cli_verify (DossierCli  *cli,
                        int          argc,
                        char       **argv);

G_END_DECLS
