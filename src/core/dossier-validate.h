/* dossier-validate.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Only <glib.h> here: <glib/gi18n-lib.h> needs GETTEXT_PACKAGE, which a
 * public header must not force on whoever includes it. */
#include <glib.h>

G_BEGIN_DECLS

/* Checks for the identifiers and free text that Dossier stores.  Every
 * validator returns TRUE, or FALSE with an error in DOSSIER_VALIDATION_ERROR
 * whose message describes the problem without naming the field, so that the
 * caller can show "Field label: message".  A NULL text is treated as empty. */

#define DOSSIER_VALIDATION_ERROR (dossier_validation_error_quark ())

typedef enum
{
  DOSSIER_VALIDATION_ERROR_EMPTY,     /* nothing entered where a value is needed */
  DOSSIER_VALIDATION_ERROR_TOO_LONG,  /* more characters than allowed */
  DOSSIER_VALIDATION_ERROR_FORMAT,    /* not written as required: characters, structure, too short, invalid UTF-8 */
  DOSSIER_VALIDATION_ERROR_CHECKSUM,  /* the check character is wrong */
  DOSSIER_VALIDATION_ERROR_RANGE,     /* well formed, but a value is out of range or disagrees with the context */
  DOSSIER_VALIDATION_ERROR_UNKNOWN,   /* refers to something that does not exist, e.g. a province */
} DossierValidationError;

GQuark dossier_validation_error_quark (void);

/* GB/T 2260 province-level divisions */
typedef struct
{
  const char *code;          /* 2 digits, e.g. "44" */
  const char *name_zh;       /* "广东省" */
  const char *name_en;       /* "Guangdong" (translatable, see N_() in the table) */
  const char *abbreviation;  /* "粤", as used in licence and filing numbers */
} DossierProvince;

/* dossier_province_lookup() takes "44" or "440000"; the abbreviation lookup
 * also knows the second abbreviations (蜀, 贵, 云, 秦, 陇) and 内. */
const DossierProvince *dossier_province_lookup              (const char *code);
const DossierProvince *dossier_province_lookup_abbreviation (const char *abbr);
const DossierProvince *dossier_provinces                    (guint      *n_provinces);
gboolean               dossier_validate_province_code       (const char *code,
                                                             GError    **error);

/* Identifiers must not start or end with a space; full-width digits and
 * letters are refused with a message naming the character to type instead.
 * Registration numbers: a device_class of 1..3 must match the class digit,
 * any other value (0) skips that check; imported (进/许) and class III
 * numbers must start with 国, domestic (准) class II ones with a province.
 * Text: max_chars 0 means no limit; blank text counts as empty. */
gboolean dossier_validate_uscc                  (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_production_licence    (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_registration_number   (const char  *text,
                                                 int          device_class,
                                                 GError     **error);
gboolean dossier_validate_practising_licence    (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_clinician_certificate (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_patient_code          (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_birth_year            (const char  *text,
                                                 int          current_year,
                                                 GError     **error);
gboolean dossier_validate_date                  (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_timestamp             (const char  *text,
                                                 GError     **error);
gboolean dossier_validate_text                  (const char  *text,
                                                 gsize        max_chars,
                                                 gboolean     required,
                                                 GError     **error);

/* Configurable number patterns: literal text plus placeholders
 *   {PROVINCE}  one province abbreviation (e.g. 粤)
 *   {YYYY}      4-digit year
 *   {N…N}       a zero-padded serial number of as many digits as Ns (1..12)
 * Braces cannot appear as literal text. */
#define DOSSIER_DEFAULT_FILING_PATTERN "{PROVINCE}械定制备{YYYY}{NNNN}号"
#define DOSSIER_DEFAULT_UNIT_PATTERN   "DSR-{YYYY}-{NNNNNN}"

typedef struct _DossierPattern DossierPattern;

DossierPattern *dossier_pattern_new          (const char              *pattern,
                                              GError                 **error);
void            dossier_pattern_free         (DossierPattern          *self);
const char     *dossier_pattern_get_source   (DossierPattern          *self);
gboolean        dossier_pattern_has_province (DossierPattern          *self);
gboolean        dossier_pattern_match        (DossierPattern          *self,
                                              const char              *text,
                                              const DossierProvince  **province,
                                              int                     *year,
                                              gint64                  *serial,
                                              GError                 **error);
char           *dossier_pattern_format       (DossierPattern          *self,
                                              const DossierProvince   *province,
                                              int                      year,
                                              gint64                   serial,
                                              GError                 **error);
char           *dossier_pattern_example      (DossierPattern          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierPattern, dossier_pattern_free)

/* pattern NULL means DOSSIER_DEFAULT_FILING_PATTERN; province_code ("44" or
 * "440000") NULL and filed_year <= 0 skip those checks. */
gboolean dossier_validate_filing_number (const char  *pattern,
                                         const char  *text,
                                         const char  *province_code,
                                         int          filed_year,
                                         GError     **error);

G_END_DECLS
