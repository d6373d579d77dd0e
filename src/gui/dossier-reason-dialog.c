/* dossier-reason-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-reason-dialog"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dossier-reason-dialog.h"

/* The dialog is an AdwMessageDialog with an entry: the question is short and
 * belongs to the change the person just made, so it must not look like a form. */

typedef struct
{
  AdwMessageDialog *dialog;   /* owned by GTK while shown */
  GtkEntry         *entry;
  gulong            cancelled_id;
} ReasonRequest;

static void
reason_request_free (ReasonRequest *request)
{
  g_free (request);
}

static char *
entry_reason (GtkEntry *entry)
{
  char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  return g_strstrip (text);
}

static void
on_entry_changed (GtkEditable      *editable,
                  AdwMessageDialog *dialog)
{
  g_autofree char *reason = entry_reason (GTK_ENTRY (editable));

  /* A reason of spaces is no reason: the audit trail must say why. */
  adw_message_dialog_set_response_enabled (dialog, "continue", *reason != '\0');
}

static void
on_entry_activate (GtkEntry         *entry,
                   AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "continue"))
    adw_message_dialog_response (dialog, "continue");
}

static gboolean
close_cancelled (gpointer data)
{
  GTask *task = data;
  ReasonRequest *request = g_task_get_task_data (task);

  /* Closing answers with the close response, "cancel". */
  if (request->dialog != NULL)
    gtk_window_close (GTK_WINDOW (request->dialog));

  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              GTask        *task)
{
  /* Answering from here would disconnect this handler from inside its own
   * emission, which deadlocks; the main loop closes the dialog instead. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_cancelled, g_object_ref (task), g_object_unref);
}

/* A response from a button closes the dialog; one from the entry's Enter or from
 * adw_message_dialog_response() does not, so whatever answered, it goes. */
static gboolean
close_if_shown (gpointer data)
{
  GtkWindow *dialog = data;

  if (gtk_widget_get_visible (GTK_WIDGET (dialog)))
    gtk_window_close (dialog);

  return G_SOURCE_REMOVE;
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GTask            *task)
{
  ReasonRequest *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *reason = NULL;

  if (request->dialog == NULL)
    return;

  reason = entry_reason (request->entry);
  request->dialog = NULL;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_if_shown, g_object_ref (dialog), g_object_unref);

  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, request->cancelled_id);
      request->cancelled_id = 0;
    }

  if (g_str_equal (response, "continue") && *reason != '\0')
    g_task_return_pointer (task, g_steal_pointer (&reason), g_free);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("No reason was given, so the change was not made."));

  g_object_unref (task);
}

void
dossier_gui_ask_reason (GtkWindow           *parent,
                        const char          *message,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  ReasonRequest *request;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dossier_gui_ask_reason);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Reason for the Change"),
                                                       message != NULL ? message : NULL));
  if (message == NULL)
    adw_message_dialog_set_body (dialog, _("This changes content that has been signed. "
                                           "The signature will no longer be valid, and the audit "
                                           "trail records why the change was made."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "continue", _("_Make Change"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "continue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "continue", FALSE);
  adw_message_dialog_set_default_response (dialog, "continue");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why is this change needed?"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
  gtk_widget_set_name (entry, "reason");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for the change"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  request = g_new0 (ReasonRequest, 1);
  request->dialog = dialog;
  request->entry = GTK_ENTRY (entry);
  g_task_set_task_data (task, request, (GDestroyNotify)reason_request_free);

  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), dialog);
  /* The task holds itself until the dialog answers. */
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), task);
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

char *
dossier_gui_ask_reason_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dossier_gui_ask_reason, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
