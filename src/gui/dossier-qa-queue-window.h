/* dossier-qa-queue-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The QA reviewer's queue: the dossiers waiting for a review or a release, those
 * with exceptions first and each with its exceptions listed (dossier_qa_queue()).
 * The queue is computed in a thread on a store of its own, opened on the same
 * file, so that the window stays responsive on a big database.  Activating a
 * dossier emits "dossier-activated" with its id and unit number. */

#define DOSSIER_TYPE_QA_QUEUE_WINDOW (dossier_qa_queue_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierQaQueueWindow, dossier_qa_queue_window, DOSSIER, QA_QUEUE_WINDOW, AdwWindow)

DossierQaQueueWindow *dossier_qa_queue_window_new         (GtkWindow            *parent,
                                                           DossierStore         *store);
/* Computes the queue again (cancelling a computation under way). */
void                  dossier_qa_queue_window_reload      (DossierQaQueueWindow *self);
gboolean              dossier_qa_queue_window_get_loading (DossierQaQueueWindow *self);
/* How many dossiers the queue shows. */
guint                 dossier_qa_queue_window_get_n_items (DossierQaQueueWindow *self);

G_END_DECLS
