/* dossier-dossier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One dossier (one device unit) as lists show it: the summary columns, not the
 * whole record.  Immutable once made; a list that changes makes new ones. */

#define DOSSIER_TYPE_DOSSIER (dossier_dossier_get_type ())
G_DECLARE_FINAL_TYPE (DossierDossier, dossier_dossier, DOSSIER, DOSSIER, GObject)

gint64      dossier_dossier_get_id               (DossierDossier *self);
const char *dossier_dossier_get_unit_no          (DossierDossier *self);
const char *dossier_dossier_get_kind             (DossierDossier *self); /* "customized" / "patient-matched" */
const char *dossier_dossier_get_status           (DossierDossier *self); /* schema value, e.g. "design-review" */
const char *dossier_dossier_get_patient_code     (DossierDossier *self);
const char *dossier_dossier_get_institution_name (DossierDossier *self); /* Chinese name */
const char *dossier_dossier_get_clinician_name   (DossierDossier *self);
const char *dossier_dossier_get_product_name     (DossierDossier *self); /* product (model) or filing device name */
const char *dossier_dossier_get_reference        (DossierDossier *self); /* model code or filing number */
gboolean    dossier_dossier_get_implantable      (DossierDossier *self);
const char *dossier_dossier_get_created_at       (DossierDossier *self);
const char *dossier_dossier_get_updated_at       (DossierDossier *self);
/* Whether the dossier's stored rule-check result has errors (see dossier-check.h);
 * FALSE when it was never checked.  The stored result may be out of date. */
gboolean    dossier_dossier_get_has_problems     (DossierDossier *self);
/* Whether the dossier has any signature. */
gboolean    dossier_dossier_get_signed           (DossierDossier *self);
/* Whether one of its current signatures no longer matches the content it signed
 * (docs/signatures.md).  This hashes the signed content, so it is worked out on the
 * first call only (for the rows a view shows, not for every row a list reads) and
 * kept: a list reads its rows again after a change.  FALSE when unsigned, when the
 * dossier did not come from a list, or when the content cannot be read. */
gboolean    dossier_dossier_get_changed_after_signature (DossierDossier *self);

G_END_DECLS
