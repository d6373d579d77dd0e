/* test-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-format"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "dossier-format.h"

/* The formatting of dates, times and numbers for the interface: pure functions,
 * no display.  The time zone is fixed in main() so that local times are known. */

typedef struct
{
  const char *input;
  const char *language;
  const char *expected; /* NULL: NULL */
} Case;

static void
test_format_dates (void)
{
  static const Case cases[] = {
    /* The two languages of the interface. */
    { "2026-11-23", "zh_CN", "2026年11月23日" },
    { "2026-11-23", "zh_CN.UTF-8", "2026年11月23日" },
    { "2026-11-23", "zh", "2026年11月23日" },
    { "2026-11-23", "en_GB", "23 Nov 2026" },
    { "2026-11-23", "en_US.UTF-8", "23 Nov 2026" },
    { "2026-11-23", "C", "23 Nov 2026" },
    /* Languages without a style of their own write English dates, as the
     * interface is then in English. */
    { "2026-11-23", "fr_FR", "23 Nov 2026" },
    /* No leading zeros, in either style. */
    { "2026-01-05", "zh_CN", "2026年1月5日" },
    { "2026-01-05", "en_GB", "5 Jan 2026" },
    { "2024-02-29", "en_GB", "29 Feb 2024" },
    { "2026-12-31", "en_GB", "31 Dec 2026" },
    /* A timestamp gives its local date (Asia/Shanghai, UTC+8). */
    { "2026-11-23T06:05:09Z", "zh_CN", "2026年11月23日" },
    { "2026-11-23T20:00:00Z", "en_GB", "24 Nov 2026" },
    { "2026-11-23T10:00:00.123456+08:00", "en_GB", "23 Nov 2026" },
    /* Not a date: shown as it is, never invented. */
    { "2026-02-30", "en_GB", "2026-02-30" },
    { "2026-13-01", "zh_CN", "2026-13-01" },
    { "2026-1-5", "en_GB", "2026-1-5" },
    { "2026-11-23x", "en_GB", "2026-11-23x" },
    { "yesterday", "zh_CN", "yesterday" },
    { "", "en_GB", "" },
    { NULL, "en_GB", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = dossier_format_date_for_language (cases[i].input, cases[i].language);

      g_test_message ("%s in %s", cases[i].input, cases[i].language);
      g_assert_cmpstr (date, ==, cases[i].expected);
    }
}

static void
test_format_timestamps (void)
{
  static const Case cases[] = {
    { "2026-11-23T06:05:09Z", "zh_CN", "2026年11月23日 14:05" },
    { "2026-11-23T06:05:09Z", "en_GB", "23 Nov 2026, 14:05" },
    { "2026-11-23T06:05:09.123456+00:00", "C", "23 Nov 2026, 14:05" },
    { "2026-11-23T14:05:00+08:00", "zh_CN", "2026年11月23日 14:05" },
    /* Across midnight and the year in local time. */
    { "2026-12-31T16:30:00Z", "zh_CN", "2027年1月1日 00:30" },
    { "2026-12-31T16:30:00Z", "en_US", "1 Jan 2027, 00:30" },
    /* A date alone has no time to show; it is returned as it is. */
    { "2026-11-23", "en_GB", "2026-11-23" },
    { "not a time", "zh_CN", "not a time" },
    { NULL, "zh_CN", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dossier_format_timestamp_for_language (cases[i].input, cases[i].language);

      g_test_message ("%s in %s", cases[i].input, cases[i].language);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* Without a language, the user's languages decide, as they decide the
 * translation: main() runs the tests in C.UTF-8, so English. */
static void
test_format_current_language (void)
{
  g_autofree char *date = dossier_format_date ("2026-11-23");
  g_autofree char *timestamp = dossier_format_timestamp ("2026-11-23T06:05:09Z");

  g_assert_cmpstr (date, ==, "23 Nov 2026");
  g_assert_cmpstr (timestamp, ==, "23 Nov 2026, 14:05");
  g_assert_null (dossier_format_date (NULL));
  g_assert_null (dossier_format_timestamp (NULL));
}

static void
test_format_numbers (void)
{
  static const struct
  {
    gint64      number;
    const char *expected;
  } cases[] = {
    { 0, "0" },
    { 7, "7" },
    { 999, "999" },
    { -42, "-42" },
  };
  g_autofree char *large = dossier_format_number (100000);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dossier_format_number (cases[i].number);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  /* The C locale does not group digits; a locale that does is used when it
   * is installed (zh_CN and en_US both group by thousands with a comma). */
  g_assert_cmpstr (large, ==, "100000");
  if (setlocale (LC_NUMERIC, "zh_CN.UTF-8") != NULL || setlocale (LC_NUMERIC, "en_US.UTF-8") != NULL)
    {
      g_autofree char *grouped = dossier_format_number (100000);
      g_autofree char *count = dossier_format_list_count (100000, FALSE);

      setlocale (LC_NUMERIC, "C.UTF-8");
      g_assert_cmpstr (grouped, ==, "100,000");
      g_assert_cmpstr (count, ==, "100,000 dossiers");
    }
  else
    g_test_message ("No zh_CN.UTF-8 or en_US.UTF-8 locale; digit grouping not checked");
}

static void
test_format_mnemonics (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "北京协和医院", "北京协和医院" },
    { "Clinic_A", "Clinic__A" },
    { "_", "__" },
    { "a__b", "a____b" },
    { "", "" },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dossier_format_escape_mnemonic (cases[i].input);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything reads the local time zone. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C.UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/dates", test_format_dates);
  g_test_add_func ("/format/timestamps", test_format_timestamps);
  g_test_add_func ("/format/current-language", test_format_current_language);
  g_test_add_func ("/format/numbers", test_format_numbers);
  g_test_add_func ("/format/mnemonics", test_format_mnemonics);

  return g_test_run ();
}
