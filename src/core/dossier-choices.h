/* dossier-choices.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* What the registers list and what a new dossier may be made of.
 *
 * The registers (manufacturing sites, institutions, clinicians, patients, filings,
 * registered products and their models) are listed with a short title and a second
 * line, searched by their names and numbers and capped, so that even 100,000
 * patients never load at once.
 *
 * A new dossier may only use valid, active choices: a customized unit needs an
 * active institution that is the partner of a filing in force (filed or changed)
 * and that filing; a patient-matched unit needs a model of an active registered
 * product; either needs an active clinician of the institution.  The same rules
 * are checked again when the dossier is created, in the same transaction. */

/* One record offered in a list or a drop-down. */
typedef struct
{
  gint64    id;
  char     *title;     /* the record's name or code */
  char     *subtitle;  /* a second line, or NULL */
  gboolean  active;    /* FALSE for a deactivated record or a filing not in force */
} DossierOption;

void        dossier_option_free             (DossierOption *option);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierOption, dossier_option_free)

/* Whether dossier_choices_list_records() knows the table: manufacturer,
 * manufacturing_site, institution, clinician, patient, filing, product,
 * product_model. */
gboolean    dossier_choices_is_registry     (const char    *table);

/* Records of a registry table whose names or numbers contain search (NULL or
 * empty: all), at most limit of them (0: no limit), ordered by title.
 * filter_column narrows to one parent: clinician and filing by "institution_id",
 * product_model by "product_id", manufacturing_site by "manufacturer_id"; NULL for
 * none.  *more (may be NULL) tells whether more records matched than were given.
 * Element type DossierOption. */
GPtrArray  *dossier_choices_list_records    (DossierStore  *store,
                                             const char    *table,
                                             const char    *search,
                                             const char    *filter_column,
                                             gint64         filter_value,
                                             guint          limit,
                                             gboolean      *more,
                                             GError       **error);
/* One record as dossier_choices_list_records() shows it. */
DossierOption *dossier_choices_get_record   (DossierStore  *store,
                                             const char    *table,
                                             gint64         id,
                                             GError       **error);

/* New dossier --------------------------------------------------------------- */

/* Institutions that may order a unit of kind ("customized" or
 * "patient-matched"): active, with an active clinician, and for customized units
 * the partner of a filing in force. */
GPtrArray  *dossier_choices_institutions    (DossierStore  *store,
                                             const char    *kind,
                                             GError       **error);
/* Active clinicians of the institution. */
GPtrArray  *dossier_choices_clinicians      (DossierStore  *store,
                                             gint64         institution_id,
                                             GError       **error);
/* Filings in force (filed or changed) whose partner is the institution; the
 * subtitle counts the units made under each against its case threshold. */
GPtrArray  *dossier_choices_filings         (DossierStore  *store,
                                             gint64         institution_id,
                                             GError       **error);
/* Models of active registered products. */
GPtrArray  *dossier_choices_models          (DossierStore  *store,
                                             GError       **error);
/* Patients whose code starts with prefix (case-insensitive), at most limit. */
GPtrArray  *dossier_choices_patients        (DossierStore  *store,
                                             const char    *prefix,
                                             guint          limit,
                                             GError       **error);

/* What the New Dossier dialog has chosen so far.  A patient is either an
 * existing one (patient_id) or, when patient_id is 0, a new one described by
 * patient_code, patient_sex and patient_birth_year (may be empty). */
typedef struct
{
  const char *kind;               /* "customized", "patient-matched" or NULL */
  gint64      institution_id;
  gint64      clinician_id;
  gint64      patient_id;
  const char *patient_code;
  const char *patient_sex;
  const char *patient_birth_year;
  gint64      filing_id;          /* customized */
  gint64      model_id;           /* patient-matched */
} DossierNewDossier;

typedef enum
{
  DOSSIER_NEW_DOSSIER_KIND,
  DOSSIER_NEW_DOSSIER_INSTITUTION,
  DOSSIER_NEW_DOSSIER_CLINICIAN,
  DOSSIER_NEW_DOSSIER_PATIENT,
  DOSSIER_NEW_DOSSIER_PRODUCT,    /* the filing or the registered model */
  DOSSIER_NEW_DOSSIER_COMPLETE,
} DossierNewDossierStep;

/* The dialog's state, computed from the choices alone (no database), so that
 * it can be tested without a display. */
typedef struct
{
  DossierNewDossierStep step;             /* the first thing still missing */
  gboolean    institution_sensitive;      /* a kind is chosen */
  gboolean    clinician_sensitive;        /* an institution is chosen */
  gboolean    product_sensitive;          /* filing: an institution; model: a kind */
  gboolean    needs_filing;               /* customized */
  gboolean    needs_model;                /* patient-matched */
  gboolean    new_patient;                /* a new patient will be added */
  const char *patient_error_column;       /* "code", "sex", "birth_year" or NULL (a sex not yet
                                           * chosen is missing, not wrong) */
  char       *patient_error;              /* what is wrong with the new patient */
  gboolean    can_create;
  const char *hint;                       /* a translated sentence: what to do next */
} DossierNewDossierState;

void        dossier_new_dossier_state_compute (const DossierNewDossier *choices,
                                               int                      current_year,
                                               DossierNewDossierState  *state);
void        dossier_new_dossier_state_clear   (DossierNewDossierState  *state);

/* Checks that every choice is still offered (someone may have deactivated a
 * clinician or cancelled a filing since the dialog opened).  The message names
 * the field. */
gboolean    dossier_choices_check           (DossierStore            *store,
                                             const DossierNewDossier *choices,
                                             GError                 **error);

/* Creates the dossier, and the new patient if there is one, in one transaction,
 * after dossier_choices_check().  Returns the dossier id, or 0. */
gint64      dossier_choices_create_dossier  (DossierStore            *store,
                                             const DossierNewDossier *choices,
                                             char                   **unit_no,
                                             gint64                  *patient_id,
                                             GError                 **error);

G_END_DECLS
