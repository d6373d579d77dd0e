/* dossier-editor-import-stream.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Adding a big file must not freeze the window, yet a DossierStore is one
 * SQLite connection with state of its own and is used from the main thread.
 * dossier_store_add_attachment() touches the database only before it reads the
 * content (the permission check) and after it read all of it (the row), so a
 * worker thread can run it if the main thread keeps away from the store during
 * those two moments: the worker parks the main thread for them (a high-priority
 * idle that waits until it is released), and lets it run while the content is
 * streamed.
 *
 * DossierEditorStoreLock does the parking; DossierEditorImportStream wraps the
 * file being added, releases the main thread at its first read, parks it again
 * at its end, and counts the bytes read for a progress bar. */

typedef struct _DossierEditorStoreLock DossierEditorStoreLock;

DossierEditorStoreLock *dossier_editor_store_lock_new      (GMainContext           *main_context);
void                    dossier_editor_store_lock_free     (DossierEditorStoreLock *lock);
/* From the worker: returns once the main thread is parked. */
void                    dossier_editor_store_lock_acquire  (DossierEditorStoreLock *lock);
/* From the worker: lets the main thread run again, if it was parked. */
void                    dossier_editor_store_lock_release  (DossierEditorStoreLock *lock);
gboolean                dossier_editor_store_lock_is_held  (DossierEditorStoreLock *lock);

#define DOSSIER_TYPE_EDITOR_IMPORT_STREAM (dossier_editor_import_stream_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorImportStream, dossier_editor_import_stream, DOSSIER, EDITOR_IMPORT_STREAM, GFilterInputStream)

/* lock may be NULL (nothing is released or parked); when release_while_reading
 * is FALSE the main thread stays parked throughout (the store keeps a
 * transaction open while it reads). */
GInputStream *dossier_editor_import_stream_new       (GInputStream           *base,
                                                      DossierEditorStoreLock *lock,
                                                      gboolean                release_while_reading);
/* Bytes read so far; safe from any thread. */
guint64       dossier_editor_import_stream_get_read  (DossierEditorImportStream *self);

G_END_DECLS
