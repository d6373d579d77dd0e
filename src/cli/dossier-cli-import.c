/* dossier-cli-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-cli-import.h"
#include "dossier-import.h"

int
dossier_cli_import (DossierCli  *cli,
                    int          argc,
                    char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = NULL;
  DossierImportSummary summary = { 0 };
  gboolean json = FALSE;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the summary as JSON"), NULL },
    { NULL }
  };

  g_return_val_if_fail (cli != NULL, DOSSIER_CLI_EXIT_USAGE);

  context = dossier_cli_context_new ("import", _("PATH"),
                                     _("Imports a filing package, a folder or a zip: verifies it first, then adds every dossier "
                                       "with its records, attachments, signatures and audit trail in one "
                                       "transaction. A dossier already present with the same content is left "
                                       "alone, so importing a package twice adds nothing; one present with other "
                                       "content refuses the import. Needs the regulatory or administrator role "
                                       "once the database has accounts."),
                                     entries);
  if (!dossier_cli_parse (context, "import", &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return dossier_cli_usage_error ("import", _("Give the package (folder or zip) to import."));
  if (argc > 2)
    return dossier_cli_usage_error ("import", _("Unexpected argument “%s”."), argv[2]);

  store = dossier_cli_open_store (cli, TRUE, &exit_code);
  if (store == NULL)
    return exit_code;

  if (!dossier_import_package (store, argv[1], NULL, &summary, NULL, &error))
    {
      if (error->domain == DOSSIER_IMPORT_ERROR)
        return dossier_cli_fail (DOSSIER_CLI_EXIT_PROBLEMS, "%s", error->message);
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED) ||
          g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED))
        return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE, "%s", error->message);
      if (error->domain == DOSSIER_STORE_ERROR)
        return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
      return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE, "%s", error->message);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "package_id");
      json_builder_add_string_value (b, summary.package_id);
      json_builder_set_member_name (b, "dossiers");
      json_builder_add_int_value (b, summary.n_dossiers);
      json_builder_set_member_name (b, "added");
      json_builder_add_int_value (b, summary.n_added);
      json_builder_set_member_name (b, "already_present");
      json_builder_add_int_value (b, summary.n_present);
      json_builder_set_member_name (b, "attachments");
      json_builder_add_int_value (b, summary.n_attachments);
      json_builder_set_member_name (b, "accounts_created");
      json_builder_add_int_value (b, summary.n_accounts);
      json_builder_set_member_name (b, "renumbered");
      json_builder_add_int_value (b, summary.n_renumbered);
      json_builder_set_member_name (b, "import_id");
      if (summary.import_id > 0)
        json_builder_add_int_value (b, summary.import_id);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      dossier_cli_print_json (node);
      return DOSSIER_CLI_EXIT_OK;
    }

  {
    g_autofree char *added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u dossier added", "%u dossiers added",
                                                           summary.n_added), summary.n_added);
    g_autofree char *present = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u already present", "%u already present",
                                                             summary.n_present), summary.n_present);
    g_autofree char *attachments = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attachment", "%u attachments",
                                                                 summary.n_attachments), summary.n_attachments);

    /* Translators: the package, then the counts: “12 dossiers added”, “0 already
     * present”, “3 attachments” */
    g_print (_("Imported the package “%s”: %s, %s, %s."), argv[1], added, present, attachments);
    g_print ("\n");
  }
  if (summary.n_accounts > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u signer had no account here and got an inactive one; an administrator sets a password to activate it.",
                            "%u signers had no account here and got inactive ones; an administrator sets a password to activate them.",
                            summary.n_accounts),
               summary.n_accounts);
      g_print ("\n");
    }
  if (summary.n_renumbered > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u record got another id than in the package, because its id was taken here.",
                            "%u records got other ids than in the package, because their ids were taken here.",
                            summary.n_renumbered),
               summary.n_renumbered);
      g_print ("\n");
    }
  return DOSSIER_CLI_EXIT_OK;
}
