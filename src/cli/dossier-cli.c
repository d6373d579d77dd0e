/* dossier-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "dossier-cli.h"
#include "dossier-cli-check.h"
#include "dossier-cli-export.h"
#include "dossier-cli-import.h"
#include "dossier-cli-report.h"
#include "dossier-cli-signatures.h"
#include "dossier-json.h"

/* dossier-cli: the headless tool.  main() only sets up translations, reads the
 * options that come before the command and hands over to one function per
 * command (dossier-cli-commands.c).  Everything it prints about failures goes to
 * stderr prefixed with the program name, and the exit status says what kind of
 * failure it was, so that scripts can tell bad input from a broken database. */

#define PROGRAM "dossier-cli"

static int
run_check (DossierCli  *cli,
           int          argc,
           char       **argv)
{
  g_autoptr(DossierStore) store = NULL;
  int exit_code = DOSSIER_CLI_EXIT_OK;

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;

  return dossier_cli_check (store, argc, argv);
}

static const DossierCliCommand commands[] = {
  { "init", dossier_cli_init, N_("Create the database or upgrade it to the current schema") },
  { "demo", dossier_cli_demo, N_("Fill an empty database with demonstration data") },
  { "list", dossier_cli_list, N_("List dossiers, optionally filtered") },
  { "show", dossier_cli_show, N_("Show the whole record of one dossier") },
  { "audit", dossier_cli_audit, N_("Check the audit trail for tampering (audit verify)") },
  { "check", run_check, N_("Check dossiers against their registered size ranges and the customized-device rules") },
  { "export", dossier_cli_export, N_("Write a filing package of dossiers (a folder or a zip, with a manifest)") },
  { "verify", dossier_cli_verify, N_("Verify a filing package offline") },
  { "import", dossier_cli_import, N_("Import a filing package: verify it, then add its dossiers") },
  { "annual-report", dossier_cli_annual_report, N_("Write the annual report of customized devices for a year") },
  { "signatures", dossier_cli_signatures, N_("Check, list and sign the electronic signatures of dossiers") },
  { "user", dossier_cli_user, N_("Add and list user accounts") },
};

int
dossier_cli_fail (int         exit_code,
                  const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", PROGRAM, message);

  return exit_code;
}

int
dossier_cli_usage_error (const char *command,
                         const char *format,
                         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *help = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  help = command != NULL ? g_strdup_printf ("%s %s --help", PROGRAM, command)
                         : g_strdup_printf ("%s --help", PROGRAM);

  g_printerr ("%s: %s\n", PROGRAM, message);
  /* Translators: %s is a command line such as "dossier-cli list --help". */
  g_printerr (_("Run “%s” to see the usage."), help);
  g_printerr ("\n");

  return DOSSIER_CLI_EXIT_USAGE;
}

GOptionContext *
dossier_cli_context_new (const char         *command,
                         const char         *parameters,
                         const char         *summary,
                         const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  /* Help text shows "dossier-cli COMMAND [OPTION…]" as its usage line. */
  if (command != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", PROGRAM, command);
      g_set_prgname (name);
    }
  else
    g_set_prgname (PROGRAM);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

gboolean
dossier_cli_parse (GOptionContext   *context,
                   const char       *command,
                   int              *argc,
                   char           ***argv,
                   int              *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = dossier_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

/* Arguments arrive in the locale's encoding; everything inside is UTF-8. */
char *
dossier_cli_argument (const char *argument)
{
  const char *charset;

  if (g_get_charset (&charset))
    return g_utf8_validate (argument, -1, NULL) ? g_strdup (argument) : NULL;

  return g_locale_to_utf8 (argument, -1, NULL, NULL, NULL);
}

/* Every command refuses positional arguments it does not expect, so that a typo
 * does not silently do something else. */
gboolean
dossier_cli_check_arguments (const char  *command,
                             int          argc,
                             char       **argv,
                             int          expected,
                             int         *exit_code)
{
  if (argc - 1 > expected)
    {
      g_autofree char *extra = dossier_cli_argument (argv[expected + 1]);

      *exit_code = dossier_cli_usage_error (command, _("Unexpected argument “%s”."),
                                            extra != NULL ? extra : "?");
      return FALSE;
    }

  return TRUE;
}

/* Commands with subcommands (audit, signatures, user): one help text listing
 * them, options after the subcommand belong to it, and the same messages for a
 * missing or unknown one. */
int
dossier_cli_dispatch (DossierCli              *cli,
                      const char              *group,
                      const char              *description,
                      const DossierCliCommand *subcommands,
                      guint                    n_subcommands,
                      int                      argc,
                      char                   **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GString) summary = g_string_new (description);
  g_autoptr(GString) names = g_string_new (NULL);
  int width = 0;
  int exit_code = DOSSIER_CLI_EXIT_OK;

  g_assert (n_subcommands > 0);

  for (guint i = 0; i < n_subcommands; i++)
    {
      width = MAX (width, (int) strlen (subcommands[i].name));
      g_string_append_printf (names, "%s“%s %s”", i ? ", " : "", group, subcommands[i].name);
    }
  g_string_append_printf (summary, "\n\n%s", _("Commands:"));
  for (guint i = 0; i < n_subcommands; i++)
    g_string_append_printf (summary, "\n  %-*s  %s", width, subcommands[i].name,
                            _(subcommands[i].summary));

  context = dossier_cli_context_new (group, _("COMMAND"), summary->str, NULL);
  g_option_context_set_strict_posix (context, TRUE);
  if (!dossier_cli_parse (context, group, &argc, &argv, &exit_code))
    return exit_code;

  if (argc < 2)
    return dossier_cli_usage_error (group, _("No %s command given; use one of: %s."), group, names->str);

  for (guint i = 0; i < n_subcommands; i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      return subcommands[i].run (cli, argc - 1, argv + 1);

  {
    g_autofree char *name = dossier_cli_argument (argv[1]);
    return dossier_cli_usage_error (group, _("Unknown %s command “%s”; use one of: %s."),
                                    group, name != NULL ? name : "?", names->str);
  }
}

DossierStore *
dossier_cli_open_store (DossierCli *cli,
                        gboolean    create,
                        int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  DossierStore *store;

  if (!g_file_test (cli->db_path, G_FILE_TEST_EXISTS))
    {
      if (!create)
        {
          *exit_code = dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE,
                                         _("The database “%s” does not exist. "
                                           "Create it with “%s init”."),
                                         cli->db_path, PROGRAM);
          return NULL;
        }

      /* The default place is ours to make; a folder someone named with --db is not. */
      if (cli->db_is_default)
        {
          g_autofree char *folder = g_path_get_dirname (cli->db_path);

          if (g_mkdir_with_parents (folder, 0700) != 0)
            {
              int saved = errno;
              *exit_code = dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE,
                                             _("Could not create the folder “%s”: %s"),
                                             folder, g_strerror (saved));
              return NULL;
            }
        }
    }

  store = dossier_store_open (cli->db_path, &error);
  if (store == NULL)
    {
      *exit_code = dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
      return NULL;
    }

  /* Once a database has accounts, the store refuses writes without a signed-in
   * user whose roles allow them; reads need nobody. */
  if (cli->user != NULL && !dossier_cli_sign_in (store, cli->user, exit_code))
    {
      g_object_unref (store);
      return NULL;
    }

  return store;
}

/* JSON is UTF-8 whatever the locale, so it is written as bytes, not through
 * g_print(), which would convert it to the locale's character set. */
void
dossier_cli_print_json (JsonNode *node)
{
  g_autofree char *text = dossier_json_to_string (node, TRUE);

  fputs (text, stdout);
  fflush (stdout);
}

static char *
commands_summary (void)
{
  g_autoptr(GString) s = g_string_new (_("Keeps and checks the design dossiers of "
                                         "patient-specific medical devices."));
  guint width = 0;

  g_string_append (s, "\n\n");
  g_string_append (s, _("Commands:"));
  g_string_append_c (s, '\n');

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, dossier_cli_text_width (commands[i].name));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_string_append (s, "  ");
      dossier_cli_append_padded (s, commands[i].name, width + 2);
      g_string_append (s, _(commands[i].summary));
      g_string_append_c (s, '\n');
    }

  g_string_append_c (s, '\n');
  g_string_append_printf (s, _("The database is the one named by --db, else by the "
                               "environment variable DOSSIER_DB, else %s."),
                          "$XDG_DATA_HOME/dossier/dossier.db");

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
exit_status_description (void)
{
  /* Translators: %s is a command line such as "dossier-cli COMMAND --help". */
  g_autofree char *more = g_strdup_printf (_("Run “%s” for the options of a command."),
                                           PROGRAM " COMMAND --help");

  return g_strdup_printf ("%s\n\n%s\n  0  %s\n  1  %s\n  2  %s\n  3  %s",
                          more,
                          _("Exit status:"),
                          _("success"),
                          _("a check found problems"),
                          _("bad usage or bad input"),
                          _("the database could not be used"));
}

static const DossierCliCommand *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];

  return NULL;
}

static int
run (int    argc,
     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autofree char *summary = commands_summary ();
  g_autofree char *description = exit_status_description ();
  g_autofree char *db_path = NULL;
  const DossierCliCommand *command;
  gboolean version = FALSE;
  DossierCli cli = { 0 };
  int exit_code = DOSSIER_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file to use"), N_("PATH") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Sign in as LOGIN for commands that write (password from DOSSIER_PASSWORD or standard input)"), N_("LOGIN") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  context = dossier_cli_context_new (NULL, _("COMMAND [OPTION…]"), summary, entries);
  g_option_context_set_description (context, description);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!dossier_cli_parse (context, NULL, &argc, &argv, &exit_code))
    return exit_code;

  if (version)
    {
      g_print ("%s %s\n", PROGRAM, PACKAGE_VERSION);
      return DOSSIER_CLI_EXIT_OK;
    }

  if (argc < 2)
    return dossier_cli_usage_error (NULL, _("No command given."));

  command = lookup_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *name = dossier_cli_argument (argv[1]);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", commands[i].name);

      return dossier_cli_usage_error (NULL, _("Unknown command “%s”; the commands are: %s."),
                                      name != NULL ? name : "?", names->str);
    }

  if (db != NULL && *db != '\0')
    db_path = g_steal_pointer (&db);
  else if (g_getenv ("DOSSIER_DB") != NULL && *g_getenv ("DOSSIER_DB") != '\0')
    db_path = g_strdup (g_getenv ("DOSSIER_DB"));
  else
    {
      db_path = dossier_store_default_path ();
      cli.db_is_default = TRUE;
    }
  /* Messages name the file as the full path, whatever the current folder. */
  cli.db_path = g_canonicalize_filename (db_path, NULL);
  g_free (db_path);
  db_path = cli.db_path;

  cli.user = user;

  return command->run (&cli, argc - 1, argv + 1);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("DOSSIER_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* An uninstalled build uses its own translations (make run sets this). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return run (argc, argv);
}
