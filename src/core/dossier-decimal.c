/* dossier-decimal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-decimal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dossier-decimal.h"

G_DEFINE_QUARK (dossier-decimal-error-quark, dossier_decimal_error)

/* Working integers: little-endian decimal digits.  Big enough for any alignment of
 * two values Dossier accepts, and for the products and quotients of the expression
 * evaluator; beyond that the smaller operand is below the last kept digit anyway. */
#define BIG_DIGITS 1024

typedef struct
{
  guint   n;                 /* 0 for zero; no leading (high) zero digits */
  guint8  d[BIG_DIGITS];     /* d[0] is the units digit */
} Big;

static void
big_trim (Big *b)
{
  while (b->n > 0 && b->d[b->n - 1] == 0)
    b->n--;
}

/* Coefficient of x shifted left by shift digits. */
static gboolean
big_from_decimal (Big                  *b,
                  const DossierDecimal *x,
                  guint                 shift)
{
  if (x->n_digits == 0)
    {
      b->n = 0;
      return TRUE;
    }
  if (x->n_digits + shift > BIG_DIGITS)
    return FALSE;

  memset (b->d, 0, shift);
  for (guint i = 0; i < x->n_digits; i++)
    b->d[shift + i] = x->digits[x->n_digits - 1 - i];
  b->n = x->n_digits + shift;
  big_trim (b);
  return TRUE;
}

static int
big_compare (const Big *a,
             const Big *b)
{
  if (a->n != b->n)
    return a->n < b->n ? -1 : 1;
  for (guint i = a->n; i-- > 0;)
    if (a->d[i] != b->d[i])
      return a->d[i] < b->d[i] ? -1 : 1;
  return 0;
}

static void
big_add (const Big *a,
         const Big *b,
         Big       *out)
{
  guint n = MAX (a->n, b->n);
  guint carry = 0;
  guint i;

  for (i = 0; i < n; i++)
    {
      guint s = (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
      out->d[i] = s % 10;
      carry = s / 10;
    }
  if (carry && i < BIG_DIGITS)
    out->d[i++] = carry;
  out->n = i;
  big_trim (out);
}

/* out = a - b, with a >= b. */
static void
big_subtract (const Big *a,
              const Big *b,
              Big       *out)
{
  int borrow = 0;

  for (guint i = 0; i < a->n; i++)
    {
      int s = a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
      borrow = s < 0;
      out->d[i] = s < 0 ? s + 10 : s;
    }
  out->n = a->n;
  big_trim (out);
}

static void
big_multiply (const Big *a,
              const Big *b,
              Big       *out)
{
  guint acc[2 * BIG_DIGITS] = { 0 };
  guint n;

  if (a->n == 0 || b->n == 0)
    {
      out->n = 0;
      return;
    }

  n = a->n + b->n;
  g_assert (n <= BIG_DIGITS);

  for (guint i = 0; i < a->n; i++)
    for (guint j = 0; j < b->n; j++)
      acc[i + j] += a->d[i] * b->d[j];

  for (guint i = 0; i < n; i++)
    {
      if (i + 1 < n)
        acc[i + 1] += acc[i] / 10;
      out->d[i] = acc[i] % 10;
    }
  out->n = n;
  big_trim (out);
}

static void
big_increment (Big *b)
{
  guint i;

  for (i = 0; i < b->n; i++)
    {
      if (b->d[i] < 9)
        {
          b->d[i]++;
          return;
        }
      b->d[i] = 0;
    }
  if (i < BIG_DIGITS)
    {
      b->d[i] = 1;
      b->n = i + 1;
    }
}

/* Schoolbook long division; q and r may be NULL.  b must not be zero. */
static void
big_divide (const Big *a,
            const Big *b,
            Big       *q,
            Big       *r)
{
  Big rem = { 0 };
  Big quo = { 0 };

  g_assert (b->n > 0);

  quo.n = a->n;
  for (guint i = a->n; i-- > 0;)
    {
      guint8 digit = 0;

      /* rem = rem * 10 + a->d[i] */
      if (rem.n > 0)
        {
          memmove (rem.d + 1, rem.d, rem.n);
          rem.n++;
        }
      rem.d[0] = a->d[i];
      if (rem.n == 0)
        rem.n = 1;
      big_trim (&rem);

      while (big_compare (&rem, b) >= 0)
        {
          big_subtract (&rem, b, &rem);
          digit++;
        }
      quo.d[i] = digit;
    }
  big_trim (&quo);

  if (q != NULL)
    *q = quo;
  if (r != NULL)
    *r = rem;
}

static gboolean
big_is_zero (const Big *b)
{
  return b->n == 0;
}

/* Drops the k lowest digits of b, rounding by mode for a value of the given sign;
 * returns TRUE when nothing that was dropped was non-zero. */
static gboolean
big_round_off (Big             *b,
               guint            k,
               int              sign,
               DossierRounding  mode,
               gboolean         sticky_below)
{
  guint8 first;
  gboolean rest = sticky_below;
  gboolean up = FALSE;
  gboolean exact;

  if (k == 0)
    {
      /* Only the sticky part (a remainder) decides. */
      first = 0;
    }
  else
    {
      first = k - 1 < b->n ? b->d[k - 1] : 0;
      for (guint i = 0; i + 1 < k && i < b->n; i++)
        if (b->d[i] != 0)
          rest = TRUE;
    }

  exact = first == 0 && !rest;

  switch (mode)
    {
    case DOSSIER_ROUND_HALF_EVEN:
      {
        guint8 last = k < b->n ? b->d[k] : 0;
        up = first > 5 || (first == 5 && (rest || (last & 1)));
        /* A remainder alone (k == 0) is below half of the last digit only when we
         * know nothing about it; callers with k == 0 use the quotient form. */
        break;
      }
    case DOSSIER_ROUND_HALF_UP:
      up = first >= 5;
      break;
    case DOSSIER_ROUND_FLOOR:
      up = !exact && sign < 0;
      break;
    case DOSSIER_ROUND_CEILING:
      up = !exact && sign > 0;
      break;
    default:
      g_assert_not_reached ();
    }

  if (k >= b->n)
    {
      b->n = 0;
    }
  else
    {
      memmove (b->d, b->d + k, b->n - k);
      b->n -= k;
    }

  if (up)
    {
      if (b->n == 0)
        {
          b->d[0] = 1;
          b->n = 1;
        }
      else
        big_increment (b);
    }

  return exact;
}

/* Packs sign × b × 10^exponent into out, rounding half-even to
 * DOSSIER_DECIMAL_MAX_DIGITS; returns whether that was exact. */
static gboolean
decimal_from_big (Big            *b,
                  int             sign,
                  gint64          exponent,
                  DossierDecimal *out)
{
  gboolean exact = TRUE;

  big_trim (b);
  if (b->n > DOSSIER_DECIMAL_MAX_DIGITS)
    {
      guint k = b->n - DOSSIER_DECIMAL_MAX_DIGITS;

      exact = big_round_off (b, k, sign, DOSSIER_ROUND_HALF_EVEN, FALSE);
      exponent += k;
      if (b->n > DOSSIER_DECIMAL_MAX_DIGITS)
        {
          /* The carry made 99…9 into 100…0: one more zero to drop. */
          big_round_off (b, 1, sign, DOSSIER_ROUND_HALF_EVEN, FALSE);
          exponent += 1;
        }
    }

  memset (out, 0, sizeof *out);
  out->exponent = (gint32)CLAMP (exponent, G_MININT32 / 2, G_MAXINT32 / 2);
  out->n_digits = b->n;
  out->sign = b->n == 0 ? 0 : (sign < 0 ? -1 : 1);
  for (guint i = 0; i < b->n; i++)
    out->digits[i] = b->d[b->n - 1 - i];

  return exact;
}

/* Parsing ------------------------------------------------------------------------ */

static char *
quote_input (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) > 20)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, 20);
      return g_strdup_printf ("“%s…”", head);
    }

  return g_strdup_printf ("“%s”", valid);
}

static gboolean
is_not_finite_word (const char *text)
{
  static const char *words[] = { "nan", "inf", "infinity", "∞", NULL };
  g_autofree char *down = NULL;
  const char *p = text;

  if (*p == '+' || *p == '-')
    p++;
  down = g_utf8_casefold (p, -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_equal (down, words[i]))
      return TRUE;
  /* Spellings programs print: nan(0x…), -nan, 1.#INF, 1.#QNAN. */
  if (g_str_has_prefix (down, "nan(") || strstr (down, "#inf") || strstr (down, "#qnan") ||
      strstr (down, "#ind"))
    return TRUE;
  return FALSE;
}

static gboolean
syntax_error (GError     **error,
              const char  *text)
{
  g_autofree char *q = quote_input (text);

  if (strchr (text, ',') != NULL || strstr (text, "，") != NULL)
    g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_SYNTAX,
                 _("%s is not a number: use a point as the decimal separator (for example 44.5)"), q);
  else if (strpbrk (text, " \t\n\r") != NULL)
    g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_SYNTAX,
                 _("%s is not a number: remove the spaces"), q);
  else if (strstr (text, "０") || strstr (text, "１") || strstr (text, "２") || strstr (text, "３") ||
           strstr (text, "４") || strstr (text, "５") || strstr (text, "６") || strstr (text, "７") ||
           strstr (text, "８") || strstr (text, "９") || strstr (text, "．"))
    g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_SYNTAX,
                 _("%s is not a number: type half-width digits (0–9) and a half-width point"), q);
  else
    g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_SYNTAX,
                 _("%s is not a number (for example 44.5)"), q);

  return FALSE;
}

gboolean
dossier_decimal_parse (const char      *text,
                       DossierDecimal  *out,
                       GError         **error)
{
  DossierDecimal result = { 0 };
  const char *p;
  gboolean negative = FALSE;
  guint n_int = 0;
  guint n_frac = 0;
  gint64 exp_value = 0;
  guint n_exp_digits = 0;
  gsize len;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_EMPTY,
                           _("no number was entered"));
      return FALSE;
    }

  /* Look no further than the limit: a megabyte of input is refused as fast as five
   * characters. */
  len = strnlen (text, DOSSIER_DECIMAL_MAX_INPUT + 1);
  if (len > DOSSIER_DECIMAL_MAX_INPUT)
    {
      g_autofree char *q = quote_input (text);
      g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_TOO_LONG,
                   _("%s is too long for a number (at most %d characters)"), q,
                   DOSSIER_DECIMAL_MAX_INPUT);
      return FALSE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_SYNTAX,
                           _("the number is not valid text"));
      return FALSE;
    }

  if (is_not_finite_word (text))
    {
      g_autofree char *q = quote_input (text);
      g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_NOT_FINITE,
                   _("%s is not a finite number"), q);
      return FALSE;
    }

  p = text;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';

  /* Coefficient digits, integer part then fraction; leading zeros are skipped. */
  for (; g_ascii_isdigit (*p); p++, n_int++)
    if (result.n_digits > 0 || *p != '0')
      result.digits[result.n_digits++] = *p - '0';
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++, n_frac++)
        if (result.n_digits > 0 || *p != '0')
          result.digits[result.n_digits++] = *p - '0';
    }
  if (n_int + n_frac == 0)
    return syntax_error (error, text);

  if (*p == 'e' || *p == 'E')
    {
      gboolean exp_negative = FALSE;

      p++;
      if (*p == '+' || *p == '-')
        exp_negative = *p++ == '-';
      for (; g_ascii_isdigit (*p); p++)
        {
          if (++n_exp_digits > 4)
            {
              g_autofree char *q = quote_input (text);
              g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_RANGE,
                           _("%s is outside the range of numbers Dossier accepts"), q);
              return FALSE;
            }
          exp_value = exp_value * 10 + (*p - '0');
        }
      if (n_exp_digits == 0)
        return syntax_error (error, text);
      if (exp_negative)
        exp_value = -exp_value;
    }

  if (*p != '\0')
    return syntax_error (error, text);

  result.exponent = (gint32)(exp_value - n_frac);
  result.sign = result.n_digits == 0 ? 0 : (negative ? -1 : 1);

  if (result.n_digits > 0)
    {
      gint64 adjusted = (gint64)result.exponent + result.n_digits - 1;

      if (adjusted > DOSSIER_DECIMAL_MAX_MAGNITUDE || adjusted < -DOSSIER_DECIMAL_MAX_MAGNITUDE)
        {
          g_autofree char *q = quote_input (text);
          g_set_error (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_RANGE,
                       _("%s is outside the range of numbers Dossier accepts"), q);
          return FALSE;
        }
    }
  else
    {
      /* Zero keeps its scale (0.00) but not an absurd one. */
      result.exponent = CLAMP (result.exponent, -DOSSIER_DECIMAL_MAX_MAGNITUDE, 0);
    }

  *out = result;
  return TRUE;
}

gboolean
dossier_decimal_try_parse (const char     *text,
                           DossierDecimal *out)
{
  return dossier_decimal_parse (text, out, NULL);
}

void
dossier_decimal_from_int (DossierDecimal *out,
                          gint64          value)
{
  Big b = { 0 };
  guint64 mag;

  g_return_if_fail (out != NULL);

  mag = value < 0 ? (guint64)(-(value + 1)) + 1 : (guint64)value;
  while (mag > 0)
    {
      b.d[b.n++] = mag % 10;
      mag /= 10;
    }
  decimal_from_big (&b, value < 0 ? -1 : 1, 0, out);
}

/* Printing ----------------------------------------------------------------------- */

char *
dossier_decimal_to_string (const DossierDecimal *value)
{
  GString *s;

  g_return_val_if_fail (value != NULL, NULL);

  s = g_string_new (NULL);
  if (value->sign < 0)
    g_string_append_c (s, '-');

  if (value->exponent >= 0)
    {
      if (value->n_digits == 0)
        g_string_append_c (s, '0');
      else
        {
          for (guint i = 0; i < value->n_digits; i++)
            g_string_append_c (s, '0' + value->digits[i]);
          for (gint32 i = 0; i < value->exponent; i++)
            g_string_append_c (s, '0');
        }
    }
  else
    {
      guint k = (guint)(-value->exponent);

      if (value->n_digits > k)
        {
          for (guint i = 0; i < value->n_digits - k; i++)
            g_string_append_c (s, '0' + value->digits[i]);
          g_string_append_c (s, '.');
          for (guint i = value->n_digits - k; i < value->n_digits; i++)
            g_string_append_c (s, '0' + value->digits[i]);
        }
      else
        {
          g_string_append (s, "0.");
          for (guint i = value->n_digits; i < k; i++)
            g_string_append_c (s, '0');
          for (guint i = 0; i < value->n_digits; i++)
            g_string_append_c (s, '0' + value->digits[i]);
        }
    }

  return g_string_free (s, FALSE);
}

char *
dossier_decimal_to_display (const DossierDecimal *value)
{
  DossierDecimal v;

  g_return_val_if_fail (value != NULL, NULL);

  v = *value;
  while (v.exponent < 0 && v.n_digits > 0 && v.digits[v.n_digits - 1] == 0)
    {
      v.n_digits--;
      v.exponent++;
    }
  if (v.n_digits == 0)
    {
      v.exponent = 0;
      v.sign = 0;
    }

  return dossier_decimal_to_string (&v);
}

double
dossier_decimal_to_double (const DossierDecimal *value)
{
  char buf[DOSSIER_DECIMAL_MAX_DIGITS + 32];
  guint n = 0;

  g_return_val_if_fail (value != NULL, 0.0);

  if (value->n_digits == 0)
    return 0.0;

  if (value->sign < 0)
    buf[n++] = '-';
  for (guint i = 0; i < value->n_digits; i++)
    buf[n++] = '0' + value->digits[i];
  g_snprintf (buf + n, sizeof buf - n, "e%d", value->exponent);

  return g_ascii_strtod (buf, NULL);
}

/* Comparison --------------------------------------------------------------------- */

static int
compare_magnitude (const DossierDecimal *a,
                   const DossierDecimal *b)
{
  gint64 adj_a = (gint64)a->exponent + a->n_digits - 1;
  gint64 adj_b = (gint64)b->exponent + b->n_digits - 1;
  guint n = MAX (a->n_digits, b->n_digits);

  if (adj_a != adj_b)
    return adj_a < adj_b ? -1 : 1;

  for (guint i = 0; i < n; i++)
    {
      guint8 da = i < a->n_digits ? a->digits[i] : 0;
      guint8 db = i < b->n_digits ? b->digits[i] : 0;

      if (da != db)
        return da < db ? -1 : 1;
    }

  return 0;
}

int
dossier_decimal_compare (const DossierDecimal *a,
                         const DossierDecimal *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->sign != b->sign)
    return a->sign < b->sign ? -1 : 1;
  if (a->sign == 0)
    return 0;

  return a->sign * compare_magnitude (a, b);
}

gboolean
dossier_decimal_equal (const DossierDecimal *a,
                       const DossierDecimal *b)
{
  return dossier_decimal_compare (a, b) == 0;
}

int
dossier_decimal_sign (const DossierDecimal *value)
{
  g_return_val_if_fail (value != NULL, 0);

  return value->sign;
}

gboolean
dossier_decimal_is_zero (const DossierDecimal *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return value->sign == 0;
}

gboolean
dossier_decimal_is_integer (const DossierDecimal *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (value->n_digits == 0 || value->exponent >= 0)
    return TRUE;
  for (guint i = 0; i < (guint)(-value->exponent); i++)
    {
      if (i >= value->n_digits)
        return TRUE;
      if (value->digits[value->n_digits - 1 - i] != 0)
        return FALSE;
    }
  return TRUE;
}

guint
dossier_decimal_significant_digits (const DossierDecimal *value)
{
  guint n;

  g_return_val_if_fail (value != NULL, 0);

  n = value->n_digits;
  while (n > 1 && value->digits[n - 1] == 0)
    n--;
  return n;
}

/* Arithmetic --------------------------------------------------------------------- */

/* Both operands as integers over a common exponent.  FALSE when the exponents are
 * so far apart that the working integers would not hold them. */
static gboolean
align (const DossierDecimal *a,
       const DossierDecimal *b,
       Big                  *ia,
       Big                  *ib,
       gint64               *exponent)
{
  gint64 e = MIN (a->exponent, b->exponent);

  *exponent = e;
  return big_from_decimal (ia, a, (guint)(a->exponent - e)) &&
         big_from_decimal (ib, b, (guint)(b->exponent - e));
}

static gboolean
add_signed (const DossierDecimal *a,
            const DossierDecimal *b,
            int                   b_sign,
            DossierDecimal       *out)
{
  Big ia, ib, r;
  gint64 e;
  int sign;

  if (!align (a, b, &ia, &ib, &e))
    {
      /* One operand is below the other's last digit by hundreds of places. */
      if (compare_magnitude (a, b) >= 0)
        *out = *a;
      else
        {
          *out = *b;
          out->sign = b_sign;
        }
      return FALSE;
    }

  if (a->sign == 0 && b_sign == 0)
    {
      r.n = 0;
      sign = 0;
    }
  else if (a->sign == b_sign || b_sign == 0 || a->sign == 0)
    {
      big_add (&ia, &ib, &r);
      sign = a->sign != 0 ? a->sign : b_sign;
    }
  else if (big_compare (&ia, &ib) >= 0)
    {
      big_subtract (&ia, &ib, &r);
      sign = a->sign;
    }
  else
    {
      big_subtract (&ib, &ia, &r);
      sign = b_sign;
    }

  return decimal_from_big (&r, sign, e, out);
}

gboolean
dossier_decimal_add (const DossierDecimal *a,
                     const DossierDecimal *b,
                     DossierDecimal       *out)
{
  g_return_val_if_fail (a != NULL && b != NULL && out != NULL, FALSE);

  return add_signed (a, b, b->sign, out);
}

gboolean
dossier_decimal_subtract (const DossierDecimal *a,
                          const DossierDecimal *b,
                          DossierDecimal       *out)
{
  g_return_val_if_fail (a != NULL && b != NULL && out != NULL, FALSE);

  return add_signed (a, b, -b->sign, out);
}

gboolean
dossier_decimal_multiply (const DossierDecimal *a,
                          const DossierDecimal *b,
                          DossierDecimal       *out)
{
  Big ia, ib, r;

  g_return_val_if_fail (a != NULL && b != NULL && out != NULL, FALSE);

  big_from_decimal (&ia, a, 0);
  big_from_decimal (&ib, b, 0);
  big_multiply (&ia, &ib, &r);

  return decimal_from_big (&r, a->sign * b->sign, (gint64)a->exponent + b->exponent, out);
}

gboolean
dossier_decimal_divide (const DossierDecimal  *a,
                        const DossierDecimal  *b,
                        guint                  precision,
                        DossierDecimal        *out,
                        gboolean              *exact,
                        GError               **error)
{
  Big ia, ib, q, r;
  gint64 shift;
  gint64 exponent;
  gint64 ideal;
  gboolean was_exact = TRUE;
  int sign;

  g_return_val_if_fail (a != NULL && b != NULL && out != NULL, FALSE);

  if (b->sign == 0)
    {
      g_set_error_literal (error, DOSSIER_DECIMAL_ERROR, DOSSIER_DECIMAL_ERROR_DIVISION_BY_ZERO,
                           _("division by zero"));
      return FALSE;
    }

  precision = CLAMP (precision, 1, DOSSIER_DECIMAL_MAX_DIGITS);
  sign = a->sign * b->sign;
  ideal = (gint64)a->exponent - b->exponent;

  if (a->sign == 0)
    {
      memset (out, 0, sizeof *out);
      out->exponent = (gint32)CLAMP (ideal, -DOSSIER_DECIMAL_MAX_MAGNITUDE, 0);
      if (exact != NULL)
        *exact = TRUE;
      return TRUE;
    }

  /* Enough extra digits that the integer quotient has precision + 1 of them. */
  shift = MAX (0, (gint64)precision + 1 + b->n_digits - a->n_digits + 1);
  big_from_decimal (&ia, a, (guint)shift);
  big_from_decimal (&ib, b, 0);
  big_divide (&ia, &ib, &q, &r);
  exponent = ideal - shift;

  if (q.n > precision)
    {
      guint k = q.n - precision;

      was_exact = big_round_off (&q, k, sign, DOSSIER_ROUND_HALF_EVEN, !big_is_zero (&r));
      exponent += k;
      if (q.n > precision)
        {
          big_round_off (&q, 1, sign, DOSSIER_ROUND_HALF_EVEN, FALSE);
          exponent += 1;
        }
    }
  else if (!big_is_zero (&r))
    {
      was_exact = FALSE;
    }

  /* An exact quotient goes back to the natural scale: 1 / 4 is 0.25, not
   * 0.2500000000. */
  if (was_exact)
    while (exponent < ideal && q.n > 1 && q.d[0] == 0)
      {
        memmove (q.d, q.d + 1, q.n - 1);
        q.n--;
        exponent++;
      }

  decimal_from_big (&q, sign, exponent, out);
  if (exact != NULL)
    *exact = was_exact;
  return TRUE;
}

void
dossier_decimal_negate (const DossierDecimal *a,
                        DossierDecimal       *out)
{
  g_return_if_fail (a != NULL && out != NULL);

  *out = *a;
  out->sign = -a->sign;
}

void
dossier_decimal_abs (const DossierDecimal *a,
                     DossierDecimal       *out)
{
  g_return_if_fail (a != NULL && out != NULL);

  *out = *a;
  out->sign = a->sign != 0 ? 1 : 0;
}

gboolean
dossier_decimal_is_multiple (const DossierDecimal *value,
                             const DossierDecimal *step)
{
  Big iv, is, r;
  gint64 e;

  g_return_val_if_fail (value != NULL && step != NULL, FALSE);
  g_return_val_if_fail (step->sign != 0, FALSE);

  if (value->sign == 0)
    return TRUE;
  if (!align (value, step, &iv, &is, &e))
    return FALSE;

  big_divide (&iv, &is, NULL, &r);
  return big_is_zero (&r);
}

gboolean
dossier_decimal_quantize (const DossierDecimal *value,
                          const DossierDecimal *quantum,
                          DossierRounding       mode,
                          DossierDecimal       *out)
{
  Big iv, iq, n, r, twice_r, coeff;
  gint64 e;
  gboolean up = FALSE;
  int cmp_half;
  int sign;

  g_return_val_if_fail (value != NULL && quantum != NULL && out != NULL, FALSE);
  g_return_val_if_fail (quantum->sign > 0, FALSE);

  sign = value->sign;
  if (!align (value, quantum, &iv, &iq, &e))
    {
      *out = *value;
      return FALSE;
    }

  big_divide (&iv, &iq, &n, &r);

  big_add (&r, &r, &twice_r);
  cmp_half = big_compare (&twice_r, &iq);

  switch (mode)
    {
    case DOSSIER_ROUND_HALF_EVEN:
      up = cmp_half > 0 || (cmp_half == 0 && n.n > 0 && (n.d[0] & 1));
      break;
    case DOSSIER_ROUND_HALF_UP:
      up = cmp_half >= 0 && !big_is_zero (&r);
      break;
    case DOSSIER_ROUND_FLOOR:
      up = !big_is_zero (&r) && sign < 0;
      break;
    case DOSSIER_ROUND_CEILING:
      up = !big_is_zero (&r) && sign > 0;
      break;
    default:
      g_assert_not_reached ();
    }

  if (up)
    {
      if (n.n == 0)
        {
          n.d[0] = 1;
          n.n = 1;
        }
      else
        big_increment (&n);
    }

  big_from_decimal (&iq, quantum, 0);
  big_multiply (&n, &iq, &coeff);
  decimal_from_big (&coeff, sign, quantum->exponent, out);
  if (out->sign == 0)
    out->exponent = MIN (quantum->exponent, 0);
  return TRUE;
}

void
dossier_decimal_round_significant (const DossierDecimal *value,
                                   guint                 digits,
                                   DossierRounding       mode,
                                   DossierDecimal       *out)
{
  Big b;
  guint k;
  gint64 exponent;

  g_return_if_fail (value != NULL && out != NULL);

  digits = CLAMP (digits, 1, DOSSIER_DECIMAL_MAX_DIGITS);
  if (value->n_digits <= digits)
    {
      *out = *value;
      return;
    }

  big_from_decimal (&b, value, 0);
  k = value->n_digits - digits;
  exponent = (gint64)value->exponent + k;
  big_round_off (&b, k, value->sign, mode, FALSE);
  if (b.n > digits)
    {
      big_round_off (&b, 1, value->sign, mode, FALSE);
      exponent++;
    }
  decimal_from_big (&b, value->sign, exponent, out);
}

void
dossier_decimal_reduce (const DossierDecimal *value,
                        DossierDecimal       *out)
{
  DossierDecimal v;

  g_return_if_fail (value != NULL && out != NULL);

  v = *value;
  while (v.n_digits > 0 && v.digits[v.n_digits - 1] == 0)
    {
      v.n_digits--;
      v.exponent++;
    }
  if (v.n_digits == 0)
    {
      v.exponent = 0;
      v.sign = 0;
    }
  *out = v;
}
