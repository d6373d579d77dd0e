/* dossier-a11y.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-a11y"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-a11y.h"

/* The button shows an eye to show the password and a crossed eye to hide it again;
 * its accessible label follows. */
static void
update_peek_label (GtkButton *button)
{
  const char *icon = gtk_button_get_icon_name (button);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  icon != NULL && g_str_has_prefix (icon, "view-conceal")
                                    ? _("Hide password") : _("Show password"),
                                  -1);
}

static gboolean
is_peek_button (GtkWidget *widget)
{
  const char *icon;

  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  icon = gtk_button_get_icon_name (GTK_BUTTON (widget));

  return icon != NULL && (g_str_has_prefix (icon, "view-reveal") || g_str_has_prefix (icon, "view-conceal"));
}

static gboolean
name_peek_buttons (GtkWidget *widget)
{
  gboolean found = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (is_peek_button (child))
        {
          update_peek_label (GTK_BUTTON (child));
          g_signal_connect (child, "notify::icon-name", G_CALLBACK (update_peek_label), NULL);
          found = TRUE;
        }
      else
        found |= name_peek_buttons (child);
    }

  return found;
}

void
dossier_a11y_name_password_peek (AdwPasswordEntryRow *row)
{
  g_return_if_fail (ADW_IS_PASSWORD_ENTRY_ROW (row));

  if (!name_peek_buttons (GTK_WIDGET (row)))
    g_debug ("No button to show the password in %s", G_OBJECT_TYPE_NAME (row));
}
