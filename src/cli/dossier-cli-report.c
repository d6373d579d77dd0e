/* dossier-cli-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dossier-annual-report.h"
#include "dossier-cli-report.h"

static int
error_exit (const GError *error)
{
  if (error->domain == DOSSIER_ANNUAL_REPORT_ERROR)
    return DOSSIER_CLI_EXIT_PROBLEMS;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    return DOSSIER_CLI_EXIT_USAGE;
  /* What the person asked for wrongly (filing, year, role) is bad input; anything
   * else is the database. */
  if (error->domain == DOSSIER_STORE_ERROR)
    switch (error->code)
      {
      case DOSSIER_STORE_ERROR_PERMISSION_DENIED:
      case DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED:
      case DOSSIER_STORE_ERROR_INVALID:
      case DOSSIER_STORE_ERROR_NOT_FOUND:
        return DOSSIER_CLI_EXIT_USAGE;
      default:
        return DOSSIER_CLI_EXIT_DATABASE;
      }
  return DOSSIER_CLI_EXIT_USAGE;
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint y, m, d;
  char end;

  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static int
print_deadline (DossierCli *cli,
                const char *today_opt)
{
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *setting = NULL;
  g_autofree char *line = NULL;
  GDate today, deadline;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  int year, days_left;
  guint reminder;

  if (today_opt != NULL)
    {
      if (!parse_date (today_opt, &today))
        return dossier_cli_usage_error ("annual-report", _("“%s” is not a date like 2027-01-15."), today_opt);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
    }

  store = dossier_cli_open_store (cli, FALSE, &exit_code);
  if (store == NULL)
    return exit_code;

  setting = dossier_store_get_setting (store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY);
  reminder = dossier_annual_report_get_reminder_days (store);
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Deadline: %s of the following year; reminders from %u day before.\n",
                        "Deadline: %s of the following year; reminders from %u days before.\n",
                        reminder),
           setting != NULL ? setting : DOSSIER_ANNUAL_REPORT_DEFAULT_DEADLINE, reminder);

  if (dossier_annual_report_reminder (store, &today, &year, &days_left))
    {
      dossier_annual_report_get_deadline (store, year, &deadline);
      line = dossier_annual_report_describe_reminder (year, &deadline, days_left);
      g_print ("%s\n", line);
    }
  else
    {
      year = g_date_get_year (&today) - 1;
      dossier_annual_report_get_deadline (store, year, &deadline);
      if (g_date_compare (&today, &deadline) > 0)
        {
          year++;
          dossier_annual_report_get_deadline (store, year, &deadline);
        }
      line = dossier_annual_report_describe_reminder (year, &deadline, g_date_days_between (&today, &deadline));
      g_print (_("No reminder is due. %s\n"), line);
    }

  return DOSSIER_CLI_EXIT_OK;
}

int
dossier_cli_annual_report (DossierCli  *cli,
                           int          argc,
                           char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(DossierAnnualReport) report = NULL;
  g_autofree char *filing_opt = NULL;
  g_autofree char *out_opt = NULL;
  g_autofree char *html_opt = NULL;
  g_autofree char *generated_opt = NULL;
  g_autofree char *today_opt = NULL;
  g_autofree char *filing = NULL;
  g_autofree char *generated_at = NULL;
  gboolean deadline = FALSE;
  int year = 0;
  int exit_code = 0;
  DossierAnnualReportOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, N_("The year to report on"), N_("YEAR") },
    { "filing", 0, 0, G_OPTION_ARG_STRING, &filing_opt, N_("Report on this filing only (its number); default: every filing in force in the year"), N_("FILING") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_opt, N_("The XML report to write (must not exist)"), N_("PATH") },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &html_opt, N_("Also write the readable rendering, an HTML page to print and sign (must not exist)"), N_("PATH") },
    { "generated-at", 0, 0, G_OPTION_ARG_STRING, &generated_opt,
      N_("The report’s time stamp (ISO 8601 with UTC offset); default: the newest audit entry of the data it reads"), N_("TIME") },
    { "deadline", 0, 0, G_OPTION_ARG_NONE, &deadline, N_("Print the deadline and whether a report is due soon, instead of writing one"), NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_opt, N_("With --deadline: the day to compute the reminder for (default: today)"), N_("DATE") },
    { NULL }
  };

  g_return_val_if_fail (cli != NULL, DOSSIER_CLI_EXIT_USAGE);

  context = dossier_cli_context_new ("annual-report", NULL,
                                     _("Writes the annual report of customized devices for a year: per filing, the "
                                       "units ordered, designed, produced, released, delivered, used, returned or "
                                       "destroyed, per institution, with the design changes, adverse events and the "
                                       "cases against the registration threshold. The XML is validated against the "
                                       "shipped schema; the same database gives the same bytes. Needs the regulatory "
                                       "or administrator role once the database has accounts (--user)."),
                                     entries);
  if (!dossier_cli_parse (context, "annual-report", &argc, &argv, &exit_code))
    return exit_code;
  if (!dossier_cli_check_arguments ("annual-report", argc, argv, 0, &exit_code))
    return exit_code;

  if (deadline)
    {
      if (year != 0 || filing_opt != NULL || out_opt != NULL || html_opt != NULL || generated_opt != NULL)
        return dossier_cli_usage_error ("annual-report", _("--deadline takes no other option but --today."));
      return print_deadline (cli, today_opt);
    }

  if (today_opt != NULL)
    return dossier_cli_usage_error ("annual-report", _("--today goes with --deadline."));
  if (year == 0)
    return dossier_cli_usage_error ("annual-report", _("Give the year to report on with --year."));
  if (out_opt == NULL && html_opt == NULL)
    return dossier_cli_usage_error ("annual-report", _("Give the XML report to write with --out (and the HTML with --html)."));
  if (out_opt != NULL && html_opt != NULL && g_str_equal (out_opt, html_opt))
    return dossier_cli_usage_error ("annual-report", _("--out and --html must name different files."));
  if (filing_opt != NULL && (filing = dossier_cli_argument (filing_opt)) == NULL)
    return dossier_cli_usage_error ("annual-report", _("“%s” is not valid text in the current locale."), filing_opt);
  if (generated_opt != NULL)
    {
      generated_at = dossier_cli_argument (generated_opt);
      if (generated_at == NULL)
        return dossier_cli_usage_error ("annual-report", _("“%s” is not valid text in the current locale."), generated_opt);
    }

  store = dossier_cli_open_store (cli, FALSE, &exit_code);
  if (store == NULL)
    return exit_code;

  options.year = year;
  options.filing_number = filing;
  options.generated_at = generated_at;

  report = dossier_annual_report_compute (store, &options, &error);
  if (report == NULL ||
      (out_opt != NULL && !dossier_annual_report_write_xml (store, report, out_opt, &error)) ||
      (html_opt != NULL && !dossier_annual_report_write_html (report, html_opt, &error)))
    {
      int code = error_exit (error);

      if (code == DOSSIER_CLI_EXIT_USAGE)
        return dossier_cli_usage_error ("annual-report", "%s", error->message);
      return dossier_cli_fail (code, "%s", error->message);
    }

  if (out_opt != NULL)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Wrote the annual report for %d to “%s”: %u filing, %u units delivered, %u used.\n",
                          "Wrote the annual report for %d to “%s”: %u filings, %u units delivered, %u used.\n",
                          report->filings->len),
             year, out_opt, report->filings->len, report->totals.delivered, report->totals.used);
  if (html_opt != NULL)
    g_print (_("Wrote its readable rendering to “%s”.\n"), html_opt);

  return DOSSIER_CLI_EXIT_OK;
}
