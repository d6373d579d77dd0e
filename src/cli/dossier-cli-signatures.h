/* dossier-cli-signatures.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-cli.h"

G_BEGIN_DECLS

/* dossier-cli-signatures.c: the signatures and user commands; argv[0] is the command,
 * as for the commands of dossier-cli-commands.c. */
int       dossier_cli_signatures (DossierCli    *cli,
                                  int            argc,
                                  char         **argv);
int       dossier_cli_user       (DossierCli    *cli,
                                  int            argc,
                                  char         **argv);

/* Signs login in on store for the writes of a command once the database has user
 * accounts.  The password comes from the environment variable DOSSIER_PASSWORD or,
 * without it, from the first line of standard input (asked for without echo on a
 * terminal); never from the command line.  On failure prints why and sets
 * *exit_code (3 when the database could not be used, 2 otherwise). */
gboolean  dossier_cli_sign_in    (DossierStore  *store,
                                  const char    *login,
                                  int           *exit_code);

G_END_DECLS
