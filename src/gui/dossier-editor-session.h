/* dossier-editor-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-editor-undo.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* One dossier being edited: every write the editor makes goes through here, so
 * that it is recorded for undo and announced ("changed") to the pages, the
 * header and the window's list.  No widgets: the pages show, this writes.
 *
 * Writes made between begin() and commit() are one undo group and are announced
 * after the commit; rollback() forgets them. */

typedef struct
{
  char *value;  /* the id as stored, "" for none */
  char *label;  /* what a person chooses by */
} DossierEditorOption;

void dossier_editor_option_free (DossierEditorOption *option);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierEditorOption, dossier_editor_option_free)

#define DOSSIER_TYPE_EDITOR_SESSION (dossier_editor_session_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorSession, dossier_editor_session, DOSSIER, EDITOR_SESSION, GObject)

DossierEditorSession *dossier_editor_session_new            (DossierStore          *store,
                                                             gint64                 dossier_id,
                                                             DossierEditorUndo     *undo);
DossierStore         *dossier_editor_session_get_store      (DossierEditorSession  *self);
gint64                dossier_editor_session_get_dossier_id (DossierEditorSession  *self);
DossierEditorUndo    *dossier_editor_session_get_undo       (DossierEditorSession  *self);
/* The dossier row as last read (column → text); re-read after every change. */
GHashTable           *dossier_editor_session_get_dossier    (DossierEditorSession  *self);
const char           *dossier_editor_session_get_value      (DossierEditorSession  *self,
                                                             const char            *column);
gint64                dossier_editor_session_get_id_value   (DossierEditorSession  *self,
                                                             const char            *column);
/* The setting device.implantable_min_days. */
gint64                dossier_editor_session_get_implantable_min_days (DossierEditorSession *self);

/* Writes (see dossier-store.h); reason may be NULL unless the store asks for one
 * (DOSSIER_STORE_ERROR_REASON_REQUIRED). */
gboolean              dossier_editor_session_update         (DossierEditorSession  *self,
                                                             const char            *table,
                                                             gint64                 id,
                                                             const DossierField    *fields,
                                                             const char            *reason,
                                                             GError               **error);
gint64                dossier_editor_session_insert         (DossierEditorSession  *self,
                                                             const char            *table,
                                                             const DossierField    *fields,
                                                             const char            *reason,
                                                             GError               **error);
gboolean              dossier_editor_session_delete         (DossierEditorSession  *self,
                                                             const char            *table,
                                                             gint64                 id,
                                                             const char            *reason,
                                                             GError               **error);
gboolean              dossier_editor_session_begin          (DossierEditorSession  *self,
                                                             GError               **error);
gboolean              dossier_editor_session_commit         (DossierEditorSession  *self,
                                                             GError               **error);
void                  dossier_editor_session_rollback       (DossierEditorSession  *self);

/* Tells everyone that table changed outside the calls above (an attachment added
 * by the store itself, a status changed by a signature). */
void                  dossier_editor_session_notify_changed (DossierEditorSession  *self,
                                                             const char            *table,
                                                             gint64                 id);

/* Undoes the newest group of changes; "changed" follows for what it touched and
 * "undone" once it is done. */
gboolean              dossier_editor_session_undo           (DossierEditorSession  *self,
                                                             GError               **error);

/* Asks every field with unsaved typing to commit it now ("flush"), before the
 * editor shows another dossier or goes away. */
void                  dossier_editor_session_flush          (DossierEditorSession  *self);

/* The rows a reference column of table may point at for this dossier, in the
 * order to offer them (element type DossierEditorOption); current is always
 * among them.  Clinicians: the active ones of the ordering institution; design
 * iterations, attachments: this dossier's; material lots: those this dossier
 * uses. */
GPtrArray            *dossier_editor_session_reference_options (DossierEditorSession *self,
                                                                const char           *table,
                                                                const char           *column,
                                                                const char           *current);
/* The name of a referenced row: "李明 · 骨科", "Version 2", "Ti6Al4V ELI · L2026-031";
 * "#id" when it cannot be read. */
char                 *dossier_editor_session_reference_label   (DossierEditorSession *self,
                                                                const char           *ref_table,
                                                                gint64                id);

G_END_DECLS
