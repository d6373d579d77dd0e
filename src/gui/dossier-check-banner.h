/* dossier-check-banner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-check-report.h"
#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* A banner at the top of an editor page with a dossier's check verdict: the standing
 * errors (or, without errors, the warnings) as a short list and the ways forward.
 * libadwaita 1.2 has no AdwBanner, so it is a GtkRevealer around a styled box, as
 * GNOME applications of that time did it.  Hidden while the dossier passes. */

#define DOSSIER_TYPE_CHECK_BANNER (dossier_check_banner_get_type ())
G_DECLARE_FINAL_TYPE (DossierCheckBanner, dossier_check_banner, DOSSIER, CHECK_BANNER, GtkWidget)

GtkWidget          *dossier_check_banner_new          (void);
/* NULL hides the banner. */
void                dossier_check_banner_set_report   (DossierCheckBanner *self,
                                                       DossierCheckReport *report);
DossierCheckReport *dossier_check_banner_get_report   (DossierCheckBanner *self);
gboolean            dossier_check_banner_get_revealed (DossierCheckBanner *self);
/* What the banner says now (title, problems and ways forward), for tests. */
char               *dossier_check_banner_get_text     (DossierCheckBanner *self);

/* Checks the dossier of page's session, shows the verdict and marks the value of
 * each parameter of the latest design iteration on the page.  full: the whole
 * check (when the page is built); otherwise without the worst-case tier, which is
 * quick enough to follow every change. */
void                dossier_check_banner_refresh_page (DossierCheckBanner *self,
                                                       DossierEditorPage  *page,
                                                       gboolean            full);
/* The same, quick, once the current change has been committed and its field has
 * settled (from an idle callback; repeated calls are merged). */
void                dossier_check_banner_queue_refresh (DossierCheckBanner *self,
                                                        DossierEditorPage  *page);

/* Marks the widget where a parameter value is entered with its check: the `error`
 * or `warning` style class, and a tooltip (or subtitle, for an AdwActionRow) and
 * accessible description with the allowed range and the findings.  check NULL or
 * passing clears the marking. */
void                dossier_check_mark_widget         (GtkWidget                   *widget,
                                                       const DossierCheckParameter *check);
/* The text dossier_check_mark_widget() shows, or NULL when there is nothing wrong. */
char               *dossier_check_describe_parameter  (const DossierCheckParameter *check);

G_END_DECLS
