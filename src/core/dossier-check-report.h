/* dossier-check-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-rules.h"

G_BEGIN_DECLS

/* The result of checking one dossier (see dossier-check.h): its verdict, one entry per
 * parameter with the value, the allowed range, the margin to the nearest limit and the
 * step conformity, and the findings of the rules, each with its stable rule ID,
 * severity, message in the current language and source.
 *
 * For the editor: dossier_check_report_lookup_parameter() gives, for the name a value
 * is entered under, what to show beside it (the allowed range, the verdict) and
 * dossier_check_report_get_findings_for() the findings that concern it, including
 * dependency rules that name it.  Findings without a parameter (the order, the filing,
 * the envelope) belong in the banner, with dossier_check_report_get_remedies(). */

typedef enum
{
  DOSSIER_VERDICT_PASS,
  DOSSIER_VERDICT_WARNING,
  DOSSIER_VERDICT_ERROR,
} DossierVerdict;

const char *dossier_verdict_to_string (DossierVerdict verdict); /* "pass", "warning", "error" */
const char *dossier_verdict_get_label (DossierVerdict verdict); /* translated */

typedef enum
{
  DOSSIER_STEP_NOT_APPLICABLE,  /* no step registered, or the value is not usable */
  DOSSIER_STEP_ON_GRID,
  DOSSIER_STEP_OFF_GRID,
} DossierStepConformity;

typedef struct
{
  char                   *rule_id;     /* "ENV-RANGE" */
  DossierSeverity         severity;
  char                   *parameter;   /* the parameter it is about, or NULL */
  char                  **related;     /* every parameter it concerns (dependency rules name several); never NULL */
  char                   *value;       /* as entered, or NULL */
  char                   *unit;        /* as entered, or NULL */
  char                   *limits;      /* the registered range, or NULL */
  char                   *margin;      /* to the nearest limit, in the range's unit; negative outside */
  DossierStepConformity   step;
  char                   *message;     /* in the current language */
  char                   *message_en;
  char                   *message_zh;
  char                   *source;      /* regulation and article, guideline or registration */
  char                   *reference;   /* the registration (certificate, size range version) or filing it was checked against, or NULL */
  char                  **remedies;    /* keys, see dossier_remedy_get_label() */
  GHashTable             *args;        /* placeholder → text, as filled into the message */
} DossierCheckFinding;

typedef struct
{
  char                   *name;
  char                   *label;       /* current language, or the name */
  char                   *label_en;
  char                   *label_zh;
  gboolean                registered;  /* part of the size range */
  gboolean                categorical;
  char                   *value;       /* as entered (number or option); NULL when missing */
  char                   *unit;        /* as entered */
  char                   *converted;   /* the value in the range's unit (rounded to its resolution), or NULL */
  char                   *range_unit;
  char                   *limits;      /* e.g. "44 ≤ x ≤ 58 mm (44, 45, …, 58 mm), ±0.2 mm" */
  char                   *minimum;
  char                   *maximum;
  gboolean                min_inclusive;
  gboolean                max_inclusive;
  char                   *step;
  char                   *tolerance;
  char                  **allowed;     /* categorical: the registered options; else NULL */
  char                   *margin;      /* to the nearest limit (negative outside), or NULL */
  DossierStepConformity   step_conformity;
  DossierVerdict          verdict;
  GPtrArray              *findings;    /* DossierCheckFinding *, owned by the report */
} DossierCheckParameter;

#define DOSSIER_TYPE_CHECK_REPORT (dossier_check_report_get_type ())
G_DECLARE_FINAL_TYPE (DossierCheckReport, dossier_check_report, DOSSIER, CHECK_REPORT, GObject)

gint64                       dossier_check_report_get_dossier_id     (DossierCheckReport *self);
const char                  *dossier_check_report_get_unit_no        (DossierCheckReport *self);
const char                  *dossier_check_report_get_kind           (DossierCheckReport *self);
/* The status the dossier was checked as (its own, or the one the gate was asked for). */
const char                  *dossier_check_report_get_status         (DossierCheckReport *self);
/* The design confirmation date, or the day of the check before confirmation. */
const char                  *dossier_check_report_get_reference_date (DossierCheckReport *self);
const char                  *dossier_check_report_get_model_code     (DossierCheckReport *self);
gint64                       dossier_check_report_get_envelope_id    (DossierCheckReport *self); /* 0: none */
int                          dossier_check_report_get_envelope_version (DossierCheckReport *self);
const char                  *dossier_check_report_get_checked_at     (DossierCheckReport *self);
const char                  *dossier_check_report_get_inputs_hash    (DossierCheckReport *self);
/* TRUE when the stored result was still current, so nothing was computed and stored
 * anew (the report is then derived again from the same inputs, or read from the
 * stored JSON by dossier_check_get_stored_report()); checked_at is the stored one. */
gboolean                     dossier_check_report_get_from_store     (DossierCheckReport *self);

DossierVerdict               dossier_check_report_get_verdict        (DossierCheckReport *self);
guint                        dossier_check_report_get_n_errors       (DossierCheckReport *self);
guint                        dossier_check_report_get_n_warnings     (DossierCheckReport *self);

guint                        dossier_check_report_get_n_parameters   (DossierCheckReport *self);
const DossierCheckParameter *dossier_check_report_get_parameter      (DossierCheckReport *self,
                                                                      guint               index);
const DossierCheckParameter *dossier_check_report_lookup_parameter   (DossierCheckReport *self,
                                                                      const char         *name);
guint                        dossier_check_report_get_n_findings     (DossierCheckReport *self);
const DossierCheckFinding   *dossier_check_report_get_finding        (DossierCheckReport *self,
                                                                      guint               index);
/* The findings that concern parameter name; a new array of borrowed findings. */
GPtrArray                   *dossier_check_report_get_findings_for   (DossierCheckReport *self,
                                                                      const char         *name);
/* Ways forward for the errors and warnings, most relevant first, without repeats. */
GStrv                        dossier_check_report_get_remedies       (DossierCheckReport *self);
/* The errors as a bulleted list of sentences, at most max_items of them. */
char                        *dossier_check_report_describe_errors    (DossierCheckReport *self,
                                                                      guint               max_items);

/* Everything, with messages in both languages, for the command line and exports. */
JsonNode                    *dossier_check_report_to_json            (DossierCheckReport *self);

G_END_DECLS
