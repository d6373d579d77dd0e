/* dossier-cli-commands.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-cli.h"
#include "dossier-demo.h"
#include "dossier-dossier-list.h"
#include "dossier-json.h"
#include "dossier-schema.h"


/* Upper bound for demo --count: beyond it seeding takes longer than anyone waits. */
#define DEMO_MAX_COUNT 1000000

/* The values a choice column of the dossier table allows, comma-separated. */
static char *
choice_values (const char *column_name)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *column = dossier_schema_lookup_column (table, column_name);
  g_autoptr(GString) values = g_string_new (NULL);

  g_assert (column != NULL && column->choices != NULL);

  for (const DossierChoice *c = column->choices; c->value != NULL; c++)
    g_string_append_printf (values, "%s%s", values->len ? ", " : "", c->value);

  return g_string_free (g_steal_pointer (&values), FALSE);
}

/* For --status and --kind: the value must be one the schema allows. */
static gboolean
check_choice (const char  *column_name,
              const char  *value,
              int         *exit_code)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *column = dossier_schema_lookup_column (table, column_name);
  g_autofree char *allowed = NULL;

  g_assert (column != NULL && column->choices != NULL);

  for (const DossierChoice *c = column->choices; c->value != NULL; c++)
    if (g_str_equal (c->value, value))
      return TRUE;

  allowed = choice_values (column_name);
  if (g_str_equal (column_name, "status"))
    *exit_code = dossier_cli_usage_error ("list", _("Unknown status “%s”; use one of: %s."),
                                          value, allowed);
  else
    *exit_code = dossier_cli_usage_error ("list", _("Unknown kind “%s”; use one of: %s."),
                                          value, allowed);
  return FALSE;
}

/* init ------------------------------------------------------------------------ */

int
dossier_cli_init (DossierCli  *cli,
                  int          argc,
                  char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  gboolean existed;

  context = dossier_cli_context_new ("init", NULL,
                                     _("Creates the database if it does not exist, or upgrades it "
                                       "to the current schema, and prints its path and schema "
                                       "version."),
                                     NULL);
  if (!dossier_cli_parse (context, "init", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("init", argc, argv, 0, &exit_code))
    return exit_code;

  existed = g_file_test (cli->db_path, G_FILE_TEST_EXISTS);
  if (!(store = dossier_cli_open_store (cli, TRUE, &exit_code)))
    return exit_code;

  if (!existed)
    g_print ("%s\n", _("Created a new database."));
  g_print (_("Database: %s"), dossier_store_get_path (store));
  g_print ("\n");
  g_print (_("Schema version: %d"), dossier_store_get_schema_version (store));
  g_print ("\n");

  return DOSSIER_CLI_EXIT_OK;
}

/* demo ------------------------------------------------------------------------ */

int
dossier_cli_demo (DossierCli  *cli,
                  int          argc,
                  char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  int count = 0;
  gboolean force = FALSE;
  guint existing;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
      N_("Dossiers in total: the showcase plus synthetic ones up to N (0: the showcase only)"),
      N_("N") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Skip the check for existing dossiers (seeding itself still needs a database "
         "without data)"),
      NULL },
    { NULL }
  };

  context = dossier_cli_context_new ("demo", NULL,
                                     _("Fills the database with realistic demonstration data: "
                                       "institutions, clinicians, filings, registered products "
                                       "and dossiers at every stage."),
                                     entries);
  if (!dossier_cli_parse (context, "demo", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("demo", argc, argv, 0, &exit_code))
    return exit_code;

  if (count < 0 || count > DEMO_MAX_COUNT)
    return dossier_cli_usage_error ("demo", _("--count must be between 0 and %d, not %d."),
                                    DEMO_MAX_COUNT, count);

  if (!(store = dossier_cli_open_store (cli, TRUE, &exit_code)))
    return exit_code;

  existing = (guint)MIN (dossier_store_count (store, "dossier"), G_MAXUINT);
  if (existing > 0 && !force)
    return dossier_cli_usage_error ("demo",
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "The database “%s” already has %u dossier; "
                                                 "demonstration data goes into an empty database. "
                                                 "Use --force to try anyway.",
                                                 "The database “%s” already has %u dossiers; "
                                                 "demonstration data goes into an empty database. "
                                                 "Use --force to try anyway.",
                                                 existing),
                                    cli->db_path, existing);

  if (!dossier_demo_seed (store, (guint)count, NULL, &error))
    {
      /* A database that already holds data is the caller's input, not a fault. */
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT) ||
          g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID))
        return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE, "%s", error->message);
      return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
    }

  existing = (guint)MIN (dossier_store_count (store, "dossier"), G_MAXUINT);
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Added demonstration data; the database now has %u dossier.",
                        "Added demonstration data; the database now has %u dossiers.",
                        existing),
           existing);
  g_print ("\n");
  g_print ("%s\n", _("Its accounts are the people who wrote the records; each password is the login "
                     "followed by “-demo” (for example li.na and li.na-demo)."));

  return DOSSIER_CLI_EXIT_OK;
}

/* list ------------------------------------------------------------------------ */

static const char *
choice_label (const char *column,
              const char *value)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *c = dossier_schema_lookup_column (table, column);

  return value != NULL ? dossier_schema_choice_label (c, value) : "";
}

/* "Product (reference)", or whichever of the two there is. */
static char *
product_text (DossierDossier *dossier)
{
  const char *product = dossier_dossier_get_product_name (dossier);
  const char *reference = dossier_dossier_get_reference (dossier);
  gboolean has_product = product != NULL && *product != '\0';
  gboolean has_reference = reference != NULL && *reference != '\0';

  if (has_product && has_reference)
    return g_strdup_printf ("%s (%s)", product, reference);

  return g_strdup (has_product ? product : has_reference ? reference : "");
}

int
dossier_cli_list (DossierCli  *cli,
                  int          argc,
                  char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(DossierDossierList) list = NULL;
  g_autofree char *search = NULL;
  g_autofree char *status = NULL;
  g_autofree char *kind = NULL;
  gboolean json = FALSE;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  guint n_items;
  const GError *list_error;
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(DossierCliTable) table = NULL;
  g_autofree char *statuses = NULL;
  g_autofree char *kinds = NULL;
  g_autofree char *summary = NULL;
  const GOptionEntry entries[] = {
    { "search", 's', 0, G_OPTION_ARG_STRING, &search,
      N_("Only dossiers whose unit number, patient code, institution, clinician, product, filing, "
         "condition or notes contain TEXT"), N_("TEXT") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only dossiers with this status"), N_("STATUS") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      N_("Only dossiers of this kind (customized or patient-matched)"), N_("KIND") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL },
    { NULL }
  };

  statuses = choice_values ("status");
  kinds = choice_values ("kind");
  summary = g_strdup_printf ("%s\n\n%s %s\n%s %s",
                             _("Lists the dossiers in unit number order: unit number, status, "
                               "kind, patient, institution and product or filing."),
                             _("Statuses:"), statuses, _("Kinds:"), kinds);
  context = dossier_cli_context_new ("list", NULL, summary, entries);
  if (!dossier_cli_parse (context, "list", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("list", argc, argv, 0, &exit_code))
    return exit_code;

  if (status != NULL && !check_choice ("status", status, &exit_code))
    return exit_code;
  if (kind != NULL && !check_choice ("kind", kind, &exit_code))
    return exit_code;

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;

  list = dossier_dossier_list_new (store);
  dossier_dossier_list_set_sort (list, DOSSIER_SORT_UNIT_NO);
  dossier_dossier_list_set_search (list, search);
  dossier_dossier_list_set_status (list, status);
  dossier_dossier_list_set_kind (list, kind);

  if (json)
    array = json_array_new ();
  else
    {
      const char *headers[] = {
        _("Unit number"), _("Status"), _("Kind"), _("Patient"), _("Institution"),
        _("Product or filing"), NULL
      };
      /* Long names are cut so that a row stays one line in a terminal. */
      const guint max_widths[] = { 0, 0, 0, 0, 30, 50 };

      table = dossier_cli_table_new (headers, max_widths);
    }

  /* Items are fetched page by page as they are asked for, so memory stays flat
   * however many dossiers there are. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(DossierDossier) dossier = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *product = NULL;

      if (dossier == NULL)
        break;

      if (json)
        {
          json_array_add_element (array, dossier_json_dossier_summary (dossier));
          continue;
        }

      product = product_text (dossier);
      {
        const char *cells[] = {
          dossier_dossier_get_unit_no (dossier),
          choice_label ("status", dossier_dossier_get_status (dossier)),
          choice_label ("kind", dossier_dossier_get_kind (dossier)),
          dossier_dossier_get_patient_code (dossier),
          dossier_dossier_get_institution_name (dossier),
          product,
          NULL
        };

        dossier_cli_table_add_row (table, cells);
      }
    }

  /* A page that could not be read leaves items out; say so rather than print a
   * list that looks complete. */
  list_error = dossier_dossier_list_get_error (list);
  if (list_error != NULL)
    return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", list_error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, array);
      dossier_cli_print_json (node);
    }
  else if (n_items == 0)
    {
      if (search == NULL && status == NULL && kind == NULL)
        g_print (_("The database has no dossiers yet. Add demonstration data with “%s”."),
                 "dossier-cli demo");
      else
        g_print ("%s", _("No dossier matches."));
      g_print ("\n");
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      dossier_cli_table_format (table, out);
      g_print ("%s", out->str);
    }

  return DOSSIER_CLI_EXIT_OK;
}

/* show ------------------------------------------------------------------------ */

int
dossier_cli_show (DossierCli  *cli,
                  int          argc,
                  char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *unit_no = NULL;
  gboolean json = FALSE;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  gint64 id;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (column names as keys) instead of text"), NULL },
    { NULL }
  };

  context = dossier_cli_context_new ("show", _("UNIT"),
                                     _("Shows the whole record of the dossier with unit number "
                                       "UNIT: the order, institution, clinician, patient, filing "
                                       "or registered product, design inputs, iterations with "
                                       "their parameter values, confirmations, processing with "
                                       "the materials used, inspections, release, delivery, use, "
                                       "adverse events, attachments and the audit trail."),
                                     entries);
  if (!dossier_cli_parse (context, "show", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("show", argc, argv, 1, &exit_code))
    return exit_code;

  if (argc < 2)
    return dossier_cli_usage_error ("show", _("Which dossier? Give its unit number."));

  unit_no = dossier_cli_argument (argv[1]);
  if (unit_no == NULL)
    return dossier_cli_usage_error ("show", _("The unit number is not valid text."));
  g_strstrip (unit_no);

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;

  id = dossier_store_lookup_id (store, "dossier", "unit_no", unit_no, &error);
  if (id == 0)
    {
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND))
        return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE,
                                 _("There is no dossier with unit number “%s”."), unit_no);
      return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
    }

  if (!(record = dossier_json_dossier_record (store, id, &error)))
    return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);

  if (json)
    dossier_cli_print_json (record);
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      dossier_cli_format_record (json_node_get_object (record), out);
      g_print ("%s", out->str);
    }

  return DOSSIER_CLI_EXIT_OK;
}

/* audit ----------------------------------------------------------------------- */

static int
audit_verify (DossierCli  *cli,
              int          argc,
              char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int exit_code = DOSSIER_CLI_EXIT_OK;

  context = dossier_cli_context_new ("audit verify", NULL,
                                     _("Checks that the audit trail is an unbroken hash chain and "
                                       "that every record holds the values the trail gave it. "
                                       "Prints each problem, naming the audit entry or the record "
                                       "and field. Exits with 0 when everything is intact and 1 "
                                       "when anything was changed outside Dossier."),
                                     NULL);
  if (!dossier_cli_parse (context, "audit verify", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("audit verify", argc, argv, 0, &exit_code))
    return exit_code;

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_problem_free);
  if (!dossier_store_audit_verify (store, problems, &error))
    return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);

  for (guint i = 0; i < problems->len; i++)
    {
      const DossierAuditProblem *problem = g_ptr_array_index (problems, i);
      g_print ("%s\n", problem->message);
    }

  if (problems->len == 0)
    {
      gint64 head_seq = 0;
      g_autofree char *head_hash = NULL;

      g_print ("%s\n", _("The audit trail is intact and every record matches it."));

      /* The head anchors the chain: recorded elsewhere, it makes a rewrite of the
       * whole trail detectable too. */
      if (dossier_store_audit_head (store, &head_seq, &head_hash, NULL))
        g_print (_("Chain head: entry %lld, SHA-256 %s\n"), (long long)head_seq, head_hash);

      return DOSSIER_CLI_EXIT_OK;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "%u problem found: the database was changed outside Dossier.",
                        "%u problems found: the database was changed outside Dossier.",
                        problems->len),
           problems->len);
  g_print ("\n");

  return DOSSIER_CLI_EXIT_PROBLEMS;
}

int
dossier_cli_audit (DossierCli  *cli,
                   int          argc,
                   char       **argv)
{
  static const DossierCliCommand subcommands[] = {
    { "verify", audit_verify, N_("Check the audit trail and the data for changes made outside Dossier") },
  };

  return dossier_cli_dispatch (cli, "audit", _("Works with the audit trail."),
                               subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}
