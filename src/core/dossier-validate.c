/* dossier-validate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-validate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "dossier-validate.h"

G_DEFINE_QUARK (dossier-validation-error-quark, dossier_validation_error)

/* Longest piece of user text repeated inside an error message. */
#define EXCERPT_MAX_CHARS 24

/* Patterns are short labels; a cap keeps error messages that quote them short. */
#define PATTERN_MAX_CHARS 64
#define SERIAL_MAX_DIGITS 12

#define YEAR_MIN 1900
#define YEAR_MAX 2999
#define NUMBER_YEAR_MIN 2000
#define NUMBER_YEAR_MAX 2099

/* GB/T 2260 province-level divisions.  The abbreviation is the one the
 * medical products administrations print in their numbers, which for Yunnan
 * is 滇 rather than the 云 seen on number plates. */
static const DossierProvince provinces[] = {
  { "11", "北京市", N_("Beijing"), "京" },
  { "12", "天津市", N_("Tianjin"), "津" },
  { "13", "河北省", N_("Hebei"), "冀" },
  { "14", "山西省", N_("Shanxi"), "晋" },
  { "15", "内蒙古自治区", N_("Inner Mongolia"), "蒙" },
  { "21", "辽宁省", N_("Liaoning"), "辽" },
  { "22", "吉林省", N_("Jilin"), "吉" },
  { "23", "黑龙江省", N_("Heilongjiang"), "黑" },
  { "31", "上海市", N_("Shanghai"), "沪" },
  { "32", "江苏省", N_("Jiangsu"), "苏" },
  { "33", "浙江省", N_("Zhejiang"), "浙" },
  { "34", "安徽省", N_("Anhui"), "皖" },
  { "35", "福建省", N_("Fujian"), "闽" },
  { "36", "江西省", N_("Jiangxi"), "赣" },
  { "37", "山东省", N_("Shandong"), "鲁" },
  { "41", "河南省", N_("Henan"), "豫" },
  { "42", "湖北省", N_("Hubei"), "鄂" },
  { "43", "湖南省", N_("Hunan"), "湘" },
  { "44", "广东省", N_("Guangdong"), "粤" },
  { "45", "广西壮族自治区", N_("Guangxi"), "桂" },
  { "46", "海南省", N_("Hainan"), "琼" },
  { "50", "重庆市", N_("Chongqing"), "渝" },
  { "51", "四川省", N_("Sichuan"), "川" },
  { "52", "贵州省", N_("Guizhou"), "黔" },
  { "53", "云南省", N_("Yunnan"), "滇" },
  { "54", "西藏自治区", N_("Tibet"), "藏" },
  { "61", "陕西省", N_("Shaanxi"), "陕" },
  { "62", "甘肃省", N_("Gansu"), "甘" },
  { "63", "青海省", N_("Qinghai"), "青" },
  { "64", "宁夏回族自治区", N_("Ningxia"), "宁" },
  { "65", "新疆维吾尔自治区", N_("Xinjiang"), "新" },
  { "71", "台湾省", N_("Taiwan"), "台" },
  { "81", "香港特别行政区", N_("Hong Kong"), "港" },
  { "82", "澳门特别行政区", N_("Macao"), "澳" },
};

/* Second official abbreviations, and 内 which the NMPA database uses for
 * Inner Mongolia, so that numbers written with them are still recognised. */
static const struct
{
  const char *abbreviation;
  const char *code;
} province_aliases[] = {
  { "内", "15" },
  { "蜀", "51" },
  { "贵", "52" },
  { "云", "53" },
  { "秦", "61" },
  { "陇", "62" },
};

/* GB 32100-2015: the code's alphabet, in value order (no I, O, S, V, Z). */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 32100-2015 appendix: registration authority and the organisation
 * types each authority may register. */
static const struct
{
  char authority;
  const char *types;
} uscc_authorities[] = {
  { '1', "1239" },   /* institutional establishment: organs, public institutions, mass organisations */
  { '2', "19" },     /* foreign affairs */
  { '3', "123459" }, /* justice: law firms, notaries, legal services, forensics, arbitration */
  { '4', "19" },     /* culture */
  { '5', "1239" },   /* civil affairs: social organisations, private non-enterprises, foundations */
  { '6', "129" },    /* tourism */
  { '7', "129" },    /* religious affairs */
  { '8', "19" },     /* trade unions */
  { '9', "123" },    /* market regulation: enterprises, individual businesses, cooperatives */
  { 'A', "19" },     /* military establishment */
  { 'N', "1239" },   /* agriculture: collective economic organisations */
  { 'Y', "1" },      /* other */
};

/* Error helpers */

G_GNUC_PRINTF (3, 4)
static gboolean
fail (GError               **error,
      DossierValidationError code,
      const char            *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  /* Callers that only want a yes/no should not pay for formatting. */
  if (error == NULL)
    return FALSE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, DOSSIER_VALIDATION_ERROR, code, message);

  return FALSE;
}

/* Quote user text for an error message, cut so that a huge input cannot
 * produce a huge message.  @text must be valid UTF-8. */
static char *
quote_excerpt (const char *text)
{
  const char *end = text;
  guint n;

  for (n = 0; *end != '\0' && n < EXCERPT_MAX_CHARS; n++)
    end = g_utf8_next_char (end);

  if (*end == '\0')
    return g_strdup_printf (_("“%s”"), text);
  else
    {
      g_autofree char *head = g_strndup (text, end - text);
      return g_strdup_printf (_("“%s…”"), head);
    }
}

/* Name one character so that the user can find it: quoted when visible,
 * by code point when it is not. */
static char *
describe_char (gunichar c)
{
  char buf[8];

  if (c == ' ')
    return g_strdup (_("a space"));
  if (c == 0x3000)
    return g_strdup (_("a full-width space"));
  if (!g_unichar_isprint (c) || g_unichar_isspace (c))
    return g_strdup_printf (_("the invisible character U+%04X"), (guint) c);

  buf[g_unichar_to_utf8 (c, buf)] = '\0';
  return g_strdup_printf (_("“%s”"), buf);
}

static gboolean
is_fullwidth_ascii (gunichar c)
{
  /* The Halfwidth and Fullwidth Forms block mirrors ASCII 0x21..0x7E;
   * Chinese input methods produce these when left in full-width mode. */
  return c >= 0xFF01 && c <= 0xFF5E;
}

static gboolean
fail_fullwidth (GError  **error,
                gunichar  c)
{
  g_autofree char *found = describe_char (c);
  char ascii[2] = { (char) (c - 0xFEE0), '\0' };

  return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
               _("%s is a full-width character; type “%s” instead"),
               found, ascii);
}

static gboolean
fail_char (GError     **error,
           gunichar     c,
           const char  *allowed)
{
  g_autofree char *found = describe_char (c);

  return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
               _("%s is not allowed (%s)"), found, allowed);
}

typedef enum
{
  PREFLIGHT_DEFAULT       = 0,
  PREFLIGHT_NO_SPACES     = 1 << 0,
  PREFLIGHT_NO_FULLWIDTH  = 1 << 1,
} PreflightFlags;

#define PREFLIGHT_IDENTIFIER (PREFLIGHT_NO_SPACES | PREFLIGHT_NO_FULLWIDTH)

/* The checks every identifier shares, in the order a user can act on them.
 * Everything after this may assume valid UTF-8 without control characters. */
static gboolean
preflight (const char      *text,
           PreflightFlags   flags,
           GError         **error)
{
  const char *last;

  if (text == NULL || *text == '\0')
    return fail (error, DOSSIER_VALIDATION_ERROR_EMPTY, _("must not be empty"));

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT, _("is not valid UTF-8 text"));

  /* Stray spaces from copy and paste are invisible in an entry, so say so
   * explicitly rather than report a mismatch the user cannot see. */
  last = g_utf8_find_prev_char (text, text + strlen (text));
  if (g_unichar_isspace (g_utf8_get_char (text)) ||
      g_unichar_isspace (g_utf8_get_char (last)))
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("must not start or end with a space"));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return fail_char (error, c, _("control characters are never allowed"));
      if ((flags & PREFLIGHT_NO_SPACES) != 0 && g_unichar_isspace (c))
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT, _("must not contain spaces"));
      if ((flags & PREFLIGHT_NO_FULLWIDTH) != 0 && is_fullwidth_ascii (c))
        return fail_fullwidth (error, c);
    }

  return TRUE;
}

/* Call only after preflight (), so that every character is one that
 * @allowed can judge. */
static gboolean
check_charset (const char  *text,
               gboolean   (*allowed) (gunichar c),
               const char  *description,
               GError     **error)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!allowed (c))
        return fail_char (error, c, description);
    }

  return TRUE;
}

static gboolean
check_length (const char  *text,
              glong        min_chars,
              glong        max_chars,
              GError     **error)
{
  glong n = g_utf8_strlen (text, -1);

  if (min_chars == max_chars && n != min_chars)
    return fail (error,
                 n > max_chars ? DOSSIER_VALIDATION_ERROR_TOO_LONG : DOSSIER_VALIDATION_ERROR_FORMAT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "must be %ld character, found %ld",
                              "must be %ld characters, found %ld",
                              min_chars),
                 min_chars, n);
  if (n > max_chars)
    return fail (error, DOSSIER_VALIDATION_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              "must be at most %ld character, found %ld",
                              "must be at most %ld characters, found %ld",
                              max_chars),
                 max_chars, n);
  if (n < min_chars)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "must be at least %ld character, found %ld",
                              "must be at least %ld characters, found %ld",
                              min_chars),
                 min_chars, n);

  return TRUE;
}

/* Fixed expressions are compiled once and kept for the life of the process;
 * validators run on every keystroke. */
static GRegex *
cached_regex (gsize      *slot,
              const char *pattern)
{
  if (g_once_init_enter (slot))
    {
      g_autoptr(GError) error = NULL;
      GRegex *regex = g_regex_new (pattern, 0, 0, &error);

      if (regex == NULL)
        g_error ("Invalid built-in expression %s: %s", pattern, error->message);

      g_once_init_leave (slot, (gsize) regex);
    }

  return (GRegex *) *slot;
}

static int
fetch_int (GMatchInfo *match_info,
           int         group)
{
  g_autofree char *digits = g_match_info_fetch (match_info, group);

  return (int) g_ascii_strtoll (digits, NULL, 10);
}

static const char *
province_display_name (const DossierProvince *province)
{
  return _(province->name_en);
}

/* Provinces */

const DossierProvince *
dossier_province_lookup (const char *code)
{
  gsize len;

  g_return_val_if_fail (code != NULL, NULL);

  len = strlen (code);
  if (len != 2 && !(len == 6 && strcmp (code + 2, "0000") == 0))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    {
      if (strncmp (provinces[i].code, code, 2) == 0)
        return &provinces[i];
    }

  return NULL;
}

const DossierProvince *
dossier_province_lookup_abbreviation (const char *abbr)
{
  g_return_val_if_fail (abbr != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    {
      if (strcmp (provinces[i].abbreviation, abbr) == 0)
        return &provinces[i];
    }

  for (guint i = 0; i < G_N_ELEMENTS (province_aliases); i++)
    {
      if (strcmp (province_aliases[i].abbreviation, abbr) == 0)
        return dossier_province_lookup (province_aliases[i].code);
    }

  return NULL;
}

const DossierProvince *
dossier_provinces (guint *n_provinces)
{
  if (n_provinces != NULL)
    *n_provinces = G_N_ELEMENTS (provinces);

  return provinces;
}

static gboolean
is_ascii_digit (gunichar c)
{
  return c < 0x80 && g_ascii_isdigit ((char) c);
}

gboolean
dossier_validate_province_code (const char  *code,
                                GError     **error)
{
  g_autofree char *quoted = NULL;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!preflight (code, PREFLIGHT_IDENTIFIER, error) ||
      !check_charset (code, is_ascii_digit, _("use digits 0–9 only"), error))
    return FALSE;

  len = strlen (code);
  if (len != 2 && len != 6)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("must be 2 or 6 digits, e.g. 44 or 440000, found %zu"), len);

  quoted = quote_excerpt (code);
  if (len == 6 && strcmp (code + 2, "0000") != 0)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("%s is not a province-level code (those end in 0000)"), quoted);

  if (dossier_province_lookup (code) == NULL)
    return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                 _("%s is not a province in GB/T 2260"), quoted);

  return TRUE;
}

/* Unified social credit code */

static int
uscc_value (char c)
{
  const char *p = strchr (uscc_alphabet, c);

  g_assert (c != '\0' && p != NULL);

  return (int) (p - uscc_alphabet);
}

gboolean
dossier_validate_uscc (const char  *text,
                       GError     **error)
{
  const char *types = NULL;
  char region[7];
  int weight = 1;
  int sum = 0;
  int check;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!preflight (text, PREFLIGHT_IDENTIFIER, error))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_islower ((char) c))
        {
          g_autofree char *found = describe_char (c);
          return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                       _("%s is a lower-case letter; use capital letters"), found);
        }
      if (c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z')
        return fail_char (error, c, _("letters I, O, S, V and Z are never used"));
      if (c >= 0x80 || !g_ascii_isalnum ((char) c))
        return fail_char (error, c, _("use digits 0–9 and capital letters"));
    }

  /* Every character is ASCII from here on, so bytes are characters. */
  if (!check_length (text, 18, 18, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (uscc_authorities); i++)
    {
      if (uscc_authorities[i].authority == text[0])
        types = uscc_authorities[i].types;
    }
  if (types == NULL)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("first character “%c” is not a registration authority (1–9, A, N or Y)"),
                 text[0]);
  if (strchr (types, text[1]) == NULL)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("second character “%c” is not an organisation type that authority “%c” registers"),
                 text[1], text[0]);

  memcpy (region, text + 2, 6);
  region[6] = '\0';
  for (guint i = 0; i < 6; i++)
    {
      if (!g_ascii_isdigit (region[i]))
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("characters 3 to 8 must be a 6-digit administrative division, found “%s”"),
                     region);
    }

  /* Organisations registered at national level carry 100000, which is the
   * code of the country rather than of a province. */
  if (strcmp (region, "100000") != 0)
    {
      char province[3] = { region[0], region[1], '\0' };

      if (dossier_province_lookup (province) == NULL)
        return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                     _("administrative division “%s” is in no province of GB/T 2260"),
                     region);
    }

  /* Weights are 3^i mod 31; the check value makes the weighted sum a
   * multiple of 31. */
  for (guint i = 0; i < 17; i++)
    {
      sum += uscc_value (text[i]) * weight;
      weight = (weight * 3) % 31;
    }
  check = (31 - sum % 31) % 31;

  if (text[17] != uscc_alphabet[check])
    return fail (error, DOSSIER_VALIDATION_ERROR_CHECKSUM,
                 _("check character is “%c”, expected “%c”"),
                 text[17], uscc_alphabet[check]);

  return TRUE;
}

/* Licences and certificates */

static gboolean
check_number_year (int      year,
                   GError **error)
{
  if (year < NUMBER_YEAR_MIN || year > NUMBER_YEAR_MAX)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("year %04d is not plausible (%d to %d)"),
                 year, NUMBER_YEAR_MIN, NUMBER_YEAR_MAX);

  return TRUE;
}

gboolean
dossier_validate_production_licence (const char  *text,
                                     GError     **error)
{
  static gsize regex_slot = 0;
  g_autoptr(GMatchInfo) match_info = NULL;
  g_autofree char *abbr = NULL;
  g_autofree char *digits = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!preflight (text, PREFLIGHT_IDENTIFIER, error))
    return FALSE;

  /* 食药监 numbers were issued before the 2018 reorganisation and are
   * still valid until renewed. */
  if (!g_regex_match (cached_regex (&regex_slot,
                                    "\\A(.)(?:食药监|药监)械生产许([0-9]{8})号\\z"),
                      text, 0, &match_info))
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("must look like 粤药监械生产许20200001号 "
                   "(province, 药监械生产许 or 食药监械生产许, 8 digits, 号)"));

  abbr = g_match_info_fetch (match_info, 1);
  if (dossier_province_lookup_abbreviation (abbr) == NULL)
    return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                 _("“%s” is not a province abbreviation"), abbr);

  digits = g_match_info_fetch (match_info, 2);
  digits[4] = '\0';

  return check_number_year ((int) g_ascii_strtoll (digits, NULL, 10), error);
}

gboolean
dossier_validate_registration_number (const char  *text,
                                      int          device_class,
                                      GError     **error)
{
  static gsize regex_slot = 0;
  g_autoptr(GMatchInfo) match_info = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *kind = NULL;
  gboolean national;
  int number_class;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!preflight (text, PREFLIGHT_IDENTIFIER, error))
    return FALSE;

  if (!g_regex_match (cached_regex (&regex_slot,
                                    "\\A(.)械注(准|进|许)([0-9]{4})([0-9])[0-9]{2}[0-9]{4}\\z"),
                      text, 0, &match_info))
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("must look like 国械注准20203130123 "
                   "(国 or province, 械注, 准, 进 or 许, then 11 digits)"));

  issuer = g_match_info_fetch (match_info, 1);
  national = strcmp (issuer, "国") == 0;
  if (!national && dossier_province_lookup_abbreviation (issuer) == NULL)
    return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                 _("“%s” is neither 国 nor a province abbreviation"), issuer);

  if (!check_number_year (fetch_int (match_info, 3), error))
    return FALSE;

  number_class = fetch_int (match_info, 4);
  if (number_class < 1 || number_class > 3)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("class digit is %d, must be 1, 2 or 3"), number_class);

  /* Who registers what follows from the Regulations on the Supervision
   * and Administration of Medical Devices: the NMPA takes class III and
   * everything from outside the mainland (进 imported, 许 Hong Kong, Macao
   * and Taiwan); the provinces take domestic class II. */
  kind = g_match_info_fetch (match_info, 2);
  if (!national && strcmp (kind, "准") != 0)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("devices from outside the mainland (%s) are registered by the NMPA, "
                   "so the number must start with 国, not “%s”"),
                 kind, issuer);
  if (!national && number_class == 3)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("class III devices are registered by the NMPA, "
                   "so the number must start with 国, not “%s”"),
                 issuer);
  if (national && number_class == 2 && strcmp (kind, "准") == 0)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("domestic class II devices are registered by the province, "
                   "so the number must start with a province abbreviation, not 国"));

  /* Callers pass a class parsed from stored text; anything but 1..3 means
   * the class is not known yet, so it is not held against the number. */
  if (device_class >= 1 && device_class <= 3 && number_class != device_class)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("class digit is %d, but the device is class %d"),
                 number_class, device_class);

  return TRUE;
}

static gboolean
is_licence_char (gunichar c)
{
  return c < 0x80 && (g_ascii_isalnum ((char) c) || c == '-');
}

gboolean
dossier_validate_practising_licence (const char  *text,
                                     GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return preflight (text, PREFLIGHT_IDENTIFIER, error) &&
         check_charset (text, is_licence_char,
                        _("use Latin letters (A–Z, a–z), digits and “-”"), error) &&
         check_length (text, 8, 40, error);
}

gboolean
dossier_validate_clinician_certificate (const char  *text,
                                        GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return preflight (text, PREFLIGHT_IDENTIFIER, error) &&
         check_charset (text, is_ascii_digit, _("use digits 0–9 only"), error) &&
         check_length (text, 15, 15, error);
}

static gboolean
is_patient_code_char (gunichar c)
{
  return c < 0x80 && (g_ascii_isalnum ((char) c) || c == '-' || c == '_' || c == '.');
}

gboolean
dossier_validate_patient_code (const char  *text,
                               GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The record leaves the hospital with the filing package, so it must
   * carry a pseudonymous code and never a name; the character set and the
   * digit rule make a name hard to type in by mistake. */
  if (!preflight (text, PREFLIGHT_IDENTIFIER, error) ||
      !check_charset (text, is_patient_code_char,
                      _("use Latin letters (A–Z, a–z), digits, “-”, “_” and “.”, never the patient’s name"),
                      error) ||
      !check_length (text, 1, 32, error))
    return FALSE;

  if (strpbrk (text, "0123456789") == NULL)
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                 _("must contain at least one digit (a traceable code, not a name)"));

  return TRUE;
}

/* Dates and times */

gboolean
dossier_validate_birth_year (const char  *text,
                             int          current_year,
                             GError     **error)
{
  gsize len;
  int year = 0;

  g_return_val_if_fail (current_year >= YEAR_MIN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!preflight (text, PREFLIGHT_IDENTIFIER, error))
    return FALSE;

  if (!check_charset (text, is_ascii_digit, _("write the year with digits 0–9, e.g. 1968"), error))
    return FALSE;

  /* Anything longer than four digits is out of range anyway; not parsing
   * it avoids overflow. */
  len = strlen (text);
  if (len <= 4)
    year = (int) g_ascii_strtoll (text, NULL, 10);

  if (len > 4 || year < YEAR_MIN || year > current_year)
    {
      g_autofree char *quoted = quote_excerpt (text);
      return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                   _("must be a year from %d to %d, found %s"),
                   YEAR_MIN, current_year, quoted);
    }

  return TRUE;
}

gboolean
dossier_validate_date (const char  *text,
                       GError     **error)
{
  static gsize regex_slot = 0;
  g_autoptr(GMatchInfo) match_info = NULL;
  int year, month, day, days_in_month;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!preflight (text, PREFLIGHT_IDENTIFIER, error))
    return FALSE;

  if (!g_regex_match (cached_regex (&regex_slot, "\\A([0-9]{4})-([0-9]{2})-([0-9]{2})\\z"),
                      text, 0, &match_info))
    {
      g_autofree char *quoted = quote_excerpt (text);
      return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                   _("%s is not written as YYYY-MM-DD, e.g. 2026-01-31"), quoted);
    }

  year = fetch_int (match_info, 1);
  month = fetch_int (match_info, 2);
  day = fetch_int (match_info, 3);

  if (year < YEAR_MIN || year > YEAR_MAX)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("year must be from %d to %d, found %04d"), YEAR_MIN, YEAR_MAX, year);
  if (month < 1 || month > 12)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("month must be from 01 to 12, found %02d"), month);

  days_in_month = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
  if (day < 1 || day > days_in_month)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("day must be from 01 to %02d in %04d-%02d, found %02d"),
                 days_in_month, year, month, day);

  return TRUE;
}

gboolean
dossier_validate_timestamp (const char  *text,
                            GError     **error)
{
  g_autoptr(GDateTime) date_time = NULL;
  int year;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* ISO 8601 allows a space between date and time, so spaces are judged
   * by the parser. */
  if (!preflight (text, PREFLIGHT_NO_FULLWIDTH, error) ||
      !check_length (text, 1, 64, error))
    return FALSE;

  /* Without a default zone GLib refuses a text that has no offset, which
   * is what we want: a local time without its zone is ambiguous in an
   * audit trail. */
  date_time = g_date_time_new_from_iso8601 (text, NULL);
  if (date_time == NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) without_zone = g_date_time_new_from_iso8601 (text, utc);
      g_autofree char *quoted = quote_excerpt (text);

      if (without_zone != NULL)
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("%s has no time zone; add “Z” or an offset such as “+08:00”"),
                     quoted);

      return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                   _("%s is not an ISO 8601 date and time, e.g. 2026-01-31T09:30:00+08:00"),
                   quoted);
    }

  year = g_date_time_get_year (date_time);
  if (year < YEAR_MIN || year > YEAR_MAX)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("year must be from %d to %d, found %04d"), YEAR_MIN, YEAR_MAX, year);

  return TRUE;
}

/* Free text */

gboolean
dossier_validate_text (const char  *text,
                       gsize        max_chars,
                       gboolean     required,
                       GError     **error)
{
  gboolean blank = TRUE;
  gsize n_chars = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      if (required)
        return fail (error, DOSSIER_VALIDATION_ERROR_EMPTY, _("must not be empty"));
      return TRUE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT, _("is not valid UTF-8 text"));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      n_chars++;

      if (c == '\n' || c == '\t')
        continue;

      /* Control characters break exports and can hide text in print. */
      if (g_unichar_iscntrl (c))
        {
          g_autofree char *found = describe_char (c);
          return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                       _("%s at position %zu is not allowed (only line breaks and tabs are)"),
                       found, n_chars);
        }

      if (!g_unichar_isspace (c))
        blank = FALSE;
    }

  if (max_chars > 0 && n_chars > max_chars)
    return fail (error, DOSSIER_VALIDATION_ERROR_TOO_LONG,
                 g_dngettext (GETTEXT_PACKAGE,
                              "must be at most %zu character, found %zu",
                              "must be at most %zu characters, found %zu",
                              max_chars),
                 max_chars, n_chars);

  /* Spaces alone would satisfy a required field without saying anything. */
  if (blank && required)
    return fail (error, DOSSIER_VALIDATION_ERROR_EMPTY, _("must not be empty"));

  return TRUE;
}

/* Number patterns */

typedef enum
{
  SEGMENT_LITERAL,
  SEGMENT_PROVINCE,
  SEGMENT_YEAR,
  SEGMENT_SERIAL,
} SegmentKind;

typedef struct
{
  SegmentKind kind;
  char *literal;     /* SEGMENT_LITERAL only */
  guint n_digits;    /* SEGMENT_YEAR and SEGMENT_SERIAL */
} Segment;

struct _DossierPattern
{
  char *source;
  GArray *segments;  /* of Segment */
  GRegex *regex;
  int province_group;  /* capture group numbers, 0 when absent */
  int year_group;
  int serial_group;
  guint serial_digits;
};

static void
segment_clear (gpointer data)
{
  Segment *segment = data;

  g_clear_pointer (&segment->literal, g_free);
}

static void
add_segment (DossierPattern *self,
             SegmentKind     kind,
             const char     *literal,
             gsize           literal_len,
             guint           n_digits)
{
  Segment segment = { kind, NULL, n_digits };

  if (kind == SEGMENT_LITERAL)
    segment.literal = g_strndup (literal, literal_len);

  g_array_append_val (self->segments, segment);
}

void
dossier_pattern_free (DossierPattern *self)
{
  if (self == NULL)
    return;

  g_free (self->source);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_free (self);
}

static gboolean
parse_placeholder (DossierPattern  *self,
                   const char      *name,
                   gsize            name_len,
                   GError         **error)
{
  g_autofree char *shown = g_strdup_printf ("{%.*s}", (int) name_len, name);
  gboolean all_n = name_len > 0;

  for (gsize i = 0; i < name_len; i++)
    {
      if (name[i] != 'N')
        all_n = FALSE;
    }

  if (name_len == 8 && strncmp (name, "PROVINCE", 8) == 0)
    {
      if (self->province_group != 0)
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("{PROVINCE} appears more than once"));
      add_segment (self, SEGMENT_PROVINCE, NULL, 0, 0);
      self->province_group = -1;
    }
  else if (name_len == 4 && strncmp (name, "YYYY", 4) == 0)
    {
      if (self->year_group != 0)
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("{YYYY} appears more than once"));
      add_segment (self, SEGMENT_YEAR, NULL, 0, 4);
      self->year_group = -1;
    }
  else if (all_n)
    {
      if (self->serial_group != 0)
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("has more than one serial number placeholder"));
      if (name_len > SERIAL_MAX_DIGITS)
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("a serial number can have at most %d digits, found %zu Ns"),
                     SERIAL_MAX_DIGITS, name_len);
      add_segment (self, SEGMENT_SERIAL, NULL, 0, (guint) name_len);
      self->serial_group = -1;
      self->serial_digits = (guint) name_len;
    }
  else
    {
      g_autofree char *quoted = quote_excerpt (shown);
      return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                   _("unknown placeholder %s (use {PROVINCE}, {YYYY} or {NNNN})"),
                   quoted);
    }

  return TRUE;
}

/* Build the matching expression from the segments and number the capture
 * groups in the order they appear. */
static void
build_regex (DossierPattern *self)
{
  g_autoptr(GString) expression = g_string_new ("\\A");
  g_autoptr(GError) error = NULL;
  int group = 0;

  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);

      switch (segment->kind)
        {
        case SEGMENT_LITERAL:
          {
            g_autofree char *escaped = g_regex_escape_string (segment->literal, -1);
            g_string_append (expression, escaped);
          }
          break;

        case SEGMENT_PROVINCE:
          /* Any one character; the table decides, so that an unknown
           * abbreviation gets its own message. */
          g_string_append (expression, "(.)");
          self->province_group = ++group;
          break;

        case SEGMENT_YEAR:
          g_string_append (expression, "([0-9]{4})");
          self->year_group = ++group;
          break;

        case SEGMENT_SERIAL:
          g_string_append_printf (expression, "([0-9]{%u})", segment->n_digits);
          self->serial_group = ++group;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_string_append (expression, "\\z");

  self->regex = g_regex_new (expression->str, 0, 0, &error);

  /* The literals are escaped, so a failure here is a bug, not bad input. */
  if (self->regex == NULL)
    g_error ("Cannot compile %s: %s", expression->str, error->message);
}

DossierPattern *
dossier_pattern_new (const char  *pattern,
                     GError     **error)
{
  g_autoptr(DossierPattern) self = NULL;
  const char *literal_start;
  const char *p;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An empty pattern is a configuration mistake like the others, so it
   * is a format error rather than a missing value. */
  if (pattern == NULL || *pattern == '\0')
    {
      fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
            _("is empty; a pattern needs at least a serial number placeholder such as {NNNN}"));
      return NULL;
    }

  /* Full-width characters are allowed: a literal such as “（” is plausible. */
  if (!preflight (pattern, PREFLIGHT_DEFAULT, error) ||
      !check_length (pattern, 1, PATTERN_MAX_CHARS, error))
    return NULL;

  self = g_new0 (DossierPattern, 1);
  self->source = g_strdup (pattern);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_array_set_clear_func (self->segments, segment_clear);

  literal_start = pattern;
  for (p = pattern; *p != '\0'; p++)
    {
      const char *close;

      if (*p == '}')
        {
          fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                _("“}” has no matching “{”"));
          return NULL;
        }
      if (*p != '{')
        continue;

      /* Braces are ASCII, so scanning bytes is safe in UTF-8. */
      close = p + 1 + strcspn (p + 1, "{}");
      if (*close != '}')
        {
          fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                _("“{” has no matching “}”"));
          return NULL;
        }

      if (p > literal_start)
        add_segment (self, SEGMENT_LITERAL, literal_start, p - literal_start, 0);

      if (!parse_placeholder (self, p + 1, close - p - 1, error))
        return NULL;

      p = close;
      literal_start = close + 1;
    }

  if (p > literal_start)
    add_segment (self, SEGMENT_LITERAL, literal_start, p - literal_start, 0);

  if (self->serial_group == 0)
    {
      fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
            _("has no serial number placeholder such as {NNNN}"));
      return NULL;
    }

  build_regex (self);

  return g_steal_pointer (&self);
}

const char *
dossier_pattern_get_source (DossierPattern *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

gboolean
dossier_pattern_has_province (DossierPattern *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->province_group != 0;
}

static void
append_digits (GString *string,
               guint    n_digits,
               gint64   value)
{
  g_string_append_printf (string, "%0*" G_GINT64_FORMAT, (int) n_digits, value);
}

char *
dossier_pattern_format (DossierPattern         *self,
                        const DossierProvince  *province,
                        int                     year,
                        gint64                  serial,
                        GError                **error)
{
  g_autoptr(GString) result = NULL;
  gint64 serial_max = 1;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (province == NULL || province->abbreviation != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->province_group != 0 && province == NULL)
    {
      fail (error, DOSSIER_VALIDATION_ERROR_EMPTY,
            _("a province is needed to make this number"));
      return NULL;
    }

  if (self->year_group != 0 && (year < YEAR_MIN || year > YEAR_MAX))
    {
      fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
            _("year must be from %d to %d, found %d"), YEAR_MIN, YEAR_MAX, year);
      return NULL;
    }

  for (guint i = 0; i < self->serial_digits; i++)
    serial_max *= 10;
  serial_max -= 1;

  if (serial < 1 || serial > serial_max)
    {
      fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
            _("serial number %lld does not fit: it must be from 1 to %lld"),
            (long long) serial, (long long) serial_max);
      return NULL;
    }

  result = g_string_new (NULL);
  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);

      switch (segment->kind)
        {
        case SEGMENT_LITERAL:
          g_string_append (result, segment->literal);
          break;

        case SEGMENT_PROVINCE:
          g_string_append (result, province->abbreviation);
          break;

        case SEGMENT_YEAR:
          append_digits (result, segment->n_digits, year);
          break;

        case SEGMENT_SERIAL:
          append_digits (result, segment->n_digits, serial);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

char *
dossier_pattern_example (DossierPattern *self)
{
  char *example;

  g_return_val_if_fail (self != NULL, NULL);

  /* These values fit every valid pattern, so this cannot fail. */
  example = dossier_pattern_format (self, dossier_province_lookup ("44"), 2020, 1, NULL);
  g_assert (example != NULL);

  return example;
}

/* Walk the segments to say where @text first departs from the pattern.
 * Every segment has a fixed number of characters, so this finds the first
 * difference without any backtracking.  Returns NULL if it finds none. */
static char *
describe_mismatch (DossierPattern *self,
                   const char     *text)
{
  const char *p = text;
  guint position = 1;

  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);
      const char *expected = segment->kind == SEGMENT_LITERAL ? segment->literal : NULL;
      guint n_chars = expected != NULL ? (guint) g_utf8_strlen (expected, -1) :
                      segment->kind == SEGMENT_PROVINCE ? 1 : segment->n_digits;

      for (guint j = 0; j < n_chars; j++, position++)
        {
          gunichar c;

          if (*p == '\0')
            return g_strdup (_("it ends too early"));

          c = g_utf8_get_char (p);

          if (expected != NULL)
            {
              gunichar want = g_utf8_get_char (expected);

              if (c != want)
                {
                  g_autofree char *found = describe_char (c);
                  g_autofree char *wanted = describe_char (want);
                  return g_strdup_printf (_("character %u is %s, expected %s"),
                                          position, found, wanted);
                }
              expected = g_utf8_next_char (expected);
            }
          else if (segment->kind != SEGMENT_PROVINCE && !is_ascii_digit (c))
            {
              g_autofree char *found = describe_char (c);

              if (is_fullwidth_ascii (c))
                return g_strdup_printf (_("character %u is %s, a full-width character; "
                                          "expected an ordinary digit"),
                                        position, found);
              return g_strdup_printf (_("character %u is %s, expected a digit"),
                                      position, found);
            }

          p = g_utf8_next_char (p);
        }
    }

  if (*p != '\0')
    {
      g_autofree char *extra = quote_excerpt (p);
      return g_strdup_printf (_("unexpected %s at the end"), extra);
    }

  return NULL;
}

gboolean
dossier_pattern_match (DossierPattern          *self,
                       const char              *text,
                       const DossierProvince  **province,
                       int                     *year,
                       gint64                  *serial,
                       GError                 **error)
{
  g_autoptr(GMatchInfo) match_info = NULL;
  g_autofree char *serial_digits = NULL;
  const DossierProvince *found_province = NULL;
  int found_year = -1;
  gint64 found_serial = -1;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Full-width characters may be legitimate literals, as in the pattern,
   * so they are only pointed out where a digit is expected. */
  if (!preflight (text, PREFLIGHT_DEFAULT, error))
    return FALSE;

  if (!g_regex_match (self->regex, text, 0, &match_info))
    {
      g_autofree char *example = NULL;
      g_autofree char *detail = NULL;

      if (error == NULL)
        return FALSE;

      example = dossier_pattern_example (self);
      detail = describe_mismatch (self, text);

      if (detail != NULL)
        return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                     _("does not match the pattern %s (example: %s): %s"),
                     self->source, example, detail);
      return fail (error, DOSSIER_VALIDATION_ERROR_FORMAT,
                   _("does not match the pattern %s (example: %s)"),
                   self->source, example);
    }

  if (self->province_group != 0)
    {
      g_autofree char *abbr = g_match_info_fetch (match_info, self->province_group);

      found_province = dossier_province_lookup_abbreviation (abbr);
      if (found_province == NULL)
        return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                     _("“%s” is not a province abbreviation"), abbr);
    }

  if (self->year_group != 0)
    {
      found_year = fetch_int (match_info, self->year_group);
      if (found_year < YEAR_MIN || found_year > YEAR_MAX)
        return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                     _("year must be from %d to %d, found %04d"),
                     YEAR_MIN, YEAR_MAX, found_year);
    }

  /* At most 12 digits, which always fits in a gint64. */
  serial_digits = g_match_info_fetch (match_info, self->serial_group);
  found_serial = g_ascii_strtoll (serial_digits, NULL, 10);
  if (found_serial < 1)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("serial number %s is not allowed; serial numbers start at 1"),
                 serial_digits);

  if (province != NULL)
    *province = found_province;
  if (year != NULL)
    *year = found_year;
  if (serial != NULL)
    *serial = found_serial;

  return TRUE;
}

gboolean
dossier_validate_filing_number (const char  *pattern,
                                const char  *text,
                                const char  *province_code,
                                int          filed_year,
                                GError     **error)
{
  g_autoptr(DossierPattern) compiled = NULL;
  g_autoptr(GError) local_error = NULL;
  const DossierProvince *province = NULL;
  int year = -1;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  compiled = dossier_pattern_new (pattern != NULL ? pattern : DOSSIER_DEFAULT_FILING_PATTERN,
                                  &local_error);
  if (compiled == NULL)
    {
      /* The user cannot fix the configuration from the entry, so make it
       * clear the fault is not in what they typed. */
      return fail (error, (DossierValidationError) local_error->code,
                   _("cannot be checked, the configured number pattern is wrong: %s"),
                   local_error->message);
    }

  if (!dossier_pattern_match (compiled, text, &province, &year, NULL, error))
    return FALSE;

  if (province_code != NULL && province != NULL)
    {
      const DossierProvince *expected = dossier_province_lookup (province_code);

      if (expected == NULL)
        {
          g_autofree char *quoted = NULL;

          if (!g_utf8_validate (province_code, -1, NULL))
            return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                         _("the filing’s province code is not valid text"));

          quoted = quote_excerpt (province_code);
          return fail (error, DOSSIER_VALIDATION_ERROR_UNKNOWN,
                       _("the filing’s province code %s is not in GB/T 2260"), quoted);
        }

      if (expected != province)
        return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                     _("was issued in %s (%s), but the filing is with %s (%s)"),
                     province_display_name (province), province->abbreviation,
                     province_display_name (expected), expected->abbreviation);
    }

  if (filed_year > 0 && year != -1 && year != filed_year)
    return fail (error, DOSSIER_VALIDATION_ERROR_RANGE,
                 _("year is %d, but the filing was made in %d"), year, filed_year);

  return TRUE;
}
