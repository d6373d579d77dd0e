/* dossier-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dossier-dossier.h"

G_BEGIN_DECLS

/* What the window shows, computed from model values only: no widgets here, so
 * that every rule can be tested without a display. */

/* Which page the content pane shows. */
typedef enum
{
  DOSSIER_CONTENT_NO_SELECTION, /* dossiers are listed, none is selected */
  DOSSIER_CONTENT_NO_MATCH,     /* the search or a filter hides every dossier */
  DOSSIER_CONTENT_NO_DOSSIERS,  /* the database has no dossiers at all */
  DOSSIER_CONTENT_DOSSIER,      /* the selected dossier */
} DossierContentPage;

DossierContentPage dossier_format_content_page      (guint           n_items,
                                                     gboolean        narrowed,
                                                     gboolean        selected);
const char        *dossier_format_content_page_name (DossierContentPage page);

/* The sidebar subtitle: "1,234 dossiers", or "12 found" when narrowed. */
char              *dossier_format_list_count        (guint           n_items,
                                                     gboolean        narrowed);

/* Labels of schema values, translated; unknown values are returned as they are. */
const char *dossier_format_status_label         (const char     *status);
const char *dossier_format_kind_label           (const char     *kind);
/* A CSS class naming the status's colour family, e.g. "status-review". */
const char *dossier_format_status_css_class     (const char     *status);
/* Every class dossier_format_status_css_class() may return, NULL-terminated. */
const char * const *dossier_format_status_css_classes (void);

/* "P-2026-0001 · 广东省人民医院" */
char       *dossier_format_row_subtitle         (DossierDossier *dossier);
/* "3D打印髋臼杯 · AC-52", or the filing's device name and number. */
char       *dossier_format_product_line         (DossierDossier *dossier);
/* One sentence with everything a row shows, for screen readers; it ends with
 * "Has errors" when the stored rule check found errors. */
char       *dossier_format_row_accessible_label (DossierDossier *dossier);

/* One labelled value of the detail view; value is NULL when not recorded. */
typedef struct
{
  const char *column;
  const char *label;
  char       *value;
  gboolean    multiline;
} DossierFormatField;

void        dossier_format_field_free           (DossierFormatField *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierFormatField, dossier_format_field_free)

/* The order (制作订单) fields of a dossier row (column → text, as from
 * dossier_store_get_row()), in the order the regulation lists them, with the
 * schema's translated labels.  Element type DossierFormatField. */
GPtrArray  *dossier_format_order_fields         (GHashTable     *row,
                                                 gboolean        implantable);

/* The summary of who and what the unit is for: patient (with sex and birth year
 * from the patient row, which may be NULL), institution, clinician, and the
 * registered product and model or the filing.  Element type DossierFormatField;
 * column is a stable name ("patient_code", "institution", "clinician",
 * "product", "reference", "sex", "birth_year"). */
GPtrArray  *dossier_format_summary_fields       (DossierDossier *dossier,
                                                 GHashTable     *patient);

/* Dates as the language of the interface writes them: "23 Nov 2026" in English,
 * "2026年11月23日" in Chinese.  date is a calendar date (YYYY-MM-DD) or an ISO 8601
 * timestamp (its local date); NULL stays NULL and other text is returned
 * unchanged.  language is a locale name such as "zh_CN" or "en_GB.UTF-8"; NULL
 * means the first of the user's languages that Dossier knows (English if none). */
char       *dossier_format_date                 (const char     *date);
char       *dossier_format_date_for_language    (const char     *date,
                                                 const char     *language);
/* The same with the local time: "23 Nov 2026, 14:05", "2026年11月23日 14:05". */
char       *dossier_format_timestamp            (const char     *iso8601);
char       *dossier_format_timestamp_for_language (const char   *iso8601,
                                                   const char   *language);
/* An integer with its digits grouped as LC_NUMERIC does ("12,345"). */
char       *dossier_format_number               (gint64          number);
/* Data shown as a menu item's label, with underscores doubled so that they
 * are not taken for mnemonics. */
char       *dossier_format_escape_mnemonic      (const char     *text);

/* Design iterations and parameter values, rows as from dossier_store_list_rows(). */
char       *dossier_format_iteration_title      (GHashTable     *iteration);
char       *dossier_format_iteration_subtitle   (GHashTable     *iteration);
char       *dossier_format_parameter_value      (GHashTable     *parameter);

G_END_DECLS
