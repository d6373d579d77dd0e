/* dossier-signature.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-signature"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-schema.h"
#include "dossier-signature.h"
#include "dossier-store-private.h"

/* Signing, and telling whether a signature still holds.
 *
 * A signature row is written once, by this file, and SQL triggers refuse any later
 * change; the generated audit triggers record it like every other row.  Validity is
 * recomputed, never stored: the canonical content of the signed point is hashed again
 * and compared with what was signed.  Who changed what, and when, comes from the audit
 * trail: the entries on covered records and fields after the signature's own
 * creation entry.  A signature whose content differs without any such entry, or whose
 * row differs from its creation entry, was changed outside Dossier. */

static DossierSignatureGateFunc test_gate;

void
dossier_signature_set_gate_for_testing (DossierSignatureGateFunc func)
{
  test_gate = func;
}

void
dossier_signature_free (DossierSignature *signature)
{
  if (signature == NULL)
    return;

  g_free (signature->unit_no);
  g_free (signature->meaning);
  g_free (signature->login);
  g_free (signature->full_name);
  g_free (signature->role);
  g_free (signature->signed_at);
  g_free (signature->content_hash);
  g_free (signature->comment);
  g_free (signature->current_hash);
  g_clear_pointer (&signature->changes, g_ptr_array_unref);
  g_free (signature->problem);
  g_free (signature);
}

void
dossier_signature_problem_free (DossierSignatureProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->unit_no);
  g_free (problem->message);
  g_free (problem);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/* "2026-03-02T10:15:03.123456+08:00" → "2026-03-02 10:15:03 +08:00", in the offset it
 * was signed in. */
static char *
format_stamp (const char *stamp)
{
  g_autoptr(GDateTime) dt = stamp != NULL ? g_date_time_new_from_iso8601 (stamp, NULL) : NULL;

  if (dt == NULL)
    return g_strdup (stamp != NULL ? stamp : "?");

  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S %:z");
}

/* Hashes of the content of one dossier by point, computed once per use. */
typedef struct
{
  gint64  dossier_id;
  char   *hashes[DOSSIER_N_SIGN_POINTS];
} HashCache;

static void
hash_cache_clear (HashCache *cache)
{
  for (guint i = 0; i < DOSSIER_N_SIGN_POINTS; i++)
    g_clear_pointer (&cache->hashes[i], g_free);
}

static const char *
hash_cache_get (DossierStore      *store,
                HashCache         *cache,
                DossierSignPoint   point,
                GError           **error)
{
  if (cache->hashes[point] == NULL)
    cache->hashes[point] = dossier_canonical_hash (store, cache->dossier_id, point, error);

  return cache->hashes[point];
}

/* The current signatures (newest per point) ------------------------------------ */

static void
valid_signature_clear (gpointer data)
{
  DossierValidSignature *v = data;

  g_free (v->content_hash);
  g_free (v->full_name);
  g_free (v->login);
  g_free (v->signed_at);
}

static GArray *
read_current (DossierStore  *store,
              gint64         dossier_id,
              GError       **error)
{
  g_autoptr(GArray) current = g_array_new (FALSE, TRUE, sizeof (DossierValidSignature));
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (current, valid_signature_clear);

  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT s.id, s.point, s.content_hash, s.full_name, s.login, s.signed_at "
                                       "FROM signature s WHERE s.dossier_id = ?1 AND s.id = "
                                       "(SELECT max (t.id) FROM signature t WHERE t.dossier_id = s.dossier_id "
                                       "AND t.point = s.point) ORDER BY s.id", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, dossier_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierValidSignature v = { 0 };

      if (!dossier_sign_point_from_string ((const char *)sqlite3_column_text (stmt, 1), &v.point))
        continue;
      v.signature_id = sqlite3_column_int64 (stmt, 0);
      v.content_hash = column_text (stmt, 2);
      v.full_name = column_text (stmt, 3);
      v.login = column_text (stmt, 4);
      v.signed_at = column_text (stmt, 5);
      g_array_append_val (current, v);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the signatures"));
      return NULL;
    }

  return g_steal_pointer (&current);
}

GArray *
_dossier_signature_snapshot (DossierStore  *store,
                             gint64         dossier_id,
                             GError       **error)
{
  g_autoptr(GArray) current = read_current (store, dossier_id, error);
  HashCache cache = { dossier_id, { NULL } };

  if (current == NULL)
    return NULL;

  for (guint i = current->len; i > 0; i--)
    {
      DossierValidSignature *v = &g_array_index (current, DossierValidSignature, i - 1);
      const char *hash = hash_cache_get (store, &cache, v->point, error);

      if (hash == NULL)
        {
          hash_cache_clear (&cache);
          return NULL;
        }
      if (g_strcmp0 (hash, v->content_hash) != 0)
        g_array_remove_index (current, i - 1);
    }

  hash_cache_clear (&cache);
  return g_steal_pointer (&current);
}

gboolean
_dossier_signature_holds (DossierStore      *store,
                          gint64             dossier_id,
                          DossierSignPoint   point,
                          gboolean          *holds,
                          GError           **error)
{
  g_autoptr(GArray) valid = _dossier_signature_snapshot (store, dossier_id, error);

  *holds = FALSE;
  if (valid == NULL)
    return FALSE;

  for (guint i = 0; i < valid->len; i++)
    if (g_array_index (valid, DossierValidSignature, i).point == point)
      *holds = TRUE;

  return TRUE;
}

gboolean
dossier_signature_changed_after_signing (DossierStore  *store,
                                         gint64         dossier_id,
                                         gboolean      *changed,
                                         GError       **error)
{
  g_autoptr(GArray) current = NULL;
  HashCache cache = { dossier_id, { NULL } };

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (changed != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *changed = FALSE;
  if (!(current = read_current (store, dossier_id, error)))
    return FALSE;

  /* Stops at the first one that no longer holds: the answer is yes or no. */
  for (guint i = 0; i < current->len && !*changed; i++)
    {
      const DossierValidSignature *v = &g_array_index (current, DossierValidSignature, i);
      const char *hash = hash_cache_get (store, &cache, v->point, error);

      if (hash == NULL)
        {
          hash_cache_clear (&cache);
          return FALSE;
        }
      *changed = g_strcmp0 (hash, v->content_hash) != 0;
    }

  hash_cache_clear (&cache);
  return TRUE;
}

/* The workflow ---------------------------------------------------------------- */

static const char * const status_path[] = {
  "order", "design", "design-review", "design-approved", "processing", "inspection",
  "released", NULL
};

static int
status_rank (const char *status)
{
  for (int i = 0; status != NULL && status_path[i] != NULL; i++)
    if (g_str_equal (status_path[i], status))
      return i;

  return -1;
}

/* The step a point signs off, which a change to its content reopens. */
static const char *
reopened_status (DossierSignPoint point)
{
  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      return "design-review";
    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
    case DOSSIER_SIGN_POINT_RELEASE:
    default:
      return "inspection";
    }
}

static char *
read_status (DossierStore  *store,
             gint64         dossier_id,
             GError       **error)
{
  g_autoptr(GHashTable) row = dossier_store_get_row (store, "dossier", dossier_id, error);

  if (row == NULL)
    return NULL;

  return g_strdup (g_hash_table_lookup (row, "status"));
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

gboolean
_dossier_signature_after_change (DossierStore  *store,
                                 gint64         dossier_id,
                                 GArray        *snapshot,
                                 const char    *reason,
                                 GError       **error)
{
  HashCache cache = { dossier_id, { NULL } };
  const DossierValidSignature *latest = NULL;
  const char *target = NULL;
  g_autofree char *status = NULL;
  g_autofree char *saved_reason = NULL;
  g_autofree char *given_reason = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < snapshot->len; i++)
    {
      const DossierValidSignature *v = &g_array_index (snapshot, DossierValidSignature, i);
      const char *hash = hash_cache_get (store, &cache, v->point, error);

      if (hash == NULL)
        {
          hash_cache_clear (&cache);
          return FALSE;
        }
      if (g_str_equal (hash, v->content_hash))
        continue;

      /* The message names the newest one: the furthest step it undoes. */
      latest = v;
      if (target == NULL || status_rank (reopened_status (v->point)) < status_rank (target))
        target = reopened_status (v->point);
    }
  hash_cache_clear (&cache);

  if (latest == NULL)
    return TRUE;

  if (is_blank (reason))
    {
      g_autofree char *when = format_stamp (latest->signed_at);

      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED,
                   _("This changes content that %s (%s) signed on %s (%s). Give a reason for the change: the signature will no longer be valid and the step is opened again."),
                   latest->full_name, latest->login, when, dossier_sign_point_get_label (latest->point));
      return FALSE;
    }

  if (!(status = read_status (store, dossier_id, error)))
    return FALSE;

  /* Only back, and never for a unit that has left the manufacturer: its record shows
   * the invalid signature instead. */
  if (status_rank (status) <= status_rank (target))
    return TRUE;

  if (!(stmt = _dossier_store_prepare (store, "UPDATE dossier SET status = ?1, updated_at = ?2 WHERE id = ?3", error)))
    return FALSE;

  /* The reopening is part of the same change, with the same reason (which may be
   * the store's own string: copied before the store replaces it). */
  given_reason = g_strdup (reason);
  saved_reason = g_strdup (_dossier_store_get_reason (store));
  _dossier_store_set_reason (store, given_reason);
  now = _dossier_store_now ();
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, dossier_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  _dossier_store_set_reason (store, saved_reason);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reopening the workflow step"));

  g_debug ("Dossier %" G_GINT64_FORMAT ": %s → %s after a change to signed content",
           dossier_id, status, target);
  return TRUE;
}

/* Which audit entries concern covered content ---------------------------------- */

static char *
json_member_text (const char *json,
                  const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "1" : "0");
    default:
      return g_strdup (json_node_get_string (node));
    }
}

static char *
attachment_section (DossierStore            *store,
                    const DossierAuditEntry *entry)
{
  g_autoptr(GHashTable) row = NULL;

  if (g_strcmp0 (entry->action, "create") == 0)
    return json_member_text (entry->new_value, "section");
  if (g_strcmp0 (entry->action, "delete") == 0)
    return json_member_text (entry->old_value, "section");

  row = dossier_store_get_row (store, "attachment", entry->row_id, NULL);
  return row != NULL ? g_strdup (g_hash_table_lookup (row, "section")) : NULL;
}

static gboolean
entry_covered (DossierStore            *store,
               DossierSignPoint         point,
               const DossierAuditEntry *entry)
{
  if (!dossier_canonical_covers_table (point, entry->table_name))
    return FALSE;

  if (g_str_equal (entry->table_name, "attachment"))
    {
      g_autofree char *section = attachment_section (store, entry);

      /* Moving an attachment into or out of a covered section changes the content. */
      if (g_strcmp0 (entry->field, "section") == 0)
        return dossier_canonical_covers_attachment_section (point, entry->old_value) ||
               dossier_canonical_covers_attachment_section (point, entry->new_value);
      if (!dossier_canonical_covers_attachment_section (point, section))
        return FALSE;
    }

  if (g_strcmp0 (entry->action, "update") == 0)
    return dossier_canonical_covers_column (point, entry->table_name, entry->field);

  return TRUE;
}

static DossierAuditEntry *
entry_from_statement (sqlite3_stmt *stmt)
{
  DossierAuditEntry *entry = g_new0 (DossierAuditEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->at = column_text (stmt, 1);
  entry->actor = column_text (stmt, 2);
  entry->action = column_text (stmt, 3);
  entry->table_name = column_text (stmt, 4);
  entry->row_id = sqlite3_column_int64 (stmt, 5);
  entry->field = column_text (stmt, 6);
  entry->old_value = column_text (stmt, 7);
  entry->new_value = column_text (stmt, 8);
  entry->reason = column_text (stmt, 9);

  return entry;
}

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const DossierAuditEntry *ea = *(const DossierAuditEntry * const *)a;
  const DossierAuditEntry *eb = *(const DossierAuditEntry * const *)b;

  return ea->seq < eb->seq ? -1 : ea->seq > eb->seq;
}

/* The audit entries that changed what point covers after the signature: those in
 * the dossier's history from position on, and the changes after after_seq in this
 * database to the material lots its processing uses. */
static GPtrArray *
covered_changes (DossierStore      *store,
                 gint64             dossier_id,
                 DossierSignPoint   point,
                 GPtrArray         *history,
                 guint              position,
                 gint64             after_seq,
                 GError           **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_entry_free);

  for (guint i = position; i < history->len; i++)
    {
      const DossierAuditEntry *e = g_ptr_array_index (history, i);
      DossierAuditEntry *copy;

      if (!entry_covered (store, point, e))
        continue;

      copy = g_new0 (DossierAuditEntry, 1);
      *copy = *e;
      copy->at = g_strdup (e->at);
      copy->actor = g_strdup (e->actor);
      copy->action = g_strdup (e->action);
      copy->table_name = g_strdup (e->table_name);
      copy->field = g_strdup (e->field);
      copy->old_value = g_strdup (e->old_value);
      copy->new_value = g_strdup (e->new_value);
      copy->reason = g_strdup (e->reason);
      copy->imported = e->imported;
      g_ptr_array_add (changes, copy);
    }

  if (dossier_canonical_covers_table (point, "material_lot"))
    {
      sqlite3_stmt *stmt;
      int rc;

      if (!(stmt = _dossier_store_prepare (store,
                                           "SELECT seq, at, actor, action, table_name, row_id, field, old_value, new_value, reason "
                                           "FROM audit_log WHERE table_name = 'material_lot' AND action = 'update' "
                                           "AND seq > ?2 AND field IN ('material', 'lot_no') AND row_id IN "
                                           "(SELECT m.lot_id FROM step_material m JOIN processing_step p ON p.id = m.step_id "
                                           "WHERE p.dossier_id = ?1) ORDER BY seq", error)))
        return NULL;

      sqlite3_bind_int64 (stmt, 1, dossier_id);
      sqlite3_bind_int64 (stmt, 2, after_seq);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (changes, entry_from_statement (stmt));
      sqlite3_reset (stmt);

      if (rc != SQLITE_DONE)
        {
          _dossier_store_set_error (store, error, rc, _("Reading the audit trail"));
          return NULL;
        }

      g_ptr_array_sort (changes, compare_entries);
    }

  return g_steal_pointer (&changes);
}

/* Signing --------------------------------------------------------------------- */

static DossierRoles
point_roles (DossierSignPoint point)
{
  if (point == DOSSIER_SIGN_POINT_DESIGN_REVIEW)
    return DOSSIER_ROLE_ENGINEER | DOSSIER_ROLE_QA_REVIEWER;

  return DOSSIER_ROLE_QA_REVIEWER;
}

/* The role a user signs point in: QA reviewer when they are one. */
static DossierRoles
signing_role (const DossierUser *user,
              DossierSignPoint   point)
{
  DossierRoles allowed = user->roles & point_roles (point);

  if (allowed & DOSSIER_ROLE_QA_REVIEWER)
    return DOSSIER_ROLE_QA_REVIEWER;
  if (allowed & DOSSIER_ROLE_ENGINEER)
    return DOSSIER_ROLE_ENGINEER;

  return DOSSIER_ROLE_NONE;
}

static gboolean
refuse (GError     **error,
        int          code,
        const char  *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError     **error,
        int          code,
        const char  *format,
        ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, DOSSIER_STORE_ERROR, code, message);
  return FALSE;
}

/* Nobody approves or releases what they wrote: any covered audit entry in the
 * signer's name refuses. */
static gboolean
check_not_author (DossierStore      *store,
                  gint64             dossier_id,
                  DossierSignPoint   point,
                  const char        *login,
                  GError           **error)
{
  g_autoptr(GPtrArray) history = dossier_store_dossier_audit (store, dossier_id, error);

  if (history == NULL)
    return FALSE;

  for (guint i = 0; i < history->len; i++)
    {
      const DossierAuditEntry *e = g_ptr_array_index (history, i);

      if (g_strcmp0 (e->actor, login) == 0 && entry_covered (store, point, e))
        {
          g_autofree char *when = format_stamp (e->at);

          return refuse (error, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                         _("%s cannot sign the %s: %s wrote part of the content it covers (%s %" PRId64 ", audit entry %" PRId64 " of %s). The author of a record cannot approve or release it."),
                         login, dossier_sign_point_get_label (point), login,
                         dossier_schema_table_label (e->table_name), e->row_id, e->seq, when);
        }
    }

  return TRUE;
}

static gboolean
check_can_sign (DossierStore      *store,
                gint64             dossier_id,
                DossierSignPoint   point,
                GError           **error)
{
  const DossierUser *user;
  g_autofree char *status = NULL;
  g_autoptr(GArray) valid = NULL;
  gboolean has_review = FALSE;
  gboolean has_approval = FALSE;
  gboolean has_processing_review = FALSE;

  if (!_dossier_auth_check_session (store, error))
    return FALSE;
  user = dossier_store_get_user (store);

  if (signing_role (user, point) == DOSSIER_ROLE_NONE)
    {
      g_autofree char *needed = dossier_roles_get_label (point_roles (point));

      return refuse (error, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                     _("Signing the %s needs the role %s; %s does not have it."),
                     dossier_sign_point_get_label (point), needed, user->login);
    }

  if (!(status = read_status (store, dossier_id, error)) ||
      !(valid = _dossier_signature_snapshot (store, dossier_id, error)))
    return FALSE;

  for (guint i = 0; i < valid->len; i++)
    {
      const DossierValidSignature *v = &g_array_index (valid, DossierValidSignature, i);

      if (v->point == DOSSIER_SIGN_POINT_DESIGN_REVIEW)
        has_review = TRUE;
      else if (v->point == DOSSIER_SIGN_POINT_DESIGN_APPROVAL)
        has_approval = TRUE;
      else if (v->point == DOSSIER_SIGN_POINT_PROCESSING_REVIEW)
        has_processing_review = TRUE;

      if (v->point == point)
        {
          g_autofree char *when = format_stamp (v->signed_at);
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("The %s signed by %s (%s) on %s still holds."),
                         dossier_sign_point_get_label (point), v->full_name, v->login, when);
        }
    }

  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
      if (!g_str_equal (status, "design") && !g_str_equal (status, "design-review"))
        return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                       _("The design is reviewed in the status design or design review; this dossier is in “%s”."),
                       status);
      return TRUE;

    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      if (!g_str_equal (status, "design-review"))
        return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                       _("The design is approved in the status design review; this dossier is in “%s”."),
                       status);
      if (!has_review)
        return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                       _("The design approval needs a valid signed design review first."));
      return check_not_author (store, dossier_id, point, user->login, error);

    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
      if (!g_str_equal (status, "processing") && !g_str_equal (status, "inspection"))
        return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                       _("The processing record is reviewed in the status processing or inspection; this dossier is in “%s”."),
                       status);
      return TRUE;

    case DOSSIER_SIGN_POINT_RELEASE:
    default:
      {
        sqlite3_stmt *stmt;
        g_autofree char *failed = NULL;
        g_autofree char *pending = NULL;
        gint64 n_inspections = 0;
        int rc;

        /* A unit is released on its finished record: processed, inspected, the
         * processing record reviewed, every inspection passed. */
        if (!g_str_equal (status, "inspection"))
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("A unit is released from the status inspection, once it has been processed and inspected; this dossier is in “%s”."),
                         status);
        if (!has_approval)
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("The release needs a valid signed design approval first."));
        if (!has_processing_review)
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("The release needs a valid signed processing record review first."));

        if (!(stmt = _dossier_store_prepare (store,
                                             "SELECT count (*), "
                                             "group_concat (CASE result WHEN 'fail' THEN item END, ', '), "
                                             "group_concat (CASE result WHEN 'pending' THEN item END, ', ') "
                                             "FROM (SELECT item, result FROM inspection WHERE dossier_id = ?1 ORDER BY id)",
                                             error)))
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, dossier_id);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          {
            n_inspections = sqlite3_column_int64 (stmt, 0);
            failed = column_text (stmt, 1);
            pending = column_text (stmt, 2);
          }
        sqlite3_reset (stmt);
        if (rc != SQLITE_ROW)
          return _dossier_store_set_error (store, error, rc, _("Reading the inspections"));
        if (n_inspections == 0)
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("The unit cannot be released: no inspection is recorded."));
        if (failed != NULL)
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("The unit cannot be released: inspection failed (%s)."), failed);
        if (pending != NULL)
          return refuse (error, DOSSIER_STORE_ERROR_CONSTRAINT,
                         _("The unit cannot be released: inspection not finished (%s)."), pending);

        return check_not_author (store, dossier_id, point, user->login, error);
      }
    }
}

gboolean
dossier_signature_can_sign (DossierStore      *store,
                            gint64             dossier_id,
                            DossierSignPoint   point,
                            GError           **error)
{
  gboolean started = FALSE;
  gboolean ok;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, FALSE);

  if (!dossier_store_read_begin (store, &started, error))
    return FALSE;
  ok = check_can_sign (store, dossier_id, point, error);
  dossier_store_read_end (store, started);

  return ok;
}

/* THE RULE GATE: the one place where a sign-off moves a dossier's status.  It goes
 * through the store's generic update on purpose, so that the store's own gate runs:
 * check_row() in dossier-store.c calls dossier_check_gate() (dossier-check.h) on every
 * status change into design approval or release and refuses while a rule error
 * stands.  If that call is ever removed from the store, call
 *   dossier_check_gate (store, dossier_id, new_status, error)
 * here instead.  The test gate runs first when one is set. */
static gboolean
move_status (DossierStore  *store,
             gint64         dossier_id,
             const char    *new_status,
             const char    *reason,
             GError       **error)
{
  gboolean ok;

  if (test_gate != NULL && !test_gate (store, dossier_id, new_status, error))
    return FALSE;

  /* Approval and release are what no role may set by hand. */
  _dossier_auth_begin_privileged (store);
  ok = dossier_store_update (store, "dossier", dossier_id,
                             (DossierField[]) { { "status", new_status }, { NULL } }, reason, error);
  _dossier_auth_end_privileged (store);

  return ok;
}

static gboolean
ensure_release_record (DossierStore  *store,
                       gint64         dossier_id,
                       const char    *released_by,
                       const char    *released_at,
                       GError       **error)
{
  g_autoptr(GPtrArray) rows = dossier_store_list_rows (store, "release", "dossier_id", dossier_id, error);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, dossier_id);
  gint64 release_id;

  if (rows == NULL)
    return FALSE;
  if (rows->len > 0)
    return TRUE;

  _dossier_auth_begin_privileged (store);
  release_id = _dossier_store_insert_internal (store, "release", (DossierField[]) {
    { "dossier_id", id },
    { "released_by", released_by },
    { "released_at", released_at },
    { NULL } }, error);
  _dossier_auth_end_privileged (store);

  return release_id != 0;
}

/* Records the signature of user on point over the content as it is now, inside the
 * caller's transaction.  Returns its id or 0. */
static gint64
insert_signature (DossierStore       *store,
                  gint64              dossier_id,
                  DossierSignPoint    point,
                  const DossierUser  *user,
                  const char         *role,
                  const char         *signed_at,
                  const char         *comment,
                  const char         *reason,
                  GError            **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(hash = dossier_canonical_hash (store, dossier_id, point, error)))
    return 0;

  if (!(stmt = _dossier_store_prepare (store,
                                       "INSERT INTO signature (dossier_id, point, meaning, user_id, login, full_name, "
                                       "role, signed_at, content_hash, serialization, comment) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error)))
    return 0;

  _dossier_store_set_reason (store, reason);
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  sqlite3_bind_text (stmt, 2, dossier_sign_point_to_string (point), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, dossier_sign_point_get_meaning (point), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, user->id);
  sqlite3_bind_text (stmt, 5, user->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, user->full_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, signed_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, DOSSIER_CANONICAL_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, comment != NULL ? comment : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  _dossier_store_set_reason (store, NULL);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Recording the signature"));
      return 0;
    }

  return sqlite3_last_insert_rowid (dossier_store_get_handle (store));
}

gint64
_dossier_signature_record (DossierStore      *store,
                           gint64             dossier_id,
                           DossierSignPoint   point,
                           const char        *login,
                           const char        *signed_at,
                           const char        *comment,
                           GError           **error)
{
  g_autoptr(DossierUser) user = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *saved_actor = NULL;
  DossierRoles role;
  gint64 id;

  if (!(user = dossier_auth_lookup_user (store, login, error)))
    return 0;
  role = signing_role (user, point);
  if (role == DOSSIER_ROLE_NONE)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   _("%s cannot sign the %s: no role of theirs may."), login,
                   dossier_sign_point_get_label (point));
      return 0;
    }

  signer = g_strdup_printf ("%s (%s)", user->full_name, user->login);
  reason = g_strdup_printf (_("%s signed by %s"), dossier_sign_point_get_label (point), signer);

  /* The trail names the signer, as it does when someone signs in Dossier. */
  saved_actor = g_strdup (dossier_store_get_actor (store));
  dossier_store_set_actor (store, user->login);
  id = insert_signature (store, dossier_id, point, user, dossier_role_to_string (role),
                         signed_at, comment, reason, error);
  dossier_store_set_actor (store, saved_actor);

  return id;
}

gint64
dossier_signature_sign (DossierStore      *store,
                        gint64             dossier_id,
                        DossierSignPoint   point,
                        const char        *password,
                        const char        *comment,
                        GError           **error)
{
  const DossierUser *user;
  g_autofree char *signed_at = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *status = NULL;
  const char *role;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* Everything but the password first: a refusal should not cost an attempt. */
  if (!dossier_signature_can_sign (store, dossier_id, point, error) ||
      !dossier_auth_reauthenticate (store, password, error))
    return 0;

  if (!dossier_store_begin (store, error))
    return 0;

  /* Again under the write lock: another process may have changed the dossier in
   * between. */
  if (!check_can_sign (store, dossier_id, point, error))
    goto failed;

  user = dossier_store_get_user (store);
  role = dossier_role_to_string (signing_role (user, point));
  signed_at = _dossier_auth_format_time (_dossier_auth_now (store));
  signer = g_strdup_printf ("%s (%s)", user->full_name, user->login);
  reason = g_strdup_printf (_("%s signed by %s"), dossier_sign_point_get_label (point), signer);

  if (!(status = read_status (store, dossier_id, error)))
    goto failed;

  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
      if (g_str_equal (status, "design") && !move_status (store, dossier_id, "design-review", reason, error))
        goto failed;
      break;

    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      if (!move_status (store, dossier_id, "design-approved", reason, error))
        goto failed;
      break;

    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
      break;

    case DOSSIER_SIGN_POINT_RELEASE:
    default:
      if (!ensure_release_record (store, dossier_id, signer, signed_at, error) ||
          !move_status (store, dossier_id, "released", reason, error))
        goto failed;
      break;
    }

  /* The hash of the content as it is in this transaction: what the signer saw
   * checked above, after the status (not covered) moved. */
  if (!(id = insert_signature (store, dossier_id, point, user, role, signed_at, comment, reason, error)))
    goto failed;

  if (!dossier_store_commit (store, error))
    goto failed;

  g_debug ("Dossier %" G_GINT64_FORMAT ": %s signed by %s", dossier_id,
           dossier_sign_point_to_string (point), user->login);
  return id;

failed:
  dossier_store_rollback (store);
  return 0;
}

/* Writes with a reason ------------------------------------------------------------ */

gint64
dossier_store_insert_with_reason (DossierStore       *store,
                                  const char         *table,
                                  const DossierField *fields,
                                  const char         *reason,
                                  GError            **error)
{
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!dossier_store_begin (store, error))
    return 0;

  /* The reason the store hands to the audit triggers and to the check of signed
   * content for the writes inside. */
  _dossier_store_set_reason (store, reason);
  id = dossier_store_insert (store, table, fields, error);
  _dossier_store_set_reason (store, NULL);

  if (id == 0 || !dossier_store_commit (store, error))
    {
      dossier_store_rollback (store);
      return 0;
    }

  return id;
}

gint64
dossier_store_add_attachment_with_reason (DossierStore  *store,
                                          gint64         dossier_id,
                                          const char    *section,
                                          const char    *original_name,
                                          const char    *media_type,
                                          GInputStream  *content,
                                          const char    *reason,
                                          GCancellable  *cancellable,
                                          GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return _dossier_store_add_attachment_full (store, dossier_id, section, original_name, media_type,
                                             content, reason, cancellable, error);
}

/* Listing and checking ----------------------------------------------------------- */

gboolean
dossier_signature_get_history_position (DossierStore           *store,
                                        const DossierSignature *signature,
                                        GPtrArray              *history,
                                        guint                  *position,
                                        GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (signature != NULL && history != NULL && position != NULL, FALSE);

  /* Schema 4 added imports. */
  if (dossier_store_get_schema_version (store) >= 4)
    {
      if (!(stmt = _dossier_store_prepare (store,
                                           "SELECT history_position FROM imported_signature WHERE signature_id = ?1",
                                           error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, signature->id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *position = (guint)MIN (sqlite3_column_int64 (stmt, 0), (gint64)history->len);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        return TRUE;
      if (rc != SQLITE_DONE)
        return _dossier_store_set_error (store, error, rc, _("Reading the audit trail"));
    }

  /* Made here: after the imported history and this database's entries before it. */
  for (guint i = 0; i < history->len; i++)
    {
      const DossierAuditEntry *e = g_ptr_array_index (history, i);

      if (!e->imported && e->seq > signature->created_seq)
        {
          *position = i;
          return TRUE;
        }
    }
  *position = history->len;

  return TRUE;
}

static const char * const signature_columns[] = {
  "dossier_id", "point", "meaning", "user_id", "login", "full_name", "role",
  "signed_at", "content_hash", "serialization", "comment", NULL
};

/* The signature row against its creation entry in the audit trail; sets
 * *created_seq and returns a sentence when they disagree. */
static char *
check_row_against_trail (DossierStore  *store,
                         sqlite3_stmt  *row,
                         gint64        *created_seq,
                         GError       **error)
{
  gint64 id = sqlite3_column_int64 (row, 0);
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  int rc;

  *created_seq = 0;

  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT seq, new_value FROM audit_log WHERE table_name = 'signature' "
                                       "AND row_id = ?1 AND action = 'create' ORDER BY seq DESC LIMIT 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *created_seq = sqlite3_column_int64 (stmt, 0);
      json = column_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the audit trail"));
      return NULL;
    }

  if (rc == SQLITE_DONE)
    return g_strdup (_("it was added outside Dossier: the audit trail never recorded it"));

  /* Columns 1.. of the row are signature_columns in order. */
  for (guint i = 0; signature_columns[i] != NULL; i++)
    {
      g_autofree char *recorded = json_member_text (json, signature_columns[i]);
      const char *value = sqlite3_column_type (row, i + 1) == SQLITE_NULL
                          ? NULL : (const char *)sqlite3_column_text (row, i + 1);

      if (g_strcmp0 (recorded, value) != 0)
        return g_strdup_printf (_("it was changed outside Dossier: %s is “%s” but was signed as “%s”"),
                                signature_columns[i], value != NULL ? value : "NULL",
                                recorded != NULL ? recorded : "NULL");
    }

  return g_strdup ("");
}

static char *
read_unit_no (DossierStore *store,
              gint64        dossier_id)
{
  g_autoptr(GHashTable) row = dossier_store_get_row (store, "dossier", dossier_id, NULL);

  if (row == NULL)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, dossier_id);

  return g_strdup (g_hash_table_lookup (row, "unit_no"));
}

static GPtrArray *
list_signatures (DossierStore  *store,
                 gint64         dossier_id,
                 GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_free);
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *unit_no = read_unit_no (store, dossier_id);
  HashCache cache = { dossier_id, { NULL } };
  gint64 newest[DOSSIER_N_SIGN_POINTS] = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  /* Not the statement cache: covered_changes() and the trail check prepare theirs
   * while this one is stepping. */
  rc = sqlite3_prepare_v2 (dossier_store_get_handle (store),
                           "SELECT id, dossier_id, point, meaning, user_id, login, full_name, role, "
                           "signed_at, content_hash, serialization, comment FROM signature "
                           "WHERE dossier_id = ?1 ORDER BY id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      _dossier_store_set_error (store, error, rc, _("Reading the signatures"));
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, dossier_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(DossierSignature) s = g_new0 (DossierSignature, 1);
      g_autofree char *tamper = NULL;
      gint64 created_seq = 0;
      guint position = 0;
      const char *hash;

      s->id = sqlite3_column_int64 (stmt, 0);
      s->dossier_id = sqlite3_column_int64 (stmt, 1);
      s->unit_no = g_strdup (unit_no);
      if (!dossier_sign_point_from_string ((const char *)sqlite3_column_text (stmt, 2), &s->point))
        s->point = DOSSIER_SIGN_POINT_RELEASE;
      s->meaning = column_text (stmt, 3);
      s->user_id = sqlite3_column_int64 (stmt, 4);
      s->login = column_text (stmt, 5);
      s->full_name = column_text (stmt, 6);
      s->role = column_text (stmt, 7);
      s->signed_at = column_text (stmt, 8);
      s->content_hash = column_text (stmt, 9);
      s->comment = column_text (stmt, 11);
      s->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_entry_free);
      newest[s->point] = s->id;

      if (!(tamper = check_row_against_trail (store, stmt, &created_seq, error)))
        goto failed;
      s->created_seq = created_seq;

      if (!(hash = hash_cache_get (store, &cache, s->point, error)))
        goto failed;
      s->current_hash = g_strdup (hash);

      if (*tamper != '\0')
        {
          s->state = DOSSIER_SIGNATURE_TAMPERED;
          s->problem = g_steal_pointer (&tamper);
        }
      else if (g_strcmp0 (s->current_hash, s->content_hash) == 0)
        s->state = DOSSIER_SIGNATURE_VALID;
      else
        {
          if (history == NULL && !(history = dossier_store_dossier_audit (store, dossier_id, error)))
            goto failed;

          g_clear_pointer (&s->changes, g_ptr_array_unref);
          if (!dossier_signature_get_history_position (store, s, history, &position, error) ||
              !(s->changes = covered_changes (store, dossier_id, s->point, history, position, created_seq, error)))
            goto failed;

          if (s->changes->len > 0)
            {
              s->state = DOSSIER_SIGNATURE_INVALID;
              s->problem = g_strdup (_("the signed content was changed after signing"));
            }
          else
            {
              s->state = DOSSIER_SIGNATURE_TAMPERED;
              s->problem = g_strdup (_("the signed content was changed outside Dossier: no audit entry records the change"));
            }
        }

      g_ptr_array_add (list, g_steal_pointer (&s));
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  hash_cache_clear (&cache);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the signatures"));
      return NULL;
    }

  for (guint i = 0; i < list->len; i++)
    {
      DossierSignature *s = g_ptr_array_index (list, i);

      s->current = newest[s->point] == s->id;
      s->superseded_by = s->current ? 0 : newest[s->point];
    }

  return g_steal_pointer (&list);

failed:
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  hash_cache_clear (&cache);
  return NULL;
}

GPtrArray *
dossier_signature_list (DossierStore  *store,
                        gint64         dossier_id,
                        GError       **error)
{
  gboolean started = FALSE;
  GPtrArray *list;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dossier_store_read_begin (store, &started, error))
    return NULL;
  list = list_signatures (store, dossier_id, error);
  dossier_store_read_end (store, started);

  return list;
}

/* The manifestation, in the user's language or in English. */
static char *
describe (const DossierSignature *signature,
          gboolean                english)
{
  g_autofree char *when = format_stamp (signature->signed_at);
  DossierRoles role = DOSSIER_ROLE_NONE;
  const char *role_label;

  dossier_role_from_string (signature->role, &role);
  role_label = role == DOSSIER_ROLE_NONE ? signature->role
             : english ? dossier_role_get_label_en (role) : dossier_role_get_label (role);

  /* Translators: "Approved by 李娜 (li.na), QA reviewer, on 2026-03-02 10:15:03 +08:00 — Design approval" */
  return g_strdup_printf (english ? "%s by %s (%s), %s, on %s — %s" : _("%s by %s (%s), %s, on %s — %s"),
                          english ? dossier_sign_meaning_get_label_en (signature->meaning)
                                  : dossier_sign_meaning_get_label (signature->meaning),
                          signature->full_name, signature->login, role_label, when,
                          english ? dossier_sign_point_get_label_en (signature->point)
                                  : dossier_sign_point_get_label (signature->point));
}

char *
dossier_signature_describe (const DossierSignature *signature)
{
  g_return_val_if_fail (signature != NULL, NULL);

  return describe (signature, FALSE);
}

char *
dossier_signature_describe_en (const DossierSignature *signature)
{
  g_return_val_if_fail (signature != NULL, NULL);

  return describe (signature, TRUE);
}

static char *
quote_value (const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    return g_strdup (_("(empty)"));

  valid = g_utf8_make_valid (value, -1);
  if (g_utf8_strlen (valid, -1) > 60)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, 60);
      return g_strdup_printf ("“%s…”", head);
    }

  return g_strdup_printf ("“%s”", valid);
}

static char *
describe_change (const DossierAuditEntry *e)
{
  g_autofree char *when = format_stamp (e->at);
  const char *table = dossier_schema_table_label (e->table_name);
  g_autofree char *what = NULL;

  if (g_strcmp0 (e->action, "update") == 0)
    {
      g_autofree char *old_value = quote_value (e->old_value);
      g_autofree char *new_value = quote_value (e->new_value);

      /* Translators: "changed Design iteration 3, Notes: “a” → “b”" */
      what = g_strdup_printf (_("changed %s %" PRId64 ", %s: %s → %s"), table, e->row_id,
                              dossier_schema_column_label (e->table_name, e->field), old_value, new_value);
    }
  else if (g_strcmp0 (e->action, "create") == 0)
    what = g_strdup_printf (_("added %s %" PRId64), table, e->row_id);
  else
    what = g_strdup_printf (_("removed %s %" PRId64), table, e->row_id);

  if (e->reason != NULL && *e->reason != '\0')
    /* Translators: "<date> <login> <what> (reason: <reason>)" */
    return g_strdup_printf (_("%s %s %s (reason: %s)"), when, e->actor, what, e->reason);

  return g_strdup_printf ("%s %s %s", when, e->actor, what);
}

char *
dossier_signature_describe_state (DossierStore           *store,
                                  const DossierSignature *signature)
{
  g_autoptr(GString) s = NULL;

  g_return_val_if_fail (signature != NULL, NULL);

  switch (signature->state)
    {
    case DOSSIER_SIGNATURE_VALID:
      if (signature->current)
        return g_strdup (_("Valid: the signed content is unchanged."));
      return g_strdup_printf (_("Valid, superseded by signature %" PRId64 "."), signature->superseded_by);

    case DOSSIER_SIGNATURE_TAMPERED:
      return g_strdup_printf (_("Not valid: %s."), signature->problem);

    case DOSSIER_SIGNATURE_INVALID:
    default:
      s = g_string_new (NULL);
      g_string_append_printf (s, _("No longer valid: %s."), signature->problem);
      for (guint i = 0; signature->changes != NULL && i < signature->changes->len; i++)
        {
          g_autofree char *line = describe_change (g_ptr_array_index (signature->changes, i));
          g_string_append_printf (s, "\n  %s", line);
        }
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
}

static void
add_problem (GPtrArray  *problems,
             gint64      dossier_id,
             const char *unit_no,
             gint64      signature_id,
             char       *message)
{
  DossierSignatureProblem *p = g_new0 (DossierSignatureProblem, 1);

  p->dossier_id = dossier_id;
  p->unit_no = g_strdup (unit_no);
  p->signature_id = signature_id;
  p->message = message;
  g_ptr_array_add (problems, p);
}

static gboolean
collect_int_column (DossierStore  *store,
                    const char    *sql,
                    GArray        *ids,
                    GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, sql, error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the signatures"));

  return TRUE;
}

static gboolean
verify (DossierStore  *store,
        const gint64  *dossier_ids,
        gsize          n_ids,
        GPtrArray     *problems,
        guint         *n_checked,
        GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 n_guards = 0;
  sqlite3_stmt *stmt;
  int rc;

  /* Without its guards a signature can be changed by anyone with the file. */
  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT count (*) FROM sqlite_schema WHERE type = 'trigger' "
                                       "AND tbl_name = 'signature' AND name IN "
                                       "('signature_immutable_update', 'signature_immutable_delete')", error)))
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_guards = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (n_guards != 2)
    add_problem (problems, 0, NULL, 0,
                 g_strdup (_("The triggers that keep signatures from being changed or deleted were removed outside Dossier.")));

  if (dossier_ids != NULL)
    g_array_append_vals (ids, dossier_ids, n_ids);
  else if (!collect_int_column (store,
                                "SELECT dossier_id FROM signature UNION "
                                "SELECT json_extract (new_value, '$.dossier_id') FROM audit_log "
                                "WHERE table_name = 'signature' AND action = 'create' AND json_valid (new_value) "
                                "ORDER BY 1", ids, error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 dossier_id = g_array_index (ids, gint64, i);
      g_autoptr(GPtrArray) list = list_signatures (store, dossier_id, error);
      g_autofree char *unit_no = read_unit_no (store, dossier_id);

      if (list == NULL)
        return FALSE;

      for (guint j = 0; j < list->len; j++)
        {
          DossierSignature *s = g_ptr_array_index (list, j);
          g_autofree char *description = NULL;
          g_autofree char *state = NULL;

          if (n_checked != NULL)
            (*n_checked)++;
          if (s->state == DOSSIER_SIGNATURE_VALID ||
              (s->state == DOSSIER_SIGNATURE_INVALID && !s->current))
            continue;

          description = dossier_signature_describe (s);
          state = dossier_signature_describe_state (store, s);
          add_problem (problems, dossier_id, unit_no, s->id,
                       /* Translators: "DSR-2026-000001: signature 3 (Approved by …): No longer valid: …" */
                       g_strdup_printf (_("%s: signature %" PRId64 " (%s): %s"),
                                        unit_no, s->id, description, state));
        }

      /* Signatures the trail created that are gone. */
      if (!(stmt = _dossier_store_prepare (store,
                                           "SELECT a.row_id, json_extract (a.new_value, '$.point') FROM audit_log a "
                                           "WHERE a.table_name = 'signature' AND a.action = 'create' AND json_valid (a.new_value) "
                                           "AND json_extract (a.new_value, '$.dossier_id') = ?1 "
                                           "AND NOT EXISTS (SELECT 1 FROM signature s WHERE s.id = a.row_id) "
                                           "ORDER BY a.row_id", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, dossier_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 signature_id = sqlite3_column_int64 (stmt, 0);
          DossierSignPoint point;
          const char *label = dossier_sign_point_from_string ((const char *)sqlite3_column_text (stmt, 1), &point)
                              ? dossier_sign_point_get_label (point) : "?";

          if (n_checked != NULL)
            (*n_checked)++;
          add_problem (problems, dossier_id, unit_no, signature_id,
                       g_strdup_printf (_("%s: signature %" PRId64 " (%s) was deleted outside Dossier."),
                                        unit_no, signature_id, label));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _dossier_store_set_error (store, error, rc, _("Reading the audit trail"));
    }

  return TRUE;
}

gboolean
dossier_signature_verify (DossierStore  *store,
                          const gint64  *dossier_ids,
                          gsize          n_ids,
                          GPtrArray     *problems,
                          guint         *n_checked,
                          GError       **error)
{
  gboolean started = FALSE;
  gboolean ok;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  if (n_checked != NULL)
    *n_checked = 0;

  /* One read transaction: the signatures, the content and the trail of one instant. */
  if (!dossier_store_read_begin (store, &started, error))
    return FALSE;
  ok = verify (store, dossier_ids, n_ids, problems, n_checked, error);
  dossier_store_read_end (store, started);

  return ok;
}
