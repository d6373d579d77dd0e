/* dossier-registry-record-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-registry-form.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* A small modal window with the form of one part of a register: a model of a
 * registered product, or a manufacturing site.  It closes once a new part is
 * added or the part is deleted, and says "changed" after every saved change. */

#define DOSSIER_TYPE_REGISTRY_RECORD_WINDOW (dossier_registry_record_window_get_type ())
G_DECLARE_FINAL_TYPE (DossierRegistryRecordWindow, dossier_registry_record_window, DOSSIER, REGISTRY_RECORD_WINDOW, AdwWindow)

/* parent_column/parent_value: the record the part belongs to (NULL: none);
 * id 0 for a new part, titled new_title. */
GtkWidget           *dossier_registry_record_window_new      (GtkWindow    *transient_for,
                                                              DossierStore *store,
                                                              const char   *table,
                                                              const char   *parent_column,
                                                              const char   *parent_value,
                                                              gint64        id,
                                                              const char   *new_title,
                                                              GError      **error);
DossierRegistryForm *dossier_registry_record_window_get_form (DossierRegistryRecordWindow *self);

G_END_DECLS
