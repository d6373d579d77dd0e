/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DossierApplication) app = NULL;
  /* Taken first, so that startup timing covers everything below. */
  gint64 start_time = g_get_monotonic_time ();
  const char *localedir = g_getenv ("DOSSIER_LOCALEDIR");

  /* An uninstalled build uses its own translations (make run sets this). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = dossier_application_new (start_time);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
