/* dossier-annual-report-html.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-annual-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "dossier-annual-report.h"
#include "dossier-schema.h"
#include "dossier-validate.h"

/* The readable rendering of the annual report, for the people who sign it: one
 * self-contained HTML page, printable on A4, in the language of the current locale.
 *
 * It is written from the same computed report as the XML, with libxml2's text
 * writer, which escapes every text and attribute value, so nothing from a dossier
 * can become markup.  XSLT from the XML was the other choice; writing it here keeps
 * the translated words with gettext (plural forms, dates, labels the schema already
 * translates) and needs no further library. */

/* No ">" or "&" in the style sheet: it is written raw inside <style>. */
static const char STYLE[] =
  "@page { size: A4; margin: 16mm 14mm 18mm 14mm; }\n"
  "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Noto Sans SC\", "
  "\"Microsoft YaHei\", \"PingFang SC\", sans-serif; font-size: 10pt; line-height: 1.4; "
  "color: #000; background: #fff; margin: 0 auto; max-width: 190mm; }\n"
  "h1 { font-size: 16pt; margin: 0 0 8pt 0; }\n"
  "h2 { font-size: 13pt; margin: 14pt 0 4pt 0; border-bottom: 1px solid #000; }\n"
  "h3 { font-size: 11pt; margin: 10pt 0 3pt 0; }\n"
  "table { border-collapse: collapse; width: 100%; margin: 2pt 0 6pt 0; }\n"
  "th, td { border: 1px solid #555; padding: 2pt 4pt; text-align: left; vertical-align: top; }\n"
  "th { background: #eee; font-weight: 600; }\n"
  "table.counts th, table.counts td { font-size: 8pt; }\n"
  "td.n, th.n { text-align: right; white-space: nowrap; }\n"
  "td.id { white-space: nowrap; }\n"
  "tr.total td { font-weight: 600; }\n"
  "table.meta th { width: 30%; }\n"
  "tr { page-break-inside: avoid; }\n"
  "section.filing { page-break-before: always; }\n"
  "p.none { font-style: italic; }\n"
  "p.reached { font-weight: 600; }\n"
  "dl dt { font-weight: 600; margin-top: 3pt; }\n"
  "dl dd { margin-left: 12pt; }\n"
  "table.sign { margin-top: 12pt; }\n"
  "table.sign th, table.sign td { border: none; background: none; padding: 18pt 4pt 0 0; }\n"
  "table.sign td.line { border-bottom: 1px solid #000; width: 28%; }\n"
  "@media print { h2, h3 { page-break-after: avoid; } }\n";

static void
start (xmlTextWriterPtr  w,
       const char       *name,
       const char       *klass)
{
  xmlTextWriterStartElement (w, BAD_CAST name);
  if (klass != NULL)
    xmlTextWriterWriteAttribute (w, BAD_CAST "class", BAD_CAST klass);
}

/* Every element but the void ones is closed with an end tag: "<td/>" is not HTML. */
static void
end (xmlTextWriterPtr w)
{
  xmlTextWriterFullEndElement (w);
}

static void
text (xmlTextWriterPtr  w,
      const char       *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    return;
  valid = g_utf8_make_valid (value, -1);
  xmlTextWriterWriteString (w, BAD_CAST valid);
}

static void
element (xmlTextWriterPtr  w,
         const char       *name,
         const char       *klass,
         const char       *value)
{
  start (w, name, klass);
  text (w, value);
  end (w);
}

static void
cell_uint (xmlTextWriterPtr w,
           guint            value)
{
  g_autofree char *s = g_strdup_printf ("%u", value);

  element (w, "td", "n", s);
}

static void
meta_row (xmlTextWriterPtr  w,
          const char       *label,
          const char       *value)
{
  start (w, "tr", NULL);
  element (w, "th", NULL, label);
  element (w, "td", NULL, value != NULL && *value != '\0' ? value : "—");
  end (w);
}

static const char *
choice_label (const char *table,
              const char *column,
              const char *value)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  const DossierColumn *c = t != NULL ? dossier_schema_lookup_column (t, column) : NULL;
  const char *label = c != NULL && value != NULL ? dossier_schema_choice_label (c, value) : NULL;

  return label != NULL ? label : value;
}

static const char *
province_name (const char *code)
{
  const DossierProvince *p = code != NULL ? dossier_province_lookup (code) : NULL;

  return p != NULL ? _(p->name_en) : code;
}

/* The count columns, in the order of the XML's attributes. */
static void
count_headers (xmlTextWriterPtr  w,
               const char       *first)
{
  const char *headers[] = {
    /* Translators: column headers of the annual report's count tables; short, the
     * table has 13 columns on A4. */
    C_("annual report", "Ordered"), C_("annual report", "Designed"), C_("annual report", "Produced"),
    C_("annual report", "Released"), C_("annual report", "Delivered"), C_("annual report", "Used"),
    C_("annual report", "Not used"), C_("annual report", "Returned"), C_("annual report", "Destroyed"),
    C_("annual report", "Cancelled"), C_("annual report", "Design changes"),
    C_("annual report", "Adverse events"),
  };

  start (w, "tr", NULL);
  element (w, "th", NULL, first);
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    element (w, "th", "n", headers[i]);
  end (w);
}

static void
count_cells (xmlTextWriterPtr           w,
             const DossierAnnualCounts *n)
{
  cell_uint (w, n->ordered);
  cell_uint (w, n->designed);
  cell_uint (w, n->produced);
  cell_uint (w, n->released);
  cell_uint (w, n->delivered);
  cell_uint (w, n->used);
  cell_uint (w, n->not_used);
  cell_uint (w, n->returned);
  cell_uint (w, n->destroyed);
  cell_uint (w, n->cancelled);
  cell_uint (w, n->design_changes);
  cell_uint (w, n->adverse_events);
}

static void
none (xmlTextWriterPtr  w,
      const char       *message)
{
  element (w, "p", "none", message);
}

static char *
threshold_text (const DossierAnnualFiling *f)
{
  const char *state;

  switch (f->threshold_state)
    {
    case DOSSIER_ANNUAL_THRESHOLD_REACHED:
      state = _("threshold reached: the filers should apply for registration");
      break;
    case DOSSIER_ANNUAL_THRESHOLD_NEAR:
      state = _("near the threshold");
      break;
    case DOSSIER_ANNUAL_THRESHOLD_BELOW:
    default:
      state = _("below the threshold");
      break;
    }

  /* Translators: "12 of 30 cases by the end of the year, 10 of them used on patients; below the threshold" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u case by the end of the year, %u of them used on patients; %s",
                                       "%u of %u cases by the end of the year, %u of them used on patients; %s",
                                       f->threshold),
                          f->cases, f->threshold, f->cases_used, state);
}

static void
write_filing (xmlTextWriterPtr           w,
              const DossierAnnualFiling *f)
{
  g_autofree char *title = NULL;
  g_autofree char *partner = NULL;
  g_autofree char *threshold = threshold_text (f);

  start (w, "section", "filing");

  title = g_strdup_printf (_("Filing %s"), f->number != NULL ? f->number : _("(draft, no number)"));
  element (w, "h2", NULL, title);

  start (w, "table", "meta");
  meta_row (w, _("Device name"), f->device_name);
  meta_row (w, _("Filing status"), choice_label ("filing", "status", f->status));
  meta_row (w, _("Filed on"), f->filed_on);
  meta_row (w, _("Province"), province_name (f->province_code));
  /* Translators: an institution and its practising licence number */
  partner = g_strdup_printf (_("%s (licence %s)"), f->institution.name, f->institution.licence);
  meta_row (w, _("Partner institution"), partner);
  meta_row (w, _("Registration threshold"), threshold);
  end (w);

  element (w, "h3", NULL, _("Units by ordering institution"));
  if (f->institutions->len == 0)
    none (w, _("No unit of this filing had any event in the year."));
  else
    {
      start (w, "table", "counts");
      count_headers (w, _("Institution"));
      for (guint i = 0; i < f->institutions->len; i++)
        {
          const DossierAnnualInstitution *inst = g_ptr_array_index (f->institutions, i);
          g_autofree char *name = g_strdup_printf (_("%s (licence %s)"), inst->name, inst->licence);

          start (w, "tr", NULL);
          element (w, "td", NULL, name);
          count_cells (w, &inst->counts);
          end (w);
        }
      start (w, "tr", "total");
      element (w, "td", NULL, _("Total"));
      count_cells (w, &f->counts);
      end (w);
      end (w);
    }

  element (w, "h3", NULL, _("Design changes"));
  if (f->design_changes->len == 0)
    none (w, _("None."));
  else
    {
      start (w, "table", NULL);
      start (w, "tr", NULL);
      element (w, "th", NULL, _("Unit number"));
      element (w, "th", "n", _("Version"));
      element (w, "th", NULL, _("Date"));
      element (w, "th", NULL, _("Designer"));
      element (w, "th", NULL, _("After the clinician’s confirmation"));
      element (w, "th", NULL, _("Reason"));
      end (w);
      for (guint i = 0; i < f->design_changes->len; i++)
        {
          const DossierAnnualDesignChange *d = g_ptr_array_index (f->design_changes, i);
          g_autofree char *version = g_strdup_printf ("%d", d->version);

          start (w, "tr", NULL);
          element (w, "td", "id", d->unit_no);
          element (w, "td", "n", version);
          element (w, "td", "id", d->designed_on);
          element (w, "td", NULL, d->designer);
          element (w, "td", NULL, d->after_confirmation ? _("Yes, confirmed again") : _("No"));
          element (w, "td", NULL, d->notes);
          end (w);
        }
      end (w);
    }

  element (w, "h3", NULL, _("Adverse events"));
  if (f->adverse_events->len == 0)
    none (w, _("None."));
  else
    {
      start (w, "table", NULL);
      start (w, "tr", NULL);
      element (w, "th", NULL, _("Unit number"));
      element (w, "th", NULL, _("Institution"));
      element (w, "th", NULL, _("Occurred"));
      element (w, "th", NULL, _("Reported"));
      element (w, "th", NULL, _("Severity"));
      element (w, "th", NULL, _("Description"));
      end (w);
      for (guint i = 0; i < f->adverse_events->len; i++)
        {
          const DossierAnnualAdverseEvent *e = g_ptr_array_index (f->adverse_events, i);

          start (w, "tr", NULL);
          element (w, "td", "id", e->unit_no);
          element (w, "td", NULL, e->institution_name);
          element (w, "td", "id", e->occurred_on);
          element (w, "td", NULL, e->reported_on != NULL ? e->reported_on : _("not reported"));
          element (w, "td", NULL, choice_label ("adverse_event", "severity", e->severity));
          element (w, "td", NULL, e->description);
          end (w);
        }
      end (w);
    }

  element (w, "h3", NULL, _("Units with events in the year"));
  if (f->units->len == 0)
    none (w, _("None."));
  else
    {
      start (w, "table", "counts");
      start (w, "tr", NULL);
      element (w, "th", NULL, _("Unit number"));
      element (w, "th", NULL, _("Institution licence"));
      element (w, "th", NULL, _("Status"));
      element (w, "th", NULL, C_("annual report", "Ordered"));
      element (w, "th", NULL, C_("annual report", "Designed"));
      element (w, "th", NULL, C_("annual report", "Produced"));
      element (w, "th", NULL, C_("annual report", "Released"));
      element (w, "th", NULL, C_("annual report", "Delivered"));
      element (w, "th", NULL, _("Outcome"));
      element (w, "th", NULL, C_("annual report", "Cancelled"));
      end (w);
      for (guint i = 0; i < f->units->len; i++)
        {
          const DossierAnnualUnit *u = g_ptr_array_index (f->units, i);
          g_autofree char *outcome = NULL;

          if (u->outcome != NULL)
            outcome = g_strdup_printf ("%s %s", choice_label ("use_record", "outcome", u->outcome),
                                       u->outcome_on != NULL ? u->outcome_on : "");

          start (w, "tr", NULL);
          element (w, "td", "id", u->unit_no);
          element (w, "td", NULL, u->institution_licence);
          element (w, "td", NULL, choice_label ("dossier", "status", u->status));
          element (w, "td", "id", u->ordered_on);
          element (w, "td", "id", u->designed_on);
          element (w, "td", "id", u->produced_on);
          element (w, "td", "id", u->released_on);
          element (w, "td", "id", u->delivered_on);
          element (w, "td", NULL, outcome);
          element (w, "td", "id", u->cancelled_on);
          end (w);
        }
      end (w);
    }

  end (w);
}

static void
definition (xmlTextWriterPtr  w,
            const char       *term,
            const char       *meaning)
{
  element (w, "dt", NULL, term);
  element (w, "dd", NULL, meaning);
}

static void
write_definitions (xmlTextWriterPtr w)
{
  element (w, "h2", NULL, _("What the numbers count"));
  element (w, "p", NULL,
           _("Each number counts the customized units of a filing whose event fell in the reporting period, by the "
             "date recorded for it. Patient-matched units are registered products and are not part of this report."));
  start (w, "dl", NULL);
  definition (w, C_("annual report", "Ordered"), _("The date of the production order."));
  definition (w, C_("annual report", "Designed"), _("The clinician’s first written confirmation of the design."));
  definition (w, C_("annual report", "Produced"),
              _("The end of the last processing step, once processing is complete and the unit has gone on to "
                "inspection."));
  definition (w, C_("annual report", "Released"), _("Release by the authorised QA person."));
  definition (w, C_("annual report", "Delivered"), _("Delivery to the ordering institution."));
  definition (w, _("Used, not used, returned, destroyed"),
              _("The outcome the institution reported, dated by the surgery when there is one, else by the day the "
                "outcome was recorded."));
  definition (w, C_("annual report", "Cancelled"), _("The day the unit was cancelled."));
  definition (w, C_("annual report", "Design changes"),
              _("Design versions after the first made in the period; a change after the clinician’s confirmation "
                "was re-verified and confirmed again."));
  definition (w, C_("annual report", "Adverse events"), _("Adverse events that occurred in the period."));
  definition (w, _("Registration threshold"),
              _("Units of the filing ordered by the end of the period and not cancelled, against the number of "
                "cases after which the filers must apply for registration."));
  end (w);
}

static void
signature_row (xmlTextWriterPtr  w,
               const char       *role)
{
  start (w, "tr", NULL);
  element (w, "th", NULL, role);
  element (w, "td", "line", NULL);
  element (w, "th", NULL, _("Date"));
  element (w, "td", "line", NULL);
  end (w);
}

GBytes *
dossier_annual_report_to_html (DossierAnnualReport *report)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  g_autofree char *title = NULL;
  g_autofree char *period = NULL;
  g_autofree char *manufacturer = NULL;
  g_autofree char *scope = NULL;
  GBytes *bytes;

  g_return_val_if_fail (report != NULL, NULL);

  /* Translators: the title of the annual report; %d is the year */
  title = g_strdup_printf (_("Annual Report on Customized Medical Devices %d"), report->year);
  /* Translators: a period of dates, "2025-01-01 to 2025-12-31" */
  period = g_strdup_printf (_("%s to %s"), report->period_from, report->period_to);
  if (report->manufacturer_name != NULL)
    manufacturer = report->manufacturer_name_en != NULL && report->manufacturer_name_en[0] != '\0'
      ? g_strdup_printf ("%s (%s)", report->manufacturer_name, report->manufacturer_name_en)
      : g_strdup (report->manufacturer_name);
  scope = report->scope_filing != NULL ? g_strdup_printf (_("Filing %s"), report->scope_filing)
                                       : g_strdup (_("Every filing in force in the year"));

  buffer = xmlBufferCreate ();
  w = xmlNewTextWriterMemory (buffer, 0);
  xmlTextWriterSetIndent (w, 1);
  xmlTextWriterSetIndentString (w, BAD_CAST " ");
  xmlTextWriterWriteRaw (w, BAD_CAST "<!DOCTYPE html>\n");

  start (w, "html", NULL);
  /* Translators: the language code of this translation, for the HTML page's lang attribute ("zh-CN") */
  xmlTextWriterWriteAttribute (w, BAD_CAST "lang", BAD_CAST C_("html lang", "en"));
  start (w, "head", NULL);
  xmlTextWriterStartElement (w, BAD_CAST "meta");
  xmlTextWriterWriteAttribute (w, BAD_CAST "charset", BAD_CAST "utf-8");
  xmlTextWriterEndElement (w);
  xmlTextWriterStartElement (w, BAD_CAST "meta");
  xmlTextWriterWriteAttribute (w, BAD_CAST "name", BAD_CAST "generator");
  xmlTextWriterWriteAttribute (w, BAD_CAST "content", BAD_CAST "Dossier " PACKAGE_VERSION);
  xmlTextWriterEndElement (w);
  element (w, "title", NULL, title);
  start (w, "style", NULL);
  xmlTextWriterWriteRaw (w, BAD_CAST STYLE);
  end (w);
  end (w);

  start (w, "body", NULL);
  element (w, "h1", NULL, title);

  start (w, "table", "meta");
  meta_row (w, _("Manufacturer"), manufacturer);
  meta_row (w, _("Unified social credit code"), report->manufacturer_uscc);
  meta_row (w, _("Production licence"), report->manufacturer_licence);
  meta_row (w, _("Reporting period"), period);
  meta_row (w, _("Scope"), scope);
  {
    /* To the minute, with the offset it was recorded with: the page is the same
     * whatever time zone prints it. */
    g_autoptr(GDateTime) as_of = g_date_time_new_from_iso8601 (report->generated_at, NULL);
    g_autofree char *text = as_of != NULL ? g_date_time_format (as_of, "%Y-%m-%d %H:%M (UTC%:z)") : NULL;

    meta_row (w, _("Data as of"), text != NULL ? text : report->generated_at);
  }
  end (w);

  element (w, "h2", NULL, _("Summary"));
  if (report->filings->len == 0)
    none (w, _("No customized-device filing was in force in this year; there is nothing to report but this."));
  else
    {
      start (w, "table", "counts");
      count_headers (w, _("Filing"));
      for (guint i = 0; i < report->filings->len; i++)
        {
          const DossierAnnualFiling *f = g_ptr_array_index (report->filings, i);

          start (w, "tr", NULL);
          element (w, "td", NULL, f->number != NULL ? f->number : f->device_name);
          count_cells (w, &f->counts);
          end (w);
        }
      start (w, "tr", "total");
      element (w, "td", NULL, _("Total"));
      count_cells (w, &report->totals);
      end (w);
      end (w);

      for (guint i = 0; i < report->filings->len; i++)
        {
          const DossierAnnualFiling *f = g_ptr_array_index (report->filings, i);

          if (f->threshold_state == DOSSIER_ANNUAL_THRESHOLD_REACHED)
            {
              g_autofree char *message = g_strdup_printf (_("Filing %s has reached its registration threshold (%u of %u cases): the filers should apply for registration."),
                                                          f->number != NULL ? f->number : f->device_name,
                                                          f->cases, f->threshold);
              element (w, "p", "reached", message);
            }
        }
    }

  for (guint i = 0; i < report->filings->len; i++)
    write_filing (w, g_ptr_array_index (report->filings, i));

  write_definitions (w);

  element (w, "h2", NULL, _("Signatures"));
  start (w, "table", "sign");
  signature_row (w, _("Prepared by"));
  signature_row (w, _("Reviewed by"));
  signature_row (w, _("Approved by (manufacturer)"));
  signature_row (w, _("Confirmed by (medical institution)"));
  end (w);

  end (w);
  end (w);
  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);

  bytes = g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  return bytes;
}
