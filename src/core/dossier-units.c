/* dossier-units.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-units"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dossier-units.h"

G_DEFINE_QUARK (dossier-unit-error-quark, dossier_unit_error)

struct _DossierUnit
{
  const char *symbol;      /* canonical spelling */
  const char *dimension;
  const char *factor;      /* to the base unit of the dimension, as decimal text */
  gboolean    exact;       /* whether factor is exact */
  const char *aliases[6];  /* other spellings, NULL-terminated */
};

typedef struct
{
  const char *dimension;
  const char *label;       /* N_() */
  const char *base;        /* symbol of the unit with factor 1 */
} Dimension;

static const Dimension dimensions[] = {
  { "length", N_("length"), "mm" },
  { "area", N_("area"), "mm²" },
  { "volume", N_("volume"), "mm³" },
  { "angle", N_("angle"), "″" },
  { "mass", N_("mass"), "mg" },
  { "ratio", N_("ratio"), "%" },
  { "pressure", N_("pressure"), "Pa" },
  { "density", N_("density"), "g/cm³" },
  { "force", N_("force"), "N" },
  { "time", N_("time"), "s" },
  { "temperature", N_("temperature"), "°C" },
  { "number", N_("plain number"), "" },
};

/* The factor of the radian in arc seconds is 648000 / π, given to 50 digits; it is
 * the only inexact factor. */
static const DossierUnit units[] = {
  { "nm", "length", "0.000001", TRUE, { NULL } },
  { "µm", "length", "0.001", TRUE, { "um", "μm", "micron", "microns", NULL } },
  { "mm", "length", "1", TRUE, { NULL } },
  { "cm", "length", "10", TRUE, { NULL } },
  { "dm", "length", "100", TRUE, { NULL } },
  { "m", "length", "1000", TRUE, { NULL } },
  { "in", "length", "25.4", TRUE, { "inch", "inches", NULL } },

  { "mm²", "area", "1", TRUE, { "mm2", "mm^2", "sq mm", NULL } },
  { "cm²", "area", "100", TRUE, { "cm2", "cm^2", NULL } },
  { "m²", "area", "1000000", TRUE, { "m2", "m^2", NULL } },

  { "mm³", "volume", "1", TRUE, { "mm3", "mm^3", NULL } },
  { "µL", "volume", "1", TRUE, { "uL", "μL", "ul", "µl", "μl", NULL } },
  { "cm³", "volume", "1000", TRUE, { "cm3", "cm^3", "cc", NULL } },
  { "mL", "volume", "1000", TRUE, { "ml", NULL } },
  { "L", "volume", "1000000", TRUE, { "l", NULL } },

  { "″", "angle", "1", TRUE, { "arcsec", "\"", NULL } },
  { "′", "angle", "60", TRUE, { "arcmin", "'", NULL } },
  { "°", "angle", "3600", TRUE, { "deg", "degree", "degrees", NULL } },
  { "rad", "angle", "206264.80624709635515647335733077861319665970087963", FALSE,
    { "radian", "radians", NULL } },

  { "µg", "mass", "0.001", TRUE, { "ug", "μg", NULL } },
  { "mg", "mass", "1", TRUE, { NULL } },
  { "g", "mass", "1000", TRUE, { NULL } },
  { "kg", "mass", "1000000", TRUE, { NULL } },

  { "%", "ratio", "1", TRUE, { "percent", "％", NULL } },
  { "‰", "ratio", "0.1", TRUE, { "permille", NULL } },
  { "ppm", "ratio", "0.0001", TRUE, { NULL } },

  { "Pa", "pressure", "1", TRUE, { NULL } },
  { "kPa", "pressure", "1000", TRUE, { NULL } },
  { "MPa", "pressure", "1000000", TRUE, { "N/mm²", "N/mm2", NULL } },
  { "GPa", "pressure", "1000000000", TRUE, { NULL } },

  { "g/cm³", "density", "1", TRUE, { "g/cm3", "g/mL", "g/ml", "g/cc", NULL } },
  { "kg/m³", "density", "0.001", TRUE, { "kg/m3", NULL } },

  { "N", "force", "1", TRUE, { NULL } },
  { "kN", "force", "1000", TRUE, { NULL } },

  { "s", "time", "1", TRUE, { "sec", NULL } },
  { "min", "time", "60", TRUE, { NULL } },
  { "h", "time", "3600", TRUE, { NULL } },
  { "d", "time", "86400", TRUE, { "day", "days", NULL } },

  /* Offsets (kelvin) are not factors; Celsius is the one temperature unit. */
  { "°C", "temperature", "1", TRUE, { "℃", "degC", NULL } },

  { "", "number", "1", TRUE, { "1", NULL } },
};

static GHashTable *by_spelling;
static const DossierUnit *unit_pointers[G_N_ELEMENTS (units) + 1];

static void
ensure_table (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        {
          g_hash_table_insert (table, (gpointer)units[i].symbol, (gpointer)&units[i]);
          for (guint j = 0; units[i].aliases[j] != NULL; j++)
            g_hash_table_insert (table, (gpointer)units[i].aliases[j], (gpointer)&units[i]);
          unit_pointers[i] = &units[i];
        }
      unit_pointers[G_N_ELEMENTS (units)] = NULL;
      by_spelling = table;
      g_once_init_leave (&initialized, 1);
    }
}

static const Dimension *
lookup_dimension (const char *dimension)
{
  for (guint i = 0; i < G_N_ELEMENTS (dimensions); i++)
    if (g_str_equal (dimensions[i].dimension, dimension))
      return &dimensions[i];
  g_assert_not_reached ();
  return NULL;
}

const DossierUnit *
dossier_unit_lookup (const char *symbol)
{
  const DossierUnit *unit;
  g_autofree char *stripped = NULL;

  if (symbol == NULL)
    symbol = "";

  ensure_table ();

  unit = g_hash_table_lookup (by_spelling, symbol);
  if (unit != NULL)
    return unit;

  /* Spaces around a unit are a typing accident, not a different unit. */
  if (strlen (symbol) > 64)
    return NULL;
  stripped = g_strstrip (g_strdup (symbol));
  return g_hash_table_lookup (by_spelling, stripped);
}

const DossierUnit *
dossier_unit_parse (const char  *symbol,
                    GError     **error)
{
  const DossierUnit *unit = dossier_unit_lookup (symbol);
  g_autofree char *valid = NULL;
  g_autofree char *shown = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (unit != NULL)
    return unit;

  valid = g_utf8_make_valid (symbol != NULL ? symbol : "", -1);
  if (g_utf8_strlen (valid, -1) > 20)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, 20);
      shown = g_strdup_printf ("%s…", head);
    }
  else
    shown = g_strdup (valid);

  /* Units are case-sensitive (mm is not Mm), but a different case is usually a typo
   * worth pointing at. */
  g_hash_table_iter_init (&iter, by_spelling);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_ascii_strcasecmp (key, valid) == 0)
      {
        g_set_error (error, DOSSIER_UNIT_ERROR, DOSSIER_UNIT_ERROR_UNKNOWN,
                     _("“%s” is not a unit Dossier knows; did you mean “%s”?"), shown,
                     ((const DossierUnit *)value)->symbol);
        return NULL;
      }

  g_set_error (error, DOSSIER_UNIT_ERROR, DOSSIER_UNIT_ERROR_UNKNOWN,
               _("“%s” is not a unit Dossier knows (for example mm, µm, °, mL, %%)"), shown);
  return NULL;
}

const char *
dossier_unit_get_symbol (const DossierUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);

  return unit->symbol;
}

const char *
dossier_unit_get_dimension (const DossierUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);

  return unit->dimension;
}

const char *
dossier_unit_get_dimension_label (const DossierUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);

  return _(lookup_dimension (unit->dimension)->label);
}

static DossierDecimal factors[G_N_ELEMENTS (units)];

gboolean
dossier_unit_get_factor (const DossierUnit *unit,
                         DossierDecimal    *factor)
{
  static gsize parsed;

  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (factor != NULL, FALSE);

  /* Parsed once: conversions run for every value of every dossier checked. */
  if (g_once_init_enter (&parsed))
    {
      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        if (!dossier_decimal_try_parse (units[i].factor, &factors[i]))
          g_assert_not_reached ();
      g_once_init_leave (&parsed, 1);
    }

  *factor = factors[unit - units];
  return unit->exact;
}

const DossierUnit *
dossier_unit_get_base (const DossierUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);

  return dossier_unit_lookup (lookup_dimension (unit->dimension)->base);
}

gboolean
dossier_unit_is_compatible (const DossierUnit *a,
                            const DossierUnit *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_str_equal (a->dimension, b->dimension);
}

const DossierUnit * const *
dossier_units_list (guint *n_units)
{
  ensure_table ();

  if (n_units != NULL)
    *n_units = G_N_ELEMENTS (units);
  return unit_pointers;
}

static const char *
shown_symbol (const DossierUnit *unit)
{
  /* Translators: how a plain number without a unit is named in messages */
  return *unit->symbol != '\0' ? unit->symbol : _("no unit");
}

gboolean
dossier_unit_convert (const DossierDecimal  *value,
                      const DossierUnit     *from,
                      const DossierUnit     *to,
                      DossierDecimal        *out,
                      gboolean              *exact,
                      GError               **error)
{
  DossierDecimal f_from, f_to, scaled, result;
  gboolean is_exact;

  g_return_val_if_fail (value != NULL && from != NULL && to != NULL && out != NULL, FALSE);

  if (!dossier_unit_is_compatible (from, to))
    {
      g_set_error (error, DOSSIER_UNIT_ERROR, DOSSIER_UNIT_ERROR_INCOMPATIBLE,
                   /* Translators: e.g. "cm³ (volume) cannot be compared with mm (length)" */
                   _("%s (%s) cannot be compared with %s (%s)"),
                   shown_symbol (from), dossier_unit_get_dimension_label (from),
                   shown_symbol (to), dossier_unit_get_dimension_label (to));
      return FALSE;
    }

  if (from == to)
    {
      *out = *value;
      if (exact != NULL)
        *exact = TRUE;
      return TRUE;
    }

  is_exact = dossier_unit_get_factor (from, &f_from);
  is_exact &= dossier_unit_get_factor (to, &f_to);

  /* Into or out of a base unit is one operation, not two. */
  if (g_str_equal (from->factor, "1"))
    scaled = *value;
  else
    is_exact &= dossier_decimal_multiply (value, &f_from, &scaled);

  if (g_str_equal (to->factor, "1"))
    result = scaled;
  else
    {
      gboolean div_exact = FALSE;

      if (!dossier_decimal_divide (&scaled, &f_to, DOSSIER_DECIMAL_MAX_DIGITS, &result, &div_exact, error))
        return FALSE;
      is_exact &= div_exact;
    }

  if (!is_exact)
    dossier_decimal_round_significant (&result, DOSSIER_UNIT_INEXACT_DIGITS,
                                       DOSSIER_ROUND_HALF_EVEN, &result);

  *out = result;
  if (exact != NULL)
    *exact = is_exact;
  return TRUE;
}

char *
dossier_unit_convert_text (const char  *value,
                           const char  *from,
                           const char  *to,
                           GError     **error)
{
  DossierDecimal v, out;
  const DossierUnit *uf, *ut;

  if (!dossier_decimal_parse (value, &v, error))
    return NULL;
  if (!(uf = dossier_unit_parse (from, error)) || !(ut = dossier_unit_parse (to, error)))
    return NULL;
  if (!dossier_unit_convert (&v, uf, ut, &out, NULL, error))
    return NULL;

  return dossier_decimal_to_string (&out);
}
