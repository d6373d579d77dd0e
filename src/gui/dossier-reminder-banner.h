/* dossier-reminder-banner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The reminder that an annual report is due, at the top of the main window's list:
 * the sentence dossier_annual_report_describe_reminder() gives, a Create Report…
 * button and a button that dismisses it.  libadwaita 1.2 has no AdwBanner, so it
 * is a GtkRevealer around a styled box, like the check banner. */

#define DOSSIER_TYPE_REMINDER_BANNER (dossier_reminder_banner_get_type ())
G_DECLARE_FINAL_TYPE (DossierReminderBanner, dossier_reminder_banner, DOSSIER, REMINDER_BANNER, GtkWidget)

GtkWidget  *dossier_reminder_banner_new          (void);
/* Shows text about the report for year; text NULL hides the banner. */
void        dossier_reminder_banner_set_reminder (DossierReminderBanner *self,
                                                  int                    year,
                                                  const char            *text);
int         dossier_reminder_banner_get_year     (DossierReminderBanner *self);
const char *dossier_reminder_banner_get_text     (DossierReminderBanner *self);
gboolean    dossier_reminder_banner_get_revealed (DossierReminderBanner *self);

G_END_DECLS
