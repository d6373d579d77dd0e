/* dossier-qa-queue.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-canonical.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* Review by exception: the dossiers waiting for a QA sign-off, each with what needs
 * judgement listed first, so that a reviewer does not have to read every field.
 *
 * Waiting: status design-review (for the design review, then the design approval)
 * and inspection (for the processing record review, then the release).  A dossier
 * whose signed content was changed has its step reopened by the store and so comes
 * back here with the invalid signature as an exception. */

typedef enum
{
  DOSSIER_QA_FINDING_CHANGED_AFTER_SIGNATURE, /* a current signature no longer holds */
  DOSSIER_QA_FINDING_OUT_OF_RANGE,            /* a parameter outside the registered size range */
  DOSSIER_QA_FINDING_RULE_FAILING,            /* another rule of the check */
  DOSSIER_QA_FINDING_FAILED_INSPECTION,       /* an inspection failed or is still pending */
  DOSSIER_QA_FINDING_MISSING,                 /* a required field or record is missing */
  DOSSIER_QA_FINDING_CONFIRMATION_OUTDATED,   /* the clinician's confirmation does not cover the current design */
} DossierQaFindingKind;

typedef enum
{
  DOSSIER_QA_SEVERITY_ERROR,    /* blocks the sign-off or must be judged */
  DOSSIER_QA_SEVERITY_WARNING,  /* needs a look */
} DossierQaSeverity;

typedef struct
{
  DossierQaFindingKind  kind;
  DossierQaSeverity     severity;
  char                 *message;   /* a full sentence, translated */
  char                 *table;     /* the record it is about, or NULL */
  gint64                row_id;    /* or 0 */
  char                 *field;     /* column or parameter name, or NULL */
  char                 *rule_id;   /* rule of the check ("ENV-RANGE"), or NULL */
} DossierQaFinding;

void        dossier_qa_finding_free      (DossierQaFinding *finding);
/* Translated name of a kind, e.g. "Changed after signature". */
const char *dossier_qa_finding_kind_get_label (DossierQaFindingKind kind);

typedef struct
{
  gint64            dossier_id;
  char             *unit_no;
  char             *kind;           /* "customized" / "patient-matched" */
  char             *status;
  DossierSignPoint  waiting_for;    /* the next sign-off */
  char             *waiting_since;  /* the dossier's last change */
  GPtrArray        *findings;       /* DossierQaFinding, errors first */
  guint             n_errors;
  guint             n_warnings;
} DossierQaItem;

void        dossier_qa_item_free         (DossierQaItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierQaItem, dossier_qa_item_free)

/* The queue: dossiers with errors first, then with warnings, then the rest, each
 * group oldest first.  Element type DossierQaItem.  Writes nothing (the rule check
 * runs without storing its result, though in a transaction of its own).  It can take
 * a while on a big database: run it in a thread (GTask) with a cancellable, on a
 * DossierStore of its own opened on the same file, since a store's transactions are
 * not shared between threads. */
GPtrArray  *dossier_qa_queue             (DossierStore  *store,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* The exceptions of one dossier, errors first (for the editor's banner).  Element
 * type DossierQaFinding. */
GPtrArray  *dossier_qa_findings          (DossierStore  *store,
                                          gint64         dossier_id,
                                          GError       **error);

G_END_DECLS
