/* test-expression.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-expression"

#include "config.h"

#include <string.h>

#include "dossier-expression.h"

#define OK (-1)

static const char * const names[] = { "wall_thickness", "span", "outer_diameter", "inner_diameter",
                                      "anteversion", "inclination", NULL };

static DossierExpression *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  DossierExpression *e = dossier_expression_parse (text, names, &error);

  if (e == NULL)
    g_error ("“%s” should parse: %s", text, error->message);
  return e;
}

/* Accepted rules, written back canonically. */
static void
test_parse_ok (void)
{
  static const struct { const char *input; const char *canonical; } cases[] = {
    { "wall_thickness >= 0.1 * span", "wall_thickness >= 0.1 * span" },
    { "wall_thickness>=0.1*span", "wall_thickness >= 0.1 * span" },
    { "wall_thickness ≥ 0.1 × span", "wall_thickness >= 0.1 * span" },
    { "(outer_diameter - inner_diameter) / 2 >= wall_thickness",
      "(outer_diameter - inner_diameter) / 2 >= wall_thickness" },
    { "abs(anteversion - 15) <= 10 and inclination <= 50",
      "abs(anteversion - 15) <= 10 AND inclination <= 50" },
    { "NOT (span > 100) OR wall_thickness >= 3", "NOT span > 100 OR wall_thickness >= 3" },
    { "min(span, outer_diameter) > max(1, 2, wall_thickness)", "min(span, outer_diameter) > max(1, 2, wall_thickness)" },
    { "-span < 0", "-span < 0" },
    { "span - (outer_diameter - inner_diameter) = 0", "span - (outer_diameter - inner_diameter) = 0" },
    { "span <> 3 AND span != 4", "span != 3 AND span != 4" },
    { "span == 1.50", "span = 1.50" },
    { "(span > 1 OR span < -1) AND wall_thickness > 0", "(span > 1 OR span < -1) AND wall_thickness > 0" },
    { "span > 1e-3", "span > 0.001" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DossierExpression) e = parse_ok (cases[i].input);
      g_autofree char *s = dossier_expression_to_string (e);

      g_assert_cmpstr (s, ==, cases[i].canonical);
      g_assert_cmpstr (dossier_expression_get_text (e), ==, cases[i].input);

      /* The canonical form means the same and parses to itself. */
      {
        g_autoptr(DossierExpression) again = parse_ok (s);
        g_autofree char *s2 = dossier_expression_to_string (again);
        g_assert_cmpstr (s2, ==, s);
      }
    }
}

/* Refused rules: each message names what is wrong. */
static void
test_parse_refused (void)
{
  static const struct { const char *input; int code; const char *needle; } cases[] = {
    { "", DOSSIER_EXPRESSION_ERROR_EMPTY, "empty" },
    { "   ", DOSSIER_EXPRESSION_ERROR_EMPTY, "empty" },
    { "wall_thickness >= 0.1 * spam", DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME, "“spam” at position 25" },
    { "span > 1; DROP TABLE dossier", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“;” at position 9" },
    { "span > 1 -- comment", DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME, "“comment”" },
    { "span > 1 /* x */", DOSSIER_EXPRESSION_ERROR_SYNTAX, "comments" },
    { "span > 'a'", DOSSIER_EXPRESSION_ERROR_SYNTAX, "text is not allowed" },
    { "span > \"a\"", DOSSIER_EXPRESSION_ERROR_SYNTAX, "text is not allowed" },
    { "load_extension(1) > 0", DOSSIER_EXPRESSION_ERROR_UNKNOWN_FUNCTION, "“load_extension”" },
    { "load_extension('x') > 0", DOSSIER_EXPRESSION_ERROR_SYNTAX, "text is not allowed" },
    { "random() > 0", DOSSIER_EXPRESSION_ERROR_UNKNOWN_FUNCTION, "“random”" },
    { "(SELECT 1) > 0", DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME, "“SELECT”" },
    { "span > ?1", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“?” at position 8" },
    { "span > :x", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“:”" },
    { "span > @x", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“@”" },
    { "span > $x", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“$”" },
    { "span % 2 = 0", DOSSIER_EXPRESSION_ERROR_SYNTAX, "remainder" },
    { "span > 1 && span < 2", DOSSIER_EXPRESSION_ERROR_SYNTAX, "AND or OR" },
    { "span || 'x'", DOSSIER_EXPRESSION_ERROR_SYNTAX, "AND or OR" },
    { "span > 1 < 2", DOSSIER_EXPRESSION_ERROR_SYNTAX, "chained" },
    { "span * 2", DOSSIER_EXPRESSION_ERROR_TYPE, "compares nothing" },
    { "span", DOSSIER_EXPRESSION_ERROR_TYPE, "compares nothing" },
    { "span > 1 AND 2", DOSSIER_EXPRESSION_ERROR_TYPE, "comparison" },
    { "(span > 1) + 1 > 0", DOSSIER_EXPRESSION_ERROR_TYPE, "numbers on each side" },
    { "span >", DOSSIER_EXPRESSION_ERROR_SYNTAX, "ends too early" },
    { "(span > 1", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“)”" },
    { "span > 1)", DOSSIER_EXPRESSION_ERROR_SYNTAX, "not opened" },
    { "span 1 > 2", DOSSIER_EXPRESSION_ERROR_SYNTAX, "operator" },
    { "abs(span, 2) > 0", DOSSIER_EXPRESSION_ERROR_SYNTAX, "one value" },
    { "max(span) > 0", DOSSIER_EXPRESSION_ERROR_SYNTAX, "two or more" },
    { "abs > 0", DOSSIER_EXPRESSION_ERROR_SYNTAX, "parentheses" },
    { "1x > 0", DOSSIER_EXPRESSION_ERROR_SYNTAX, "“1x”" },
    { "span > 1.2.3", DOSSIER_EXPRESSION_ERROR_SYNTAX, "not a number" },
    { "span > NaN", DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME, "“NaN”" },
    { "span > inf", DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME, "“inf”" },
    { "span （> 1）", DOSSIER_EXPRESSION_ERROR_SYNTAX, "half-width" },
    { "span > 1e999", DOSSIER_EXPRESSION_ERROR_SYNTAX, "range" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierExpression) e = dossier_expression_parse (cases[i].input, names, &error);

      if (e != NULL)
        g_error ("“%s” should be refused", cases[i].input);
      if (!g_error_matches (error, DOSSIER_EXPRESSION_ERROR, cases[i].code))
        g_error ("“%s” should fail with code %d, got %s", cases[i].input, cases[i].code, error->message);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("message for “%s” should mention “%s”: %s", cases[i].input, cases[i].needle, error->message);
      g_assert_cmpuint (strlen (error->message), <, 300);
    }
}

static void
test_limits (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new ("span > 0");
  g_autofree char *huge = g_strnfill (10 * 1024, 'a');
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  DossierExpression *e;

  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "span > 0");
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, ')');
  e = dossier_expression_parse (deep->str, names, &e1);
  g_assert_null (e);
  g_assert_error (e1, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG);

  for (guint i = 0; i < 100; i++)
    g_string_append (wide, " AND span > 0");
  e = dossier_expression_parse (wide->str, names, &e2);
  g_assert_null (e);
  g_assert_error (e2, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG);

  e = dossier_expression_parse (huge, names, &e3);
  g_assert_null (e);
  g_assert_error (e3, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG);
  g_assert_cmpuint (strlen (e3->message), <, 200);

  /* No names given: no identifier is allowed. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (dossier_expression_parse ("span > 1", NULL, &error));
    g_assert_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME);
  }
}

/* Evaluation is exact: the double-precision pitfalls hold as they should. */
static void
test_evaluate (void)
{
  static const struct
  {
    const char *rule;
    const char *values[6]; /* name=value pairs as "name=value" */
    int         expected;  /* 1 holds, 0 fails, -2 evaluation error */
    const char *needle;
  } cases[] = {
    { "wall_thickness >= 0.1 * span", { "wall_thickness=3", "span=30" }, 1, NULL },
    { "wall_thickness >= 0.1 * span", { "wall_thickness=3.0", "span=30.0" }, 1, NULL },
    { "wall_thickness >= 0.1 * span", { "wall_thickness=2.99", "span=30" }, 0, NULL },
    { "wall_thickness > 0.1 * span", { "wall_thickness=3", "span=30" }, 0, NULL },
    { "wall_thickness = 0.1 + 0.2", { "wall_thickness=0.3" }, 1, NULL },
    { "span / 3 * 3 = span", { "span=1" }, 0, NULL },   /* 1/3 is rounded: honest, not fudged */
    { "span / 4 * 4 = span", { "span=1" }, 1, NULL },
    { "abs(anteversion - 15) <= 10", { "anteversion=5" }, 1, NULL },
    { "abs(anteversion - 15) <= 10", { "anteversion=4.99" }, 0, NULL },
    { "min(span, outer_diameter) >= 2 AND max(span, outer_diameter) <= 60", { "span=2", "outer_diameter=60" }, 1, NULL },
    { "NOT span > 1", { "span=1" }, 1, NULL },
    { "span > 1 OR span < -1", { "span=-1.5" }, 1, NULL },
    { "-span < 0", { "span=0.001" }, 1, NULL },
    { "wall_thickness / span > 0", { "wall_thickness=1", "span=0" }, -2, "division by zero" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DossierExpression) e = parse_ok (cases[i].rule);
      g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GError) error = NULL;
      gboolean holds = FALSE;
      gboolean ok;

      for (guint v = 0; v < G_N_ELEMENTS (cases[i].values) && cases[i].values[v] != NULL; v++)
        {
          g_auto(GStrv) kv = g_strsplit (cases[i].values[v], "=", 2);
          g_hash_table_insert (values, g_strdup (kv[0]), g_strdup (kv[1]));
        }

      ok = dossier_expression_evaluate_text (e, values, &holds, &error);
      if (cases[i].expected == -2)
        {
          g_assert_false (ok);
          g_assert_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION);
          g_assert_nonnull (strstr (error->message, cases[i].needle));
          continue;
        }
      if (!ok)
        g_error ("“%s” should evaluate: %s", cases[i].rule, error->message);
      if (holds != cases[i].expected)
        g_error ("“%s” should %s", cases[i].rule, cases[i].expected ? "hold" : "fail");
    }
}

/* The statement is re-used; names are bound in first-use order; a missing value is an
 * evaluation error, not a crash or a silent pass. */
static void
test_binding (void)
{
  g_autoptr(DossierExpression) e = parse_ok ("span >= wall_thickness * 2 AND span <= outer_diameter");
  const char * const *used = dossier_expression_get_names (e);
  DossierDecimal v[3];
  gboolean holds = FALSE;

  g_assert_cmpstr (used[0], ==, "span");
  g_assert_cmpstr (used[1], ==, "wall_thickness");
  g_assert_cmpstr (used[2], ==, "outer_diameter");
  g_assert_null (used[3]);
  g_assert_null (strstr (dossier_expression_get_sql (e), "span"));

  /* Many runs of the one statement: none is cut off by the step budget, which is
   * per run. */
  for (guint round = 0; round < 50000; round++)
    {
      dossier_decimal_from_int (&v[0], 10);
      dossier_decimal_from_int (&v[1], round % 10);
      dossier_decimal_from_int (&v[2], 50);
      g_assert_true (dossier_expression_evaluate (e, v, &holds, NULL));
      g_assert_cmpint (holds, ==, (round % 10) <= 5);
    }

  {
    g_autoptr(GHashTable) partial = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GError) error = NULL;

    g_hash_table_insert (partial, (gpointer)"span", (gpointer)"3");
    g_assert_false (dossier_expression_evaluate_text (e, partial, &holds, &error));
    g_assert_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION);
  }
}

static void
test_names (void)
{
  static const struct { const char *name; gboolean valid; } cases[] = {
    { "outer_diameter", TRUE },
    { "_x1", TRUE },
    { "A", TRUE },
    { "1a", FALSE },
    { "", FALSE },
    { "outer diameter", FALSE },
    { "外径", FALSE },
    { "and", FALSE },
    { "NOT", FALSE },
    { "max", FALSE },
    { "a-b", FALSE },
  };
  g_autofree char *long_name = g_strnfill (64, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (dossier_expression_is_valid_name (cases[i].name), ==, cases[i].valid);
  g_assert_false (dossier_expression_is_valid_name (long_name));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/expression/parse-ok", test_parse_ok);
  g_test_add_func ("/expression/parse-refused", test_parse_refused);
  g_test_add_func ("/expression/limits", test_limits);
  g_test_add_func ("/expression/evaluate", test_evaluate);
  g_test_add_func ("/expression/binding", test_binding);
  g_test_add_func ("/expression/names", test_names);

  return g_test_run ();
}
