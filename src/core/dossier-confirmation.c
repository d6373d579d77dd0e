/* dossier-confirmation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-confirmation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "dossier-confirmation.h"
#include "dossier-history.h"
#include "dossier-store-private.h"

void
dossier_confirmation_status_free (DossierConfirmationStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->confirmed_on);
  g_free (status->document_no);
  g_free (status->clinician_name);
  g_free (status->reminder);
  g_free (status);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static gboolean
read_status (DossierStore               *store,
             gint64                      dossier_id,
             DossierConfirmationStatus  *status,
             GError                    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT coalesce (max (version), 0) FROM design_iteration WHERE dossier_id = ?1",
                                       error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    status->current_version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _dossier_store_set_error (store, error, rc, _("Reading the design versions"));

  /* The confirmation of the newest confirmed version counts. */
  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT c.id, c.iteration_id, i.version, c.confirmed_on, c.document_no, "
                                       "c.clinician_id, cl.name_zh, c.attachment_id "
                                       "FROM design_confirmation c JOIN design_iteration i ON i.id = c.iteration_id "
                                       "LEFT JOIN clinician cl ON cl.id = c.clinician_id "
                                       "WHERE c.dossier_id = ?1 ORDER BY i.version DESC, c.id DESC LIMIT 1",
                                       error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status->confirmed = TRUE;
      status->confirmation_id = sqlite3_column_int64 (stmt, 0);
      status->iteration_id = sqlite3_column_int64 (stmt, 1);
      status->confirmed_version = sqlite3_column_int (stmt, 2);
      status->confirmed_on = column_text (stmt, 3);
      status->document_no = column_text (stmt, 4);
      status->clinician_id = sqlite3_column_int64 (stmt, 5);
      status->clinician_name = column_text (stmt, 6);
      status->attachment_id = sqlite3_column_int64 (stmt, 7);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the design confirmations"));

  return TRUE;
}

DossierConfirmationStatus *
dossier_confirmation_get_status (DossierStore  *store,
                                 gint64         dossier_id,
                                 GError       **error)
{
  g_autoptr(DossierConfirmationStatus) status = g_new0 (DossierConfirmationStatus, 1);
  gboolean started = FALSE;
  gboolean ok;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dossier_store_read_begin (store, &started, error))
    return NULL;
  ok = read_status (store, dossier_id, status, error);
  dossier_store_read_end (store, started);
  if (!ok)
    return NULL;

  status->covers_current = status->confirmed && status->confirmed_version >= status->current_version;

  if (status->confirmed && !status->covers_current)
    status->reminder = g_strdup_printf (_("Design version %d was made after %s confirmed version %d "
                                          "(document %s of %s). That confirmation does not cover the "
                                          "current design: tell the clinician about the change and "
                                          "record their new confirmation."),
                                        status->current_version,
                                        status->clinician_name != NULL ? status->clinician_name : _("the clinician"),
                                        status->confirmed_version, status->document_no,
                                        status->confirmed_on);

  return g_steal_pointer (&status);
}

gint64
dossier_confirmation_record (DossierStore  *store,
                             gint64         dossier_id,
                             gint64         iteration_id,
                             gint64         clinician_id,
                             const char    *confirmed_on,
                             const char    *document_no,
                             GInputStream  *scan,
                             const char    *scan_name,
                             const char    *scan_media_type,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *dossier = g_strdup_printf ("%" G_GINT64_FORMAT, dossier_id);
  g_autofree char *iteration = g_strdup_printf ("%" G_GINT64_FORMAT, iteration_id);
  g_autofree char *clinician = g_strdup_printf ("%" G_GINT64_FORMAT, clinician_id);
  g_autofree char *attachment = NULL;
  gint64 attachment_id = 0;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail (scan == NULL || G_IS_INPUT_STREAM (scan), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!dossier_store_begin (store, error))
    return 0;

  /* The scan is an attachment of the dossier like any other, in section "other": it
   * is the clinician's record, not part of the design a signature covers. */
  if (scan != NULL)
    {
      attachment_id = dossier_store_add_attachment (store, dossier_id, "other",
                                                    scan_name != NULL ? scan_name : _("Design confirmation"),
                                                    scan_media_type, scan, cancellable, error);
      if (attachment_id == 0)
        goto failed;
      attachment = g_strdup_printf ("%" G_GINT64_FORMAT, attachment_id);
    }

  id = dossier_store_insert (store, "design_confirmation", (DossierField[]) {
    { "dossier_id", dossier },
    { "iteration_id", iteration },
    { "clinician_id", clinician },
    { "confirmed_on", confirmed_on },
    { "document_no", document_no },
    { "attachment_id", attachment },
    { NULL } }, error);
  if (id == 0 || !dossier_store_commit (store, error))
    goto failed;

  return id;

failed:
  dossier_store_rollback (store);
  return 0;
}
