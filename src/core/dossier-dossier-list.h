/* dossier-dossier-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-dossier.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* A GListModel of DossierDossier that fetches rows from the store page by page as
 * they are asked for, so that memory does not grow with the number of dossiers.
 * Search uses the full-text index; filters and sort are done by SQLite. */

typedef enum
{
  DOSSIER_SORT_UPDATED_DESC, /* most recently changed first (default) */
  DOSSIER_SORT_UNIT_NO,      /* unit number ascending */
} DossierSort;

#define DOSSIER_TYPE_DOSSIER_LIST (dossier_dossier_list_get_type ())
G_DECLARE_FINAL_TYPE (DossierDossierList, dossier_dossier_list, DOSSIER, DOSSIER_LIST, GObject)

DossierDossierList *dossier_dossier_list_new             (DossierStore       *store);
DossierStore       *dossier_dossier_list_get_store       (DossierDossierList *self);
void                dossier_dossier_list_set_search      (DossierDossierList *self,
                                                          const char         *text);
const char         *dossier_dossier_list_get_search      (DossierDossierList *self);
void                dossier_dossier_list_set_status      (DossierDossierList *self,
                                                          const char         *status); /* NULL: any */
void                dossier_dossier_list_set_kind        (DossierDossierList *self,
                                                          const char         *kind);   /* NULL: any */
void                dossier_dossier_list_set_institution (DossierDossierList *self,
                                                          gint64              institution_id); /* 0: any */
void                dossier_dossier_list_set_sort        (DossierDossierList *self,
                                                          DossierSort         sort);
DossierSort         dossier_dossier_list_get_sort        (DossierDossierList *self);
/* Re-reads the count and drops cached pages (after writes); emits items-changed. */
void                dossier_dossier_list_reload          (DossierDossierList *self);
/* Errors while fetching are reported here (items are then missing), not swallowed. */
const GError       *dossier_dossier_list_get_error       (DossierDossierList *self);
/* How many pages of rows are held in memory (bounded); for tests. */
guint               dossier_dossier_list_get_cached_pages (DossierDossierList *self);
/* The institutions that have dossiers, by name, for the institution filter: each
 * element is a GHashTable with "id", "name_zh" and, when recorded, "name_en". */
GPtrArray          *dossier_dossier_list_get_institutions (DossierDossierList  *self,
                                                           GError             **error);

G_END_DECLS
