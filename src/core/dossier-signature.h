/* dossier-signature.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-canonical.h"
#include "dossier-history.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* Electronic signatures on the sign-off points of a dossier's workflow.
 *
 * A signature records the signer (account, login, printed name, the role signed in),
 * its meaning, the date and time with UTC offset, and the SHA-256 of the canonical
 * serialisation of exactly the content its point covers (dossier-canonical.h).  It is
 * valid while that content still hashes to what was signed.  Signing asks for the
 * signer's password again; the signer must be the signed-in user.
 *
 * Rules (enforced here, not in the user interface):
 *   design review      engineer or QA reviewer; status design or design-review,
 *                      which it becomes
 *   design approval    QA reviewer; status design-review; a valid design review;
 *                      not by anyone who wrote the design (the audit trail says who);
 *                      the rule check passes; status becomes design-approved
 *   processing review  QA reviewer; status processing or inspection
 *   release            QA reviewer; status inspection; a valid design approval and
 *                      processing record review; at least one inspection, none
 *                      failed or pending; not by anyone who wrote the design or the
 *                      processing record; the rule check passes; the release record
 *                      is made and status becomes released
 *
 * A later change to signed content needs a reason (the store refuses it without one),
 * and in the same transaction the workflow goes back to the step the signature
 * closed: design review for the design, inspection for the processing record and the
 * release (not once the unit was delivered).  The signature stays, shown as no longer
 * valid with the audit entries that changed the content. */

typedef enum
{
  DOSSIER_SIGNATURE_VALID,     /* the content still hashes to what was signed */
  DOSSIER_SIGNATURE_INVALID,   /* the content was changed in Dossier after signing (see changes) */
  DOSSIER_SIGNATURE_TAMPERED,  /* the signature or its content was changed outside Dossier */
} DossierSignatureState;

typedef struct
{
  gint64                 id;
  gint64                 dossier_id;
  char                  *unit_no;
  DossierSignPoint       point;
  char                  *meaning;       /* "reviewed", "approved", "released" */
  gint64                 user_id;
  char                  *login;
  char                  *full_name;
  char                  *role;          /* key, see dossier_role_from_string() */
  char                  *signed_at;     /* ISO 8601 with UTC offset */
  char                  *content_hash;  /* as signed */
  char                  *comment;

  DossierSignatureState  state;
  gboolean               current;       /* the newest signature on its point */
  gint64                 superseded_by; /* the newer one, or 0 */
  char                  *current_hash;  /* the content's hash now, or NULL when it cannot be read */
  GPtrArray             *changes;       /* DossierAuditEntry: covered content changed after signing, oldest first */
  char                  *problem;       /* why it is not valid, a full sentence; NULL when valid */
  gint64                 created_seq;   /* the audit entry that recorded it here */
} DossierSignature;

void        dossier_signature_free           (DossierSignature *signature);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierSignature, dossier_signature_free)

/* Signs point of dossier_id as the signed-in user after checking password again.
 * comment may be NULL.  Must not be called inside a transaction.  Returns the
 * signature id, or 0 with DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED (password, session),
 * _PERMISSION_DENIED (role, author), _CONSTRAINT (workflow, rule check, inspections). */
gint64      dossier_signature_sign           (DossierStore      *store,
                                              gint64             dossier_id,
                                              DossierSignPoint   point,
                                              const char        *password,
                                              const char        *comment,
                                              GError           **error);

/* Whether the signed-in user could sign point now (everything but the password), for
 * enabling the action; FALSE with the reason as error. */
gboolean    dossier_signature_can_sign       (DossierStore      *store,
                                              gint64             dossier_id,
                                              DossierSignPoint   point,
                                              GError           **error);

/* Every signature of dossier_id with its state, oldest first; element type
 * DossierSignature. */
GPtrArray  *dossier_signature_list           (DossierStore      *store,
                                              gint64             dossier_id,
                                              GError           **error);

/* Where in the dossier's history (dossier_store_dossier_audit(), passed as history)
 * signature was made: the number of entries before it.  For a signature imported
 * from a filing package, the position the package gave; exported with the signature
 * so that what changed after it stays known from database to database. */
gboolean    dossier_signature_get_history_position (DossierStore           *store,
                                                    const DossierSignature *signature,
                                                    GPtrArray              *history,
                                                    guint                  *position,
                                                    GError                **error);

/* Whether any current signature (the newest on its point) of dossier_id no longer
 * matches the content it signed, whether it was changed in Dossier or outside.  It
 * hashes the signed content of each signed point, so lists ask it only for the rows
 * they show (dossier_dossier_get_changed_after_signature()).  FALSE with an error
 * when the content cannot be read. */
gboolean    dossier_signature_changed_after_signing (DossierStore  *store,
                                                     gint64         dossier_id,
                                                     gboolean      *changed,
                                                     GError       **error);

/* The signature as every view shows it: "Approved by 李娜 (li.na), QA reviewer, on
 * 2026-03-02 10:15:03 +08:00 — design approval", translated. */
char       *dossier_signature_describe       (const DossierSignature *signature);
/* The same in English whatever the language, for records whose bytes must not depend
 * on who made them (filing packages). */
char       *dossier_signature_describe_en    (const DossierSignature *signature);
/* Its state in a sentence, with who changed what and when when it is no longer
 * valid; one line per change. */
char       *dossier_signature_describe_state (DossierStore           *store,
                                              const DossierSignature *signature);

/* Adding a record to signed content (a design input after the design approval, a
 * design file) needs a reason like changing or deleting one does
 * (dossier_store_update(), dossier_store_delete() take it); these add it. */
gint64      dossier_store_insert_with_reason         (DossierStore       *store,
                                                      const char         *table,
                                                      const DossierField *fields,
                                                      const char         *reason,
                                                      GError            **error);
gint64      dossier_store_add_attachment_with_reason (DossierStore       *store,
                                                      gint64              dossier_id,
                                                      const char         *section,
                                                      const char         *original_name,
                                                      const char         *media_type,
                                                      GInputStream       *content,
                                                      const char         *reason,
                                                      GCancellable       *cancellable,
                                                      GError            **error);

/* Verification (dossier-cli signatures verify). */
typedef struct
{
  gint64  dossier_id;     /* 0 when the problem is not about one dossier */
  char   *unit_no;        /* or NULL */
  gint64  signature_id;   /* or 0 */
  char   *message;        /* a full sentence naming the dossier and the signature */
} DossierSignatureProblem;

void        dossier_signature_problem_free   (DossierSignatureProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierSignatureProblem, dossier_signature_problem_free)

/* Checks the signatures of the dossiers dossier_ids (NULL: of every dossier): each
 * current signature is valid, and no signature was added, changed or removed outside
 * Dossier; the guards that make signatures unchangeable are in place.  Problems
 * (DossierSignatureProblem) are appended; *n_checked counts the signatures looked at.
 * FALSE only when the check could not run. */
gboolean    dossier_signature_verify         (DossierStore      *store,
                                              const gint64      *dossier_ids,
                                              gsize              n_ids,
                                              GPtrArray         *problems,
                                              guint             *n_checked,
                                              GError           **error);

/* Tests: an extra rule check run before a sign-off moves the status (as
 * dossier_check_gate() does from the store for every status change); NULL removes
 * it.  func returns FALSE with an error to refuse. */
typedef gboolean (*DossierSignatureGateFunc) (DossierStore  *store,
                                              gint64         dossier_id,
                                              const char    *new_status,
                                              GError       **error);
void        dossier_signature_set_gate_for_testing (DossierSignatureGateFunc func);

G_END_DECLS
