/* dossier-editor-undo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The last changes made in one editor, newest last, and how to take them back.
 *
 * A change is recorded after the store made it: an update with each column's
 * stored value before and after, an insert with the new row's id, a delete with
 * the row as it was.  Changes made together (a step moved, a record removed with
 * its parts) form one group and are undone together, in one transaction, each
 * through the store with the reason "Undo": an update writes the old value back
 * (refused when the value was changed again since), an insert is deleted, a
 * delete is inserted again, under a new id that later groups are told about. */

#define DOSSIER_EDITOR_UNDO_MAX_GROUPS 100

#define DOSSIER_TYPE_EDITOR_UNDO (dossier_editor_undo_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorUndo, dossier_editor_undo, DOSSIER, EDITOR_UNDO, GObject)

DossierEditorUndo *dossier_editor_undo_new            (void);

/* Whether there is a group to undo ("can-undo" property). */
gboolean           dossier_editor_undo_can_undo       (DossierEditorUndo  *self);
guint              dossier_editor_undo_get_n_groups   (DossierEditorUndo  *self);
void               dossier_editor_undo_clear          (DossierEditorUndo  *self);

/* Groups nest; changes recorded outside a group form a group of their own.
 * cancel_group() forgets what was recorded since the matching begin_group() (the
 * transaction it belonged to was rolled back). */
void               dossier_editor_undo_begin_group    (DossierEditorUndo  *self);
void               dossier_editor_undo_end_group      (DossierEditorUndo  *self);
void               dossier_editor_undo_cancel_group   (DossierEditorUndo  *self);

void               dossier_editor_undo_record_update  (DossierEditorUndo  *self,
                                                       const char         *table,
                                                       gint64              id,
                                                       const char         *column,
                                                       const char         *old_value,
                                                       const char         *new_value);
void               dossier_editor_undo_record_insert  (DossierEditorUndo  *self,
                                                       const char         *table,
                                                       gint64              id);
/* row: column → text as from dossier_store_get_row(); it is copied. */
void               dossier_editor_undo_record_delete  (DossierEditorUndo  *self,
                                                       const char         *table,
                                                       gint64              id,
                                                       GHashTable         *row);

/* What the newest group changed, for the undo button's tooltip: "Undo Condition",
 * "Undo Adding Design iteration"; NULL when there is nothing to undo. */
char              *dossier_editor_undo_describe       (DossierEditorUndo  *self);

/* Takes the newest group back through store.  On success the group is gone and
 * *tables (when given) holds the tables it touched.  On failure nothing changed
 * in the database; the group is dropped unless the failure may pass (a locked
 * database, a locked session), so that older changes stay reachable. */
gboolean           dossier_editor_undo_apply          (DossierEditorUndo  *self,
                                                       DossierStore       *store,
                                                       GStrv              *tables,
                                                       GError            **error);

/* A row recorded as table/old_id now has new_id: every recorded change and
 * every recorded reference to it follows (for tests; apply() does it). */
void               dossier_editor_undo_remap          (DossierEditorUndo  *self,
                                                       const char         *table,
                                                       gint64              old_id,
                                                       gint64              new_id);

G_END_DECLS
