/* dossier-auth-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-auth.h"
#include "dossier-canonical.h"

G_BEGIN_DECLS

/* Shared by dossier-store.c (the hooks of its generic writes), dossier-auth.c and
 * dossier-signature.c. */

/* What a write needs checked after it ran: the signatures that were valid before it,
 * and the dossier's status before it.  NULL when there is nothing to check. */
typedef struct _DossierWriteGuard DossierWriteGuard;

void      _dossier_write_guard_free        (DossierWriteGuard     *guard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierWriteGuard, _dossier_write_guard_free)

/* Before a generic write, inside its transaction: the permission check (signed in,
 * session not locked, actor is the signed-in login, role allowed) and a note of the
 * signatures the row's dossier(s) hold.  row: the row as it is (update, delete) or
 * will be (insert). */
gboolean  _dossier_auth_before_write       (DossierStore          *store,
                                            const char            *table,
                                            DossierAuthOperation   op,
                                            GHashTable            *row,
                                            DossierWriteGuard    **guard,
                                            GError               **error);
/* After it, in the same transaction: a status change must follow the workflow; a
 * change that invalidated a signature needs reason (else
 * DOSSIER_STORE_ERROR_REASON_REQUIRED, and the caller rolls back) and reopens the
 * workflow step.  row: the row as written. */
gboolean  _dossier_auth_after_write        (DossierStore          *store,
                                            DossierWriteGuard     *guard,
                                            gint64                 id,
                                            GHashTable            *row,
                                            const char            *reason,
                                            GError               **error);

/* Writes Dossier's modules make on the signed-in user's behalf that no role may make
 * through the generic writes (the release record of a release sign-off, the first
 * accounts on an empty database).  Nestable. */
void      _dossier_auth_begin_privileged   (DossierStore          *store);
void      _dossier_auth_end_privileged     (DossierStore          *store);

/* Gives to the signed-in session of from (user, lock, last activity, clock), for
 * dossier_store_open_sibling(). */
void      _dossier_auth_copy_session       (DossierStore          *from,
                                            DossierStore          *to);

/* Whether the signed-in session may act now (signed in, active, not locked, acting
 * under its own login). */
gboolean  _dossier_auth_check_session      (DossierStore          *store,
                                            GError               **error);

/* The clock of dossier_auth_set_clock(), and the same instant as stored text. */
gint64    _dossier_auth_now                (DossierStore          *store);
char     *_dossier_auth_format_time        (gint64                 usec);

/* Hashing costs OPSLIMIT/MEMLIMIT_INTERACTIVE (about 0.1 s and 64 MiB), as libsodium
 * recommends for interactive sign-in.  Tests that create many accounts make it
 * cheaper with this; production code never calls it. */
void      _dossier_auth_set_hash_limits_for_testing (guint64 opslimit,
                                                     gsize   memlimit);

/* dossier-signature.c ------------------------------------------------------------ */

/* The current signatures (newest per point) of dossier_id whose content still hashes
 * to what they signed.  Element type DossierValidSignature. */
typedef struct
{
  gint64            signature_id;
  DossierSignPoint  point;
  char             *content_hash;
  char             *full_name;
  char             *login;
  char             *signed_at;
} DossierValidSignature;

GArray   *_dossier_signature_snapshot      (DossierStore          *store,
                                            gint64                 dossier_id,
                                            GError               **error);
/* After a change: which of snapshot no longer hold; when any, reason is required and
 * the dossier's status goes back to the step they sign off. */
gboolean  _dossier_signature_after_change  (DossierStore          *store,
                                            gint64                 dossier_id,
                                            GArray                *snapshot,
                                            const char            *reason,
                                            GError               **error);
/* Whether dossier_id holds a current, valid signature on point. */
gboolean  _dossier_signature_holds         (DossierStore          *store,
                                            gint64                 dossier_id,
                                            DossierSignPoint       point,
                                            gboolean              *holds,
                                            GError               **error);

/* Records a signature by login on point over the content as it is now, dated
 * signed_at, inside the caller's transaction, without the password and workflow
 * checks of dossier_signature_sign().  Only for writing the demonstration data, whose
 * history is made up (dossier-demo.c); the signature is an ordinary one after that. */
gint64    _dossier_signature_record        (DossierStore          *store,
                                            gint64                 dossier_id,
                                            DossierSignPoint       point,
                                            const char            *login,
                                            const char            *signed_at,
                                            const char            *comment,
                                            GError               **error);

G_END_DECLS
