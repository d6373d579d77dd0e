/* dossier-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Shared between dossier-store.c and the files that split the store by concern. */

sqlite3_stmt *_dossier_store_prepare          (DossierStore  *self,
                                               const char    *sql,
                                               GError       **error);
gboolean      _dossier_store_exec             (DossierStore  *self,
                                               const char    *sql,
                                               GError       **error);
gboolean      _dossier_store_set_error        (DossierStore  *self,
                                               GError       **error,
                                               int            rc,
                                               const char    *what);
char         *_dossier_store_now              (void);
gboolean      _dossier_store_quick_check      (DossierStore  *self,
                                               GError       **error);
const char   *_dossier_store_get_reason       (DossierStore  *self);
void          _dossier_store_set_reason       (DossierStore  *self,
                                               const char    *reason);
char         *_dossier_quote_identifier       (const char    *name);
gint64        _dossier_store_insert_internal  (DossierStore       *self,
                                               const char         *table,
                                               const DossierField *fields,
                                               GError            **error);

/* dossier-store-audit.c */
void          _dossier_audit_register_functions (DossierStore *self);
gboolean      _dossier_audit_install_triggers   (DossierStore  *self,
                                                 GError       **error);
GHashTable   *_dossier_audit_snapshot_columns   (DossierStore  *self,
                                                 GError       **error);
gboolean      _dossier_audit_baseline           (DossierStore  *self,
                                                 int            version,
                                                 GHashTable    *before,
                                                 GError       **error);
gint64        _dossier_audit_last_seq           (DossierStore  *self,
                                                 GError       **error);
gboolean      _dossier_audit_seal               (DossierStore  *self,
                                                 gint64         after_seq,
                                                 GError       **error);
char         *_dossier_audit_entry_hash         (const char    *prev_hash,
                                                 sqlite3_stmt  *row);

/* dossier-store-attachments.c */
gint64        _dossier_store_add_attachment_full (DossierStore  *self,
                                                  gint64         dossier_id,
                                                  const char    *section,
                                                  const char    *original_name,
                                                  const char    *media_type,
                                                  GInputStream  *content,
                                                  const char    *reason,
                                                  GCancellable  *cancellable,
                                                  GError       **error);
void          _dossier_attachments_collect_garbage (DossierStore *self);

#define DOSSIER_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

G_END_DECLS
