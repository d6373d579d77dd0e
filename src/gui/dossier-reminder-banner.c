/* dossier-reminder-banner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-reminder-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-reminder-banner.h"

struct _DossierReminderBanner
{
  GtkWidget    parent_instance;

  int          year;
  char        *text;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *create_button;
  GtkButton   *dismiss_button;
};

G_DEFINE_FINAL_TYPE (DossierReminderBanner, dossier_reminder_banner, GTK_TYPE_WIDGET)

enum {
  CREATE_REPORT,
  DISMISSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_create_clicked (DossierReminderBanner *self)
{
  g_signal_emit (self, signals[CREATE_REPORT], 0, self->year);
}

static void
on_dismiss_clicked (DossierReminderBanner *self)
{
  dossier_reminder_banner_set_reminder (self, 0, NULL);
  g_signal_emit (self, signals[DISMISSED], 0);
}

static void
dossier_reminder_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_REMINDER_BANNER);

  G_OBJECT_CLASS (dossier_reminder_banner_parent_class)->dispose (object);
}

static void
dossier_reminder_banner_finalize (GObject *object)
{
  DossierReminderBanner *self = (DossierReminderBanner *)object;

  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (dossier_reminder_banner_parent_class)->finalize (object);
}

static void
dossier_reminder_banner_class_init (DossierReminderBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_reminder_banner_dispose;
  object_class->finalize = dossier_reminder_banner_finalize;

  /**
   * DossierReminderBanner::create-report:
   * @year: the year of the report that is due
   *
   * Emitted by the Create Report… button.
   */
  signals[CREATE_REPORT] =
    g_signal_new ("create-report",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  /**
   * DossierReminderBanner::dismissed:
   *
   * Emitted when the user has closed the banner; it is hidden by then.
   */
  signals[DISMISSED] =
    g_signal_new ("dismissed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-reminder-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierReminderBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, DossierReminderBanner, label);
  gtk_widget_class_bind_template_child (widget_class, DossierReminderBanner, create_button);
  gtk_widget_class_bind_template_child (widget_class, DossierReminderBanner, dismiss_button);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_dismiss_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reminderbanner");
}

static void
dossier_reminder_banner_init (DossierReminderBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dossier_reminder_banner_new (void)
{
  return g_object_new (DOSSIER_TYPE_REMINDER_BANNER, NULL);
}

void
dossier_reminder_banner_set_reminder (DossierReminderBanner *self,
                                      int                    year,
                                      const char            *text)
{
  g_return_if_fail (DOSSIER_IS_REMINDER_BANNER (self));

  g_free (self->text);
  self->text = g_strdup (text);
  self->year = text != NULL ? year : 0;

  if (text != NULL)
    {
      gtk_label_set_label (self->label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_revealer_get_child (self->revealer)),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                      -1);
    }
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
}

int
dossier_reminder_banner_get_year (DossierReminderBanner *self)
{
  g_return_val_if_fail (DOSSIER_IS_REMINDER_BANNER (self), 0);

  return self->year;
}

const char *
dossier_reminder_banner_get_text (DossierReminderBanner *self)
{
  g_return_val_if_fail (DOSSIER_IS_REMINDER_BANNER (self), NULL);

  return self->text;
}

gboolean
dossier_reminder_banner_get_revealed (DossierReminderBanner *self)
{
  g_return_val_if_fail (DOSSIER_IS_REMINDER_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}
