/* dossier-signoff-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-signoff-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-confirmation.h"
#include "dossier-signature.h"
#include "dossier-signoff-page.h"

struct _DossierSignoffPage
{
  GtkWidget     parent_instance;

  DossierStore *store;
  gint64        dossier_id;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkLabel     *error_label;
  GtkListBox   *points_list;
  GtkListBox   *confirmation_list;
  GtkListBox   *signatures_list;
};

G_DEFINE_FINAL_TYPE (DossierSignoffPage, dossier_signoff_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DOSSIER_ID,
  N_PROPS
};

enum {
  SIGNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const DossierSignPoint all_points[] = {
  DOSSIER_SIGN_POINT_DESIGN_REVIEW,
  DOSSIER_SIGN_POINT_DESIGN_APPROVAL,
  DOSSIER_SIGN_POINT_PROCESSING_REVIEW,
  DOSSIER_SIGN_POINT_RELEASE,
};

/* The roles that could ever sign point (docs/signatures.md), only to grey out the
 * buttons of people who never could; core decides everything else and says why. */
static DossierRoles
point_roles (DossierSignPoint point)
{
  if (point == DOSSIER_SIGN_POINT_DESIGN_REVIEW)
    return DOSSIER_ROLE_ENGINEER | DOSSIER_ROLE_QA_REVIEWER;

  return DOSSIER_ROLE_QA_REVIEWER;
}

/* The status a sign-off moves the dossier to through the rule gate, or NULL. */
static const char *
gated_status (DossierSignPoint point)
{
  if (point == DOSSIER_SIGN_POINT_DESIGN_APPROVAL)
    return "design-approved";
  if (point == DOSSIER_SIGN_POINT_RELEASE)
    return "released";

  return NULL;
}

static const char *
sign_button_label (DossierSignPoint point)
{
  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
      return _("Sign the design review");
    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      return _("Sign the design approval");
    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
      return _("Sign the processing record review");
    case DOSSIER_SIGN_POINT_RELEASE:
      return _("Sign the release");
    default:
      g_assert_not_reached ();
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
state_icon_new (DossierSignatureState state,
                gboolean              signed_,
                gboolean              top)
{
  GtkWidget *icon;

  if (!signed_)
    {
      icon = gtk_image_new_from_icon_name ("radio-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not signed"), -1);
    }
  else if (state == DOSSIER_SIGNATURE_VALID)
    {
      icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Valid"), -1);
    }
  else
    {
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("No longer valid"), -1);
    }

  /* Beside a text of several lines, the icon goes with the first. */
  if (top)
    {
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_widget_set_margin_top (icon, 2);
    }
  return icon;
}

static GtkWidget *
wrapped_label_new (const char *text,
                   const char *name,
                   const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (name != NULL)
    gtk_widget_set_name (label, name);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A row of icon, title and lines below it, not activatable: what it says is the
 * record, and all of it is shown. */
static GtkWidget *
record_row_new (GtkWidget  *icon,
                GtkWidget **box_out)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "record-row");
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (hbox), icon);
  gtk_box_append (GTK_BOX (hbox), box);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);

  *box_out = box;
  return row;
}

/* Sign-off points ------------------------------------------------------------------ */

static void
on_sign_clicked (GtkButton          *button,
                 DossierSignoffPage *self)
{
  DossierSignPoint point = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "point"));

  dossier_signoff_page_sign (self, point);
}

static GtkWidget *
point_row_new (DossierSignoffPage     *self,
               DossierSignPoint        point,
               const DossierSignature *current)
{
  const DossierUser *user = dossier_store_get_user (self->store);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid = current != NULL && current->state == DOSSIER_SIGNATURE_VALID;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dossier_sign_point_get_label (point));
  gtk_widget_set_name (row, dossier_sign_point_to_string (point));

  if (current == NULL)
    subtitle = g_strdup (_("Not signed"));
  else if (valid)
    subtitle = dossier_signature_describe (current);
  else
    {
      g_autofree char *described = dossier_signature_describe (current);

      /* Translators: a sign-off whose signature no longer holds: the signature,
       * then why, e.g. "… — Design review. No longer valid: the design was changed." */
      subtitle = g_strdup_printf (_("%s. %s"), described,
                                  current->state == DOSSIER_SIGNATURE_TAMPERED
                                    ? _("Not valid: changed outside Dossier.")
                                    : _("No longer valid: the content changed after signing."));
      gtk_widget_add_css_class (row, "signature-invalid");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), state_icon_new (current != NULL ? current->state : 0,
                                                                    current != NULL, FALSE));

  /* A signature that holds needs nothing more; otherwise the button is there for
   * whoever could sign, and core says in the dialog whether they may now. */
  if (!valid)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (current != NULL ? _("Sign _Again…") : _("_Sign…"));
      gboolean could = user != NULL && (user->roles & point_roles (point)) != 0;
      gboolean can = could && dossier_signature_can_sign (self->store, self->dossier_id, point, &error);

      /* An approval or a release also moves the status through the rule check. */
      if (can && gated_status (point) != NULL)
        can = dossier_check_gate (self->store, self->dossier_id, gated_status (point), &error);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "sign");
      gtk_widget_set_sensitive (button, could);
      if (can)
        gtk_widget_add_css_class (button, "suggested-action");
      if (error != NULL)
        gtk_widget_set_tooltip_text (button, error->message);
      else if (user == NULL)
        gtk_widget_set_tooltip_text (button, _("Signing needs a signed-in user"));
      else if (!could)
        {
          g_autofree char *roles = dossier_roles_get_label (point_roles (point));
          g_autofree char *tip = g_strdup_printf (_("Needs the role %s"), roles);
          gtk_widget_set_tooltip_text (button, tip);
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, sign_button_label (point),
                                      -1);
      g_object_set_data (G_OBJECT (button), "point", GINT_TO_POINTER (point));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_sign_clicked), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  return row;
}

/* Signatures ------------------------------------------------------------------------- */

static GtkWidget *
signature_row_new (DossierSignoffPage     *self,
                   const DossierSignature *signature)
{
  g_autofree char *described = dossier_signature_describe (signature);
  g_autofree char *state = dossier_signature_describe_state (self->store, signature);
  g_auto(GStrv) lines = g_strsplit (state, "\n", -1);
  g_autofree char *accessible = g_strdup_printf ("%s. %s", described, lines[0]);
  GtkWidget *box;
  GtkWidget *row = record_row_new (state_icon_new (signature->state, TRUE, TRUE), &box);
  GtkWidget *state_label;
  const char *state_class;

  if (signature->state != DOSSIER_SIGNATURE_VALID)
    state_class = "error";
  else if (signature->current)
    state_class = "success";
  else
    state_class = "dim-label";

  gtk_widget_set_name (row, "signature");
  gtk_box_append (GTK_BOX (box), wrapped_label_new (described, "signature-text", NULL));
  state_label = wrapped_label_new (lines[0], "signature-state", state_class);
  gtk_box_append (GTK_BOX (box), state_label);

  /* Who changed what and when, one line each, as core wrote them. */
  if (lines[0] != NULL && lines[1] != NULL)
    {
      g_autoptr(GString) changes = g_string_new (NULL);

      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_strstrip (lines[i]);
          if (*lines[i] == '\0')
            continue;
          if (changes->len > 0)
            g_string_append_c (changes, '\n');
          g_string_append_printf (changes, "• %s", lines[i]);
        }
      if (changes->len > 0)
        {
          GtkWidget *label = wrapped_label_new (changes->str, "signature-changes", "error");
          gtk_widget_add_css_class (label, "caption");
          gtk_box_append (GTK_BOX (box), label);
        }
    }

  {
    /* Translators: the hash a signature stores, e.g. "SHA-256 of the signed content: 88e3…" */
    g_autofree char *hash = g_strdup_printf (_("SHA-256 of the signed content: %s"), signature->content_hash);
    GtkWidget *label = wrapped_label_new (hash, "signature-hash", "caption");

    gtk_widget_add_css_class (label, "dim-label");
    gtk_box_append (GTK_BOX (box), label);
  }

  if (signature->comment != NULL && *signature->comment != '\0')
    {
      /* Translators: the signer's comment stored with a signature. */
      g_autofree char *comment = g_strdup_printf (_("Comment: %s"), signature->comment);
      GtkWidget *label = wrapped_label_new (comment, "signature-comment", "caption");

      gtk_box_append (GTK_BOX (box), label);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

/* The clinician's confirmation -------------------------------------------------------- */

static GtkWidget *
confirmation_row_new (const DossierConfirmationStatus *status)
{
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *row;
  g_autofree char *title = NULL;
  g_autofree char *state = NULL;
  const char *state_class;

  if (status->confirmed)
    {
      title = g_strdup_printf (_("Design version %d confirmed by %s on %s"),
                               status->confirmed_version,
                               status->clinician_name != NULL ? status->clinician_name : _("the clinician"),
                               status->confirmed_on != NULL ? status->confirmed_on : "—");
      if (status->covers_current)
        {
          state = g_strdup (_("Covers the current design."));
          state_class = "success";
          icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
        }
      else
        {
          state = g_strdup (status->reminder != NULL
                              ? status->reminder
                              : _("The design changed after the confirmation: the clinician must be told and must confirm it again."));
          state_class = "warning";
          icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
        }
    }
  else
    {
      title = g_strdup (_("No confirmation recorded"));
      if (status->current_version > 0)
        state = g_strdup_printf (_("The clinician must confirm design version %d in writing."),
                                 status->current_version);
      else
        state = g_strdup (_("There is no design version to confirm yet."));
      state_class = "dim-label";
      icon = gtk_image_new_from_icon_name ("radio-symbolic");
    }

  gtk_widget_add_css_class (icon, state_class);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);

  row = record_row_new (icon, &box);
  gtk_widget_set_name (row, "confirmation");
  gtk_box_append (GTK_BOX (box), wrapped_label_new (title, "confirmation-text", NULL));
  gtk_box_append (GTK_BOX (box), wrapped_label_new (state, "confirmation-state", state_class));
  if (status->confirmed && status->document_no != NULL)
    {
      /* Translators: the number of the clinician's confirmation document. */
      g_autofree char *document = g_strdup_printf (_("Document %s"), status->document_no);
      GtkWidget *label = wrapped_label_new (document, "confirmation-document", "caption");

      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }

  {
    g_autofree char *accessible = g_strdup_printf ("%s. %s", title, state);
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }

  return row;
}

static GtkWidget *
placeholder_row_new (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);

  return row;
}

static void
show_error (DossierSignoffPage *self,
            const char         *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Signing ----------------------------------------------------------------------------- */

static void
on_dialog_signed (DossierSignDialog  *dialog,
                  gint64              signature_id,
                  DossierSignoffPage *self)
{
  dossier_signoff_page_refresh (self);
  g_signal_emit (self, signals[SIGNED], 0, signature_id);
}

/* Reading the signatures hashes the content they cover, and deciding who may sign
 * reads the audit trail: a page that is not shown (another tab of the editor, the
 * list being browsed) does it when it is shown next. */
static void
refresh_when_shown (DossierSignoffPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    dossier_signoff_page_refresh (self);
}

/* GObject ----------------------------------------------------------------------------- */

static void
dossier_signoff_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dossier_signoff_page_parent_class)->map (widget);

  /* Other pages may have changed the dossier while this one was hidden. */
  dossier_signoff_page_refresh (DOSSIER_SIGNOFF_PAGE (widget));
}

static void
dossier_signoff_page_dispose (GObject *object)
{
  DossierSignoffPage *self = (DossierSignoffPage *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_SIGNOFF_PAGE);
  /* The template's top widget has no id; a GtkWidget leaves its children to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_signoff_page_parent_class)->dispose (object);
}

static void
dossier_signoff_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierSignoffPage *self = DOSSIER_SIGNOFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DOSSIER_ID:
      g_value_set_int64 (value, self->dossier_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_signoff_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierSignoffPage *self = DOSSIER_SIGNOFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dossier_signoff_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_DOSSIER_ID:
      dossier_signoff_page_set_dossier_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_signoff_page_class_init (DossierSignoffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_signoff_page_dispose;
  object_class->get_property = dossier_signoff_page_get_property;
  object_class->set_property = dossier_signoff_page_set_property;

  widget_class->map = dossier_signoff_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DOSSIER_ID] =
    g_param_spec_int64 ("dossier-id", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierSignoffPage::signed:
   * @id: the new signature's id
   *
   * A signature was made from this page; the dossier's status may have changed.
   */
  signals[SIGNED] =
    g_signal_new ("signed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "signoffpage");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-signoff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierSignoffPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierSignoffPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierSignoffPage, points_list);
  gtk_widget_class_bind_template_child (widget_class, DossierSignoffPage, confirmation_list);
  gtk_widget_class_bind_template_child (widget_class, DossierSignoffPage, signatures_list);
}

static void
dossier_signoff_page_init (DossierSignoffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public ------------------------------------------------------------------------------ */

GtkWidget *
dossier_signoff_page_new (void)
{
  return g_object_new (DOSSIER_TYPE_SIGNOFF_PAGE, NULL);
}

DossierStore *
dossier_signoff_page_get_store (DossierSignoffPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_SIGNOFF_PAGE (self), NULL);

  return self->store;
}

void
dossier_signoff_page_set_store (DossierSignoffPage *self,
                                DossierStore       *store)
{
  g_return_if_fail (DOSSIER_IS_SIGNOFF_PAGE (self));
  g_return_if_fail (store == NULL || DOSSIER_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      refresh_when_shown (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

gint64
dossier_signoff_page_get_dossier_id (DossierSignoffPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_SIGNOFF_PAGE (self), 0);

  return self->dossier_id;
}

void
dossier_signoff_page_set_dossier_id (DossierSignoffPage *self,
                                     gint64              dossier_id)
{
  g_return_if_fail (DOSSIER_IS_SIGNOFF_PAGE (self));
  g_return_if_fail (dossier_id >= 0);

  if (self->dossier_id == dossier_id)
    return;

  self->dossier_id = dossier_id;
  refresh_when_shown (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOSSIER_ID]);
}

void
dossier_signoff_page_refresh (DossierSignoffPage *self)
{
  g_autoptr(GPtrArray) signatures = NULL;
  g_autoptr(DossierConfirmationStatus) confirmation = NULL;
  g_autoptr(GError) error = NULL;
  const DossierSignature *current[DOSSIER_N_SIGN_POINTS] = { NULL };

  g_return_if_fail (DOSSIER_IS_SIGNOFF_PAGE (self));

  clear_list (self->points_list);
  clear_list (self->confirmation_list);
  clear_list (self->signatures_list);
  show_error (self, NULL);

  if (self->store == NULL || self->dossier_id == 0)
    return;

  signatures = dossier_signature_list (self->store, self->dossier_id, &error);
  if (signatures == NULL)
    {
      show_error (self, error->message);
      return;
    }

  for (guint i = 0; i < signatures->len; i++)
    {
      const DossierSignature *s = g_ptr_array_index (signatures, i);

      if (s->current && (guint)s->point < DOSSIER_N_SIGN_POINTS)
        current[s->point] = s;
    }

  for (guint i = 0; i < G_N_ELEMENTS (all_points); i++)
    gtk_list_box_append (self->points_list, point_row_new (self, all_points[i], current[all_points[i]]));

  confirmation = dossier_confirmation_get_status (self->store, self->dossier_id, &error);
  if (confirmation != NULL)
    gtk_list_box_append (self->confirmation_list, confirmation_row_new (confirmation));
  else
    {
      gtk_list_box_append (self->confirmation_list, placeholder_row_new (error->message));
      g_clear_error (&error);
    }

  for (guint i = 0; i < signatures->len; i++)
    gtk_list_box_append (self->signatures_list, signature_row_new (self, g_ptr_array_index (signatures, i)));
  if (signatures->len == 0)
    gtk_list_box_append (self->signatures_list, placeholder_row_new (_("No signatures yet")));
}

DossierSignDialog *
dossier_signoff_page_sign (DossierSignoffPage *self,
                           DossierSignPoint    point)
{
  GtkRoot *root;
  DossierSignDialog *dialog;

  g_return_val_if_fail (DOSSIER_IS_SIGNOFF_PAGE (self), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (self->store), NULL);
  g_return_val_if_fail (self->dossier_id > 0, NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = dossier_sign_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->store, self->dossier_id, point);
  g_signal_connect_object (dialog, "signed", G_CALLBACK (on_dialog_signed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}
