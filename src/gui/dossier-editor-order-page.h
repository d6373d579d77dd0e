/* dossier-editor-order-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dossier-editor-page.h"

G_BEGIN_DECLS

/* The order (制作订单): what binds the unit, read-only, and every order field
 * of the dossier, editable. */

#define DOSSIER_TYPE_EDITOR_ORDER_PAGE (dossier_editor_order_page_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorOrderPage, dossier_editor_order_page, DOSSIER, EDITOR_ORDER_PAGE, DossierEditorPage)

G_END_DECLS
