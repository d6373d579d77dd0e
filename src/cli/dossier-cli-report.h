/* dossier-cli-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-cli.h"

G_BEGIN_DECLS

/* `dossier-cli annual-report --year Y [--filing F] --out PATH [--html PATH2]
 * [--generated-at TIME]`: writes the annual report of customized devices for year Y
 * (docs/annual-report.md) as XML to PATH and, with --html, its readable rendering
 * to PATH2.  At least one of --out and --html; only the XML is recorded as the
 * report of the year.  Exit status 0 when written, 1 when the report would not be
 * valid (nothing is written), 2 for bad usage, an unknown filing, an existing file,
 * a missing sign-in or role, 3 when the database could not be used.
 *
 * `dossier-cli annual-report --deadline [--today DATE]`: prints the deadline setting
 * and whether an annual report is due soon (the reminder regulatory staff see). */
int dossier_cli_annual_report (DossierCli  *cli,
                               int          argc,
                               char       **argv);

G_END_DECLS
