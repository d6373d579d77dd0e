/* dossier-registry-form.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* A form for one record of a registry table, built from the schema's column
 * descriptions (dossier-schema.h): labels, kinds, choice lists, references shown
 * by name and provinces by name.
 *
 * Each value is checked as it is entered, with the store's own checks and
 * messages: an invalid field gets the error style and the message under it, and
 * nothing reaches the database.  A change to an existing record is committed
 * (and audited) as soon as it is made: a drop-down or switch at once, a text
 * field when applied (Enter or the apply button) or left.  A new record is
 * added as a whole with dossier_registry_form_add().
 *
 * This is written for the registers; the dossier editor's record form is being
 * written at the same time and the two should become one. */

#define DOSSIER_TYPE_REGISTRY_FORM (dossier_registry_form_get_type ())
G_DECLARE_FINAL_TYPE (DossierRegistryForm, dossier_registry_form, DOSSIER, REGISTRY_FORM, GtkWidget)

GtkWidget    *dossier_registry_form_new              (DossierStore        *store,
                                                      const char          *table);
DossierStore *dossier_registry_form_get_store        (DossierRegistryForm *self);
const char   *dossier_registry_form_get_table        (DossierRegistryForm *self);
/* 0 while the form describes a record not yet added. */
gint64        dossier_registry_form_get_record_id    (DossierRegistryForm *self);

/* A value the context decides (the product of a model): not shown, and given
 * with every new record.  Call before dossier_registry_form_load(). */
void          dossier_registry_form_set_fixed        (DossierRegistryForm *self,
                                                      const char          *column,
                                                      const char          *value);
/* The labels of the Add and Delete buttons (with mnemonics), e.g. "_Add
 * Institution"; NULL keeps the default. */
void          dossier_registry_form_set_button_labels (DossierRegistryForm *self,
                                                       const char          *add_label,
                                                       const char          *delete_label);
/* A widget shown under the fields and above the buttons (the parts of a
 * record, such as a product's models). */
void          dossier_registry_form_set_extra        (DossierRegistryForm *self,
                                                      GtkWidget           *extra);
/* Shows the record with that id, or an empty form for a new record (id 0). */
gboolean      dossier_registry_form_load             (DossierRegistryForm *self,
                                                      gint64               id,
                                                      GError             **error);
/* Puts a value in a field as if chosen or typed (a stored value for drop-downs,
 * "1"/"0" for switches); for an existing record a drop-down or switch commits. */
void          dossier_registry_form_set_value        (DossierRegistryForm *self,
                                                      const char          *column,
                                                      const char          *value);
/* Commits a text field of an existing record, as Enter does. */
gboolean      dossier_registry_form_apply            (DossierRegistryForm *self,
                                                      const char          *column);
/* Checks every field of a new record and adds it; returns its id, or 0 when a
 * field or the store refused (the form then shows why). */
gint64        dossier_registry_form_add              (DossierRegistryForm *self);
/* Deletes the record shown, without asking; a refusal is shown in the form too. */
gboolean      dossier_registry_form_delete           (DossierRegistryForm *self,
                                                      GError             **error);

/* What the form shows, for tests and accessibility tools. */
GtkWidget    *dossier_registry_form_get_field_widget (DossierRegistryForm *self,
                                                      const char          *column);
const char   *dossier_registry_form_get_field_error  (DossierRegistryForm *self,
                                                      const char          *column);
const char   *dossier_registry_form_get_error        (DossierRegistryForm *self);
/* The first problem shown under a field, or NULL: a change that was not saved. */
const char   *dossier_registry_form_get_first_field_error (DossierRegistryForm *self);

G_END_DECLS
