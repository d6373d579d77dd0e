/* test-decimal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-decimal"

#include "config.h"

#include <string.h>

#include "dossier-decimal.h"

#define OK (-1)

static DossierDecimal
D (const char *text)
{
  DossierDecimal d;
  g_autoptr(GError) error = NULL;

  if (!dossier_decimal_parse (text, &d, &error))
    g_error ("“%s” should parse: %s", text, error->message);
  return d;
}

static void
assert_text (const DossierDecimal *d,
             const char           *expected)
{
  g_autofree char *s = dossier_decimal_to_string (d);

  g_assert_cmpstr (s, ==, expected);
}

/* Parsing: what is accepted prints back with its scale; what is refused says why. */
static void
test_parse (void)
{
  static const struct
  {
    const char *input;
    int         code;
    const char *printed;   /* OK: to_string(); error: a piece of the message */
  } cases[] = {
    { "44", OK, "44" },
    { "44.0", OK, "44.0" },
    { "44.00", OK, "44.00" },
    { "-0.5", OK, "-0.5" },
    { "+3", OK, "3" },
    { ".5", OK, "0.5" },
    { "5.", OK, "5" },
    { "0", OK, "0" },
    { "0.000", OK, "0.000" },
    { "-0", OK, "0" },
    { "007.50", OK, "7.50" },
    { "1e3", OK, "1000" },
    { "4.4E1", OK, "44" },
    { "1e-3", OK, "0.001" },
    { "2.5e-2", OK, "0.025" },
    { "123456789012345678901234567890.5", OK, "123456789012345678901234567890.5" },
    { "", DOSSIER_DECIMAL_ERROR_EMPTY, "no number" },
    { NULL, DOSSIER_DECIMAL_ERROR_EMPTY, "no number" },
    { "abc", DOSSIER_DECIMAL_ERROR_SYNTAX, "“abc” is not a number" },
    { "NaN", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "nan", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "-nan", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "inf", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "-Infinity", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "1.#INF", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "∞", DOSSIER_DECIMAL_ERROR_NOT_FINITE, "not a finite number" },
    { "44,5", DOSSIER_DECIMAL_ERROR_SYNTAX, "decimal separator" },
    { " 44", DOSSIER_DECIMAL_ERROR_SYNTAX, "spaces" },
    { "44 ", DOSSIER_DECIMAL_ERROR_SYNTAX, "spaces" },
    { "４４", DOSSIER_DECIMAL_ERROR_SYNTAX, "half-width" },
    { "44.5mm", DOSSIER_DECIMAL_ERROR_SYNTAX, "not a number" },
    { "0x10", DOSSIER_DECIMAL_ERROR_SYNTAX, "not a number" },
    { "1e", DOSSIER_DECIMAL_ERROR_SYNTAX, "not a number" },
    { "--1", DOSSIER_DECIMAL_ERROR_SYNTAX, "not a number" },
    { ".", DOSSIER_DECIMAL_ERROR_SYNTAX, "not a number" },
    { "1.2.3", DOSSIER_DECIMAL_ERROR_SYNTAX, "not a number" },
    { "1e999", DOSSIER_DECIMAL_ERROR_RANGE, "range" },
    { "1e-999", DOSSIER_DECIMAL_ERROR_RANGE, "range" },
    { "1e99999", DOSSIER_DECIMAL_ERROR_RANGE, "range" },
    { "\xff\xfe", DOSSIER_DECIMAL_ERROR_SYNTAX, "not valid text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      DossierDecimal d;
      gboolean ok = dossier_decimal_parse (cases[i].input, &d, &error);

      if (cases[i].code == OK)
        {
          if (!ok)
            g_error ("“%s” should parse: %s", cases[i].input, error->message);
          assert_text (&d, cases[i].printed);
        }
      else
        {
          if (ok)
            g_error ("“%s” should be refused", cases[i].input);
          g_assert_error (error, DOSSIER_DECIMAL_ERROR, cases[i].code);
          if (strstr (error->message, cases[i].printed) == NULL)
            g_error ("message for “%s” should mention “%s”: %s", cases[i].input, cases[i].printed, error->message);
          g_assert_cmpuint (strlen (error->message), <, 200);
        }
    }
}

/* A 10 KB string is refused quickly with a short message that quotes only its start. */
static void
test_parse_long (void)
{
  g_autofree char *big = g_strnfill (10 * 1024, '9');
  g_autoptr(GError) error = NULL;
  DossierDecimal d;

  g_assert_false (dossier_decimal_parse (big, &d, &error));
  g_assert_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_TOO_LONG);
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_assert_nonnull (strstr (error->message, "…"));
}

static void
test_compare (void)
{
  static const struct { const char *a; const char *b; int expected; } cases[] = {
    { "44.0", "44", 0 },
    { "44", "44.000", 0 },
    { "43.99", "44", -1 },
    { "44.000000000000000000001", "44", 1 },
    { "-1", "1", -1 },
    { "-2", "-1", -1 },
    { "0", "-0.0", 0 },
    { "0.1", "0.10", 0 },
    { "1e3", "999.999", 1 },
    { "0.001", "1e-3", 0 },
    { "-0.5", "0", -1 },
    { "58", "58.0000000000000001", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DossierDecimal a = D (cases[i].a), b = D (cases[i].b);

      if (dossier_decimal_compare (&a, &b) != cases[i].expected)
        g_error ("compare (%s, %s) should be %d", cases[i].a, cases[i].b, cases[i].expected);
      g_assert_cmpint (dossier_decimal_compare (&b, &a), ==, -cases[i].expected);
    }
}

/* The arithmetic a binary double gets wrong is exact here. */
static void
test_arithmetic (void)
{
  static const struct { const char *a; char op; const char *b; const char *expected; } cases[] = {
    { "0.1", '+', "0.2", "0.3" },
    { "44", '-', "0.5", "43.5" },
    { "46.6", '-', "44", "2.6" },
    { "0.1", '*', "30", "3.0" },
    { "1.5", '*', "-2", "-3.0" },
    { "1", '/', "4", "0.25" },
    { "10", '/', "2", "5" },
    { "1", '/', "3", "0.3333333333333333333333333333333333" },
    { "2", '/', "3", "0.6666666666666666666666666666666667" },
    { "-7", '/', "2", "-3.5" },
    { "5", '-', "5", "0" },
    { "1e-60", '+', "1e60", "1000000000000000000000000000000000000000000000000000000000000.000000000000000000000000000000000000000000000000000000000001" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DossierDecimal a = D (cases[i].a), b = D (cases[i].b), r;
      g_autofree char *s = NULL;

      switch (cases[i].op)
        {
        case '+': dossier_decimal_add (&a, &b, &r); break;
        case '-': dossier_decimal_subtract (&a, &b, &r); break;
        case '*': dossier_decimal_multiply (&a, &b, &r); break;
        case '/': g_assert_true (dossier_decimal_divide (&a, &b, 34, &r, NULL, NULL)); break;
        default: g_assert_not_reached ();
        }
      s = dossier_decimal_to_string (&r);
      if (cases[i].op == '+' && i == G_N_ELEMENTS (cases) - 1)
        {
          /* 121 significant digits do not fit: rounded, and still ≈ 1e60. */
          DossierDecimal big = D ("1e60");
          g_assert_cmpint (dossier_decimal_compare (&r, &big), ==, 0);
          continue;
        }
      if (g_strcmp0 (s, cases[i].expected) != 0)
        g_error ("%s %c %s should be %s, got %s", cases[i].a, cases[i].op, cases[i].b, cases[i].expected, s);
    }

  {
    DossierDecimal a = D ("1"), z = D ("0.00"), r;
    g_autoptr(GError) error = NULL;
    gboolean exact = TRUE;

    g_assert_false (dossier_decimal_divide (&a, &z, 34, &r, NULL, &error));
    g_assert_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_DIVISION_BY_ZERO);

    a = D ("1");
    z = D ("3");
    dossier_decimal_divide (&a, &z, 10, &r, &exact, NULL);
    g_assert_false (exact);
    assert_text (&r, "0.3333333333");
  }
}

static void
test_multiple (void)
{
  static const struct { const char *value; const char *step; gboolean expected; } cases[] = {
    { "2.5", "0.5", TRUE },     /* 46.5 - 44 */
    { "2.6", "0.5", FALSE },    /* 46.6 - 44 */
    { "0", "0.5", TRUE },
    { "14", "2", TRUE },
    { "13", "2", FALSE },
    { "0.15", "0.05", TRUE },
    { "0.150000000001", "0.05", FALSE },
    { "-1.5", "0.5", TRUE },
    { "1", "0.3", FALSE },
    { "0.9", "0.3", TRUE },
    { "100", "0.001", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DossierDecimal v = D (cases[i].value), s = D (cases[i].step);

      if (dossier_decimal_is_multiple (&v, &s) != cases[i].expected)
        g_error ("%s is%s a multiple of %s", cases[i].value, cases[i].expected ? "" : " not", cases[i].step);
    }
}

static void
test_quantize (void)
{
  static const struct { const char *value; const char *quantum; DossierRounding mode; const char *expected; } cases[] = {
    { "43.99999999997", "0.01", DOSSIER_ROUND_HALF_UP, "44.00" },
    { "43.994", "0.01", DOSSIER_ROUND_HALF_UP, "43.99" },
    { "43.995", "0.01", DOSSIER_ROUND_HALF_UP, "44.00" },
    { "-43.995", "0.01", DOSSIER_ROUND_HALF_UP, "-44.00" },
    { "2.5", "1", DOSSIER_ROUND_HALF_EVEN, "2" },
    { "3.5", "1", DOSSIER_ROUND_HALF_EVEN, "4" },
    { "46.6", "0.5", DOSSIER_ROUND_FLOOR, "46.5" },
    { "46.6", "0.5", DOSSIER_ROUND_CEILING, "47.0" },
    { "-0.2", "0.5", DOSSIER_ROUND_FLOOR, "-0.5" },
    { "-0.2", "0.5", DOSSIER_ROUND_CEILING, "0" },
    { "0.001", "0.01", DOSSIER_ROUND_HALF_UP, "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DossierDecimal v = D (cases[i].value), q = D (cases[i].quantum), r;
      g_autofree char *s = NULL;
      DossierDecimal expected = D (cases[i].expected);

      g_assert_true (dossier_decimal_quantize (&v, &q, cases[i].mode, &r));
      s = dossier_decimal_to_string (&r);
      if (dossier_decimal_compare (&r, &expected) != 0)
        g_error ("quantize (%s, %s) should be %s, got %s", cases[i].value, cases[i].quantum, cases[i].expected, s);
    }
}

static void
test_round_and_display (void)
{
  DossierDecimal d = D ("44.9999999999999994"), r;
  g_autofree char *shown = NULL;
  g_autofree char *plain = NULL;

  dossier_decimal_round_significant (&d, 15, DOSSIER_ROUND_HALF_EVEN, &r);
  assert_text (&r, "45.0000000000000");
  shown = dossier_decimal_to_display (&r);
  g_assert_cmpstr (shown, ==, "45");

  d = D ("1200");
  dossier_decimal_reduce (&d, &r);
  plain = dossier_decimal_to_string (&r);
  g_assert_cmpstr (plain, ==, "1200");

  d = D ("0.000");
  g_assert_true (dossier_decimal_is_zero (&d));
  g_assert_true (dossier_decimal_is_integer (&d));
  d = D ("44.0");
  g_assert_true (dossier_decimal_is_integer (&d));
  d = D ("44.01");
  g_assert_false (dossier_decimal_is_integer (&d));
  g_assert_cmpfloat_with_epsilon (dossier_decimal_to_double (&d), 44.01, 1e-12);

  dossier_decimal_from_int (&d, -1234);
  assert_text (&d, "-1234");
  dossier_decimal_from_int (&d, G_MININT64);
  assert_text (&d, "-9223372036854775808");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/decimal/parse", test_parse);
  g_test_add_func ("/decimal/parse-long", test_parse_long);
  g_test_add_func ("/decimal/compare", test_compare);
  g_test_add_func ("/decimal/arithmetic", test_arithmetic);
  g_test_add_func ("/decimal/multiple", test_multiple);
  g_test_add_func ("/decimal/quantize", test_quantize);
  g_test_add_func ("/decimal/round-and-display", test_round_and_display);

  return g_test_run ();
}
