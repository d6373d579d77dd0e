/* dossier-annual-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The annual report of customized devices (docs/annual-report.md): what the filers
 * tell the filing authority each year about the customized units made under each
 * filing.  Patient-matched units are registered products and are not part of it.
 *
 * Typical use (the CLI and the GUI do this):
 *
 *   DossierAnnualReportOptions options = { .year = 2025 };
 *   g_autoptr(DossierAnnualReport) report = dossier_annual_report_compute (store, &options, &error);
 *   dossier_annual_report_write_xml (store, report, "report-2025.xml", &error);
 *   dossier_annual_report_write_html (report, "report-2025.html", &error);
 *
 * Computing needs, once the database has accounts, a signed-in user with the
 * regulatory or administrator role.  A year without any unit is a valid report with
 * zero counts (a filer reports every year); an unknown filing is an error.  The same
 * database gives the same bytes: nothing depends on the time of generation
 * (generated_at is the newest audit entry of the data the report reads, or the one
 * given in the options).  The XML is validated against the shipped
 * annual-report-1.xsd before it is written; files are written under a temporary name
 * beside the destination and renamed into place, and never replace an existing
 * file.  Writing the XML records the run in the audited table annual_report_run.
 *
 * Each count is the number of the filing's customized units whose event fell in the
 * year (dates as recorded, calendar dates of their own time zone):
 *   ordered      the order date (dossier.ordered_on)
 *   designed     the clinician's first written confirmation of the design
 *   produced     the end of the last processing step, once processing is complete
 *                (the unit has gone on to inspection or beyond)
 *   released     QA release (release.released_at)
 *   delivered    delivery to the institution (delivery.delivered_on)
 *   used, notUsed, returned, destroyed
 *                the outcome the institution reported (use_record.outcome), dated by
 *                the surgery date when there is one, else by the day the outcome was
 *                recorded (the schema has no date of return or destruction)
 *   cancelled    the day the unit was cancelled (from the audit trail)
 *   designChanges  design versions after the first made in the year
 *   adverseEvents  adverse events that occurred in the year */

#define DOSSIER_ANNUAL_REPORT_NAMESPACE      "urn:io.github.dossier:annual-report:1"
#define DOSSIER_ANNUAL_REPORT_SCHEMA_VERSION "1.0"
#define DOSSIER_ANNUAL_REPORT_SCHEMA         "annual-report-1.xsd"

/* Settings (table setting) and their defaults. */
#define DOSSIER_ANNUAL_REPORT_DEADLINE_KEY       "annual_report.deadline"
#define DOSSIER_ANNUAL_REPORT_DEFAULT_DEADLINE   "01-31"
#define DOSSIER_ANNUAL_REPORT_REMINDER_KEY       "annual_report.reminder_days"
#define DOSSIER_ANNUAL_REPORT_DEFAULT_REMINDER   30
#define DOSSIER_ANNUAL_REPORT_NEAR_KEY           "annual_report.threshold_near_percent"
#define DOSSIER_ANNUAL_REPORT_DEFAULT_NEAR       80

#define DOSSIER_ANNUAL_REPORT_ERROR (dossier_annual_report_error_quark ())

typedef enum
{
  DOSSIER_ANNUAL_REPORT_ERROR_INVALID,   /* the XML would not follow its schema; the message says why */
  DOSSIER_ANNUAL_REPORT_ERROR_SETTING,   /* a deadline or reminder setting that is not valid */
} DossierAnnualReportError;

GQuark dossier_annual_report_error_quark (void);

/* The result ------------------------------------------------------------------- */

typedef struct
{
  guint ordered;
  guint designed;
  guint produced;
  guint released;
  guint delivered;
  guint used;
  guint not_used;
  guint returned;
  guint destroyed;
  guint cancelled;
  guint design_changes;
  guint adverse_events;
} DossierAnnualCounts;

/* An institution: the filing's partner, or one that ordered units under it. */
typedef struct
{
  char               *name;            /* name_zh */
  char               *licence;         /* practising licence number */
  char               *province_code;   /* "440000" */
  DossierAnnualCounts counts;          /* its units' counts (per-institution rows only) */
} DossierAnnualInstitution;

/* A unit with at least one event in the year, with the date of each event that
 * placed it in a count (NULL: none, or not in the year for the count's purpose —
 * the dates are given as recorded, whatever year they are in). */
typedef struct
{
  char *unit_no;
  char *institution_licence;
  char *status;         /* dossier status now */
  char *ordered_on;
  char *designed_on;    /* first design confirmation */
  char *produced_on;    /* NULL while processing is not complete */
  char *released_on;
  char *delivered_on;
  char *outcome;        /* "used", "not-used", "returned", "destroyed" or NULL */
  char *outcome_on;
  char *cancelled_on;   /* NULL unless cancelled */
} DossierAnnualUnit;

typedef struct
{
  char     *unit_no;
  char     *institution_licence;
  int       version;
  char     *designed_on;
  char     *designer;
  gboolean  after_confirmation;  /* an earlier version had been confirmed by the clinician */
  char     *notes;
} DossierAnnualDesignChange;

typedef struct
{
  char *unit_no;
  char *institution_licence;
  char *institution_name;
  char *occurred_on;
  char *reported_on;    /* or NULL */
  char *severity;       /* "death", "serious", "other" */
  char *description;
} DossierAnnualAdverseEvent;

typedef enum
{
  DOSSIER_ANNUAL_THRESHOLD_BELOW,
  DOSSIER_ANNUAL_THRESHOLD_NEAR,     /* cases ≥ near_percent of the threshold */
  DOSSIER_ANNUAL_THRESHOLD_REACHED,  /* cases ≥ threshold: move to registration */
} DossierAnnualThresholdState;

const char *dossier_annual_threshold_state_to_string (DossierAnnualThresholdState state);

typedef struct
{
  gint64                       id;
  char                        *number;          /* NULL only for a draft */
  char                        *status;          /* filing status */
  char                        *filed_on;        /* or NULL */
  char                        *province_code;
  char                        *device_name;
  DossierAnnualInstitution     institution;     /* the partner institution of the filing */
  DossierAnnualCounts          counts;
  GPtrArray                   *institutions;    /* DossierAnnualInstitution, ordering institutions, by licence */
  /* Against the registration threshold, as of the end of the year: cases are the
   * units ordered by then and not cancelled (the CUS-CASE-THRESHOLD rule's count),
   * cases_used those of them used on a patient by then. */
  guint                        threshold;
  guint                        cases;
  guint                        cases_used;
  guint                        near_percent;
  DossierAnnualThresholdState  threshold_state;
  GPtrArray                   *design_changes;  /* DossierAnnualDesignChange, by unit and version */
  GPtrArray                   *adverse_events;  /* DossierAnnualAdverseEvent, by date */
  GPtrArray                   *units;           /* DossierAnnualUnit, by unit number */
} DossierAnnualFiling;

typedef struct
{
  int                  year;
  char                *period_from;        /* "2025-01-01" */
  char                *period_to;          /* "2025-12-31" */
  char                *scope_filing;       /* the filing number asked for, NULL: every filing */
  gint64               scope_filing_id;    /* 0: every filing */
  char                *generated_at;       /* ISO 8601 with UTC offset */
  char                *manufacturer_name;  /* NULL when the database has no manufacturer */
  char                *manufacturer_name_en;
  char                *manufacturer_uscc;
  char                *manufacturer_licence;
  DossierAnnualCounts  totals;             /* the sum over the filings */
  GPtrArray           *filings;            /* DossierAnnualFiling, by number */

  /*< private >*/
  gatomicrefcount      ref_count;
} DossierAnnualReport;

#define DOSSIER_TYPE_ANNUAL_REPORT (dossier_annual_report_get_type ())
GType                dossier_annual_report_get_type (void) G_GNUC_CONST;
DossierAnnualReport *dossier_annual_report_ref      (DossierAnnualReport *report);
void                 dossier_annual_report_unref    (DossierAnnualReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierAnnualReport, dossier_annual_report_unref)

/* Computing and writing --------------------------------------------------------- */

typedef struct
{
  int         year;
  const char *filing_number;  /* NULL: every filing in force in the year */
  const char *generated_at;   /* ISO 8601 with UTC offset; NULL: derived */
} DossierAnnualReportOptions;

/* Whether the current session may generate annual reports: always on a database
 * without accounts; else a signed-in, unlocked user with the regulatory or
 * administrator role (DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED or
 * DOSSIER_STORE_ERROR_PERMISSION_DENIED otherwise). */
gboolean             dossier_annual_report_check_permission (DossierStore  *store,
                                                             GError       **error);

/* Computes the report.  Errors: the permission errors above,
 * DOSSIER_STORE_ERROR_NOT_FOUND for an unknown filing number,
 * DOSSIER_STORE_ERROR_INVALID for a year outside 1900–9998 or a malformed
 * generated_at, and the store's errors. */
DossierAnnualReport *dossier_annual_report_compute  (DossierStore                      *store,
                                                     const DossierAnnualReportOptions  *options,
                                                     GError                           **error);

/* The report as XML, validated against annual-report-1.xsd
 * (DOSSIER_ANNUAL_REPORT_ERROR_INVALID with one line per problem otherwise). */
GBytes              *dossier_annual_report_to_xml   (DossierAnnualReport  *report,
                                                     GError              **error);
/* The readable rendering: one self-contained HTML page (inline CSS, A4 print
 * layout) in the language of the current locale, with a signature block at the end. */
GBytes              *dossier_annual_report_to_html  (DossierAnnualReport  *report);

/* Write out_path, which must not exist (G_IO_ERROR_EXISTS).  write_xml also records
 * the run (year, filing, generated_at, who, SHA-256 of the XML) in annual_report_run,
 * which is what dossier_annual_report_has_run() and the reminder look at; it checks
 * the permission again. */
gboolean             dossier_annual_report_write_xml  (DossierStore         *store,
                                                       DossierAnnualReport  *report,
                                                       const char           *out_path,
                                                       GError              **error);
gboolean             dossier_annual_report_write_html (DossierAnnualReport  *report,
                                                       const char           *out_path,
                                                       GError              **error);

/* Whether a report for year (of any scope) has been written. */
gboolean             dossier_annual_report_has_run    (DossierStore  *store,
                                                       int            year,
                                                       gboolean      *has_run,
                                                       GError       **error);

/* Deadline and reminder ---------------------------------------------------------- */

/* Parses "MM-DD" (01-01 … 12-31; 02-29 is allowed and means the last day of
 * February).  DOSSIER_ANNUAL_REPORT_ERROR_SETTING otherwise. */
gboolean             dossier_annual_report_parse_deadline (const char   *text,
                                                           guint        *month,
                                                           guint        *day,
                                                           GError      **error);
/* Pure: the report for year is due on month-day of year + 1; 02-29 falls on 02-28
 * in a year that is not a leap year. */
void                 dossier_annual_report_deadline_for   (guint         month,
                                                           guint         day,
                                                           int           year,
                                                           GDate        *deadline);
/* From the setting annual_report.deadline (the default 01-31 when it is missing or
 * not valid). */
void                 dossier_annual_report_get_deadline   (DossierStore *store,
                                                           int           year,
                                                           GDate        *deadline);
/* annual_report.reminder_days (default 30, at most 366). */
guint                dossier_annual_report_get_reminder_days (DossierStore *store);

/* Change the settings; needs the regulatory or administrator role once the database
 * has accounts (the deadline is a regulatory matter, unlike other settings, which
 * are the administrator's).  reason is recorded in the audit trail. */
gboolean             dossier_annual_report_set_deadline   (DossierStore  *store,
                                                           const char    *deadline,
                                                           const char    *reason,
                                                           GError       **error);
gboolean             dossier_annual_report_set_reminder_days (DossierStore  *store,
                                                              guint          days,
                                                              const char    *reason,
                                                              GError       **error);

/* Pure: whether to remind on today.  It looks at the report for the previous year
 * first: due (TRUE) when it has not been generated and today is at most
 * reminder_days before its deadline, or past it.  Then at the report for this year,
 * whose deadline may fall within reminder_days of the end of the year: due when not
 * generated and today is at most reminder_days before it.  year and days_left (negative
 * when overdue) say which report and how long is left; they are set only when due. */
gboolean             dossier_annual_report_reminder_due   (const GDate  *today,
                                                           guint         month,
                                                           guint         day,
                                                           guint         reminder_days,
                                                           gboolean      previous_generated,
                                                           gboolean      current_generated,
                                                           int          *year,
                                                           int          *days_left);
/* The same from the settings and the recorded runs.  FALSE also when they cannot be
 * read. */
gboolean             dossier_annual_report_reminder       (DossierStore *store,
                                                           const GDate  *today,
                                                           int          *year,
                                                           int          *days_left);

/* "31 January 2027" in the current locale's words. */
char                *dossier_annual_report_format_date    (const GDate  *date);
/* The reminder as one sentence: "The annual report for 2026 is due on 31 January
 * 2027 (12 days)." or "… was due on … (3 days ago)." */
char                *dossier_annual_report_describe_reminder (int           year,
                                                              const GDate  *deadline,
                                                              int           days_left);

/* Tests: makes the XML invalid, to see an invalid report refused. */
void                 dossier_annual_report_set_inject_invalid_for_testing (gboolean inject);

G_END_DECLS
