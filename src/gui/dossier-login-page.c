/* dossier-login-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-login-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-demo.h"
#include "dossier-a11y.h"
#include "dossier-auth.h"
#include "dossier-login-page.h"

struct _DossierLoginPage
{
  GtkWidget            parent_instance;

  DossierStore        *store;
  DossierUser         *chosen;       /* whose password is asked */
  gboolean             unlocking;
  guint                countdown_id;
  guint                countdown;    /* seconds before the next attempt is accepted */

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkButton           *back_button;
  GtkStack            *stack;
  AdwEntryRow         *setup_name_row;
  AdwEntryRow         *setup_login_row;
  AdwEntryRow         *setup_password_row;
  AdwEntryRow         *setup_repeat_row;
  GtkLabel            *setup_error_label;
  GtkButton           *setup_button;
  AdwStatusPage       *users_page;
  GtkListBox          *users_list;
  GtkImage            *lock_icon;
  AdwAvatar           *avatar;
  GtkLabel            *name_label;
  GtkLabel            *roles_label;
  GtkLabel            *lock_label;
  AdwEntryRow         *password_row;
  GtkLabel            *error_label;
  GtkButton           *sign_in_button;
  GtkButton           *switch_button;
};

G_DEFINE_FINAL_TYPE (DossierLoginPage, dossier_login_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  SIGNED_IN,
  SIGNED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_message (GtkLabel   *label,
              const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* Slowing down failed attempts ----------------------------------------------------- */

static void
update_sign_in_button (DossierLoginPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->countdown > 0)
    {
      /* Translators: the sign-in button while a failed attempt delays the next. */
      g_autofree char *label = g_strdup_printf (ngettext ("Wait %u Second", "Wait %u Seconds", self->countdown),
                                                self->countdown);
      gtk_button_set_label (self->sign_in_button, label);
    }
  else
    gtk_button_set_label (self->sign_in_button, self->unlocking ? _("_Unlock") : _("_Sign In"));

  /* Setting the label sets the accessible name too, mnemonic and all. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->unlocking ? _("Unlock") : _("Sign in"),
                                  -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), self->countdown == 0 && *password != '\0');
}

static void
stop_countdown (DossierLoginPage *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->countdown = 0;
}

static gboolean
countdown_tick (gpointer data)
{
  DossierLoginPage *self = data;

  if (self->countdown > 0)
    self->countdown--;

  update_sign_in_button (self);
  if (self->countdown > 0)
    return G_SOURCE_CONTINUE;

  self->countdown_id = 0;
  return G_SOURCE_REMOVE;
}

/* The store refuses an attempt made before the delay has passed; the button says
 * how long that is rather than letting the person try in vain.  Nothing waits:
 * a timer counts down. */
static void
check_retry_delay (DossierLoginPage *self)
{
  guint delay = 0;

  stop_countdown (self);
  if (self->chosen != NULL)
    delay = dossier_auth_get_retry_delay (self->store, self->chosen->login);

  if (delay > 0)
    {
      self->countdown = delay;
      self->countdown_id = g_timeout_add_seconds (1, countdown_tick, self);
    }
  update_sign_in_button (self);
}

/* Pages ------------------------------------------------------------------------ */

static void
clear_entries (DossierLoginPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->setup_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->setup_repeat_row), "");
  show_message (self->error_label, NULL);
  show_message (self->setup_error_label, NULL);
}

static void
on_user_button_clicked (GtkButton        *button,
                        DossierLoginPage *self)
{
  dossier_login_page_choose_user (self, g_object_get_data (G_OBJECT (button), "login"));
}

/* The whole row chooses the account; its arrow is a button so that assistive
 * technologies have an action to call. */
static GtkWidget *
user_row_new (DossierLoginPage  *self,
              const DossierUser *user)
{
  g_autofree char *roles = dossier_roles_get_label (user->roles);
  g_autofree char *accessible = NULL;
  g_autofree char *button_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, user->full_name, TRUE);
  GtkWidget *button = gtk_button_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->full_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), roles);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  gtk_widget_set_name (row, user->login);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: the button of an account on the sign-in page. */
  button_label = g_strdup_printf (_("Sign in as %s"), user->full_name);
  gtk_widget_set_tooltip_text (button, button_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_label, -1);
  g_object_set_data_full (G_OBJECT (button), "login", g_strdup (user->login), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_user_button_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

  /* Translators: the account rows of the sign-in page, for screen readers:
   * full name, login. */
  accessible = g_strdup_printf (_("%s (%s)"), user->full_name, user->login);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, roles,
                                  -1);

  return row;
}

static void
fill_users (DossierLoginPage *self)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n_active = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->users_list))) != NULL)
    gtk_list_box_remove (self->users_list, child);

  users = dossier_auth_list_users (self->store, &error);
  if (users == NULL)
    {
      adw_status_page_set_description (self->users_page, error->message);
      return;
    }

  for (guint i = 0; i < users->len; i++)
    {
      const DossierUser *user = g_ptr_array_index (users, i);

      /* A deactivated account cannot sign in; listing it would only invite a
       * refusal. */
      if (!user->active)
        continue;

      gtk_list_box_append (self->users_list, user_row_new (self, user));
      n_active++;
    }

  if (n_active == 0)
    adw_status_page_set_description (self->users_page,
                                     _("No account is active. An administrator can activate one "
                                       "with dossier-cli."));
  else if (dossier_demo_is_demo_database (self->store))
    /* The example database's accounts are the people who wrote its records; their
     * passwords are no secret (README). */
    adw_status_page_set_description (self->users_page,
                                     _("Choose your account. This is the demonstration database: each "
                                       "password is the login followed by “-demo”."));
  else
    adw_status_page_set_description (self->users_page, _("Choose your account"));
}

static void
show_password_page (DossierLoginPage  *self,
                    const DossierUser *user)
{
  g_autofree char *roles = dossier_roles_get_label (user->roles);

  if (self->chosen != user)
    {
      g_clear_pointer (&self->chosen, dossier_user_free);
      self->chosen = dossier_user_copy (user);
    }

  adw_avatar_set_text (self->avatar, user->full_name);
  gtk_label_set_label (self->name_label, user->full_name);
  /* Translators: below the name on the sign-in page: login · roles. */
  {
    g_autofree char *line = g_strdup_printf (_("%s · %s"), user->login, roles);
    gtk_label_set_label (self->roles_label, line);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->lock_icon), self->unlocking);
  gtk_widget_set_visible (GTK_WIDGET (self->lock_label), self->unlocking);
  gtk_widget_set_visible (GTK_WIDGET (self->switch_button), self->unlocking);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !self->unlocking);
  adw_window_title_set_title (self->window_title, self->unlocking ? _("Locked") : _("Sign In"));
  {
    /* Translators: the password field of the sign-in page, for screen readers. */
    g_autofree char *label = g_strdup_printf (_("Password of %s"), user->full_name);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->password_row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }

  clear_entries (self);
  check_retry_delay (self);

  gtk_stack_set_visible_child_name (self->stack, "password");
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_back_clicked (DossierLoginPage *self)
{
  dossier_login_page_reset (self);
}

static void
on_password_changed (DossierLoginPage *self)
{
  update_sign_in_button (self);
}

static void
on_sign_in_clicked (DossierLoginPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean ok;

  if (self->chosen == NULL || self->countdown > 0)
    return;

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  if (*password == '\0')
    return;

  /* The typed password does not stay on screen whatever happens. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  if (self->unlocking)
    ok = dossier_auth_unlock (self->store, password, &error);
  else
    ok = dossier_store_sign_in (self->store, self->chosen->login, password, &error);

  if (!ok)
    {
      show_message (self->error_label, error->message);
      check_retry_delay (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  show_message (self->error_label, NULL);
  stop_countdown (self);
  self->unlocking = FALSE;
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

static void
on_switch_clicked (DossierLoginPage *self)
{
  dossier_store_sign_out (self->store);
  g_signal_emit (self, signals[SIGNED_OUT], 0);
  dossier_login_page_reset (self);
}

/* The first administrator ------------------------------------------------------ */

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
on_setup_changed (DossierLoginPage *self)
{
  g_autofree char *name = row_text (self->setup_name_row);
  g_autofree char *login = row_text (self->setup_login_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->setup_password_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->setup_repeat_row));

  gtk_widget_set_sensitive (GTK_WIDGET (self->setup_button),
                            *name != '\0' && *login != '\0' && *password != '\0' && *repeat != '\0');
}

static void
on_setup_activate (DossierLoginPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = row_text (self->setup_name_row);
  g_autofree char *login = row_text (self->setup_login_row);
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->setup_password_row)));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->setup_repeat_row));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->setup_button)))
    return;

  if (!g_str_equal (password, repeat))
    {
      show_message (self->setup_error_label, _("The two passwords are not the same. Type the password again."));
      gtk_editable_set_text (GTK_EDITABLE (self->setup_repeat_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->setup_repeat_row));
      return;
    }

  /* The store checks the login, the name and the password policy and says what
   * is wrong; its message is shown as it is. */
  if (dossier_auth_create_user (self->store, login, name, DOSSIER_ROLE_ADMINISTRATOR, password, &error) == 0 ||
      !dossier_store_sign_in (self->store, login, password, &error))
    {
      show_message (self->setup_error_label, error->message);
      return;
    }

  clear_entries (self);
  gtk_editable_set_text (GTK_EDITABLE (self->setup_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->setup_login_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

/* GObject ---------------------------------------------------------------------- */

static void
dossier_login_page_dispose (GObject *object)
{
  DossierLoginPage *self = (DossierLoginPage *)object;
  GtkWidget *child;

  stop_countdown (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_LOGIN_PAGE);
  /* The template's top widget has no id; a GtkWidget leaves its children to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->chosen, dossier_user_free);

  G_OBJECT_CLASS (dossier_login_page_parent_class)->dispose (object);
}

static void
dossier_login_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DossierLoginPage *self = DOSSIER_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_login_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DossierLoginPage *self = DOSSIER_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dossier_login_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_login_page_class_init (DossierLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_login_page_dispose;
  object_class->get_property = dossier_login_page_get_property;
  object_class->set_property = dossier_login_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierLoginPage::signed-in:
   *
   * The store has a signed-in, unlocked user: someone signed in, unlocked, or
   * created the first administrator.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * DossierLoginPage::signed-out:
   *
   * The lock screen signed its user out so that someone else can sign in.
   */
  signals[SIGNED_OUT] =
    g_signal_new ("signed-out",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loginpage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, setup_name_row);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, setup_login_row);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, setup_password_row);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, setup_repeat_row);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, setup_error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, setup_button);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, users_page);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, users_list);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, lock_icon);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, roles_label);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, lock_label);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, DossierLoginPage, switch_button);

  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_activate);
}

static void
dossier_login_page_init (DossierLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dossier_a11y_name_password_peek (ADW_PASSWORD_ENTRY_ROW (self->password_row));
  dossier_a11y_name_password_peek (ADW_PASSWORD_ENTRY_ROW (self->setup_password_row));
  dossier_a11y_name_password_peek (ADW_PASSWORD_ENTRY_ROW (self->setup_repeat_row));

  /* The account list is the application's own, so it shows its icon. */
  adw_status_page_set_icon_name (self->users_page, APP_ID);
}

/* Public ----------------------------------------------------------------------- */

GtkWidget *
dossier_login_page_new (void)
{
  return g_object_new (DOSSIER_TYPE_LOGIN_PAGE, NULL);
}

DossierStore *
dossier_login_page_get_store (DossierLoginPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_LOGIN_PAGE (self), NULL);

  return self->store;
}

void
dossier_login_page_set_store (DossierLoginPage *self,
                              DossierStore     *store)
{
  g_return_if_fail (DOSSIER_IS_LOGIN_PAGE (self));
  g_return_if_fail (store == NULL || DOSSIER_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      if (store != NULL)
        dossier_login_page_reset (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

void
dossier_login_page_reset (DossierLoginPage *self)
{
  g_return_if_fail (DOSSIER_IS_LOGIN_PAGE (self));
  g_return_if_fail (DOSSIER_IS_STORE (self->store));

  self->unlocking = FALSE;
  stop_countdown (self);
  g_clear_pointer (&self->chosen, dossier_user_free);
  clear_entries (self);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);

  if (!dossier_auth_has_accounts (self->store))
    {
      adw_window_title_set_title (self->window_title, _("Welcome to Dossier"));
      on_setup_changed (self);
      gtk_stack_set_visible_child_name (self->stack, "setup");
      gtk_widget_grab_focus (GTK_WIDGET (self->setup_name_row));
      return;
    }

  adw_window_title_set_title (self->window_title, _("Dossier"));
  fill_users (self);
  gtk_stack_set_visible_child_name (self->stack, "users");
}

void
dossier_login_page_show_unlock (DossierLoginPage *self)
{
  const DossierUser *user;
  guint minutes;

  g_return_if_fail (DOSSIER_IS_LOGIN_PAGE (self));
  g_return_if_fail (DOSSIER_IS_STORE (self->store));

  user = dossier_store_get_user (self->store);
  if (user == NULL)
    {
      dossier_login_page_reset (self);
      return;
    }

  minutes = dossier_auth_get_idle_lock_minutes (self->store);
  if (minutes > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Dossier is locked; it locks by itself after %u minute "
                                                         "without activity. Enter your password to go on working.",
                                                         "Dossier is locked; it locks by itself after %u minutes "
                                                         "without activity. Enter your password to go on working.",
                                                         minutes),
                                               minutes);
      gtk_label_set_label (self->lock_label, text);
    }
  else
    gtk_label_set_label (self->lock_label, _("Dossier is locked. Enter your password to go on working."));

  self->unlocking = TRUE;
  show_password_page (self, user);
}

gboolean
dossier_login_page_choose_user (DossierLoginPage *self,
                                const char       *login)
{
  g_autoptr(DossierUser) user = NULL;

  g_return_val_if_fail (DOSSIER_IS_LOGIN_PAGE (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_STORE (self->store), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  user = dossier_auth_lookup_user (self->store, login, NULL);
  if (user == NULL || !user->active)
    return FALSE;

  self->unlocking = FALSE;
  show_password_page (self, user);
  return TRUE;
}

gboolean
dossier_login_page_get_unlocking (DossierLoginPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_LOGIN_PAGE (self), FALSE);

  return self->unlocking;
}
