/* dossier-expression.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "dossier-decimal.h"

G_BEGIN_DECLS

/* Dependency rules between envelope parameters, such as
 *
 *   wall_thickness >= 0.1 * span
 *   abs (anteversion - 15) <= 10 AND inclination <= 50
 *
 * The text is tokenised against a strict whitelist: decimal numbers, the names of the
 * envelope's numeric parameters, + - * / ( ) and commas, the comparisons < <= > >= =
 * == != <> (also ≤ ≥ ≠, × ÷), AND, OR, NOT and the functions abs, min and max.
 * Anything else is refused with a message that names the offending token and where
 * it is.  The parsed rule becomes a SELECT on a private in-memory SQLite connection
 * whose authorizer denies everything but that SELECT and Dossier's own arithmetic
 * functions; parameter values are bound, never written into SQL.  Arithmetic is exact
 * decimal (see dossier-decimal.h), so 3 >= 0.1 * 30 holds, as it should.  Each
 * expression has its own connection: use one from one thread at a time. */

#define DOSSIER_EXPRESSION_ERROR (dossier_expression_error_quark ())

typedef enum
{
  DOSSIER_EXPRESSION_ERROR_EMPTY,
  DOSSIER_EXPRESSION_ERROR_TOO_LONG,
  DOSSIER_EXPRESSION_ERROR_SYNTAX,           /* a character or token that is not allowed here */
  DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME,     /* not a numeric parameter of the envelope */
  DOSSIER_EXPRESSION_ERROR_UNKNOWN_FUNCTION,
  DOSSIER_EXPRESSION_ERROR_TYPE,             /* e.g. a number where a condition is needed */
  DOSSIER_EXPRESSION_ERROR_EVALUATION,       /* division by zero, … */
} DossierExpressionError;

GQuark dossier_expression_error_quark (void);

#define DOSSIER_EXPRESSION_MAX_LENGTH 1000
#define DOSSIER_EXPRESSION_MAX_DEPTH  32

typedef struct _DossierExpression DossierExpression;

#define DOSSIER_TYPE_EXPRESSION (dossier_expression_get_type ())
GType               dossier_expression_get_type     (void) G_GNUC_CONST;

/* names: the identifiers the rule may use (NULL-terminated); a rule must compare
 * something, so "span * 2" alone is refused. */
DossierExpression  *dossier_expression_parse        (const char               *text,
                                                     const char * const       *names,
                                                     GError                  **error);
DossierExpression  *dossier_expression_ref          (DossierExpression        *self);
void                dossier_expression_unref        (DossierExpression        *self);

const char         *dossier_expression_get_text     (DossierExpression        *self);
/* The rule re-written with single spaces and only the parentheses it needs. */
char               *dossier_expression_to_string    (DossierExpression        *self);
/* The parameters the rule uses, in order of first use; NULL-terminated. */
const char * const *dossier_expression_get_names    (DossierExpression        *self);
/* The SQL that is run, for tests and curious maintainers. */
const char         *dossier_expression_get_sql      (DossierExpression        *self);

/* values: one per dossier_expression_get_names(), in that order, in the units the
 * rule is written for.  *result is whether the rule holds. */
gboolean            dossier_expression_evaluate     (DossierExpression        *self,
                                                     const DossierDecimal     *values,
                                                     gboolean                 *result,
                                                     GError                  **error);
/* Convenience: values by name as decimal text. */
gboolean            dossier_expression_evaluate_text (DossierExpression       *self,
                                                      GHashTable              *values,
                                                      gboolean                *result,
                                                      GError                 **error);

/* Whether name may name a parameter: [A-Za-z_][A-Za-z0-9_]* of at most 63
 * characters that is not AND, OR, NOT or a function name. */
gboolean            dossier_expression_is_valid_name (const char              *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierExpression, dossier_expression_unref)

G_END_DECLS
