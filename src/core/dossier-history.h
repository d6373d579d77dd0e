/* dossier-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-store.h"

G_BEGIN_DECLS

/* One entry of the audit trail as it is stored (see dossier-store-audit.c for the
 * layout): a create has the row as a JSON object in new_value, a delete has it in
 * old_value, an update names the field and has its old and new value.  Values are
 * text as SQLite gives them; absent values are NULL. */
typedef struct
{
  gint64  seq;
  char   *at;
  char   *actor;
  char   *action;      /* "create", "update" or "delete" */
  char   *table_name;
  gint64  row_id;
  char   *field;       /* update only */
  char   *old_value;
  char   *new_value;
  char   *reason;
  gboolean imported;   /* from the history a filing package carried (seq is then the
                        * exporting database's) */
} DossierAuditEntry;

void       dossier_audit_entry_free    (DossierAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierAuditEntry, dossier_audit_entry_free)

/* The audit entries of one dossier, oldest first: those of the dossier row and of
 * every row that belongs to it (design inputs, iterations and their parameter
 * values, confirmations, processing steps and their materials, inspections,
 * release, delivery, use record, adverse events, attachments, signatures), including rows
 * deleted since.  Element type DossierAuditEntry.  A dossier imported from a filing
 * package starts with the history the package carried (seq and row_id are then those
 * of the exporting database), followed by this database's entries after the import. */
GPtrArray *dossier_store_dossier_audit (DossierStore  *store,
                                        gint64         dossier_id,
                                        GError       **error);

/* Several reads that must see the same instant (a whole record while another
 * process writes): a read transaction, opened only when none is open yet.
 * Pass what dossier_store_read_begin() put in *started to dossier_store_read_end(). */
gboolean   dossier_store_read_begin    (DossierStore  *store,
                                        gboolean      *started,
                                        GError       **error);
void       dossier_store_read_end      (DossierStore  *store,
                                        gboolean       started);

G_END_DECLS
