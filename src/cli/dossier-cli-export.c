/* dossier-cli-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "dossier-cli-export.h"
#include "dossier-export.h"
#include "dossier-package-verify.h"

/* ISO 8601 with seconds and a UTC offset, as package.xml requires. */
static gboolean
is_timestamp (const char *text)
{
  return g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
                               text, 0, 0);
}

int
dossier_cli_export (DossierCli  *cli,
                    int          argc,
                    char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *unit_opt = NULL;
  g_autofree char *filing_opt = NULL;
  g_autofree char *from_opt = NULL;
  g_autofree char *to_opt = NULL;
  g_autofree char *out_opt = NULL;
  g_autofree char *generated_opt = NULL;
  g_autofree char *user_opt = NULL;
  g_autofree char *unit_no = NULL;
  g_autofree char *filing_no = NULL;
  g_autofree char *generated_at = NULL;
  gboolean all = FALSE;
  gboolean zip = FALSE;
  guint n_scopes;
  int exit_code = 0;
  DossierExportOptions options = { 0 };
  DossierExportSummary summary = { 0 };
  const GOptionEntry entries[] = {
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit_opt, N_("Export the dossier with this unit number"), N_("UNIT") },
    { "filing", 0, 0, G_OPTION_ARG_STRING, &filing_opt,
      N_("Export a filing with its dossiers, by filing number (e.g. 粤械定制备20240003号)"), N_("NUMBER") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_opt, N_("Export the dossiers ordered from this date (YYYY-MM-DD, with --to)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_opt, N_("…up to this date, inclusive (YYYY-MM-DD)"), N_("DATE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Export every dossier"), NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_opt, N_("The package folder or zip file to write (must not exist)"), N_("PATH") },
    { "zip", 0, 0, G_OPTION_ARG_NONE, &zip, N_("Write one deterministic zip file instead of a folder"), NULL },
    { "generated-at", 0, 0, G_OPTION_ARG_STRING, &generated_opt,
      N_("The package’s time stamp (ISO 8601 with UTC offset); default: the newest audit entry of its dossiers"), N_("TIME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_opt,
      N_("Sign in as LOGIN, a regulatory user or an administrator (password from DOSSIER_PASSWORD or standard input)"), N_("LOGIN") },
    { NULL }
  };

  g_return_val_if_fail (cli != NULL, DOSSIER_CLI_EXIT_USAGE);

  context = dossier_cli_context_new ("export", NULL,
                                     _("Writes a filing package, as a folder or one zip file: the record of each "
                                       "dossier with its signatures, rule check and audit trail, its attachments, the "
                                       "filing itself for --filing, and a manifest with every file’s size and SHA-256, "
                                       "validated against the shipped XML schemas. Give exactly one scope: --unit, "
                                       "--filing, --from with --to, or --all. The same database gives the same bytes. "
                                       "Once the database has accounts, exporting needs a regulatory user or an "
                                       "administrator (--user)."),
                                     entries);
  if (!dossier_cli_parse (context, "export", &argc, &argv, &exit_code))
    return exit_code;

  if (argc > 1)
    return dossier_cli_usage_error ("export", _("Unexpected argument “%s”."), argv[1]);
  if ((from_opt != NULL) != (to_opt != NULL))
    return dossier_cli_usage_error ("export", _("A date range needs both --from and --to (YYYY-MM-DD, inclusive)."));
  n_scopes = (unit_opt != NULL) + (filing_opt != NULL) + (from_opt != NULL) + (all != FALSE);
  if (n_scopes != 1)
    return dossier_cli_usage_error ("export", n_scopes == 0
                                    ? _("Say what to export: --unit UNIT, --filing NUMBER, --from DATE --to DATE, or --all.")
                                    : _("Give only one scope: --unit, --filing, --from with --to, or --all."));
  if (out_opt == NULL)
    return dossier_cli_usage_error ("export", zip ? _("Give the zip file to write with --out.")
                                                  : _("Give the package folder to write with --out."));
  if (unit_opt != NULL && (unit_no = dossier_cli_argument (unit_opt)) == NULL)
    return dossier_cli_usage_error ("export", _("“%s” is not valid text in the current locale."), unit_opt);
  if (filing_opt != NULL && (filing_no = dossier_cli_argument (filing_opt)) == NULL)
    return dossier_cli_usage_error ("export", _("“%s” is not valid text in the current locale."), filing_opt);
  if (generated_opt != NULL)
    {
      generated_at = dossier_cli_argument (generated_opt);
      if (generated_at == NULL || !is_timestamp (generated_at))
        return dossier_cli_usage_error ("export",
                                        _("“%s” is not a time stamp like 2026-03-02T10:15:03+08:00."),
                                        generated_opt);
    }

  /* export --user overrides the global one; either signs in when the store opens. */
  {
    char *global_user = cli->user;

    if (user_opt != NULL)
      cli->user = user_opt;
    store = dossier_cli_open_store (cli, FALSE, &exit_code);
    cli->user = global_user;
  }
  if (store == NULL)
    return exit_code;

  options.scope = unit_no != NULL ? DOSSIER_EXPORT_SCOPE_UNIT
                : filing_no != NULL ? DOSSIER_EXPORT_SCOPE_FILING
                : from_opt != NULL ? DOSSIER_EXPORT_SCOPE_RANGE
                : DOSSIER_EXPORT_SCOPE_ALL;
  options.unit_no = unit_no;
  options.filing_no = filing_no;
  options.from = from_opt;
  options.to = to_opt;
  options.format = zip ? DOSSIER_EXPORT_FORMAT_ZIP : DOSSIER_EXPORT_FORMAT_FOLDER;
  options.generated_at = generated_at;

  if (!dossier_export_package (store, &options, out_opt, &summary, NULL, &error))
    {
      /* What the person asked for cannot be exported: bad usage, with the reason. */
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND) ||
          g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED) ||
          g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED) ||
          g_error_matches (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE) ||
          g_error_matches (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_EMPTY) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        return dossier_cli_usage_error ("export", "%s", error->message);
      if (error->domain == DOSSIER_EXPORT_ERROR)
        return dossier_cli_fail (DOSSIER_CLI_EXIT_PROBLEMS, "%s", error->message);
      if (error->domain == DOSSIER_STORE_ERROR)
        return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
      return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE, "%s", error->message);
    }

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Wrote the package “%s”: %u dossier, %u attachments, %u files, %" PRIu64 " bytes.\n",
                        "Wrote the package “%s”: %u dossiers, %u attachments, %u files, %" PRIu64 " bytes.\n",
                        summary.n_dossiers),
           out_opt, summary.n_dossiers, summary.n_attachments, summary.n_files, summary.n_bytes);
  return DOSSIER_CLI_EXIT_OK;
}

int
dossier_cli_verify (DossierCli  *cli,
                    int          argc,
                    char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  gboolean json = FALSE;
  int exit_code = 0;
  guint n_errors;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the findings as JSON"), NULL },
    { NULL }
  };

  g_return_val_if_fail (cli != NULL, DOSSIER_CLI_EXIT_USAGE);

  context = dossier_cli_context_new ("verify", _("PATH"),
                                     _("Verifies a filing package offline, a folder or a zip file: the zip container "
                                       "(safe names, no links, duplicates, encryption or zip bombs), its manifest, every "
                                       "file’s size and SHA-256, that no file is missing or unlisted, every XML file "
                                       "against the shipped schemas, and the table of contents. Exit status 0 when the "
                                       "package is valid, 1 when it is not."),
                                     entries);
  if (!dossier_cli_parse (context, "verify", &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2)
    return dossier_cli_usage_error ("verify", _("Give the package to verify."));

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  if (!dossier_package_verify (argv[1], findings, NULL, &error))
    return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE, "%s", error->message);
  n_errors = dossier_package_count_errors (findings);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "valid");
      json_builder_add_boolean_value (b, n_errors == 0);
      json_builder_set_member_name (b, "findings");
      json_builder_begin_array (b);
      for (guint i = 0; i < findings->len; i++)
        {
          const DossierPackageFinding *f = g_ptr_array_index (findings, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "rule_id");
          json_builder_add_string_value (b, f->rule_id);
          json_builder_set_member_name (b, "severity");
          json_builder_add_string_value (b, dossier_severity_to_string (f->severity));
          json_builder_set_member_name (b, "file");
          if (f->file != NULL)
            json_builder_add_string_value (b, f->file);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, f->line);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, f->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      dossier_cli_print_json (node);
    }
  else
    {
      for (guint i = 0; i < findings->len; i++)
        {
          g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
          g_print ("%s\n", line);
        }
      if (n_errors == 0)
        g_print (_("The package is valid.\n"));
      else
        g_print (g_dngettext (GETTEXT_PACKAGE, "The package is not valid: %u error.\n",
                              "The package is not valid: %u errors.\n", n_errors), n_errors);
    }

  return n_errors == 0 ? DOSSIER_CLI_EXIT_OK : DOSSIER_CLI_EXIT_PROBLEMS;
}
