/* dossier-check-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-check-report.h"
#include "dossier-envelope.h"

G_BEGIN_DECLS

/* Shared between dossier-check.c, which fills reports, and dossier-check-report.c. */

DossierCheckReport    *_dossier_check_report_new           (gint64              dossier_id,
                                                            const char         *unit_no,
                                                            const char         *kind,
                                                            const char         *status,
                                                            const char         *reference_date,
                                                            const char         *model_code);
void                   _dossier_check_report_set_envelope  (DossierCheckReport *self,
                                                            gint64              envelope_id,
                                                            int                 version);
void                   _dossier_check_report_set_stored    (DossierCheckReport *self,
                                                            const char         *inputs_hash,
                                                            const char         *checked_at,
                                                            gboolean            from_store);
DossierCheckParameter *_dossier_check_report_add_parameter (DossierCheckReport *self,
                                                            const char         *name);
/* args (placeholder → text) is taken over; "parameter" holds the parameter's name and
 * is shown as its label. */
DossierCheckFinding   *_dossier_check_report_add_finding   (DossierCheckReport *self,
                                                            const char         *rule_id,
                                                            const char         *parameter,
                                                            GHashTable         *args);
/* Severities, sources and messages from the rule catalogue; verdicts and counts. */
void                   _dossier_check_report_finish        (DossierCheckReport *self,
                                                            DossierRuleSet     *rules);
/* What a registered parameter's entry says about its range, made once per envelope
 * and copied into each report. */
DossierCheckParameter *_dossier_check_parameter_new_range  (const DossierEnvelopeParameter *p);
void                   _dossier_check_parameter_free       (DossierCheckParameter *p);
void                   _dossier_check_parameter_copy_range (DossierCheckParameter       *to,
                                                            const DossierCheckParameter *range);

/* Language-neutral JSON for the check_result table, and back.  The JSON leaves out
 * what the envelope says (limits, labels, options): effective envelopes never change,
 * so envelope (may be NULL) fills it in again. */
char                  *_dossier_check_report_serialize     (DossierCheckReport *self);
DossierCheckReport    *_dossier_check_report_deserialize   (const char         *json,
                                                            DossierRuleSet     *rules,
                                                            DossierEnvelope    *envelope,
                                                            GError            **error);

GHashTable            *_dossier_check_args_new             (void);

G_END_DECLS
