/* test-validate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-validate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dossier-validate.h"

#define OK (-1)
#define EMPTY DOSSIER_VALIDATION_ERROR_EMPTY
#define TOO_LONG DOSSIER_VALIDATION_ERROR_TOO_LONG
#define FORMAT DOSSIER_VALIDATION_ERROR_FORMAT
#define CHECKSUM DOSSIER_VALIDATION_ERROR_CHECKSUM
#define RANGE DOSSIER_VALIDATION_ERROR_RANGE
#define UNKNOWN DOSSIER_VALIDATION_ERROR_UNKNOWN

/* A case expects success when code is OK, otherwise that error code; when
 * needle is set, the message must contain it. */
typedef struct
{
  const char *input;
  int code;
  const char *needle;
} Case;

typedef gboolean (*Validator) (const char *text, GError **error);

/* Messages are shown next to a field, so they must say something and stay
 * short whatever the input. */
static void
assert_message (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
check_result (const char   *input,
              gboolean      ok,
              GError       *error,
              int           code,
              const char   *needle)
{
  if (g_test_verbose ())
    g_test_message ("%s → %s", input != NULL && g_utf8_validate (input, -1, NULL) ? input : "(binary)",
                    error != NULL ? error->message : "ok");

  if (code == OK)
    {
      if (!ok)
        g_error ("“%s” should pass, got: %s", input, error->message);
      g_assert_no_error (error);
      return;
    }

  if (ok)
    g_error ("“%s” should fail with code %d", g_utf8_validate (input, -1, NULL) ? input : "(binary)", code);
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, code);
  assert_message (error);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("message for “%s” should mention “%s”: %s", input, needle, error->message);
}

static void
run_cases (Validator   validate,
           const Case *cases,
           gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = validate (cases[i].input, &error);

      check_result (cases[i].input, ok, error, cases[i].code, cases[i].needle);

      /* The answer must not depend on whether the caller wants a message. */
      g_assert_cmpint (validate (cases[i].input, NULL), ==, ok);
    }
}

/* Inputs every identifier validator must refuse cleanly. */
static void
run_hostile_inputs (Validator validate)
{
  g_autofree char *huge = g_strnfill (100 * 1024, '7');
  g_autofree char *megabyte = g_strnfill (1024 * 1024, 'x');
  g_autoptr(GError) error = NULL;

  g_assert_false (validate (NULL, &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, EMPTY);
  g_clear_error (&error);

  g_assert_false (validate ("\xff\xfe", &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, FORMAT);
  assert_message (error);
  g_clear_error (&error);

  g_assert_false (validate ("12\xc3\x28" "34", &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, FORMAT);
  g_clear_error (&error);

  g_assert_false (validate (huge, &error));
  assert_message (error);
  g_clear_error (&error);

  g_assert_false (validate (megabyte, &error));
  assert_message (error);
  g_clear_error (&error);
}

static void
test_provinces (void)
{
  const DossierProvince *table;
  guint n = 0;

  table = dossier_provinces (&n);
  g_assert_cmpuint (n, ==, 34);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (strlen (table[i].code), ==, 2);
      g_assert_cmpuint (g_utf8_strlen (table[i].abbreviation, -1), ==, 1);
      g_assert_true (dossier_province_lookup (table[i].code) == &table[i]);
      g_assert_true (dossier_province_lookup_abbreviation (table[i].abbreviation) == &table[i]);
      for (guint j = i + 1; j < n; j++)
        {
          g_assert_cmpstr (table[i].code, !=, table[j].code);
          g_assert_cmpstr (table[i].abbreviation, !=, table[j].abbreviation);
        }
    }

  g_assert_cmpstr (dossier_province_lookup ("44")->name_zh, ==, "广东省");
  g_assert_cmpstr (dossier_province_lookup ("440000")->abbreviation, ==, "粤");
  g_assert_cmpstr (dossier_province_lookup ("71")->name_en, ==, "Taiwan");
  g_assert_cmpstr (dossier_province_lookup ("81")->abbreviation, ==, "港");
  g_assert_cmpstr (dossier_province_lookup ("82")->abbreviation, ==, "澳");
  g_assert_null (dossier_province_lookup ("440100"));
  g_assert_null (dossier_province_lookup ("4"));
  g_assert_null (dossier_province_lookup ("99"));
  g_assert_null (dossier_province_lookup (""));
  g_assert_null (dossier_province_lookup ("44000"));

  g_assert_cmpstr (dossier_province_lookup_abbreviation ("粤")->code, ==, "44");
  g_assert_cmpstr (dossier_province_lookup_abbreviation ("滇")->code, ==, "53");
  g_assert_cmpstr (dossier_province_lookup_abbreviation ("云")->code, ==, "53");
  g_assert_cmpstr (dossier_province_lookup_abbreviation ("蜀")->code, ==, "51");
  g_assert_null (dossier_province_lookup_abbreviation ("国"));
  g_assert_null (dossier_province_lookup_abbreviation (""));
  g_assert_null (dossier_province_lookup_abbreviation ("粤x"));
  g_assert_null (dossier_province_lookup_abbreviation ("\xff"));
}

static void
test_province_code (void)
{
  static const Case cases[] = {
    { "44", OK, NULL },
    { "440000", OK, NULL },
    { "11", OK, NULL },
    { "82", OK, NULL },
    { "820000", OK, NULL },
    { "", EMPTY, NULL },
    { "99", UNKNOWN, NULL },
    { "200000", UNKNOWN, NULL },
    { "440100", FORMAT, "0000" },
    { "4", FORMAT, NULL },
    { "4400", FORMAT, NULL },
    { "4A", FORMAT, NULL },
    { "４４", FORMAT, "full-width" },
    { " 44", FORMAT, "space" },
  };

  run_cases (dossier_validate_province_code, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_province_code);
}

static void
test_uscc (void)
{
  static const Case cases[] = {
    { "91350100M000100Y43", OK, NULL },
    { "91440300MA5F00001A", OK, NULL },
    { "91110000100000000R", OK, NULL },
    { "92440101MA9Y00123Q", OK, NULL },
    { "52440106MJL000001E", OK, NULL },
    { "12100000400000624D", OK, NULL },           /* national-level organ, division 100000 */
    { "91350100M000100Y44", CHECKSUM, "expected “3”" },
    { "91350100M000100Y4", FORMAT, "17" },
    { "91350100M000100Y433", TOO_LONG, "19" },
    { "91350100M000100I43", FORMAT, "I, O, S, V and Z" },
    { "91350100M000100O43", FORMAT, "“O”" },
    { "91350100Z000100Y43", FORMAT, "never used" },
    { "91350100m000100y43", FORMAT, "capital" },
    { "91990100M000100Y4X", UNKNOWN, "990100" },
    { "91200100M000100Y4X", UNKNOWN, NULL },
    { "9135A100M000100Y43", FORMAT, NULL },       /* division must be digits */
    { "B1350100M000100Y43", FORMAT, NULL },       /* no such authority */
    { "94350100M000100Y43", FORMAT, NULL },       /* authority 9 has no type 4 */
    { "", EMPTY, NULL },
    { " 91350100M000100Y43", FORMAT, "space" },
    { "91350100M000100Y43 ", FORMAT, "space" },
    { "91350100M000 100Y43", FORMAT, "space" },
    { "９1350100M000100Y43", FORMAT, "full-width" },
    { "91350100M000100Y4３", FORMAT, "“3”" },
    { "91350100M000100Y4\n", FORMAT, NULL },
    { "91350100M000100Y4-", FORMAT, NULL },
    { "广东省某某医疗器械有限公司", FORMAT, NULL },
  };
  g_autoptr(GError) error = NULL;

  run_cases (dossier_validate_uscc, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_uscc);

  /* The checksum message names the found and the expected character. */
  g_assert_false (dossier_validate_uscc ("91350100M000100Y44", &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, CHECKSUM);
  g_assert_cmpstr (error->message, ==, "check character is “4”, expected “3”");
  g_clear_error (&error);

  g_assert_false (dossier_validate_uscc ("91350100M000100Y4", &error));
  g_assert_cmpstr (error->message, ==, "must be 18 characters, found 17");
  g_clear_error (&error);

  g_assert_false (dossier_validate_uscc ("91350100M000100I43", &error));
  g_assert_cmpstr (error->message, ==, "“I” is not allowed (letters I, O, S, V and Z are never used)");
  g_clear_error (&error);

  {
    g_autofree char *huge = g_strnfill (100 * 1024, 'A');
    g_assert_false (dossier_validate_uscc (huge, &error));
    g_assert_error (error, DOSSIER_VALIDATION_ERROR, TOO_LONG);
    assert_message (error);
  }
}

static void
test_production_licence (void)
{
  static const Case cases[] = {
    { "粤药监械生产许20200001号", OK, NULL },
    { "粤食药监械生产许20150001号", OK, NULL },
    { "京药监械生产许20230045号", OK, NULL },
    { "滇食药监械生产许20150008号", OK, NULL },
    { "", EMPTY, NULL },
    { "粤药监械生产许2020001号", FORMAT, "8 digits" },
    { "粤药监械生产许202000011号", FORMAT, NULL },
    { "粤药监械生产许20200001", FORMAT, NULL },
    { "粤械生产许20200001号", FORMAT, NULL },
    { "广东药监械生产许20200001号", FORMAT, NULL },
    { "X药监械生产许20200001号", UNKNOWN, "“X”" },
    { "国药监械生产许20200001号", UNKNOWN, NULL },
    { "粤药监械生产许19990001号", RANGE, "1999" },
    { "粤药监械生产许21000001号", RANGE, NULL },
    { "粤药监械生产许２０２０0001号", FORMAT, "full-width" },
    { " 粤药监械生产许20200001号", FORMAT, "space" },
    { "粤药监械生产许20200001号 ", FORMAT, "space" },
    { "粤药监械生产许20200001号\n", FORMAT, NULL },
    { "粤药监械生产许 20200001号", FORMAT, "space" },
    { "粤药监械生产许２０２００００１号", FORMAT, "full-width" },
  };

  run_cases (dossier_validate_production_licence, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_production_licence);
}

typedef struct
{
  const char *input;
  int device_class;
  int code;
  const char *needle;
} RegistrationCase;

static gboolean
validate_registration_any (const char  *text,
                           GError     **error)
{
  return dossier_validate_registration_number (text, 0, error);
}

static void
test_registration_number (void)
{
  static const RegistrationCase cases[] = {
    { "国械注准20203130123", 0, OK, NULL },
    { "国械注准20203130123", 3, OK, NULL },
    { "粤械注准20202140001", 2, OK, NULL },
    { "苏械注准20212060321", 0, OK, NULL },
    { "国械注进20193130001", 3, OK, NULL },
    { "国械注进20192180001", 2, OK, NULL },
    { "国械注许20203130001", 0, OK, NULL },
    { "国械注准20203130123", 2, RANGE, "class" },
    { "国械注准20203130123", 4, OK, NULL },       /* unknown class: not checked */
    { "国械注准20203130123", -1, OK, NULL },
    { "粤械注准20202140001", 3, RANGE, NULL },
    { "粤械注准20203130001", 0, FORMAT, "国" },
    { "国械注准20202140001", 2, FORMAT, "province" },
    { "粤械注进20202140001", 0, FORMAT, "国" },
    { "粤械注许20202140001", 0, FORMAT, "国" },
    { "国械注准20204130123", 0, RANGE, "4" },
    { "国械注准20200130123", 0, RANGE, NULL },
    { "国械注准19993130123", 0, RANGE, "1999" },
    { "国械注准2020313012", 0, FORMAT, NULL },
    { "国械注准202031301234", 0, FORMAT, NULL },
    { "国械注册20203130123", 0, FORMAT, NULL },
    { "国械备20200001号", 0, FORMAT, NULL },
    { "X械注准20202140001", 0, UNKNOWN, "“X”" },
    { "国械注准２０２０3130123", 0, FORMAT, "full-width" },
    { " 国械注准20203130123", 0, FORMAT, "space" },
    { "国械注准20203130123 ", 3, FORMAT, "space" },
    { "", 0, EMPTY, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = dossier_validate_registration_number (cases[i].input, cases[i].device_class, &error);

      check_result (cases[i].input, ok, error, cases[i].code, cases[i].needle);
    }

  run_hostile_inputs (validate_registration_any);
}

static void
test_practising_licence (void)
{
  static const Case cases[] = {
    { "PDY00001X44010415A1002", OK, NULL },
    { "12345678", OK, NULL },
    { "ABC-1234", OK, NULL },
    { "abc-1234-xyz", OK, NULL },
    { "1234567890123456789012345678901234567890", OK, NULL },
    { "12345678901234567890123456789012345678901", TOO_LONG, "40" },
    { "ABC123", FORMAT, "8" },
    { "ABC 12345", FORMAT, "space" },
    { "ABC_12345", FORMAT, "“_”" },
    { "医院12345678", FORMAT, "“医”" },
    { "ＡＢＣ12345678", FORMAT, "full-width" },
    { " ABC12345678", FORMAT, "space" },
    { "ABC12345678\t", FORMAT, "space" },
    { "", EMPTY, NULL },
  };

  run_cases (dossier_validate_practising_licence, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_practising_licence);
}

static void
test_clinician_certificate (void)
{
  static const Case cases[] = {
    { "110440000123456", OK, NULL },
    { "000000000000001", OK, NULL },
    { "11044000012345", FORMAT, "15" },
    { "1104400001234567", TOO_LONG, "15" },
    { "11044000012345X", FORMAT, "“X”" },
    { "１１0440000123456", FORMAT, "full-width" },
    { " 110440000123456", FORMAT, "space" },
    { "110440000123456 ", FORMAT, "space" },
    { "110440 000123456", FORMAT, "space" },
    { "-11044000012345", FORMAT, NULL },
    { "", EMPTY, NULL },
  };

  run_cases (dossier_validate_clinician_certificate, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_clinician_certificate);
}

static void
test_patient_code (void)
{
  static const Case cases[] = {
    { "P-2026-0001", OK, NULL },
    { "a1", OK, NULL },
    { "1", OK, NULL },
    { "HOSP_01.A-7", OK, NULL },
    { "12345678901234567890123456789012", OK, NULL },
    { "123456789012345678901234567890123", TOO_LONG, "32" },
    { "ZhangSan", FORMAT, "digit" },
    { "Zhang-San", FORMAT, "digit" },
    { "张三", FORMAT, "“张”" },
    { "张三1", FORMAT, "name" },
    { "P 001", FORMAT, "space" },
    { "P/001", FORMAT, "“/”" },
    { "P００1", FORMAT, "full-width" },
    { " P001", FORMAT, "space" },
    { "P001 ", FORMAT, "space" },
    { "", EMPTY, NULL },
  };

  run_cases (dossier_validate_patient_code, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_patient_code);
}

static gboolean
validate_birth_year_2026 (const char  *text,
                          GError     **error)
{
  return dossier_validate_birth_year (text, 2026, error);
}

static void
test_birth_year (void)
{
  static const Case cases[] = {
    { "1968", OK, NULL },
    { "1900", OK, NULL },
    { "2026", OK, NULL },
    { "2027", RANGE, "2026" },
    { "1899", RANGE, "1900" },
    { "0", RANGE, NULL },
    { "01968", RANGE, NULL },
    { "99999999999999999999", RANGE, NULL },
    { "19a8", FORMAT, "“a”" },
    { "-1968", FORMAT, NULL },
    { "+1968", FORMAT, NULL },
    { "1968.0", FORMAT, NULL },
    { "１９６８", FORMAT, "full-width" },
    { " 1968", FORMAT, "space" },
    { "1968 ", FORMAT, "space" },
    { "", EMPTY, NULL },
  };

  run_cases (validate_birth_year_2026, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (validate_birth_year_2026);
}

static void
test_date (void)
{
  static const Case cases[] = {
    { "2026-01-31", OK, NULL },
    { "2024-02-29", OK, NULL },     /* leap year */
    { "2000-02-29", OK, NULL },     /* divisible by 400 */
    { "1900-01-01", OK, NULL },
    { "2999-12-31", OK, NULL },
    { "2023-02-29", RANGE, "28" },
    { "1900-02-29", RANGE, NULL },  /* divisible by 100, not by 400 */
    { "2026-02-30", RANGE, "28" },
    { "2026-04-31", RANGE, "30" },
    { "2026-13-01", RANGE, "13" },
    { "2026-00-10", RANGE, NULL },
    { "2026-01-00", RANGE, NULL },
    { "1899-12-31", RANGE, "1899" },
    { "3000-01-01", RANGE, NULL },
    { "2026-1-1", FORMAT, "YYYY-MM-DD" },
    { "26-01-01", FORMAT, NULL },
    { "2026/01/31", FORMAT, NULL },
    { "20260131", FORMAT, NULL },
    { "2026-01-31T00:00:00Z", FORMAT, NULL },
    { "２０２６-01-31", FORMAT, "full-width" },
    { " 2026-01-31", FORMAT, "space" },
    { "2026-01-31 ", FORMAT, "space" },
    { "", EMPTY, NULL },
  };

  run_cases (dossier_validate_date, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_date);
}

static void
test_timestamp (void)
{
  static const Case cases[] = {
    { "2026-01-31T09:30:00+08:00", OK, NULL },
    { "2026-01-31T01:30:00Z", OK, NULL },
    { "2026-01-31T01:30:00.123Z", OK, NULL },
    { "2026-01-31T09:30:00-05:00", OK, NULL },
    { "2026-01-31T09:30:00", FORMAT, "+08:00" },
    { "2026-01-31", FORMAT, NULL },
    { "2026-02-30T00:00:00Z", FORMAT, NULL },
    { "yesterday", FORMAT, NULL },
    { "1800-01-01T00:00:00Z", RANGE, NULL },
    { "２０２６-01-31T09:30:00Z", FORMAT, "full-width" },
    { " 2026-01-31T09:30:00Z", FORMAT, "space" },
    { "2026-01-31T09:30:00Z ", FORMAT, "space" },
    { "", EMPTY, NULL },
  };

  run_cases (dossier_validate_timestamp, cases, G_N_ELEMENTS (cases));
  run_hostile_inputs (dossier_validate_timestamp);
}

typedef struct
{
  const char *input;
  gsize max_chars;
  gboolean required;
  int code;
} TextCase;

static void
test_text (void)
{
  static const TextCase cases[] = {
    { "Cranial plate, left parietal", 100, TRUE, OK },
    { "第一行\n第二行\t缩进", 100, TRUE, OK },
    { "", 100, FALSE, OK },
    { NULL, 100, FALSE, OK },
    { "", 100, TRUE, EMPTY },
    { NULL, 100, TRUE, EMPTY },
    { "   \n\t", 100, TRUE, EMPTY },
    { "   ", 100, FALSE, OK },
    { "颅骨修补板", 5, TRUE, OK },        /* 5 characters, 15 bytes */
    { "颅骨修补板片", 5, TRUE, TOO_LONG },
    { "abc", 0, TRUE, OK },               /* no limit */
    { "a\rb", 100, TRUE, FORMAT },
    { "a\x01" "b", 100, TRUE, FORMAT },
    { "a\x7f" "b", 100, TRUE, FORMAT },
    { "a\xc2\x85" "b", 100, TRUE, FORMAT }, /* C1 control NEL */
    { "\xc3\x28", 100, TRUE, FORMAT },
    { "\xed\xa0\x80", 100, FALSE, FORMAT }, /* encoded surrogate */
  };
  g_autofree char *megabyte = g_strnfill (1024 * 1024, 'x');
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) case_error = NULL;
      gboolean ok = dossier_validate_text (cases[i].input, cases[i].max_chars,
                                           cases[i].required, &case_error);

      check_result (cases[i].input != NULL ? cases[i].input : "(null)",
                    ok, case_error, cases[i].code, NULL);
    }

  g_assert_false (dossier_validate_text (megabyte, 2000, FALSE, &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, TOO_LONG);
  assert_message (error);
  g_assert_cmpstr (error->message, ==, "must be at most 2000 characters, found 1048576");
  g_clear_error (&error);

  g_assert_true (dossier_validate_text (megabyte, 0, TRUE, &error));
  g_assert_no_error (error);
}

static void
test_pattern_compile (void)
{
  static const Case cases[] = {
    { DOSSIER_DEFAULT_FILING_PATTERN, OK, NULL },
    { DOSSIER_DEFAULT_UNIT_PATTERN, OK, NULL },
    { "{NNNN}", OK, NULL },
    { "{N}", OK, NULL },
    { "{NNNNNNNNNNNN}", OK, NULL },
    { "{YYYY}{PROVINCE}{NNN}", OK, NULL },
    { "X（{NNNN}）", OK, NULL },
    { "", FORMAT, "{NNNN}" },
    { "{", FORMAT, "“}”" },
    { "}", FORMAT, "“{”" },
    { "DSR-{YYYY", FORMAT, NULL },
    { "DSR-YYYY}-{NNNN}", FORMAT, NULL },
    { "{{NNNN}}", FORMAT, NULL },
    { "{NNNN}}", FORMAT, NULL },
    { "{}{NNNN}", FORMAT, "{}" },
    { "{XYZ}{NNNN}", FORMAT, "{XYZ}" },
    { "{yyyy}{NNNN}", FORMAT, "{yyyy}" },
    { "{NNNNX}", FORMAT, NULL },
    { "{YYYY}{YYYY}{NNNN}", FORMAT, "{YYYY}" },
    { "{PROVINCE}{PROVINCE}{NNNN}", FORMAT, "{PROVINCE}" },
    { "{NNNN}-{NN}", FORMAT, "serial" },
    { "{NNNNNNNNNNNNN}", FORMAT, "12" },
    { "DSR-{YYYY}", FORMAT, "serial" },
    { "{PROVINCE}械定制备{YYYY}号", FORMAT, "serial" },
    { " {NNNN}", FORMAT, "space" },
    { "{NNNN}\n", FORMAT, NULL },
    { "\xff{NNNN}", FORMAT, NULL },
    { "{ＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸ}{NNNN}", FORMAT, "…" },
    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA{NNNN}", TOO_LONG, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DossierPattern) pattern = dossier_pattern_new (cases[i].input, &error);

      check_result (cases[i].input, pattern != NULL, error, cases[i].code, cases[i].needle);
      if (pattern != NULL)
        g_assert_cmpstr (dossier_pattern_get_source (pattern), ==, cases[i].input);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DossierPattern) pattern = dossier_pattern_new (NULL, &error);

    g_assert_null (pattern);
    g_assert_error (error, DOSSIER_VALIDATION_ERROR, FORMAT);
  }
}

typedef struct
{
  const char *input;
  int code;
  const char *needle;
  const char *province_code;
  int year;
  gint64 serial;
} MatchCase;

static void
run_match_cases (const char      *source,
                 const MatchCase *cases,
                 gsize            n_cases)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierPattern) pattern = dossier_pattern_new (source, &error);

  g_assert_no_error (error);

  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) case_error = NULL;
      const DossierProvince *province = (gpointer) 0x1;
      int year = -2;
      gint64 serial = -2;
      gboolean ok;

      ok = dossier_pattern_match (pattern, cases[i].input, &province, &year, &serial, &case_error);
      check_result (cases[i].input, ok, case_error, cases[i].code, cases[i].needle);

      if (!ok)
        continue;

      if (cases[i].province_code != NULL)
        g_assert_true (province == dossier_province_lookup (cases[i].province_code));
      else
        g_assert_null (province);
      g_assert_cmpint (year, ==, cases[i].year);
      g_assert_cmpint (serial, ==, cases[i].serial);

      g_assert_true (dossier_pattern_match (pattern, cases[i].input, NULL, NULL, NULL, NULL));
    }
}

static void
test_pattern_match (void)
{
  static const MatchCase filing_cases[] = {
    { "粤械定制备20200001号", OK, NULL, "44", 2020, 1 },
    { "京械定制备20219999号", OK, NULL, "11", 2021, 9999 },
    { "澳械定制备20250042号", OK, NULL, "82", 2025, 42 },
    { "滇械定制备20230007号", OK, NULL, "53", 2023, 7 },
    { "云械定制备20230007号", OK, NULL, "53", 2023, 7 },
    { "粤械定制备2020001号", FORMAT, "{PROVINCE}械定制备{YYYY}{NNNN}号 (example: 粤械定制备20200001号)", NULL, 0, 0 },
    { "粤械定制备20200001", FORMAT, "ends too early", NULL, 0, 0 },
    { "粤械定制备202000011号", FORMAT, "expected “号”", NULL, 0, 0 },
    { "粤械定制备20200001号号", FORMAT, "at the end", NULL, 0, 0 },
    { "粤械定制20200001号", FORMAT, NULL, NULL, 0, 0 },
    { "粤械注准20200001号", FORMAT, "“注”", NULL, 0, 0 },
    { "X械定制备20200001号", UNKNOWN, "“X”", NULL, 0, 0 },
    { "国械定制备20200001号", UNKNOWN, NULL, NULL, 0, 0 },
    { "粤械定制备１９９０0001号", FORMAT, "full-width", NULL, 0, 0 },
    { "粤械定制备20200000号", RANGE, "0000", NULL, 0, 0 },
    { "粤械定制备18990001号", RANGE, "1899", NULL, 0, 0 },
    { " 粤械定制备20200001号", FORMAT, "space", NULL, 0, 0 },
    { "粤械定制备20200001号 ", FORMAT, "space", NULL, 0, 0 },
    { "粤械定制备2020 0001号", FORMAT, "space", NULL, 0, 0 },
    { "", EMPTY, NULL, NULL, 0, 0 },
    { "\xe7\xb2", FORMAT, "UTF-8", NULL, 0, 0 },
  };
  static const MatchCase unit_cases[] = {
    { "DSR-2026-000123", OK, NULL, NULL, 2026, 123 },
    { "DSR-2026-999999", OK, NULL, NULL, 2026, 999999 },
    { "dsr-2026-000123", FORMAT, "“d”", NULL, 0, 0 },
    { "DSR-2026-0001234", FORMAT, NULL, NULL, 0, 0 },
    { "DSR-2026-123", FORMAT, NULL, NULL, 0, 0 },
    { "DSR_2026_000123", FORMAT, NULL, NULL, 0, 0 },
  };
  static const MatchCase serial_only_cases[] = {
    { "A.B*C+007", OK, NULL, NULL, -1, 7 },    /* regex metacharacters are literal */
    { "AxB*C+007", FORMAT, NULL, NULL, 0, 0 },
  };
  g_autofree char *megabyte = g_strnfill (1024 * 1024, '7');
  g_autofree char *long_tail = g_strconcat ("DSR-2026-000123", megabyte, NULL);
  g_autoptr(DossierPattern) unit = dossier_pattern_new (DOSSIER_DEFAULT_UNIT_PATTERN, NULL);
  g_autoptr(GError) error = NULL;

  run_match_cases (DOSSIER_DEFAULT_FILING_PATTERN, filing_cases, G_N_ELEMENTS (filing_cases));
  run_match_cases (DOSSIER_DEFAULT_UNIT_PATTERN, unit_cases, G_N_ELEMENTS (unit_cases));
  run_match_cases ("A.B*C+{NNN}", serial_only_cases, G_N_ELEMENTS (serial_only_cases));

  /* A huge input must not turn into a huge message. */
  g_assert_false (dossier_pattern_match (unit, long_tail, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_VALIDATION_ERROR, FORMAT);
  assert_message (error);
  g_clear_error (&error);

  g_assert_false (dossier_pattern_match (unit, megabyte, NULL, NULL, NULL, &error));
  assert_message (error);
}

static void
test_pattern_format (void)
{
  g_autoptr(DossierPattern) filing = dossier_pattern_new (DOSSIER_DEFAULT_FILING_PATTERN, NULL);
  g_autoptr(DossierPattern) unit = dossier_pattern_new (DOSSIER_DEFAULT_UNIT_PATTERN, NULL);
  g_autoptr(DossierPattern) wide = dossier_pattern_new ("W{NNNNNNNNNNNN}", NULL);
  const DossierProvince *guangdong = dossier_province_lookup ("44");
  static const gint64 serials[] = { 1, 2, 42, 999, 1000, 9999 };
  static const int years[] = { 1900, 2020, 2026, 2999 };
  const DossierProvince *table;
  g_autofree char *filing_example = NULL;
  g_autofree char *unit_example = NULL;
  g_autofree char *text = NULL;
  guint n_provinces;

  g_assert_nonnull (filing);
  g_assert_nonnull (unit);
  g_assert_nonnull (wide);
  g_assert_true (dossier_pattern_has_province (filing));
  g_assert_false (dossier_pattern_has_province (unit));

  filing_example = dossier_pattern_example (filing);
  unit_example = dossier_pattern_example (unit);
  g_assert_cmpstr (filing_example, ==, "粤械定制备20200001号");
  g_assert_cmpstr (unit_example, ==, "DSR-2020-000001");

  /* Round trip: every province, several years and serials. */
  table = dossier_provinces (&n_provinces);
  for (guint p = 0; p < n_provinces; p++)
    for (gsize y = 0; y < G_N_ELEMENTS (years); y++)
      for (gsize s = 0; s < G_N_ELEMENTS (serials); s++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *number = dossier_pattern_format (filing, &table[p], years[y], serials[s], &error);
          const DossierProvince *province = NULL;
          int year = 0;
          gint64 serial = 0;

          g_assert_no_error (error);
          g_assert_true (dossier_pattern_match (filing, number, &province, &year, &serial, &error));
          g_assert_no_error (error);
          g_assert_true (province == &table[p]);
          g_assert_cmpint (year, ==, years[y]);
          g_assert_cmpint (serial, ==, serials[s]);
        }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *number = dossier_pattern_format (unit, NULL, 2026, 123, &error);
    int year = 0;
    gint64 serial = 0;

    g_assert_no_error (error);
    g_assert_cmpstr (number, ==, "DSR-2026-000123");
    g_assert_true (dossier_pattern_match (unit, number, NULL, &year, &serial, &error));
    g_assert_cmpint (year, ==, 2026);
    g_assert_cmpint (serial, ==, 123);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *number = dossier_pattern_format (wide, NULL, 0, G_GINT64_CONSTANT (999999999999), &error);
    const DossierProvince *province = guangdong;
    int year = 0;
    gint64 serial = 0;

    g_assert_no_error (error);
    g_assert_cmpstr (number, ==, "W999999999999");
    g_assert_true (dossier_pattern_match (wide, number, &province, &year, &serial, &error));
    g_assert_null (province);
    g_assert_cmpint (year, ==, -1);
    g_assert_cmpint (serial, ==, G_GINT64_CONSTANT (999999999999));
  }

  /* Serial overflow and other values that do not fit. */
  {
    static const struct
    {
      const char *pattern;
      gboolean with_province;
      int year;
      gint64 serial;
      int code;
    } bad[] = {
      { DOSSIER_DEFAULT_FILING_PATTERN, TRUE, 2020, 10000, RANGE },
      { DOSSIER_DEFAULT_FILING_PATTERN, TRUE, 2020, 0, RANGE },
      { DOSSIER_DEFAULT_FILING_PATTERN, TRUE, 2020, -5, RANGE },
      { DOSSIER_DEFAULT_FILING_PATTERN, TRUE, 1899, 1, RANGE },
      { DOSSIER_DEFAULT_FILING_PATTERN, TRUE, 3000, 1, RANGE },
      { DOSSIER_DEFAULT_FILING_PATTERN, FALSE, 2020, 1, EMPTY },
      { DOSSIER_DEFAULT_UNIT_PATTERN, FALSE, 2026, 1000000, RANGE },
      { DOSSIER_DEFAULT_UNIT_PATTERN, FALSE, 2026, G_MAXINT64, RANGE },
      { "W{NNNNNNNNNNNN}", FALSE, 0, G_GINT64_CONSTANT (1000000000000), RANGE },
      { "{N}", FALSE, 0, 10, RANGE },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(DossierPattern) pattern = dossier_pattern_new (bad[i].pattern, NULL);
        g_autofree char *number = dossier_pattern_format (pattern,
                                                          bad[i].with_province ? guangdong : NULL,
                                                          bad[i].year, bad[i].serial, &error);

        g_assert_null (number);
        g_assert_error (error, DOSSIER_VALIDATION_ERROR, bad[i].code);
        assert_message (error);
      }
  }

  /* Year is not needed and not checked when the pattern has none. */
  text = dossier_pattern_format (unit, guangdong, 2026, 5, NULL);
  g_assert_cmpstr (text, ==, "DSR-2026-000005");
}

typedef struct
{
  const char *pattern;
  const char *input;
  const char *province_code;
  int filed_year;
  int code;
  const char *needle;
} FilingCase;

static void
test_filing_number (void)
{
  static const FilingCase cases[] = {
    { NULL, "粤械定制备20200001号", "44", 2020, OK, NULL },
    { NULL, "粤械定制备20200001号", "440000", 2020, OK, NULL },
    { NULL, "粤械定制备20200001号", NULL, 0, OK, NULL },
    { NULL, "粤械定制备20200001号", "44", 0, OK, NULL },
    { NULL, "粤械定制备20200001号", NULL, 2020, OK, NULL },
    { DOSSIER_DEFAULT_FILING_PATTERN, "京械定制备20210012号", "11", 2021, OK, NULL },
    { "{PROVINCE}-DZ-{YYYY}-{NNN}", "沪-DZ-2022-015", "31", 2022, OK, NULL },
    { "DZ-{YYYY}-{NNN}", "DZ-2022-015", "31", 2022, OK, NULL },   /* no province in the pattern */
    { NULL, "粤械定制备20200001号", "11", 2020, RANGE, "京" },
    { NULL, "粤械定制备20200001号", "11", 2020, RANGE, "粤" },
    { NULL, "粤械定制备20210001号", "44", 2020, RANGE, "2021" },
    { NULL, "粤械定制备20210001号", "44", 2020, RANGE, "2020" },
    { NULL, "粤械定制备20200001号", "99", 2020, UNKNOWN, "99" },
    { NULL, "粤械定制备20200001号", "\xff", 2020, UNKNOWN, NULL },
    { NULL, "粤械定制备2020001号", "44", 2020, FORMAT, "example" },
    { NULL, "", "44", 2020, EMPTY, NULL },
    { "{PROVINCE}械定制备{YYYY}号", "粤械定制备2020号", "44", 2020, FORMAT, "pattern" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = dossier_validate_filing_number (cases[i].pattern, cases[i].input,
                                                    cases[i].province_code, cases[i].filed_year,
                                                    &error);

      check_result (cases[i].input, ok, error, cases[i].code, cases[i].needle);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/provinces", test_provinces);
  g_test_add_func ("/validate/province-code", test_province_code);
  g_test_add_func ("/validate/uscc", test_uscc);
  g_test_add_func ("/validate/production-licence", test_production_licence);
  g_test_add_func ("/validate/registration-number", test_registration_number);
  g_test_add_func ("/validate/practising-licence", test_practising_licence);
  g_test_add_func ("/validate/clinician-certificate", test_clinician_certificate);
  g_test_add_func ("/validate/patient-code", test_patient_code);
  g_test_add_func ("/validate/birth-year", test_birth_year);
  g_test_add_func ("/validate/date", test_date);
  g_test_add_func ("/validate/timestamp", test_timestamp);
  g_test_add_func ("/validate/text", test_text);
  g_test_add_func ("/validate/pattern/compile", test_pattern_compile);
  g_test_add_func ("/validate/pattern/match", test_pattern_match);
  g_test_add_func ("/validate/pattern/format", test_pattern_format);
  g_test_add_func ("/validate/filing-number", test_filing_number);

  return g_test_run ();
}
