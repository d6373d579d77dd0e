/* dossier-editor-delivery-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* Delivery and use: the delivery record, the use record the institution
 * reports, and adverse events. */

#define DOSSIER_TYPE_EDITOR_DELIVERY_PAGE (dossier_editor_delivery_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorDeliveryPage, dossier_editor_delivery_page, DOSSIER, EDITOR_DELIVERY_PAGE, DossierEditorPage)

GtkWidget *dossier_editor_delivery_page_add_delivery (DossierEditorDeliveryPage *self);
GtkWidget *dossier_editor_delivery_page_add_use      (DossierEditorDeliveryPage *self);
GtkWidget *dossier_editor_delivery_page_add_event    (DossierEditorDeliveryPage *self);

G_END_DECLS
