/* dossier-check.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-check-report.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* Checks dossiers against the rules of their route.
 *
 * Patient-matched: the latest design version's parameter values against the
 * registered size range of the model in force on the design confirmation date (or
 * today, before the latest version is confirmed): every registered parameter present,
 * inside its limits at its resolution, on its step grid, of a compatible unit, the
 * dependency rules met; values beyond those of the model's released units are new
 * worst cases (a warning).  Customized: eligibility, a filing in force whose partner
 * is the ordering institution, a complete order, the design confirmed before
 * processing, the unit bound to one patient and institution, the filing's case count
 * against its threshold.
 *
 * Results are stored in check_result with the envelope version and a SHA-256 of the
 * canonical inputs they were computed from; a check whose inputs hash matches the
 * stored one reads the stored result back instead of computing it again, so a
 * result is recomputed exactly when something it depends on changed.
 *
 * The workflow gate: while an error stands a dossier cannot move to design approval,
 * processing, inspection, release or delivery (dossier_check_gate(), called by the
 * store when a dossier's status changes). */

typedef enum
{
  DOSSIER_CHECK_DEFAULT  = 0,
  DOSSIER_CHECK_FORCE    = 1 << 0,  /* recompute even when the stored result is current */
  DOSSIER_CHECK_NO_STORE = 1 << 1,  /* do not write check_result */
  DOSSIER_CHECK_PROBLEMS = 1 << 2,  /* call the DossierCheckFunc only for dossiers that do not pass */
  DOSSIER_CHECK_NO_WORST_CASE = 1 << 3, /* leave out the worst-case tier unless it is configured as an
                                         * error (faster on a large database); such a result is not stored */
} DossierCheckFlags;

typedef struct
{
  const char        *today;      /* YYYY-MM-DD; NULL: today, local time */
  const char        *as_status;  /* check as if the dossier had this status; NULL: its own */
  DossierCheckFlags  flags;
} DossierCheckOptions;

typedef struct
{
  guint n_checked;
  guint n_passed;      /* verdict pass */
  guint n_warnings;    /* verdict warning */
  guint n_errors;      /* verdict error */
  guint n_recomputed;  /* computed now */
  guint n_reused;      /* the stored result was current */
} DossierCheckSummary;

/* Called once per dossier, in id order; return FALSE to stop early. */
typedef gboolean (*DossierCheckFunc) (DossierCheckReport *report,
                                      gpointer            user_data);

/* One dossier.  options may be NULL. */
DossierCheckReport *dossier_check_dossier     (DossierStore               *store,
                                               gint64                      dossier_id,
                                               const DossierCheckOptions  *options,
                                               GError                    **error);

/* ids NULL: every dossier.  func may be NULL, which is faster: stored results that are
 * still current are then not read back.  summary may be NULL. */
gboolean            dossier_check_dossiers    (DossierStore               *store,
                                               const gint64               *ids,
                                               gsize                       n_ids,
                                               const DossierCheckOptions  *options,
                                               DossierCheckFunc            func,
                                               gpointer                    user_data,
                                               DossierCheckSummary        *summary,
                                               GCancellable               *cancellable,
                                               GError                    **error);

/* The stored result as the list shows it (a problem marker), without checking: FALSE
 * (and no error) when the dossier has never been checked.  It may be out of date;
 * dossier_check_dossiers() with a NULL func brings every result up to date. */
gboolean            dossier_check_get_stored  (DossierStore               *store,
                                               gint64                      dossier_id,
                                               DossierVerdict             *verdict,
                                               guint                      *n_errors,
                                               guint                      *n_warnings,
                                               GError                    **error);

/* The stored result as it was stored (with its checked_at), read back from its JSON;
 * NULL without an error when there is none.  For showing what the check said at the
 * time, e.g. at release; a current report comes from dossier_check_dossier(). */
DossierCheckReport *dossier_check_get_stored_report (DossierStore          *store,
                                                     gint64                 dossier_id,
                                                     GError               **error);

/* Whether moving from old_status to new_status passes the gate: into design approval,
 * processing, inspection, release or delivery, and into use or closure straight from
 * before design approval. */
gboolean            dossier_check_is_gated    (const char                 *old_status,
                                               const char                 *new_status);

/* The gate itself: when the dossier's status changes to new_status and that move is
 * gated, checks the dossier as if it had new_status and refuses with
 * DOSSIER_STORE_ERROR_CONSTRAINT and a message listing the standing errors and the
 * ways forward.  The worst-case tier is left out unless configured as an error, so
 * the gate stays quick on a large database.  Everything but the status is read as
 * stored: a write that changes the design or the model together with the status is
 * checked on its old design. */
gboolean            dossier_check_gate        (DossierStore               *store,
                                               gint64                      dossier_id,
                                               const char                 *new_status,
                                               GError                    **error);

G_END_DECLS
