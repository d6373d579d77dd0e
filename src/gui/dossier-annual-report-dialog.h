/* dossier-annual-report-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-annual-report.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* The annual report of customized devices (docs/annual-report.md): choose the year
 * and the filing, see the counts as the report will give them, and save the XML
 * with its readable HTML rendering beside it.  The report is computed in a worker
 * thread on its own connection to the database (dossier_store_open_sibling()), so
 * a large database does not stop the window.  The deadline and the reminder period
 * can be changed under Deadline, by those who may generate the report. */

typedef enum
{
  DOSSIER_ANNUAL_REPORT_DIALOG_IDLE,       /* the preview shows the chosen report */
  DOSSIER_ANNUAL_REPORT_DIALOG_COMPUTING,  /* the preview is being computed */
  DOSSIER_ANNUAL_REPORT_DIALOG_SAVING,
  DOSSIER_ANNUAL_REPORT_DIALOG_SAVED,      /* the files are written; the result row shows them */
  DOSSIER_ANNUAL_REPORT_DIALOG_FAILED,     /* computing or saving failed; the message says why */
} DossierAnnualReportDialogState;

#define DOSSIER_TYPE_ANNUAL_REPORT_DIALOG (dossier_annual_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DossierAnnualReportDialog, dossier_annual_report_dialog, DOSSIER, ANNUAL_REPORT_DIALOG, AdwWindow)

/* Whether the session may generate the report (and change its deadline):
 * regulatory staff and administrators, or anyone while the database has no
 * accounts; never in a locked session. */
gboolean                   dossier_annual_report_dialog_may_generate (DossierStore *store);
/* The year to offer on today: the report a reminder is about, else the previous
 * year until its deadline has passed, then the current year. */
int                        dossier_annual_report_dialog_default_year (DossierStore *store,
                                                                      const GDate  *today);

/* year: the year to show first; 0 for the default on today. */
DossierAnnualReportDialog *dossier_annual_report_dialog_new        (GtkWindow                 *parent,
                                                                    DossierStore              *store,
                                                                    int                        year);

void                       dossier_annual_report_dialog_set_year   (DossierAnnualReportDialog *self,
                                                                    int                        year);
int                        dossier_annual_report_dialog_get_year   (DossierAnnualReportDialog *self);
/* NULL: all filings.  FALSE when filing_no is not one of the filings offered. */
gboolean                   dossier_annual_report_dialog_set_filing (DossierAnnualReportDialog *self,
                                                                    const char                *filing_no);
const char                *dossier_annual_report_dialog_get_filing (DossierAnnualReportDialog *self);
DossierAnnualReportDialogState dossier_annual_report_dialog_get_state (DossierAnnualReportDialog *self);
/* The report the preview shows, or NULL while it is computed or when it failed. */
DossierAnnualReport       *dossier_annual_report_dialog_get_report (DossierAnnualReportDialog *self);
/* What the dialog last said in words (an error, or where the report was saved). */
const char                *dossier_annual_report_dialog_get_message (DossierAnnualReportDialog *self);
/* Saves the report to xml_path and its rendering beside it, as choosing that file
 * after Save… does (".xml" is added when the name lacks it). */
void                       dossier_annual_report_dialog_save_to    (DossierAnnualReportDialog *self,
                                                                    const char                *xml_path);
/* The files of the last save, or NULL. */
const char                *dossier_annual_report_dialog_get_xml_path  (DossierAnnualReportDialog *self);
const char                *dossier_annual_report_dialog_get_html_path (DossierAnnualReportDialog *self);

/* View logic, testable without a display ---------------------------------------- */

/* "annual-report-2025.xml", or "annual-report-2025-20240003.xml" for one filing. */
char                      *dossier_annual_report_dialog_suggest_name (int          year,
                                                                      const char  *filing_no);
/* The XML file name the user chose, with ".xml" when it has another ending or none. */
char                      *dossier_annual_report_dialog_xml_path     (const char  *chosen);
/* The rendering beside the XML: "report.xml" → "report.html". */
char                      *dossier_annual_report_dialog_html_path    (const char  *xml_path);

typedef enum
{
  DOSSIER_ANNUAL_REPORT_FIELD_NONE,
  DOSSIER_ANNUAL_REPORT_FIELD_DEADLINE,
  DOSSIER_ANNUAL_REPORT_FIELD_REMINDER,
  DOSSIER_ANNUAL_REPORT_FIELD_REASON,
} DossierAnnualReportField;

/* What is wrong with the deadline settings as typed, as a sentence that names the
 * field (also in *field), or NULL; *days is the reminder period when it is valid. */
char                      *dossier_annual_report_dialog_check_settings (const char               *deadline,
                                                                        const char               *reminder_days,
                                                                        const char               *reason,
                                                                        guint                    *days,
                                                                        DossierAnnualReportField *field);

G_END_DECLS
