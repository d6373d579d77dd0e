/* dossier-decimal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exact decimal numbers for the envelope check.
 *
 * Parameter values are kept as the decimal text a person entered ("44.0"), and the
 * check compares them with the registered limits exactly: 44.0 against a minimum of 44
 * passes, 43.99 fails, and no binary floating-point rounding can flip a verdict.  A
 * DossierDecimal is a plain value (no allocation): sign × coefficient × 10^exponent,
 * where the coefficient keeps its trailing zeros, so that 44.0 prints as 44.0 again. */

#define DOSSIER_DECIMAL_ERROR (dossier_decimal_error_quark ())

typedef enum
{
  DOSSIER_DECIMAL_ERROR_EMPTY,             /* nothing given */
  DOSSIER_DECIMAL_ERROR_SYNTAX,            /* not a number as written */
  DOSSIER_DECIMAL_ERROR_NOT_FINITE,        /* NaN or infinity */
  DOSSIER_DECIMAL_ERROR_TOO_LONG,          /* more characters than DOSSIER_DECIMAL_MAX_INPUT */
  DOSSIER_DECIMAL_ERROR_RANGE,             /* magnitude outside what Dossier handles */
  DOSSIER_DECIMAL_ERROR_DIVISION_BY_ZERO,
} DossierDecimalError;

GQuark dossier_decimal_error_quark (void);

/* Characters accepted from text, and significant digits kept by arithmetic. */
#define DOSSIER_DECIMAL_MAX_INPUT  64
#define DOSSIER_DECIMAL_MAX_DIGITS 64

/* Parsed values must lie within 10^-DOSSIER_DECIMAL_MAX_MAGNITUDE and
 * 10^DOSSIER_DECIMAL_MAX_MAGNITUDE (leading digit), which is far beyond any device
 * dimension and keeps printed values short. */
#define DOSSIER_DECIMAL_MAX_MAGNITUDE 60

typedef struct
{
  gint8   sign;      /* -1, 0 (the value is zero), +1 */
  guint8  n_digits;  /* 0 for zero */
  gint32  exponent;  /* value = sign × digits × 10^exponent */
  guint8  digits[DOSSIER_DECIMAL_MAX_DIGITS]; /* most significant first, no leading zero */
} DossierDecimal;

typedef enum
{
  DOSSIER_ROUND_HALF_EVEN,  /* arithmetic that runs out of digits */
  DOSSIER_ROUND_HALF_UP,    /* half away from zero, as people round readings */
  DOSSIER_ROUND_FLOOR,      /* towards minus infinity */
  DOSSIER_ROUND_CEILING,    /* towards plus infinity */
} DossierRounding;

/* Accepts what a person writes: an optional sign, digits with an optional decimal
 * point, an optional exponent (44, -0.5, .5, 44., 1e-3, 4.4E1).  Refuses empty text,
 * spaces, commas, full-width digits, NaN and infinity, and anything longer than
 * DOSSIER_DECIMAL_MAX_INPUT characters, each with a message that quotes (a short
 * piece of) the input and says what to type instead. */
gboolean  dossier_decimal_parse          (const char            *text,
                                          DossierDecimal        *out,
                                          GError               **error);
/* Like dossier_decimal_parse() with a NULL error, for text known to be valid. */
gboolean  dossier_decimal_try_parse      (const char            *text,
                                          DossierDecimal        *out);
void      dossier_decimal_from_int       (DossierDecimal        *out,
                                          gint64                 value);
/* Plain notation, never an exponent, keeping the scale: 44.0 → "44.0", 1e3 → "1000". */
char     *dossier_decimal_to_string      (const DossierDecimal  *value);
/* Like to_string() but without trailing fractional zeros: 44.50 → "44.5". */
char     *dossier_decimal_to_display     (const DossierDecimal  *value);
double    dossier_decimal_to_double      (const DossierDecimal  *value);

int       dossier_decimal_compare        (const DossierDecimal  *a,
                                          const DossierDecimal  *b);
gboolean  dossier_decimal_equal          (const DossierDecimal  *a,
                                          const DossierDecimal  *b);
int       dossier_decimal_sign           (const DossierDecimal  *value);
gboolean  dossier_decimal_is_zero        (const DossierDecimal  *value);
gboolean  dossier_decimal_is_integer     (const DossierDecimal  *value);
guint     dossier_decimal_significant_digits (const DossierDecimal *value);

/* Arithmetic is exact when the result fits in DOSSIER_DECIMAL_MAX_DIGITS significant
 * digits (always, for the values Dossier meets); otherwise it is rounded half-even and
 * the function returns FALSE to say so.  out may be the same as an operand. */
gboolean  dossier_decimal_add            (const DossierDecimal  *a,
                                          const DossierDecimal  *b,
                                          DossierDecimal        *out);
gboolean  dossier_decimal_subtract       (const DossierDecimal  *a,
                                          const DossierDecimal  *b,
                                          DossierDecimal        *out);
gboolean  dossier_decimal_multiply       (const DossierDecimal  *a,
                                          const DossierDecimal  *b,
                                          DossierDecimal        *out);
/* a / b to at most precision significant digits (at most
 * DOSSIER_DECIMAL_MAX_DIGITS); *exact says whether nothing was lost. */
gboolean  dossier_decimal_divide         (const DossierDecimal  *a,
                                          const DossierDecimal  *b,
                                          guint                  precision,
                                          DossierDecimal        *out,
                                          gboolean              *exact,
                                          GError               **error);
void      dossier_decimal_negate         (const DossierDecimal  *a,
                                          DossierDecimal        *out);
void      dossier_decimal_abs            (const DossierDecimal  *a,
                                          DossierDecimal        *out);

/* Whether value is an integer multiple of step (step must not be zero): the step-grid
 * test, exact for any decimal step such as 0.5 or 0.05. */
gboolean  dossier_decimal_is_multiple    (const DossierDecimal  *value,
                                          const DossierDecimal  *step);
/* Rounds to the nearest multiple of quantum (quantum > 0) by mode; the result keeps
 * the quantum's scale, so 43.996 to 0.01 is 44.00. */
gboolean  dossier_decimal_quantize       (const DossierDecimal  *value,
                                          const DossierDecimal  *quantum,
                                          DossierRounding        mode,
                                          DossierDecimal        *out);
/* Rounds to at most digits significant digits. */
void      dossier_decimal_round_significant (const DossierDecimal *value,
                                             guint                 digits,
                                             DossierRounding       mode,
                                             DossierDecimal       *out);
/* Drops trailing zeros of the coefficient (44.000 → 44, 1200 keeps its value). */
void      dossier_decimal_reduce         (const DossierDecimal  *value,
                                          DossierDecimal        *out);

G_END_DECLS
