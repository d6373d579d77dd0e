/* dossier-users-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-users-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-a11y.h"
#include "dossier-auth.h"
#include "dossier-users-window.h"

typedef struct
{
  DossierRoles  role;
  const char   *description;
} RoleInfo;

/* What each role may do, in a line (docs/signatures.md has the full table). */
static const RoleInfo roles[] = {
  { DOSSIER_ROLE_ENGINEER,
    N_("Records dossiers: order, design, processing, inspection, delivery and files; signs design reviews") },
  { DOSSIER_ROLE_QA_REVIEWER,
    N_("Signs design reviews and approvals, processing record reviews and releases") },
  { DOSSIER_ROLE_REGULATORY,
    N_("Keeps institutions, clinicians, filings, registered products and their size ranges") },
  { DOSSIER_ROLE_ADMINISTRATOR,
    N_("Keeps user accounts, settings and the rule catalogue") },
};

struct _DossierUsersWindow
{
  AdwWindow        parent_instance;

  DossierStore    *store;
  GtkCheckButton  *role_checks[G_N_ELEMENTS (roles)];

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet      *leaflet;
  GtkWidget       *list_page;
  GtkWidget       *add_page;
  GtkListBox      *users_list;
  AdwEntryRow     *name_row;
  AdwEntryRow     *login_row;
  AdwEntryRow     *password_row;
  AdwEntryRow     *repeat_row;
  GtkListBox      *roles_list;
  GtkLabel        *add_error_label;
};

G_DEFINE_FINAL_TYPE (DossierUsersWindow, dossier_users_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_toast (DossierUsersWindow *self,
            const char         *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* The list ------------------------------------------------------------------------ */

static GtkWidget *
user_row_new (const DossierUser *user)
{
  g_autofree char *role_labels = dossier_roles_get_label (user->roles);
  /* Translators: an account's line in the Users window: login · roles. */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), user->login, role_labels);
  g_autofree char *accessible = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) reset = NULL;
  g_autoptr(GMenuItem) active = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->full_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, user->full_name, TRUE));
  gtk_widget_set_name (row, user->login);

  if (!user->active)
    {
      GtkWidget *tag = gtk_label_new (_("Inactive"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "tag");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      gtk_widget_add_css_class (row, "inactive-user");
    }

  reset = g_menu_item_new (_("_Set New Password…"), NULL);
  g_menu_item_set_action_and_target (reset, "users.reset-password", "x", user->id);
  g_menu_append_item (menu, reset);
  active = g_menu_item_new (user->active ? _("_Deactivate…") : _("_Activate"), NULL);
  g_menu_item_set_action_and_target (active, user->active ? "users.deactivate" : "users.activate", "x", user->id);
  g_menu_append_item (menu, active);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Account Actions"));
  /* Translators: the menu button of one account, for screen readers. */
  accessible = g_strdup_printf (_("Actions for %s"), user->login);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

void
dossier_users_window_refresh (DossierUsersWindow *self)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (DOSSIER_IS_USERS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->users_list))) != NULL)
    gtk_list_box_remove (self->users_list, child);

  users = dossier_auth_list_users (self->store, &error);
  if (users == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  for (guint i = 0; i < users->len; i++)
    gtk_list_box_append (self->users_list, user_row_new (g_ptr_array_index (users, i)));
}

static DossierUser *
find_user (DossierUsersWindow *self,
           gint64              id)
{
  g_autoptr(GPtrArray) users = dossier_auth_list_users (self->store, NULL);

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      const DossierUser *user = g_ptr_array_index (users, i);

      if (user->id == id)
        return dossier_user_copy (user);
    }

  return NULL;
}

/* Activating and deactivating ---------------------------------------------------------- */

static void
set_active (DossierUsersWindow *self,
            const DossierUser  *user,
            gboolean            active)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dossier_auth_set_active (self->store, user->id, active, NULL, &error))
    {
      show_toast (self, error->message);
      return;
    }

  message = g_strdup_printf (active ? _("%s can sign in again") : _("%s can no longer sign in"), user->full_name);
  show_toast (self, message);
  dossier_users_window_refresh (self);
}

static void
on_deactivate_response (AdwMessageDialog   *dialog,
                        const char         *response,
                        DossierUsersWindow *self)
{
  DossierUser *user = g_object_get_data (G_OBJECT (dialog), "user");

  if (g_str_equal (response, "deactivate"))
    set_active (self, user, FALSE);
}

static void
deactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (widget);
  DossierUser *user = find_user (self, g_variant_get_int64 (parameter));
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (user == NULL)
    return;

  heading = g_strdup_printf (_("Deactivate %s?"), user->full_name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("The account can no longer sign in. Its signatures and "
                                                         "changes keep its name, and it can be activated again.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "deactivate", _("_Deactivate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "deactivate", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "user", user, (GDestroyNotify)dossier_user_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_deactivate_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (widget);
  g_autoptr(DossierUser) user = find_user (self, g_variant_get_int64 (parameter));

  if (user != NULL)
    set_active (self, user, TRUE);
}

/* A new password ---------------------------------------------------------------------- */

typedef struct
{
  GtkEditable *password;
  GtkEditable *repeat;
  gint64       user_id;
  char        *full_name;
} PasswordForm;

static void
password_form_free (PasswordForm *form)
{
  g_free (form->full_name);
  g_free (form);
}

static void
on_password_form_changed (AdwMessageDialog *dialog)
{
  PasswordForm *form = g_object_get_data (G_OBJECT (dialog), "form");
  const char *password = gtk_editable_get_text (form->password);
  const char *repeat = gtk_editable_get_text (form->repeat);

  adw_message_dialog_set_response_enabled (dialog, "set",
                                           *password != '\0' && g_str_equal (password, repeat));
}

static void
on_password_response (AdwMessageDialog   *dialog,
                      const char         *response,
                      DossierUsersWindow *self)
{
  PasswordForm *form = g_object_get_data (G_OBJECT (dialog), "form");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "set"))
    return;

  /* The policy (length, not the login) is core's; its message says what is wrong. */
  if (!dossier_auth_set_password (self->store, form->user_id, NULL,
                                  gtk_editable_get_text (form->password), &error))
    {
      show_toast (self, error->message);
      return;
    }

  message = g_strdup_printf (_("New password set for %s"), form->full_name);
  show_toast (self, message);
}

static GtkWidget *
password_entry_new (const char *label,
                    const char *placeholder)
{
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "placeholder-text", placeholder, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return entry;
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (widget);
  g_autoptr(DossierUser) user = find_user (self, g_variant_get_int64 (parameter));
  AdwMessageDialog *dialog;
  PasswordForm *form;
  GtkWidget *box;
  g_autofree char *body = NULL;

  if (user == NULL)
    return;

  body = g_strdup_printf (_("Set a new password for %s (%s). Give it to them in person; "
                            "it replaces the old one at once."),
                          user->full_name, user->login);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Set New Password"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "set", _("_Set Password"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "set", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "set", FALSE);
  adw_message_dialog_set_default_response (dialog, "set");
  adw_message_dialog_set_close_response (dialog, "cancel");

  form = g_new0 (PasswordForm, 1);
  form->user_id = user->id;
  form->full_name = g_strdup (user->full_name);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  form->password = GTK_EDITABLE (password_entry_new (_("New password"), _("New password")));
  form->repeat = GTK_EDITABLE (password_entry_new (_("Repeat the new password"), _("Repeat password")));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->password));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form->repeat));
  adw_message_dialog_set_extra_child (dialog, box);
  g_object_set_data_full (G_OBJECT (dialog), "form", form, (GDestroyNotify)password_form_free);

  g_signal_connect_swapped (form->password, "changed", G_CALLBACK (on_password_form_changed), dialog);
  g_signal_connect_swapped (form->repeat, "changed", G_CALLBACK (on_password_form_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A new account ------------------------------------------------------------------------ */

static DossierRoles
chosen_roles (DossierUsersWindow *self)
{
  DossierRoles chosen = DOSSIER_ROLE_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (gtk_check_button_get_active (self->role_checks[i]))
      chosen |= roles[i].role;

  return chosen;
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
on_form_changed (DossierUsersWindow *self)
{
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *login = row_text (self->login_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.create",
                                 *name != '\0' && *login != '\0' && *password != '\0' &&
                                 *repeat != '\0' && chosen_roles (self) != DOSSIER_ROLE_NONE);
}

static void
show_add_error (DossierUsersWindow *self,
                const char         *message)
{
  gtk_label_set_label (self->add_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), message != NULL);
}

static void
clear_form (DossierUsersWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    gtk_check_button_set_active (self->role_checks[i], FALSE);
  show_add_error (self, NULL);
  on_form_changed (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (widget);

  clear_form (self);
  adw_leaflet_set_visible_child (self->leaflet, self->add_page);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
  clear_form (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *login = row_text (self->login_row);
  g_autofree char *message = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));

  if (!g_str_equal (password, repeat))
    {
      show_add_error (self, _("The two passwords are not the same. Type the password again."));
      gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
      return;
    }

  /* Core checks the login, the name, the roles, the password policy and that an
   * administrator is signed in. */
  if (dossier_auth_create_user (self->store, login, name, chosen_roles (self), password, &error) == 0)
    {
      show_add_error (self, error->message);
      return;
    }

  message = g_strdup_printf (_("Account %s added"), login);
  dossier_users_window_refresh (self);
  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
  clear_form (self);
  show_toast (self, message);
}

static void
fill_roles (DossierUsersWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *label = dossier_role_get_label (roles[i].role);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(roles[i].description));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_widget_set_name (row, dossier_role_to_string (roles[i].role));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_form_changed), self, G_CONNECT_SWAPPED);

      self->role_checks[i] = GTK_CHECK_BUTTON (check);
      gtk_list_box_append (self->roles_list, row);
    }
}

/* GObject ----------------------------------------------------------------------------- */

static void
dossier_users_window_constructed (GObject *object)
{
  DossierUsersWindow *self = (DossierUsersWindow *)object;

  G_OBJECT_CLASS (dossier_users_window_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));
  dossier_users_window_refresh (self);
}

static void
dossier_users_window_dispose (GObject *object)
{
  DossierUsersWindow *self = (DossierUsersWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_USERS_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_users_window_parent_class)->dispose (object);
}

static void
dossier_users_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (object);

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
dossier_users_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierUsersWindow *self = DOSSIER_USERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_users_window_class_init (DossierUsersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_users_window_constructed;
  object_class->dispose = dossier_users_window_dispose;
  object_class->get_property = dossier_users_window_get_property;
  object_class->set_property = dossier_users_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-users-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, list_page);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, add_page);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, users_list);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, roles_list);
  gtk_widget_class_bind_template_child (widget_class, DossierUsersWindow, add_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);

  gtk_widget_class_install_action (widget_class, "users.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "users.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "users.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "users.reset-password", "x", reset_password_action);
  gtk_widget_class_install_action (widget_class, "users.deactivate", "x", deactivate_action);
  gtk_widget_class_install_action (widget_class, "users.activate", "x", activate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "users.add", NULL);
}

static void
dossier_users_window_init (DossierUsersWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dossier_a11y_name_password_peek (ADW_PASSWORD_ENTRY_ROW (self->password_row));
  dossier_a11y_name_password_peek (ADW_PASSWORD_ENTRY_ROW (self->repeat_row));

  fill_roles (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.create", FALSE);
}

/* Public ------------------------------------------------------------------------------ */

DossierUsersWindow *
dossier_users_window_new (GtkWindow    *parent,
                          DossierStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_USERS_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "store", store,
                       NULL);
}
