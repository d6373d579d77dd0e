/* dossier-qa-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-qa-queue"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "dossier-check.h"
#include "dossier-confirmation.h"
#include "dossier-history.h"
#include "dossier-qa-queue.h"
#include "dossier-signature.h"
#include "dossier-store-private.h"

void
dossier_qa_finding_free (DossierQaFinding *finding)
{
  if (finding == NULL)
    return;

  g_free (finding->message);
  g_free (finding->table);
  g_free (finding->field);
  g_free (finding->rule_id);
  g_free (finding);
}

const char *
dossier_qa_finding_kind_get_label (DossierQaFindingKind kind)
{
  switch (kind)
    {
    case DOSSIER_QA_FINDING_CHANGED_AFTER_SIGNATURE:
      return _("Changed after signature");
    case DOSSIER_QA_FINDING_OUT_OF_RANGE:
      return _("Out of range");
    case DOSSIER_QA_FINDING_RULE_FAILING:
      return _("Rule not met");
    case DOSSIER_QA_FINDING_FAILED_INSPECTION:
      return _("Inspection");
    case DOSSIER_QA_FINDING_MISSING:
      return _("Missing");
    case DOSSIER_QA_FINDING_CONFIRMATION_OUTDATED:
      return _("Design confirmation");
    default:
      g_return_val_if_reached (NULL);
    }
}

void
dossier_qa_item_free (DossierQaItem *item)
{
  if (item == NULL)
    return;

  g_free (item->unit_no);
  g_free (item->kind);
  g_free (item->status);
  g_free (item->waiting_since);
  g_clear_pointer (&item->findings, g_ptr_array_unref);
  g_free (item);
}

static void
add_finding (GPtrArray            *findings,
             DossierQaFindingKind  kind,
             DossierQaSeverity     severity,
             const char           *table,
             gint64                row_id,
             const char           *field,
             const char           *rule_id,
             char                 *message)
{
  DossierQaFinding *f = g_new0 (DossierQaFinding, 1);

  f->kind = kind;
  f->severity = severity;
  f->table = g_strdup (table);
  f->row_id = row_id;
  f->field = g_strdup (field);
  f->rule_id = g_strdup (rule_id);
  f->message = message;
  g_ptr_array_add (findings, f);
}

static gint
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const DossierQaFinding *fa = *(const DossierQaFinding * const *)a;
  const DossierQaFinding *fb = *(const DossierQaFinding * const *)b;

  if (fa->severity != fb->severity)
    return fa->severity < fb->severity ? -1 : 1;
  if (fa->kind != fb->kind)
    return fa->kind < fb->kind ? -1 : 1;
  return 0;
}

static DossierQaFindingKind
kind_of_rule (const char *rule_id)
{
  static const char * const range[] = {
    "ENV-RANGE", "ENV-STEP", "ENV-CATEGORY", "ENV-DEPENDENCY", "ENV-TOLERANCE",
    "ENV-WORST-CASE", "ENV-UNIT", "ENV-VALUE", NULL
  };
  static const char * const missing[] = {
    "ENV-MISSING", "ENV-NO-DESIGN", "CUS-ORDER-COMPLETE", "CUS-DESIGN-CONFIRMED", NULL
  };

  if (rule_id != NULL && g_strv_contains (range, rule_id))
    return DOSSIER_QA_FINDING_OUT_OF_RANGE;
  if (rule_id != NULL && g_strv_contains (missing, rule_id))
    return DOSSIER_QA_FINDING_MISSING;

  return DOSSIER_QA_FINDING_RULE_FAILING;
}

static gboolean
count_rows (DossierStore  *store,
            const char    *sql,
            gint64         dossier_id,
            gint64        *count,
            GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return _dossier_store_set_error (store, error, rc, _("Reading the database"));

  return TRUE;
}

/* The findings of one dossier; *waiting_for the next sign-off when status is one
 * the queue holds. */
static gboolean
collect_findings (DossierStore      *store,
                  gint64             dossier_id,
                  const char        *status,
                  GPtrArray         *findings,
                  DossierSignPoint  *waiting_for,
                  GError           **error)
{
  g_autoptr(GPtrArray) signatures = NULL;
  g_autoptr(DossierCheckReport) report = NULL;
  g_autoptr(DossierConfirmationStatus) confirmation = NULL;
  DossierCheckOptions options = { NULL, NULL, DOSSIER_CHECK_NO_STORE };
  gboolean valid[DOSSIER_N_SIGN_POINTS] = { FALSE };
  gboolean processing_matters;
  sqlite3_stmt *stmt;
  gint64 n;
  int rc;

  /* Signatures that no longer hold come first: they are why the step reopened. */
  if (!(signatures = dossier_signature_list (store, dossier_id, error)))
    return FALSE;
  for (guint i = 0; i < signatures->len; i++)
    {
      const DossierSignature *s = g_ptr_array_index (signatures, i);
      g_autofree char *description = NULL;
      g_autofree char *state = NULL;

      if (!s->current)
        continue;
      if (s->state == DOSSIER_SIGNATURE_VALID)
        {
          valid[s->point] = TRUE;
          continue;
        }

      description = dossier_signature_describe (s);
      state = dossier_signature_describe_state (store, s);
      add_finding (findings, DOSSIER_QA_FINDING_CHANGED_AFTER_SIGNATURE, DOSSIER_QA_SEVERITY_ERROR,
                   "signature", s->id, NULL, NULL, g_strdup_printf ("%s\n%s", description, state));
    }

  if (g_strcmp0 (status, "design-review") == 0)
    *waiting_for = valid[DOSSIER_SIGN_POINT_DESIGN_REVIEW] ? DOSSIER_SIGN_POINT_DESIGN_APPROVAL
                                                           : DOSSIER_SIGN_POINT_DESIGN_REVIEW;
  else
    *waiting_for = valid[DOSSIER_SIGN_POINT_PROCESSING_REVIEW] ? DOSSIER_SIGN_POINT_RELEASE
                                                               : DOSSIER_SIGN_POINT_PROCESSING_REVIEW;
  processing_matters = *waiting_for == DOSSIER_SIGN_POINT_PROCESSING_REVIEW ||
                       *waiting_for == DOSSIER_SIGN_POINT_RELEASE;

  /* The rule check, computed now and not stored: reading the queue writes nothing. */
  if (!(report = dossier_check_dossier (store, dossier_id, &options, error)))
    return FALSE;
  for (guint i = 0; i < dossier_check_report_get_n_findings (report); i++)
    {
      const DossierCheckFinding *f = dossier_check_report_get_finding (report, i);

      if (f->severity == DOSSIER_SEVERITY_INFO)
        continue;
      add_finding (findings, kind_of_rule (f->rule_id),
                   f->severity == DOSSIER_SEVERITY_ERROR ? DOSSIER_QA_SEVERITY_ERROR : DOSSIER_QA_SEVERITY_WARNING,
                   NULL, 0, f->parameter, f->rule_id, g_strdup (f->message));
    }

  /* Inspections that failed, or are not done yet when the release is next. */
  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT id, item, result FROM inspection WHERE dossier_id = ?1 "
                                       "AND result <> 'pass' ORDER BY id", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean failed = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 2), "fail") == 0;
      const char *item = (const char *)sqlite3_column_text (stmt, 1);

      if (!failed && !processing_matters)
        continue;
      add_finding (findings, DOSSIER_QA_FINDING_FAILED_INSPECTION,
                   failed ? DOSSIER_QA_SEVERITY_ERROR : DOSSIER_QA_SEVERITY_WARNING,
                   "inspection", sqlite3_column_int64 (stmt, 0), "result", NULL,
                   failed ? g_strdup_printf (_("Inspection “%s” failed."), item)
                          : g_strdup_printf (_("Inspection “%s” is still pending."), item));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the inspections"));

  /* Records a processing review or release cannot do without. */
  if (processing_matters)
    {
      if (!count_rows (store, "SELECT count (*) FROM processing_step WHERE dossier_id = ?1", dossier_id, &n, error))
        return FALSE;
      if (n == 0)
        add_finding (findings, DOSSIER_QA_FINDING_MISSING, DOSSIER_QA_SEVERITY_ERROR,
                     "processing_step", 0, NULL, NULL, g_strdup (_("No processing step is recorded.")));

      if (!count_rows (store, "SELECT count (*) FROM inspection WHERE dossier_id = ?1", dossier_id, &n, error))
        return FALSE;
      if (n == 0)
        add_finding (findings, DOSSIER_QA_FINDING_MISSING, DOSSIER_QA_SEVERITY_ERROR,
                     "inspection", 0, NULL, NULL, g_strdup (_("No inspection is recorded.")));
    }

  if (!(confirmation = dossier_confirmation_get_status (store, dossier_id, error)))
    return FALSE;
  if (confirmation->reminder != NULL)
    add_finding (findings, DOSSIER_QA_FINDING_CONFIRMATION_OUTDATED, DOSSIER_QA_SEVERITY_ERROR,
                 "design_confirmation", confirmation->confirmation_id, NULL, NULL,
                 g_strdup (confirmation->reminder));

  g_ptr_array_sort (findings, compare_findings);
  return TRUE;
}

GPtrArray *
dossier_qa_findings (DossierStore  *store,
                     gint64         dossier_id,
                     GError       **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_qa_finding_free);
  g_autoptr(GHashTable) row = NULL;
  DossierSignPoint waiting_for;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* No read transaction around it: the rule check takes its own (a write one). */
  if (!(row = dossier_store_get_row (store, "dossier", dossier_id, error)) ||
      !collect_findings (store, dossier_id, g_hash_table_lookup (row, "status"), findings, &waiting_for, error))
    return NULL;

  return g_steal_pointer (&findings);
}

static gint
compare_items (gconstpointer a,
               gconstpointer b)
{
  const DossierQaItem *ia = *(const DossierQaItem * const *)a;
  const DossierQaItem *ib = *(const DossierQaItem * const *)b;
  int ga = ia->n_errors > 0 ? 0 : ia->n_warnings > 0 ? 1 : 2;
  int gb = ib->n_errors > 0 ? 0 : ib->n_warnings > 0 ? 1 : 2;

  if (ga != gb)
    return ga - gb;

  return g_strcmp0 (ia->waiting_since, ib->waiting_since);
}

GPtrArray *
dossier_qa_queue (DossierStore  *store,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_qa_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The waiting dossiers first, then their findings: the rule check runs in a
   * transaction of its own, which cannot be opened while this query reads. */
  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT id, unit_no, kind, status, updated_at FROM dossier "
                                       "WHERE status IN ('design-review', 'inspection') ORDER BY updated_at, id",
                                       error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierQaItem *item = g_new0 (DossierQaItem, 1);

      item->dossier_id = sqlite3_column_int64 (stmt, 0);
      item->unit_no = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      item->kind = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      item->status = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      item->waiting_since = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      item->findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_qa_finding_free);
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the dossiers"));
      return NULL;
    }

  for (guint n = 0; n < items->len; n++)
    {
      DossierQaItem *item = g_ptr_array_index (items, n);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      /* A dossier that moved on in the meantime is reported as it is now. */
      if (!collect_findings (store, item->dossier_id, item->status, item->findings,
                             &item->waiting_for, error))
        return NULL;

      for (guint i = 0; i < item->findings->len; i++)
        {
          const DossierQaFinding *f = g_ptr_array_index (item->findings, i);

          if (f->severity == DOSSIER_QA_SEVERITY_ERROR)
            item->n_errors++;
          else
            item->n_warnings++;
        }
    }

  g_ptr_array_sort (items, compare_items);
  return g_steal_pointer (&items);
}
