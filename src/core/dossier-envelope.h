/* dossier-envelope.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-decimal.h"
#include "dossier-store.h"
#include "dossier-units.h"

G_BEGIN_DECLS

/* A registered size range (design envelope) of one product model, one version of it.
 *
 * A numeric parameter has a unit, a minimum and/or a maximum (each inclusive or not),
 * optionally a step (sizes come in increments from the minimum), a manufacturing
 * tolerance (± around the design value) and a resolution (values are rounded to it,
 * half away from zero, before they are compared, so that 43.99999999997 from a CAD
 * export counts as 44.00 at a resolution of 0.01).  A categorical parameter has its
 * list of allowed values.  Dependency rules relate parameters (dossier-expression.h).
 *
 * The object is an editable value: change it, validate it, save it as a draft; an
 * envelope becomes binding with dossier_envelope_make_effective() and is frozen from
 * then on (new versions are made with dossier_envelope_new_version()).  XML import and
 * export follow resources/schemas/envelope-1.xsd. */

#define DOSSIER_ENVELOPE_ERROR (dossier_envelope_error_quark ())

typedef enum
{
  DOSSIER_ENVELOPE_ERROR_INVALID,    /* a parameter, value or rule is not acceptable */
  DOSSIER_ENVELOPE_ERROR_XML,        /* not well-formed, not valid against the schema, or unsafe */
  DOSSIER_ENVELOPE_ERROR_NOT_FOUND,  /* no such model, or no envelope in force */
  DOSSIER_ENVELOPE_ERROR_FROZEN,     /* only a draft can be edited */
  DOSSIER_ENVELOPE_ERROR_EXISTS,     /* that version of the model exists already */
} DossierEnvelopeError;

GQuark dossier_envelope_error_quark (void);

/* XML files larger than this are refused unread. */
#define DOSSIER_ENVELOPE_XML_MAX_BYTES (4 * 1024 * 1024)
#define DOSSIER_ENVELOPE_XML_NAMESPACE "urn:io.github.dossier:envelope:1"

typedef enum
{
  DOSSIER_PARAMETER_NUMERIC,
  DOSSIER_PARAMETER_CATEGORICAL,
} DossierParameterKind;

typedef struct
{
  char                 *name;
  char                 *label_en;     /* "" when none */
  char                 *label_zh;
  DossierParameterKind  kind;

  /* Numeric: as stored (decimal text or NULL), and parsed. */
  char                 *unit;         /* canonical symbol, "" for plain numbers */
  char                 *minimum;
  char                 *maximum;
  gboolean              min_inclusive;
  gboolean              max_inclusive;
  char                 *step;
  char                 *tolerance;
  char                 *resolution;

  /* Categorical. */
  GPtrArray            *categories;   /* char * */

  /* Filled in by validation, for the check. */
  const DossierUnit    *unit_info;
  DossierDecimal        min_value;
  DossierDecimal        max_value;
  DossierDecimal        step_value;
  DossierDecimal        tolerance_value;
  DossierDecimal        resolution_value;
  gboolean              has_min, has_max, has_step, has_tolerance, has_resolution;
} DossierEnvelopeParameter;

typedef struct
{
  char *expression;
  char *description_en;
  char *description_zh;
  char *source;
} DossierEnvelopeRule;

/* The label in the current language (dossier_rules_get_language()), or the name. */
const char *dossier_envelope_parameter_get_label  (const DossierEnvelopeParameter *parameter,
                                                   const char                     *language);
/* The allowed range as people write it, the same in every language: "44 ≤ x ≤ 58 mm",
 * "0 < x ≤ 1.5 mm", "x ≥ 2 mm", with ", step 0.5 mm" ("，步长…" is not needed: the
 * grid is written as "44, 44.5, … 58 mm"); categorical: "{A | B}". */
char       *dossier_envelope_parameter_describe   (const DossierEnvelopeParameter *parameter);
char       *dossier_envelope_parameter_describe_grid (const DossierEnvelopeParameter *parameter);

#define DOSSIER_TYPE_ENVELOPE (dossier_envelope_get_type ())
G_DECLARE_FINAL_TYPE (DossierEnvelope, dossier_envelope, DOSSIER, ENVELOPE, GObject)

DossierEnvelope *dossier_envelope_new                (void);

gint64           dossier_envelope_get_id             (DossierEnvelope  *self); /* 0 until saved */
gint64           dossier_envelope_get_model_id       (DossierEnvelope  *self);
void             dossier_envelope_set_model_id       (DossierEnvelope  *self,
                                                      gint64            model_id);
int              dossier_envelope_get_version        (DossierEnvelope  *self);
void             dossier_envelope_set_version        (DossierEnvelope  *self,
                                                      int               version);
const char      *dossier_envelope_get_status         (DossierEnvelope  *self); /* draft, effective, withdrawn */
const char      *dossier_envelope_get_effective_on   (DossierEnvelope  *self);
void             dossier_envelope_set_effective_on   (DossierEnvelope  *self,
                                                      const char       *date);
const char      *dossier_envelope_get_valid_until    (DossierEnvelope  *self);
void             dossier_envelope_set_valid_until    (DossierEnvelope  *self,
                                                      const char       *date);
const char      *dossier_envelope_get_certificate_no (DossierEnvelope  *self);
void             dossier_envelope_set_certificate_no (DossierEnvelope  *self,
                                                      const char       *certificate_no);
const char      *dossier_envelope_get_change_document (DossierEnvelope *self);
void             dossier_envelope_set_change_document (DossierEnvelope *self,
                                                       const char      *document);
const char      *dossier_envelope_get_notes          (DossierEnvelope  *self);
void             dossier_envelope_set_notes          (DossierEnvelope  *self,
                                                      const char       *notes);

guint                           dossier_envelope_get_n_parameters (DossierEnvelope *self);
const DossierEnvelopeParameter *dossier_envelope_get_parameter    (DossierEnvelope *self,
                                                                   guint            index);
const DossierEnvelopeParameter *dossier_envelope_lookup_parameter (DossierEnvelope *self,
                                                                   const char      *name);

/* Adds (or replaces, by name) a parameter after checking every value: the name, the
 * unit, that the numbers are decimals, that min ≤ max leaves a non-empty range, that
 * step, tolerance and resolution are positive.  NULL for an absent bound or option. */
gboolean         dossier_envelope_set_numeric        (DossierEnvelope  *self,
                                                      const char       *name,
                                                      const char       *unit,
                                                      const char       *minimum,
                                                      const char       *maximum,
                                                      gboolean          min_inclusive,
                                                      gboolean          max_inclusive,
                                                      const char       *step,
                                                      const char       *tolerance,
                                                      const char       *resolution,
                                                      GError          **error);
gboolean         dossier_envelope_set_categorical    (DossierEnvelope    *self,
                                                      const char         *name,
                                                      const char * const *values,
                                                      GError            **error);
gboolean         dossier_envelope_set_labels         (DossierEnvelope  *self,
                                                      const char       *name,
                                                      const char       *label_en,
                                                      const char       *label_zh);
gboolean         dossier_envelope_remove_parameter   (DossierEnvelope  *self,
                                                      const char       *name);

guint                      dossier_envelope_get_n_rules (DossierEnvelope *self);
const DossierEnvelopeRule *dossier_envelope_get_rule    (DossierEnvelope *self,
                                                         guint            index);
/* Checks the expression against the numeric parameters the envelope has now. */
gboolean         dossier_envelope_add_rule           (DossierEnvelope  *self,
                                                      const char       *expression,
                                                      const char       *description_en,
                                                      const char       *description_zh,
                                                      const char       *source,
                                                      GError          **error);
void             dossier_envelope_remove_rule        (DossierEnvelope  *self,
                                                      guint             index);

/* Everything at once, as before saving: header fields, each parameter, each rule
 * (which may name only numeric parameters the envelope still has). */
gboolean         dossier_envelope_validate           (DossierEnvelope  *self,
                                                      GError          **error);
/* SHA-256 (hex) over the canonical content, for the check's inputs hash. */
char            *dossier_envelope_get_digest         (DossierEnvelope  *self);

/* Store ------------------------------------------------------------------------ */

DossierEnvelope *dossier_envelope_load               (DossierStore     *store,
                                                      gint64            id,
                                                      GError          **error);
/* All versions of a model, oldest first. */
GPtrArray       *dossier_envelope_list_for_model     (DossierStore     *store,
                                                      gint64            model_id,
                                                      GError          **error);
/* Every effective envelope of every model, for checking many dossiers at once. */
GPtrArray       *dossier_envelope_list_effective     (DossierStore     *store,
                                                      GError          **error);
/* The effective version in force on date (YYYY-MM-DD): the latest effective_on not
 * after date, unless its valid_until has passed.  NULL with DOSSIER_ENVELOPE_ERROR_NOT_FOUND when
 * there is none. */
DossierEnvelope *dossier_envelope_find_in_force      (DossierStore     *store,
                                                      gint64            model_id,
                                                      const char       *date,
                                                      GError          **error);
/* Picks from a list as dossier_envelope_find_in_force() does (no store needed). */
DossierEnvelope *dossier_envelope_pick_in_force      (GPtrArray        *envelopes,
                                                      gint64            model_id,
                                                      const char       *date);

/* Validates, then writes a new draft (version 0 takes the next free number) or the
 * changes to an existing draft, in one audited transaction.  Returns the id. */
gint64           dossier_envelope_save               (DossierEnvelope  *self,
                                                      DossierStore     *store,
                                                      GError          **error);
gboolean         dossier_envelope_make_effective     (DossierStore     *store,
                                                      gint64            id,
                                                      const char       *reason,
                                                      GError          **error);
gboolean         dossier_envelope_withdraw           (DossierStore     *store,
                                                      gint64            id,
                                                      const char       *reason,
                                                      GError          **error);
/* A draft copy of envelope id as the next version of its model. */
gint64           dossier_envelope_new_version        (DossierStore     *store,
                                                      gint64            id,
                                                      const char       *effective_on,
                                                      GError          **error);
gboolean         dossier_envelope_delete_draft       (DossierStore     *store,
                                                      gint64            id,
                                                      const char       *reason,
                                                      GError          **error);

/* XML ----------------------------------------------------------------------------- */

/* certificate and model_code identify the model in another database. */
char            *dossier_envelope_to_xml             (DossierEnvelope  *self,
                                                      const char       *product_certificate,
                                                      const char       *model_code,
                                                      gsize            *length,
                                                      GError          **error);
/* Parses safely (no network, no DTD, no entities), validates against the schema
 * shipped in the resources, then checks what the schema cannot (units, limits,
 * rules).  The result is a draft not bound to any model; product_certificate and
 * model_code (may be NULL) say which model it is for. */
DossierEnvelope *dossier_envelope_from_xml           (const char       *data,
                                                      gsize             length,
                                                      char            **product_certificate,
                                                      char            **model_code,
                                                      GError          **error);
/* Schema validation alone; line numbers in messages. */
gboolean         dossier_envelope_validate_xml       (const char       *data,
                                                      gsize             length,
                                                      GError          **error);
char            *dossier_envelope_export_xml         (DossierStore     *store,
                                                      gint64            id,
                                                      gsize            *length,
                                                      GError          **error);
/* Imports as a draft of the model the file names; the version number of the file is
 * kept, and refused (DOSSIER_ENVELOPE_ERROR_EXISTS) when the model already has it. */
gint64           dossier_envelope_import_xml         (DossierStore     *store,
                                                      const char       *data,
                                                      gsize             length,
                                                      GError          **error);

/* Demo data: effective envelopes for the demo models that exist (codes AC-48, AC-52,
 * AC-56, OG-HTO, OG-MAN); models without an envelope template are left alone, and a
 * model that has envelopes already is skipped.  Runs in the caller's transaction. */
gboolean         dossier_envelope_seed_demo          (DossierStore     *store,
                                                      GError          **error);

G_END_DECLS
