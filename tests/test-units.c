/* test-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-units"

#include "config.h"

#include <string.h>

#include "dossier-units.h"

#define OK (-1)

static void
test_lookup (void)
{
  static const struct { const char *spelling; const char *canonical; const char *dimension; } cases[] = {
    { "mm", "mm", "length" },
    { "um", "µm", "length" },
    { "µm", "µm", "length" },     /* U+00B5 micro sign */
    { "μm", "µm", "length" },     /* U+03BC Greek small mu */
    { "micron", "µm", "length" },
    { " cm ", "cm", "length" },
    { "mL", "mL", "volume" },
    { "ml", "mL", "volume" },
    { "cm3", "cm³", "volume" },
    { "cm³", "cm³", "volume" },
    { "cc", "cm³", "volume" },
    { "mm3", "mm³", "volume" },
    { "°", "°", "angle" },
    { "deg", "°", "angle" },
    { "degree", "°", "angle" },
    { "rad", "rad", "angle" },
    { "radian", "rad", "angle" },
    { "g", "g", "mass" },
    { "kg", "kg", "mass" },
    { "%", "%", "ratio" },
    { "MPa", "MPa", "pressure" },
    { "N/mm2", "MPa", "pressure" },
    { "℃", "°C", "temperature" },
    { "", "", "number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DossierUnit *u = dossier_unit_lookup (cases[i].spelling);

      if (u == NULL)
        g_error ("“%s” should be a unit", cases[i].spelling);
      g_assert_cmpstr (dossier_unit_get_symbol (u), ==, cases[i].canonical);
      g_assert_cmpstr (dossier_unit_get_dimension (u), ==, cases[i].dimension);
      g_assert_nonnull (dossier_unit_get_dimension_label (u));
    }
}

static void
test_unknown (void)
{
  static const struct { const char *spelling; const char *needle; } cases[] = {
    { "furlong", "not a unit" },
    { "MM", "did you mean “mm”" },
    { "Kg", "did you mean “kg”" },
    { "mm mm", "not a unit" },
    { "m m", "not a unit" },
  };
  g_autofree char *big = g_strnfill (10 * 1024, 'x');
  g_autoptr(GError) big_error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (dossier_unit_parse (cases[i].spelling, &error));
      g_assert_error (error, DOSSIER_UNIT_ERROR, DOSSIER_UNIT_ERROR_UNKNOWN);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("message for “%s” should mention “%s”: %s", cases[i].spelling, cases[i].needle, error->message);
    }

  g_assert_null (dossier_unit_parse (big, &big_error));
  g_assert_error (big_error, DOSSIER_UNIT_ERROR, DOSSIER_UNIT_ERROR_UNKNOWN);
  g_assert_cmpuint (strlen (big_error->message), <, 200);
}

/* Conversions: exact when the factors are decimal, to 15 digits through π. */
static void
test_convert (void)
{
  static const struct
  {
    const char *value;
    const char *from;
    const char *to;
    int         code;
    const char *expected;
    gboolean    exact;
  } cases[] = {
    { "4.4", "cm", "mm", OK, "44", TRUE },
    { "44", "mm", "cm", OK, "4.4", TRUE },
    { "600", "µm", "mm", OK, "0.6", TRUE },
    { "0.6", "mm", "um", OK, "600", TRUE },
    { "1", "m", "µm", OK, "1000000", TRUE },
    { "2", "in", "mm", OK, "50.8", TRUE },
    { "12", "mL", "cm³", OK, "12", TRUE },
    { "12", "cm3", "mm3", OK, "12000", TRUE },
    { "1500", "mm³", "mL", OK, "1.5", TRUE },
    { "0.25", "kg", "g", OK, "250", TRUE },
    { "250", "g", "kg", OK, "0.25", TRUE },
    { "30", "′", "°", OK, "0.5", TRUE },
    { "45", "°", "rad", OK, "0.785398163397448", FALSE },
    { "0.7853981633974483", "rad", "°", OK, "45", FALSE },
    { "3.141592653589793", "rad", "deg", OK, "180", FALSE },
    { "70", "%", "‰", OK, "700", TRUE },
    { "110", "GPa", "MPa", OK, "110000", TRUE },
    { "4.43", "g/cm³", "kg/m³", OK, "4430", TRUE },
    { "2", "h", "min", OK, "120", TRUE },
    { "5", "cm³", "mm", DOSSIER_UNIT_ERROR_INCOMPATIBLE, "volume", FALSE },
    { "5", "mm", "°", DOSSIER_UNIT_ERROR_INCOMPATIBLE, "length", FALSE },
    { "5", "g", "mL", DOSSIER_UNIT_ERROR_INCOMPATIBLE, "mass", FALSE },
    { "5", "", "mm", DOSSIER_UNIT_ERROR_INCOMPATIBLE, "no unit", FALSE },
    { "5", "%", "", DOSSIER_UNIT_ERROR_INCOMPATIBLE, "ratio", FALSE },
    { "5", "parsec", "mm", DOSSIER_UNIT_ERROR_UNKNOWN, "parsec", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = dossier_unit_convert_text (cases[i].value, cases[i].from, cases[i].to, &error);

      if (cases[i].code == OK)
        {
          DossierDecimal v, f, t, r, expected;
          const DossierUnit *uf = dossier_unit_lookup (cases[i].from);
          const DossierUnit *ut = dossier_unit_lookup (cases[i].to);
          gboolean exact = !cases[i].exact;

          if (out == NULL)
            g_error ("%s %s → %s: %s", cases[i].value, cases[i].from, cases[i].to, error->message);
          g_assert_true (dossier_decimal_try_parse (out, &r));
          g_assert_true (dossier_decimal_try_parse (cases[i].expected, &expected));
          if (dossier_decimal_compare (&r, &expected) != 0)
            g_error ("%s %s → %s should be %s, got %s", cases[i].value, cases[i].from, cases[i].to,
                     cases[i].expected, out);

          g_assert_true (dossier_decimal_try_parse (cases[i].value, &v));
          g_assert_true (dossier_unit_convert (&v, uf, ut, &t, &exact, NULL));
          g_assert_cmpint (exact, ==, cases[i].exact);
          (void)f;
        }
      else
        {
          g_assert_null (out);
          g_assert_error (error, DOSSIER_UNIT_ERROR, cases[i].code);
          if (strstr (error->message, cases[i].expected) == NULL)
            g_error ("message should mention “%s”: %s", cases[i].expected, error->message);
        }
    }
}

static void
test_list (void)
{
  guint n = 0;
  const DossierUnit * const *units = dossier_units_list (&n);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (n, >, 20);
  for (guint i = 0; i < n; i++)
    {
      const DossierUnit *base = dossier_unit_get_base (units[i]);
      DossierDecimal factor;

      g_assert_nonnull (units[i]);
      /* Canonical symbols are unique and look themselves up. */
      g_assert_false (g_hash_table_contains (seen, dossier_unit_get_symbol (units[i])));
      g_hash_table_add (seen, (gpointer)dossier_unit_get_symbol (units[i]));
      g_assert_true (dossier_unit_lookup (dossier_unit_get_symbol (units[i])) == units[i]);
      g_assert_nonnull (base);
      g_assert_true (dossier_unit_is_compatible (base, units[i]));
      dossier_unit_get_factor (units[i], &factor);
      g_assert_cmpint (dossier_decimal_sign (&factor), ==, 1);
    }
  g_assert_null (units[n]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/units/lookup", test_lookup);
  g_test_add_func ("/units/unknown", test_unknown);
  g_test_add_func ("/units/convert", test_convert);
  g_test_add_func ("/units/list", test_list);

  return g_test_run ();
}
