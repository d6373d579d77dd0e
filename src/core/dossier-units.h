/* dossier-units.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dossier-decimal.h"

G_BEGIN_DECLS

/* Units of measure, as data: each unit has a dimension (length, volume, angle…) and a
 * factor to its dimension's base unit.  Values convert only within a dimension; a
 * value in cm³ never silently becomes a length.  Factors that are powers of ten (or
 * other exact decimals, such as 25.4 mm to the inch or 60 arcmin to the degree)
 * convert exactly; the radian, whose factor involves π, converts to
 * DOSSIER_UNIT_INEXACT_DIGITS significant digits, far finer than any device is made
 * and coarse enough that a value a program printed in radians does not miss its
 * limit in degrees by a rounding error.  Spellings such as "um", "µm" (micro sign),
 * "μm" (Greek mu), "ml", "cm3", "cm³" and "°" are aliases. */

#define DOSSIER_UNIT_ERROR (dossier_unit_error_quark ())

typedef enum
{
  DOSSIER_UNIT_ERROR_UNKNOWN,       /* not a unit Dossier knows */
  DOSSIER_UNIT_ERROR_INCOMPATIBLE,  /* different dimensions */
  DOSSIER_UNIT_ERROR_MISSING,       /* no unit given where one is needed */
} DossierUnitError;

GQuark dossier_unit_error_quark (void);

#define DOSSIER_UNIT_INEXACT_DIGITS 15

typedef struct _DossierUnit DossierUnit;

/* symbol may carry surrounding spaces; "" is the unit of plain numbers (counts). */
const DossierUnit  *dossier_unit_lookup            (const char         *symbol);
/* Like lookup, with an error that names the input and suggests a spelling. */
const DossierUnit  *dossier_unit_parse             (const char         *symbol,
                                                    GError            **error);
const char         *dossier_unit_get_symbol        (const DossierUnit  *unit); /* canonical: "µm", "mL" */
const char         *dossier_unit_get_dimension     (const DossierUnit  *unit); /* "length" */
const char         *dossier_unit_get_dimension_label (const DossierUnit *unit); /* translated */
/* Factor to the base unit of the dimension; returns whether it is exact. */
gboolean            dossier_unit_get_factor        (const DossierUnit  *unit,
                                                    DossierDecimal     *factor);
const DossierUnit  *dossier_unit_get_base          (const DossierUnit  *unit);
gboolean            dossier_unit_is_compatible     (const DossierUnit  *a,
                                                    const DossierUnit  *b);
/* The known units, in table order (dimension by dimension); NULL-terminated. */
const DossierUnit * const *dossier_units_list      (guint              *n_units);

/* Converts value from one unit to another of the same dimension.  *exact (may be NULL)
 * tells whether the result is exact; an inexact one is rounded half-even to
 * DOSSIER_UNIT_INEXACT_DIGITS significant digits.  Different dimensions give
 * DOSSIER_UNIT_ERROR_INCOMPATIBLE with a message naming both units. */
gboolean            dossier_unit_convert           (const DossierDecimal *value,
                                                    const DossierUnit    *from,
                                                    const DossierUnit    *to,
                                                    DossierDecimal       *out,
                                                    gboolean             *exact,
                                                    GError              **error);
/* Text in, text out: parses value and both units, then converts. */
char               *dossier_unit_convert_text      (const char         *value,
                                                    const char         *from,
                                                    const char         *to,
                                                    GError            **error);

G_END_DECLS
