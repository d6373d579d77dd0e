/* dossier-canonical.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The canonical serialisation of what a signature covers.
 *
 * This is the one place that says which records and fields each sign-off point
 * covers and how they are turned into bytes; the SHA-256 of those bytes is what a
 * signature stores and what validity is checked against.  The format is documented
 * with a worked example in docs/signatures.md.  It depends on nothing but the stored
 * values: not on the locale, the time zone, the order rows were written in, or the
 * run. */

#define DOSSIER_CANONICAL_VERSION "dossier-signature-v1"

typedef enum
{
  DOSSIER_SIGN_POINT_DESIGN_REVIEW,     /* "design-review", meaning "reviewed" */
  DOSSIER_SIGN_POINT_DESIGN_APPROVAL,   /* "design-approval", meaning "approved" */
  DOSSIER_SIGN_POINT_PROCESSING_REVIEW, /* "processing-review", meaning "reviewed" */
  DOSSIER_SIGN_POINT_RELEASE,           /* "release", meaning "released" */
} DossierSignPoint;

#define DOSSIER_N_SIGN_POINTS 4

const char *dossier_sign_point_to_string   (DossierSignPoint  point);
gboolean    dossier_sign_point_from_string (const char       *text,
                                            DossierSignPoint *point);
const char *dossier_sign_point_get_label   (DossierSignPoint  point); /* "Design approval", translated */
const char *dossier_sign_point_get_meaning (DossierSignPoint  point); /* "approved" */
/* "reviewed" → "Reviewed", translated; unknown meanings come back as they are. */
const char *dossier_sign_meaning_get_label (const char       *meaning);
/* The same two labels in English, whatever the language. */
const char *dossier_sign_point_get_label_en   (DossierSignPoint  point);
const char *dossier_sign_meaning_get_label_en (const char       *meaning);

/* What a point covers: the design (the order part of the dossier record, design
 * inputs, every design iteration with its parameter values, design attachments), the
 * processing record (processing steps with the material lots used, inspections,
 * processing and inspection attachments), or, for release, both. */
gboolean    dossier_canonical_covers_table  (DossierSignPoint  point,
                                             const char       *table);
/* column: a field of table whose change alters the covered content. */
gboolean    dossier_canonical_covers_column (DossierSignPoint  point,
                                             const char       *table,
                                             const char       *column);
gboolean    dossier_canonical_covers_attachment_section (DossierSignPoint  point,
                                                         const char       *section);

/* The covered columns of table, in serialisation order (NULL-terminated), or NULL
 * when no point covers table. */
const char * const *dossier_canonical_columns (const char *table);

/* Building the serialisation (pure; what dossier_canonical_read() uses). */
typedef struct _DossierCanonical DossierCanonical;

DossierCanonical *dossier_canonical_new        (DossierSignPoint    point,
                                                gint64              dossier_id);
/* One record: its table, id, and values of columns (NULL: SQL NULL), in the order
 * the format defines for that table. */
void              dossier_canonical_add_row    (DossierCanonical   *self,
                                                const char         *table,
                                                gint64              id,
                                                const char * const *columns,
                                                const char * const *values,
                                                guint               n_values);
/* The bytes so far, ending with the closing line. */
const char       *dossier_canonical_get_text   (DossierCanonical   *self,
                                                gsize              *length);
/* Lower-case hex SHA-256 of dossier_canonical_get_text(). */
char             *dossier_canonical_get_sha256 (DossierCanonical   *self);
void              dossier_canonical_free       (DossierCanonical   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierCanonical, dossier_canonical_free)

/* The content of dossier_id that point covers, as it is stored now (read in one
 * read transaction). */
DossierCanonical *dossier_canonical_read       (DossierStore       *store,
                                                gint64              dossier_id,
                                                DossierSignPoint    point,
                                                GError            **error);
char             *dossier_canonical_hash       (DossierStore       *store,
                                                gint64              dossier_id,
                                                DossierSignPoint    point,
                                                GError            **error);

G_END_DECLS
