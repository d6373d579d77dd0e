/* dossier-editor-import-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-import-stream"

#include "config.h"

#include "dossier-editor-import-stream.h"

struct _DossierEditorStoreLock
{
  GMutex        mutex;
  GCond         cond;
  GMainContext *context;
  gboolean      held;    /* the worker wants, or has, the store */
  gboolean      parked;  /* the main thread waits in park_main() */
};

DossierEditorStoreLock *
dossier_editor_store_lock_new (GMainContext *main_context)
{
  DossierEditorStoreLock *lock = g_new0 (DossierEditorStoreLock, 1);

  g_mutex_init (&lock->mutex);
  g_cond_init (&lock->cond);
  lock->context = main_context != NULL ? g_main_context_ref (main_context) : g_main_context_ref_thread_default ();

  return lock;
}

void
dossier_editor_store_lock_free (DossierEditorStoreLock *lock)
{
  if (lock == NULL)
    return;

  g_assert (!lock->held && !lock->parked);

  g_main_context_unref (lock->context);
  g_mutex_clear (&lock->mutex);
  g_cond_clear (&lock->cond);
  g_free (lock);
}

/* Runs on the main thread: waits, doing nothing at all, while the worker uses
 * the store. */
static gboolean
park_main (gpointer user_data)
{
  DossierEditorStoreLock *lock = user_data;

  g_mutex_lock (&lock->mutex);
  lock->parked = TRUE;
  g_cond_broadcast (&lock->cond);
  while (lock->held)
    g_cond_wait (&lock->cond, &lock->mutex);
  lock->parked = FALSE;
  g_cond_broadcast (&lock->cond);
  g_mutex_unlock (&lock->mutex);

  return G_SOURCE_REMOVE;
}

void
dossier_editor_store_lock_acquire (DossierEditorStoreLock *lock)
{
  GSource *source;

  g_return_if_fail (lock != NULL);
  g_return_if_fail (!g_main_context_is_owner (lock->context));

  g_mutex_lock (&lock->mutex);
  g_assert (!lock->held);
  lock->held = TRUE;
  g_mutex_unlock (&lock->mutex);

  /* Always a source, never g_main_context_invoke(): that may run the function
   * right here, in the worker, when the main thread is between iterations. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, park_main, lock, NULL);
  g_source_set_static_name (source, "[dossier] park the main thread");
  g_source_attach (source, lock->context);
  g_source_unref (source);

  g_mutex_lock (&lock->mutex);
  while (!lock->parked)
    g_cond_wait (&lock->cond, &lock->mutex);
  g_mutex_unlock (&lock->mutex);
}

void
dossier_editor_store_lock_release (DossierEditorStoreLock *lock)
{
  g_return_if_fail (lock != NULL);

  g_mutex_lock (&lock->mutex);
  if (lock->held)
    {
      lock->held = FALSE;
      g_cond_broadcast (&lock->cond);
      /* Back to normal before the worker may ask again. */
      while (lock->parked)
        g_cond_wait (&lock->cond, &lock->mutex);
    }
  g_mutex_unlock (&lock->mutex);
}

gboolean
dossier_editor_store_lock_is_held (DossierEditorStoreLock *lock)
{
  gboolean held;

  g_return_val_if_fail (lock != NULL, FALSE);

  g_mutex_lock (&lock->mutex);
  held = lock->held;
  g_mutex_unlock (&lock->mutex);

  return held;
}

/* The stream ------------------------------------------------------------------------ */

struct _DossierEditorImportStream
{
  GFilterInputStream      parent_instance;

  DossierEditorStoreLock *lock;
  gboolean                release_while_reading;
  gboolean                started;
  gboolean                ended;
  gint64                  n_read; /* atomic through the mutex below */
  GMutex                  mutex;
};

G_DEFINE_FINAL_TYPE (DossierEditorImportStream, dossier_editor_import_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
dossier_editor_import_stream_read (GInputStream  *stream,
                                   void          *buffer,
                                   gsize          count,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  DossierEditorImportStream *self = DOSSIER_EDITOR_IMPORT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n;

  /* The store checked what it needed before reading: the main thread may run. */
  if (!self->started)
    {
      self->started = TRUE;
      if (self->lock != NULL && self->release_while_reading)
        dossier_editor_store_lock_release (self->lock);
    }

  n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0)
    {
      g_mutex_lock (&self->mutex);
      self->n_read += n;
      g_mutex_unlock (&self->mutex);
    }

  /* After the end the store writes the row: park the main thread again. */
  if (n == 0 && !self->ended)
    {
      self->ended = TRUE;
      if (self->lock != NULL && self->release_while_reading && !dossier_editor_store_lock_is_held (self->lock))
        dossier_editor_store_lock_acquire (self->lock);
    }

  return n;
}

static void
dossier_editor_import_stream_finalize (GObject *object)
{
  DossierEditorImportStream *self = (DossierEditorImportStream *)object;

  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (dossier_editor_import_stream_parent_class)->finalize (object);
}

static void
dossier_editor_import_stream_class_init (DossierEditorImportStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = dossier_editor_import_stream_finalize;
  stream_class->read_fn = dossier_editor_import_stream_read;
}

static void
dossier_editor_import_stream_init (DossierEditorImportStream *self)
{
  g_mutex_init (&self->mutex);
}

GInputStream *
dossier_editor_import_stream_new (GInputStream           *base,
                                  DossierEditorStoreLock *lock,
                                  gboolean                release_while_reading)
{
  DossierEditorImportStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);

  self = g_object_new (DOSSIER_TYPE_EDITOR_IMPORT_STREAM,
                       "base-stream", base,
                       "close-base-stream", TRUE,
                       NULL);
  self->lock = lock;
  self->release_while_reading = release_while_reading;

  return G_INPUT_STREAM (self);
}

guint64
dossier_editor_import_stream_get_read (DossierEditorImportStream *self)
{
  gint64 n;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_IMPORT_STREAM (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_read;
  g_mutex_unlock (&self->mutex);

  return n;
}
