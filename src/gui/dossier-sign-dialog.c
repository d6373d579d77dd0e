/* dossier-sign-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-sign-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dossier-a11y.h"
#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-sign-dialog.h"
#include "dossier-signature.h"

struct _DossierSignDialog
{
  AdwWindow         parent_instance;

  DossierStore     *store;
  gint64            dossier_id;
  DossierSignPoint  point;
  char             *unit_no;
  char             *content_hash;
  gboolean          allowed;
  guint             countdown_id;
  guint             countdown;

  /* Template widgets */
  AdwWindowTitle   *window_title;
  GtkButton        *sign_button;
  GtkLabel         *intro_label;
  GtkWidget        *refusal_box;
  GtkLabel         *refusal_label;
  GtkListBox       *content_list;
  GtkListBox       *signer_list;
  GtkWidget        *password_group;
  AdwEntryRow      *password_row;
  AdwEntryRow      *comment_row;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (DossierSignDialog, dossier_sign_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DOSSIER_ID,
  PROP_POINT,
  N_PROPS
};

enum {
  SIGNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The covered content in words ------------------------------------------------------ */

typedef struct
{
  guint order;
  guint design_inputs;
  guint iterations;
  guint parameters;
  guint steps;
  guint materials;
  guint inspections;
  guint files;
  guint other;
} ContentCounts;

static void
count_row (ContentCounts *counts,
           const char    *table,
           gsize          length)
{
#define IS(name) (length == strlen (name) && strncmp (table, name, length) == 0)
  if (IS ("dossier"))
    counts->order++;
  else if (IS ("design_input"))
    counts->design_inputs++;
  else if (IS ("design_iteration"))
    counts->iterations++;
  else if (IS ("parameter_value"))
    counts->parameters++;
  else if (IS ("processing_step"))
    counts->steps++;
  else if (IS ("step_material"))
    counts->materials++;
  else if (IS ("material_lot"))
    ; /* named by the material it was used as */
  else if (IS ("inspection"))
    counts->inspections++;
  else if (IS ("attachment"))
    counts->files++;
  else
    counts->other++;
#undef IS
}

/* Walks the serialisation of docs/signatures.md by its length prefixes, so that a
 * value that itself contains "\nrow …" is not taken for a record. */
static void
count_content (const char    *text,
               gsize          length,
               ContentCounts *counts)
{
  const char *p = text;
  const char *end = text + length;
  guint header_lines = 3;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *space;

      if (eol == NULL)
        return;

      if (header_lines > 0)
        {
          header_lines--;
          p = eol + 1;
          continue;
        }

      if (eol - p == 3 && strncmp (p, "end", 3) == 0)
        return;

      if (eol - p > 4 && strncmp (p, "row ", 4) == 0)
        {
          const char *table = p + 4;
          const char *table_end = memchr (table, ' ', eol - table);

          count_row (counts, table, (table_end != NULL ? table_end : eol) - table);
          p = eol + 1;
          continue;
        }

      /* "<column> N" or "<column> T<bytes>:<value>". */
      space = memchr (p, ' ', eol - p);
      if (space != NULL && space + 1 < end && space[1] == 'T')
        {
          guint64 bytes = 0;
          const char *q = space + 2;

          while (q < end && g_ascii_isdigit (*q))
            bytes = bytes * 10 + (guint64)(*q++ - '0');
          if (q >= end || *q != ':' || bytes > (guint64)(end - q - 1))
            return;
          p = q + 1 + bytes;
          if (p < end && *p == '\n')
            p++;
          continue;
        }

      p = eol + 1;
    }
}

char *
dossier_sign_dialog_summarize_content (const char *canonical_text,
                                       gsize       length)
{
  ContentCounts counts = { 0 };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (canonical_text != NULL, NULL);

  count_content (canonical_text, length, &counts);

#define ADD(n, singular, plural) \
  if ((n) > 0) g_ptr_array_add (parts, g_strdup_printf (ngettext (singular, plural, (n)), (n)))

  if (counts.order > 0)
    g_ptr_array_add (parts, g_strdup (_("the order")));
  ADD (counts.design_inputs, "%u design input", "%u design inputs");
  ADD (counts.iterations, "%u design version", "%u design versions");
  ADD (counts.parameters, "%u parameter value", "%u parameter values");
  ADD (counts.steps, "%u processing step", "%u processing steps");
  ADD (counts.materials, "%u material used", "%u materials used");
  ADD (counts.inspections, "%u inspection", "%u inspections");
  ADD (counts.files, "%u file", "%u files");
  ADD (counts.other, "%u other record", "%u other records");
#undef ADD

  if (parts->len == 0)
    return g_strdup (_("Nothing is recorded yet"));

  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        /* Translators: between the items of the list of signed content. */
        g_string_append (text, _(", "));
      g_string_append (text, g_ptr_array_index (parts, i));
    }

  /* The list reads as a sentence: capitalise its first letter. */
  {
    gunichar first = g_utf8_get_char (text->str);
    char buf[8] = { 0 };
    int n_old = g_utf8_next_char (text->str) - text->str;
    int n_new = g_unichar_to_utf8 (g_unichar_totitle (first), buf);

    g_string_erase (text, 0, n_old);
    g_string_prepend_len (text, buf, n_new);
  }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Rows ------------------------------------------------------------------------------ */

/* A labelled value: the label small above the value, as the dossier view shows
 * properties; the value is selectable so that a hash can be copied. */
static GtkWidget *
property_row_new (const char *label,
                  const char *value,
                  const char *name,
                  gboolean    monospace)
{
  g_autofree char *accessible = g_strdup_printf ("%s: %s", label, value);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *text = gtk_label_new (value);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property-row");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "caption");
  gtk_widget_add_css_class (title, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  if (monospace)
    gtk_widget_add_css_class (text, "monospace");
  if (name != NULL)
    gtk_widget_set_name (text, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static const char *
dialog_title (DossierSignPoint point)
{
  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
      return _("Sign Design Review");
    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      return _("Sign Design Approval");
    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
      return _("Sign Processing Record Review");
    case DOSSIER_SIGN_POINT_RELEASE:
      return _("Sign Release");
    default:
      g_assert_not_reached ();
    }
}

static char *
intro_text (DossierSignPoint  point,
            const char       *unit_no)
{
  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
      return g_strdup_printf (_("Your signature records that you reviewed the design of dossier %s."), unit_no);
    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      return g_strdup_printf (_("Your signature records that you approved the design of dossier %s."), unit_no);
    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
      return g_strdup_printf (_("Your signature records that you reviewed the processing record of dossier %s."), unit_no);
    case DOSSIER_SIGN_POINT_RELEASE:
      return g_strdup_printf (_("Your signature records that you released dossier %s for delivery."), unit_no);
    default:
      g_assert_not_reached ();
    }
}

/* The status a sign-off moves the dossier to through the rule gate, or NULL. */
static const char *
gated_status (DossierSignPoint point)
{
  switch (point)
    {
    case DOSSIER_SIGN_POINT_DESIGN_APPROVAL:
      return "design-approved";
    case DOSSIER_SIGN_POINT_RELEASE:
      return "released";
    case DOSSIER_SIGN_POINT_DESIGN_REVIEW:
    case DOSSIER_SIGN_POINT_PROCESSING_REVIEW:
    default:
      return NULL;
    }
}

/* State ----------------------------------------------------------------------------- */

static void
show_error (DossierSignDialog *self,
            const char        *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_refusal (DossierSignDialog *self,
              const char        *message)
{
  self->allowed = message == NULL;
  gtk_label_set_label (self->refusal_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->refusal_box, message != NULL);
  /* Nothing to type when the answer is no anyway. */
  gtk_widget_set_sensitive (self->password_group, self->allowed);
}

static void
update_sign_button (DossierSignDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->countdown > 0)
    {
      /* Translators: the Sign button while a failed password delays the next try. */
      g_autofree char *label = g_strdup_printf (ngettext ("Wait %u Second", "Wait %u Seconds", self->countdown),
                                                self->countdown);
      gtk_button_set_label (self->sign_button, label);
    }
  else
    gtk_button_set_label (self->sign_button, _("_Sign"));

  /* Setting the label sets the accessible name too, mnemonic and all. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign with your password"),
                                  -1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_button),
                            self->allowed && self->countdown == 0 && *password != '\0');
}

static void
stop_countdown (DossierSignDialog *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->countdown = 0;
}

static gboolean
countdown_tick (gpointer data)
{
  DossierSignDialog *self = data;

  if (self->countdown > 0)
    self->countdown--;

  update_sign_button (self);
  if (self->countdown > 0)
    return G_SOURCE_CONTINUE;

  self->countdown_id = 0;
  return G_SOURCE_REMOVE;
}

static void
check_retry_delay (DossierSignDialog *self)
{
  const DossierUser *user = dossier_store_get_user (self->store);
  guint delay = user != NULL ? dossier_auth_get_retry_delay (self->store, user->login) : 0;

  stop_countdown (self);
  if (delay > 0)
    {
      self->countdown = delay;
      self->countdown_id = g_timeout_add_seconds (1, countdown_tick, self);
    }
  update_sign_button (self);
}

/* Reads what is signed and whether core allows it. */
static void
load (DossierSignDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(DossierCanonical) canon = NULL;
  const DossierUser *user = dossier_store_get_user (self->store);
  const char *meaning = dossier_sign_point_get_meaning (self->point);
  g_autofree char *intro = NULL;
  g_autofree char *summary = NULL;

  clear_list (self->content_list);
  clear_list (self->signer_list);
  g_clear_pointer (&self->content_hash, g_free);

  adw_window_title_set_title (self->window_title, dialog_title (self->point));
  gtk_window_set_title (GTK_WINDOW (self), dialog_title (self->point));

  row = dossier_store_get_row (self->store, "dossier", self->dossier_id, &error);
  if (row == NULL)
    {
      show_refusal (self, error->message);
      update_sign_button (self);
      return;
    }

  g_free (self->unit_no);
  self->unit_no = g_strdup (g_hash_table_lookup (row, "unit_no"));
  adw_window_title_set_subtitle (self->window_title, self->unit_no);
  intro = intro_text (self->point, self->unit_no);
  gtk_label_set_label (self->intro_label, intro);

  canon = dossier_canonical_read (self->store, self->dossier_id, self->point, &error);
  if (canon != NULL)
    {
      gsize length = 0;
      const char *text = dossier_canonical_get_text (canon, &length);

      summary = dossier_sign_dialog_summarize_content (text, length);
      self->content_hash = dossier_canonical_get_sha256 (canon);
    }

  gtk_list_box_append (self->content_list,
                       property_row_new (_("Sign-off"), dossier_sign_point_get_label (self->point), "point", FALSE));
  gtk_list_box_append (self->content_list,
                       property_row_new (_("Meaning"), dossier_sign_meaning_get_label (meaning), "meaning", FALSE));
  gtk_list_box_append (self->content_list,
                       property_row_new (_("Dossier"), self->unit_no, "unit-no", TRUE));
  gtk_list_box_append (self->content_list,
                       property_row_new (_("Covered content"),
                                         summary != NULL ? summary : error->message, "summary", FALSE));
  if (self->content_hash != NULL)
    gtk_list_box_append (self->content_list,
                         property_row_new (_("SHA-256 of the content"), self->content_hash, "content-hash", TRUE));

  if (user != NULL)
    {
      g_autofree char *roles = dossier_roles_get_label (user->roles);
      /* Translators: the signer's login and roles. */
      g_autofree char *account = g_strdup_printf (_("%s · %s"), user->login, roles);
      /* Translators: the signer for screen readers: printed name, login and roles. */
      g_autofree char *accessible = g_strdup_printf (_("Signer: %s, %s"), user->full_name, account);
      GtkWidget *signer = adw_action_row_new ();

      /* The printed name, as the signature will show it. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (signer), user->full_name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (signer), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (signer), account);
      adw_action_row_add_prefix (ADW_ACTION_ROW (signer), adw_avatar_new (32, user->full_name, TRUE));
      gtk_widget_set_name (signer, "signer");
      gtk_accessible_update_property (GTK_ACCESSIBLE (signer), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_list_box_append (self->signer_list, signer);
    }
  else
    gtk_list_box_append (self->signer_list,
                         property_row_new (_("Printed name"), _("Nobody is signed in"), "signer", FALSE));

  /* Core says no before the password is typed where it can: role, author and
   * workflow (dossier_signature_can_sign), then the rule check that the status
   * change of an approval or a release has to pass. */
  g_clear_error (&error);
  if (self->content_hash == NULL)
    show_refusal (self, _("The content to sign could not be read, so it cannot be signed."));
  else if (!dossier_signature_can_sign (self->store, self->dossier_id, self->point, &error))
    show_refusal (self, error->message);
  else if (gated_status (self->point) != NULL &&
           !dossier_check_gate (self->store, self->dossier_id, gated_status (self->point), &error))
    show_refusal (self, error->message);
  else
    show_refusal (self, NULL);

  check_retry_delay (self);
}

static void
on_password_changed (DossierSignDialog *self)
{
  update_sign_button (self);
}

static void
on_sign_clicked (DossierSignDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *hash = NULL;
  gint64 id;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->sign_button)))
    return;

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  comment = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment_row))));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  /* What is signed must be what was shown: another window or program may have
   * changed the content since this one opened. */
  hash = dossier_canonical_hash (self->store, self->dossier_id, self->point, &error);
  if (hash == NULL || g_strcmp0 (hash, self->content_hash) != 0)
    {
      load (self);
      show_error (self, hash == NULL ? error->message
                                     : _("The content changed while this window was open. "
                                         "Check what you sign again, then sign."));
      return;
    }

  id = dossier_signature_sign (self->store, self->dossier_id, self->point, password,
                               *comment != '\0' ? comment : NULL, &error);
  if (id == 0)
    {
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED))
        {
          show_error (self, error->message);
          check_retry_delay (self);
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
      else
        {
          show_error (self, NULL);
          show_refusal (self, error->message);
          update_sign_button (self);
        }
      return;
    }

  show_error (self, NULL);
  g_signal_emit (self, signals[SIGNED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject --------------------------------------------------------------------------- */

static void
dossier_sign_dialog_constructed (GObject *object)
{
  DossierSignDialog *self = (DossierSignDialog *)object;

  G_OBJECT_CLASS (dossier_sign_dialog_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  load (self);
  if (self->allowed)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
dossier_sign_dialog_dispose (GObject *object)
{
  DossierSignDialog *self = (DossierSignDialog *)object;

  stop_countdown (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_SIGN_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_sign_dialog_parent_class)->dispose (object);
}

static void
dossier_sign_dialog_finalize (GObject *object)
{
  DossierSignDialog *self = (DossierSignDialog *)object;

  g_clear_pointer (&self->unit_no, g_free);
  g_clear_pointer (&self->content_hash, g_free);

  G_OBJECT_CLASS (dossier_sign_dialog_parent_class)->finalize (object);
}

static void
dossier_sign_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DossierSignDialog *self = DOSSIER_SIGN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DOSSIER_ID:
      g_value_set_int64 (value, self->dossier_id);
      break;

    case PROP_POINT:
      g_value_set_int (value, self->point);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_sign_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DossierSignDialog *self = DOSSIER_SIGN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_DOSSIER_ID:
      self->dossier_id = g_value_get_int64 (value);
      break;

    case PROP_POINT:
      self->point = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_sign_dialog_class_init (DossierSignDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_sign_dialog_constructed;
  object_class->dispose = dossier_sign_dialog_dispose;
  object_class->finalize = dossier_sign_dialog_finalize;
  object_class->get_property = dossier_sign_dialog_get_property;
  object_class->set_property = dossier_sign_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DOSSIER_ID] =
    g_param_spec_int64 ("dossier-id", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* A DossierSignPoint; core has no enum type registered for it. */
  properties[PROP_POINT] =
    g_param_spec_int ("point", NULL, NULL, 0, DOSSIER_N_SIGN_POINTS - 1, 0,
                      (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierSignDialog::signed:
   * @id: the new signature's id
   *
   * The signature was recorded; the dialog closes next.
   */
  signals[SIGNED] =
    g_signal_new ("signed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-sign-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, sign_button);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, refusal_box);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, content_list);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, signer_list);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, password_group);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, comment_row);
  gtk_widget_class_bind_template_child (widget_class, DossierSignDialog, error_label);

  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dossier_sign_dialog_init (DossierSignDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dossier_a11y_name_password_peek (ADW_PASSWORD_ENTRY_ROW (self->password_row));
}

/* Public ---------------------------------------------------------------------------- */

DossierSignDialog *
dossier_sign_dialog_new (GtkWindow        *parent,
                         DossierStore     *store,
                         gint64            dossier_id,
                         DossierSignPoint  point)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (dossier_id > 0, NULL);
  g_return_val_if_fail ((guint)point < DOSSIER_N_SIGN_POINTS, NULL);

  return g_object_new (DOSSIER_TYPE_SIGN_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "store", store,
                       "dossier-id", dossier_id,
                       "point", (int)point,
                       NULL);
}

gboolean
dossier_sign_dialog_get_allowed (DossierSignDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_SIGN_DIALOG (self), FALSE);

  return self->allowed;
}

const char *
dossier_sign_dialog_get_content_hash (DossierSignDialog *self)
{
  g_return_val_if_fail (DOSSIER_IS_SIGN_DIALOG (self), NULL);

  return self->content_hash;
}
