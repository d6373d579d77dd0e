/* dossier-cli-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dossier-check.h"
#include "dossier-cli.h"
#include "dossier-cli-check.h"
#include "dossier-json.h"

/* Text output: for each dossier one heading line; when units were named, the table of
 * all its parameters; then each finding with its rule ID, severity, what it is about
 * and where the rule comes from.  Checking everything lists only dossiers with
 * findings, then a summary, so that a hundred thousand passing units do not bury the
 * few that fail. */

typedef struct
{
  gboolean   json;
  gboolean   all;
  GString   *out;
  guint      n_printed;
} Output;

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static char *
value_text (const DossierCheckParameter *p)
{
  if (p->value == NULL)
    return g_strdup ("—");
  if (p->unit == NULL || *p->unit == '\0')
    return g_strdup (p->value);
  return g_strdup_printf ("%s %s", p->value, p->unit);
}

static const char *
step_text (DossierStepConformity step)
{
  switch (step)
    {
    case DOSSIER_STEP_ON_GRID:
      /* Translators: the value is on the registered step grid */
      return _("on grid");
    case DOSSIER_STEP_OFF_GRID:
      /* Translators: the value is not on the registered step grid */
      return _("off grid");
    case DOSSIER_STEP_NOT_APPLICABLE:
    default:
      return "";
    }
}

static void
print_parameters (Output             *output,
                  DossierCheckReport *report)
{
  const char *headers[] = { _("Parameter"), _("Value"), _("Registered range"), _("Margin"),
                            _("Step"), _("Verdict"), NULL };
  const guint max_widths[] = { 0, 0, 60, 0, 0, 0 };
  g_autoptr(DossierCliTable) table = NULL;

  if (dossier_check_report_get_n_parameters (report) == 0)
    return;

  table = dossier_cli_table_new (headers, max_widths);
  for (guint i = 0; i < dossier_check_report_get_n_parameters (report); i++)
    {
      const DossierCheckParameter *p = dossier_check_report_get_parameter (report, i);
      g_autofree char *value = value_text (p);
      g_autofree char *margin = p->margin != NULL && p->range_unit != NULL && *p->range_unit != '\0'
        ? g_strdup_printf ("%s %s", p->margin, p->range_unit) : g_strdup (or_empty (p->margin));
      const char *limits = p->registered ? or_empty (p->limits) : _("not registered");
      const char *cells[] = {
        p->name, value, limits, margin, step_text (p->step_conformity),
        dossier_verdict_get_label (p->verdict), NULL
      };

      dossier_cli_table_add_row (table, cells);
    }

  {
    g_autoptr(GString) text = g_string_new (NULL);
    g_auto(GStrv) lines = NULL;

    dossier_cli_table_format (table, text);
    lines = g_strsplit (text->str, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (*lines[i] != '\0')
        g_string_append_printf (output->out, "    %s\n", lines[i]);
  }
}

static void
print_findings (Output             *output,
                DossierCheckReport *report)
{
  for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
    {
      const DossierCheckFinding *f = dossier_check_report_get_finding (report, i);

      g_string_append_printf (output->out, "    %-7s %s: %s\n", dossier_severity_to_string (f->severity),
                              f->rule_id, f->message);
      if (f->margin != NULL)
        {
          const DossierCheckParameter *p = f->parameter != NULL ? dossier_check_report_lookup_parameter (report, f->parameter) : NULL;

          /* Translators: the distance of a value to the nearest registered limit */
          g_string_append_printf (output->out, "            %s %s%s%s\n", _("Margin to the nearest limit:"), f->margin,
                                  p != NULL && p->range_unit != NULL && *p->range_unit != '\0' ? " " : "",
                                  p != NULL && p->range_unit != NULL ? p->range_unit : "");
        }
      g_string_append_printf (output->out, "            %s %s\n", _("Source:"), f->source);
      if (f->reference != NULL)
        g_string_append_printf (output->out, "            %s %s\n", _("Checked against:"), f->reference);
    }
}

static gboolean
print_report (DossierCheckReport *report,
              gpointer            user_data)
{
  Output *output = user_data;
  DossierVerdict verdict = dossier_check_report_get_verdict (report);
  g_autofree char *against = NULL;

  if (output->json)
    {
      g_autoptr(JsonNode) node = dossier_check_report_to_json (report);
      g_autofree char *text = dossier_json_to_string (node, TRUE);

      /* One element at a time: a hundred thousand reports never sit in memory. */
      g_string_append (output->out, output->n_printed > 0 ? ",\n" : "[\n");
      g_string_append (output->out, text);
      output->n_printed++;
      if (output->out->len > 64 * 1024)
        {
          fputs (output->out->str, stdout);
          g_string_truncate (output->out, 0);
        }
      return TRUE;
    }

  if (output->all && verdict == DOSSIER_VERDICT_PASS)
    return TRUE;

  if (dossier_check_report_get_envelope_id (report) > 0)
    /* Translators: "AC-52, size range version 2 in force on 2026-05-03" */
    against = g_strdup_printf (_("%s, size range version %d in force on %s"),
                               dossier_check_report_get_model_code (report),
                               dossier_check_report_get_envelope_version (report),
                               dossier_check_report_get_reference_date (report));
  else if (g_strcmp0 (dossier_check_report_get_kind (report), "customized") == 0)
    against = g_strdup (_("customized device"));
  else
    against = g_strdup (or_empty (dossier_check_report_get_model_code (report)));

  g_string_append_printf (output->out, "%s  %s  %s  ", dossier_check_report_get_unit_no (report), against,
                          dossier_verdict_get_label (verdict));
  g_string_append_printf (output->out,
                          g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", dossier_check_report_get_n_errors (report)),
                          dossier_check_report_get_n_errors (report));
  g_string_append (output->out, ", ");
  g_string_append_printf (output->out,
                          g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", dossier_check_report_get_n_warnings (report)),
                          dossier_check_report_get_n_warnings (report));
  g_string_append_c (output->out, '\n');

  if (!output->all)
    print_parameters (output, report);
  print_findings (output, report);

  /* Written in pieces, so that a long run shows progress and holds little. */
  if (output->out->len > 64 * 1024)
    {
      fputs (output->out->str, stdout);
      g_string_truncate (output->out, 0);
    }
  output->n_printed++;
  return TRUE;
}

int
dossier_cli_check (DossierStore  *store,
                   int            argc,
                   char         **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GTimer) timer = g_timer_new ();
  DossierCheckSummary summary = { 0 };
  gboolean json = FALSE;
  gboolean force = FALSE;
  int exit_code = 0;
  Output output = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON: every dossier with all its parameters and findings"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Compute every result again, even where the stored one is current"), NULL },
    { NULL }
  };

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 3);

  context = dossier_cli_context_new ("check", _("[UNIT…]"),
                                     _("Checks the named units, or every dossier, against the registered size range "
                                       "of their model (patient-matched) or the rules for customized devices. "
                                       "Exit status 0 when nothing has an error, 1 when something has."),
                                     entries);
  if (!dossier_cli_parse (context, "check", &argc, &argv, &exit_code))
    return exit_code;

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *unit_no = dossier_cli_argument (argv[i]);
      gint64 id;

      if (unit_no == NULL)
        return dossier_cli_usage_error ("check", _("“%s” is not valid text in the current locale."), argv[i]);
      id = dossier_store_lookup_id (store, "dossier", "unit_no", unit_no, &error);
      if (id == 0)
        {
          if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND))
            return dossier_cli_usage_error ("check", _("There is no dossier with unit number “%s”."), unit_no);
          return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
        }
      g_array_append_val (ids, id);
    }

  output.json = json;
  output.all = ids->len == 0;
  output.out = g_string_new (NULL);

  {
    DossierCheckOptions options = { NULL, NULL, force ? DOSSIER_CHECK_FORCE : DOSSIER_CHECK_DEFAULT };

    /* Checking everything as text lists the problems only. */
    if (output.all && !json)
      options.flags |= DOSSIER_CHECK_PROBLEMS;

    if (!dossier_check_dossiers (store, ids->len > 0 ? (const gint64 *)(gpointer)ids->data : NULL, ids->len,
                                 &options, print_report, &output, &summary, NULL, &error))
      {
        g_string_free (output.out, TRUE);
        return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
      }
  }

  if (json)
    {
      g_string_append (output.out, output.n_printed > 0 ? "\n]\n" : "[]\n");
      fputs (output.out->str, stdout);
      fflush (stdout);
    }
  else
    {
      if (output.all)
        {
          g_string_append_printf (output.out,
                                  g_dngettext (GETTEXT_PACKAGE, "Checked %u dossier in %.1f s: ", "Checked %u dossiers in %.1f s: ",
                                               summary.n_checked),
                                  summary.n_checked, g_timer_elapsed (timer, NULL));
          g_string_append_printf (output.out,
                                  _("%u pass, %u pass with warnings, %u fail (%u computed, %u stored results still current)."),
                                  summary.n_passed, summary.n_warnings, summary.n_errors,
                                  summary.n_recomputed, summary.n_reused);
          g_string_append_c (output.out, '\n');
        }
      fputs (output.out->str, stdout);
      fflush (stdout);
    }
  g_string_free (output.out, TRUE);

  return summary.n_errors > 0 ? 1 : 0;
}
