/* dossier-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Exit statuses, documented in `dossier-cli --help`. */
typedef enum
{
  DOSSIER_CLI_EXIT_OK       = 0, /* done; a check found nothing */
  DOSSIER_CLI_EXIT_PROBLEMS = 1, /* a check found problems */
  DOSSIER_CLI_EXIT_USAGE    = 2, /* bad usage or bad input */
  DOSSIER_CLI_EXIT_DATABASE = 3, /* the database could not be used */
} DossierCliExit;

/* What every command gets: the database it works on (not yet opened). */
typedef struct
{
  char     *db_path;
  gboolean  db_is_default;
  char     *user;          /* --user: who signs in for writes, or NULL */
} DossierCli;

typedef int (*DossierCliCommandFunc) (DossierCli *cli, int argc, char **argv);

typedef struct
{
  const char            *name;
  DossierCliCommandFunc  run;
  const char            *summary; /* N_() */
} DossierCliCommand;

/* dossier-cli.c: shared by the commands. */
int             dossier_cli_fail          (int                  exit_code,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int             dossier_cli_usage_error   (const char          *command,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (2, 3);
GOptionContext *dossier_cli_context_new   (const char          *command,
                                           const char          *parameters,
                                           const char          *summary,
                                           const GOptionEntry  *entries);
gboolean        dossier_cli_parse         (GOptionContext      *context,
                                           const char          *command,
                                           int                 *argc,
                                           char              ***argv,
                                           int                 *exit_code);
char           *dossier_cli_argument      (const char          *argument);
gboolean        dossier_cli_check_arguments (const char        *command,
                                             int                argc,
                                             char             **argv,
                                             int                expected,
                                             int               *exit_code);
int             dossier_cli_dispatch      (DossierCli              *cli,
                                           const char              *group,
                                           const char              *description,
                                           const DossierCliCommand *subcommands,
                                           guint                    n_subcommands,
                                           int                      argc,
                                           char                   **argv);
DossierStore   *dossier_cli_open_store    (DossierCli          *cli,
                                           gboolean             create,
                                           int                 *exit_code);
void            dossier_cli_print_json    (JsonNode            *node);

/* dossier-cli-commands.c: one function per command; argv[0] is the command. */
int             dossier_cli_init          (DossierCli          *cli,
                                           int                  argc,
                                           char               **argv);
int             dossier_cli_demo          (DossierCli          *cli,
                                           int                  argc,
                                           char               **argv);
int             dossier_cli_list          (DossierCli          *cli,
                                           int                  argc,
                                           char               **argv);
int             dossier_cli_show          (DossierCli          *cli,
                                           int                  argc,
                                           char               **argv);
int             dossier_cli_audit         (DossierCli          *cli,
                                           int                  argc,
                                           char               **argv);

/* dossier-cli-format.c: text output. */
guint           dossier_cli_text_width    (const char          *text);
void            dossier_cli_append_padded (GString             *out,
                                           const char          *text,
                                           guint                width);
char           *dossier_cli_cell_text     (const char          *text,
                                           guint                max_width);

typedef struct _DossierCliTable DossierCliTable;

DossierCliTable *dossier_cli_table_new     (const char * const  *headers,
                                            const guint         *max_widths);
void             dossier_cli_table_add_row (DossierCliTable     *table,
                                            const char * const  *cells);
void             dossier_cli_table_format  (DossierCliTable     *table,
                                            GString             *out);
void             dossier_cli_table_free    (DossierCliTable     *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierCliTable, dossier_cli_table_free)

void             dossier_cli_format_record (JsonObject          *record,
                                            GString             *out);

G_END_DECLS
