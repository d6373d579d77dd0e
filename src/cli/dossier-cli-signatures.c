/* dossier-cli-signatures.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-cli"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "dossier-auth.h"
#include "dossier-cli-signatures.h"
#include "dossier-signature.h"

/* signatures verify|list|sign and user add|list.
 *
 * Passwords never come from the command line, where every user of the machine can
 * read them: the one to sign in with comes from DOSSIER_PASSWORD or standard input,
 * a new account's from standard input.  They are wiped from memory after use. */

#define MAX_PASSWORD_BYTES 1024

/* The dossier with unit number argument: 0 and *exit_code set when there is none. */
static gint64
lookup_unit (DossierStore *store,
             const char   *command,
             const char   *argument,
             int          *exit_code)
{
  g_autofree char *unit_no = dossier_cli_argument (argument);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (unit_no == NULL)
    {
      *exit_code = dossier_cli_usage_error (command, _("The unit number is not valid text."));
      return 0;
    }
  g_strstrip (unit_no);

  id = dossier_store_lookup_id (store, "dossier", "unit_no", unit_no, &error);
  if (id == 0)
    {
      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND))
        *exit_code = dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE,
                                       _("There is no dossier with unit number “%s”."), unit_no);
      else
        *exit_code = dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);
    }

  return id;
}

static int
store_error_exit (const GError *error)
{
  /* What the person did wrong (password, role, workflow) is bad input; anything
   * else is the database. */
  if (error->domain == DOSSIER_STORE_ERROR)
    switch (error->code)
      {
      case DOSSIER_STORE_ERROR_PERMISSION_DENIED:
      case DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED:
      case DOSSIER_STORE_ERROR_REASON_REQUIRED:
      case DOSSIER_STORE_ERROR_CONSTRAINT:
      case DOSSIER_STORE_ERROR_INVALID:
      case DOSSIER_STORE_ERROR_NOT_FOUND:
        return DOSSIER_CLI_EXIT_USAGE;
      default:
        break;
      }

  return DOSSIER_CLI_EXIT_DATABASE;
}

/* Passwords ------------------------------------------------------------------------ */

static void
password_free (char *password)
{
  if (password == NULL)
    return;

  sodium_memzero (password, strlen (password));
  g_free (password);
}

typedef char Password;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Password, password_free)

/* One line of standard input, without echo when it is a terminal. */
static char *
read_password_line (const char *prompt)
{
  char buffer[MAX_PASSWORD_BYTES + 2];
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO);
  gboolean echo_off = FALSE;
  char *line;
  gsize len;

  if (terminal)
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t)ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  if (terminal)
    g_printerr ("\n");

  if (line == NULL)
    {
      sodium_memzero (buffer, sizeof buffer);
      return NULL;
    }

  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';

  line = g_strndup (buffer, len);
  sodium_memzero (buffer, sizeof buffer);
  return line;
}

static char *
sign_in_password (const char *login)
{
  const char *env = g_getenv ("DOSSIER_PASSWORD");
  g_autofree char *prompt = NULL;

  if (env != NULL)
    return g_strdup (env);

  /* Translators: %s is a login. */
  prompt = g_strdup_printf (_("Password of %s: "), login);
  return read_password_line (prompt);
}

gboolean
dossier_cli_sign_in (DossierStore *store,
                     const char   *login,
                     int          *exit_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Password) password = NULL;
  g_autofree char *valid = dossier_cli_argument (login);

  if (valid == NULL)
    {
      *exit_code = dossier_cli_usage_error (NULL, _("The login is not valid text."));
      return FALSE;
    }

  password = sign_in_password (valid);
  if (password == NULL)
    {
      *exit_code = dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE,
                                     _("No password for %s: set DOSSIER_PASSWORD or give it on standard input."),
                                     valid);
      return FALSE;
    }

  if (!dossier_store_sign_in (store, valid, password, &error))
    {
      *exit_code = dossier_cli_fail (store_error_exit (error), "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

/* signatures verify ------------------------------------------------------------------ */

static int
signatures_verify (DossierCli  *cli,
                   int          argc,
                   char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean json = FALSE;
  guint n_checked = 0;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON instead of text"), NULL },
    { NULL }
  };

  context = dossier_cli_context_new ("signatures verify", _("[UNIT…]"),
                                     _("Checks the electronic signatures of the dossiers with the "
                                       "given unit numbers, or of every dossier: each current "
                                       "signature still covers exactly the content it signed, and "
                                       "no signature was added, changed or removed outside Dossier. "
                                       "Prints each problem naming the dossier and the signature, "
                                       "with who changed what and when. Exits with 0 when every "
                                       "signature holds and 1 otherwise."),
                                     entries);
  if (!dossier_cli_parse (context, "signatures verify", &argc, &argv, &exit_code))
    return exit_code;

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;

  for (int i = 1; i < argc; i++)
    {
      gint64 id = lookup_unit (store, "signatures verify", argv[i], &exit_code);

      if (id == 0)
        return exit_code;
      g_array_append_val (ids, id);
    }

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_problem_free);
  if (!dossier_signature_verify (store, argc > 1 ? (const gint64 *)(gpointer)ids->data : NULL, ids->len,
                                 problems, &n_checked, &error))
    return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "checked");
      json_builder_add_int_value (b, n_checked);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        {
          const DossierSignatureProblem *p = g_ptr_array_index (problems, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "unit_no");
          if (p->unit_no != NULL)
            json_builder_add_string_value (b, p->unit_no);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "signature");
          json_builder_add_int_value (b, p->signature_id);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, p->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      dossier_cli_print_json (node);
    }
  else
    {
      for (guint i = 0; i < problems->len; i++)
        g_print ("%s\n", ((DossierSignatureProblem *)g_ptr_array_index (problems, i))->message);

      if (problems->len == 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%u signature checked: it holds.",
                              "%u signatures checked: every one holds.", n_checked),
                 n_checked);
      else
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%u problem found in the signatures.",
                              "%u problems found in the signatures.", problems->len),
                 problems->len);
      g_print ("\n");
    }

  return problems->len == 0 ? DOSSIER_CLI_EXIT_OK : DOSSIER_CLI_EXIT_PROBLEMS;
}

/* signatures list ------------------------------------------------------------------- */

static int
signatures_list (DossierCli  *cli,
                 int          argc,
                 char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  gint64 id;

  context = dossier_cli_context_new ("signatures list", _("UNIT"),
                                     _("Shows every signature of the dossier with unit number UNIT "
                                       "in full (meaning, printed name, login, role, date and time) "
                                       "and whether it still holds."),
                                     NULL);
  if (!dossier_cli_parse (context, "signatures list", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("signatures list", argc, argv, 1, &exit_code))
    return exit_code;
  if (argc < 2)
    return dossier_cli_usage_error ("signatures list", _("Which dossier? Give its unit number."));

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;
  if ((id = lookup_unit (store, "signatures list", argv[1], &exit_code)) == 0)
    return exit_code;

  if (!(list = dossier_signature_list (store, id, &error)))
    return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);

  if (list->len == 0)
    g_print ("%s\n", _("No signatures."));

  for (guint i = 0; i < list->len; i++)
    {
      const DossierSignature *s = g_ptr_array_index (list, i);
      g_autofree char *description = dossier_signature_describe (s);
      g_autofree char *state = dossier_signature_describe_state (store, s);

      g_print ("%" G_GINT64_FORMAT "  %s\n    %s\n", s->id, description, state);
    }

  return DOSSIER_CLI_EXIT_OK;
}

/* signatures sign ------------------------------------------------------------------- */

static int
signatures_sign (DossierCli  *cli,
                 int          argc,
                 char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Password) password = NULL;
  g_autofree char *point_text = NULL;
  g_autofree char *user = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *comment_utf8 = NULL;
  DossierSignPoint point;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  gint64 id;
  gint64 signature;
  const GOptionEntry entries[] = {
    { "point", 0, 0, G_OPTION_ARG_STRING, &point_text,
      N_("The sign-off: design-review, design-approval, processing-review or release"), N_("POINT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Sign as LOGIN (password from DOSSIER_PASSWORD or standard input)"), N_("LOGIN") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A comment stored with the signature"), N_("TEXT") },
    { NULL }
  };

  context = dossier_cli_context_new ("signatures sign", _("UNIT"),
                                     _("Signs a sign-off point of the dossier with unit number UNIT "
                                       "as the user LOGIN, after checking the password."),
                                     entries);
  if (!dossier_cli_parse (context, "signatures sign", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("signatures sign", argc, argv, 1, &exit_code))
    return exit_code;
  if (argc < 2)
    return dossier_cli_usage_error ("signatures sign", _("Which dossier? Give its unit number."));
  if (point_text == NULL || !dossier_sign_point_from_string (point_text, &point))
    return dossier_cli_usage_error ("signatures sign",
                                    _("Give --point: design-review, design-approval, processing-review or release."));
  if (user == NULL)
    return dossier_cli_usage_error ("signatures sign", _("Give --user: who signs."));
  if (comment != NULL && !(comment_utf8 = dossier_cli_argument (comment)))
    return dossier_cli_usage_error ("signatures sign", _("The comment is not valid text."));

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;
  if ((id = lookup_unit (store, "signatures sign", argv[1], &exit_code)) == 0)
    return exit_code;

  /* Signed in first, then the same password signs: signing asks for it again. */
  password = sign_in_password (user);
  if (password == NULL)
    return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE,
                             _("No password for %s: set DOSSIER_PASSWORD or give it on standard input."), user);
  if (!dossier_store_sign_in (store, user, password, &error))
    return dossier_cli_fail (store_error_exit (error), "%s", error->message);

  signature = dossier_signature_sign (store, id, point, password, comment_utf8, &error);
  if (signature == 0)
    return dossier_cli_fail (store_error_exit (error), "%s", error->message);

  g_print (_("Signature %" PRId64 " recorded.\n"), signature);
  return DOSSIER_CLI_EXIT_OK;
}

int
dossier_cli_signatures (DossierCli  *cli,
                        int          argc,
                        char       **argv)
{
  static const DossierCliCommand subcommands[] = {
    { "verify", signatures_verify, N_("Check that signatures still hold and were not tampered with") },
    { "list", signatures_list, N_("Show the signatures of one dossier") },
    { "sign", signatures_sign, N_("Sign a sign-off point of one dossier") },
  };

  return dossier_cli_dispatch (cli, "signatures", _("Works with the electronic signatures of dossiers."),
                               subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}

/* user ------------------------------------------------------------------------------- */

static int
user_add (DossierCli  *cli,
          int          argc,
          char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Password) password = NULL;
  g_autofree char *name = NULL;
  g_autofree char *name_utf8 = NULL;
  g_autofree char *login = NULL;
  g_autofree char *admin = NULL;
  g_auto(GStrv) role_texts = NULL;
  DossierRoles roles = DOSSIER_ROLE_NONE;
  int exit_code = DOSSIER_CLI_EXIT_OK;
  gint64 id;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The person's full name, as signatures show it"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &role_texts,
      N_("A role: engineer, qa-reviewer, regulatory or administrator (repeat for several)"), N_("ROLE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &admin,
      N_("The administrator who adds it (password from DOSSIER_PASSWORD or the first line of standard input)"),
      N_("LOGIN") },
    { NULL }
  };

  context = dossier_cli_context_new ("user add", _("LOGIN"),
                                     _("Adds a user account.  Its password is read from standard "
                                       "input (after the administrator's, when that is read there "
                                       "too), never from the command line.  The first account of a "
                                       "database must be an administrator and needs nobody signed "
                                       "in; later ones need --user with an administrator."),
                                     entries);
  if (!dossier_cli_parse (context, "user add", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("user add", argc, argv, 1, &exit_code))
    return exit_code;
  if (argc < 2)
    return dossier_cli_usage_error ("user add", _("Give the login of the new account."));
  if (name == NULL || !(name_utf8 = dossier_cli_argument (name)))
    return dossier_cli_usage_error ("user add", _("Give --name with the person's full name."));
  if (role_texts == NULL)
    return dossier_cli_usage_error ("user add", _("Give at least one --role."));
  for (guint i = 0; role_texts[i] != NULL; i++)
    {
      DossierRoles more;

      if (!dossier_roles_parse (role_texts[i], &more, &error))
        return dossier_cli_usage_error ("user add", "%s", error->message);
      roles |= more;
    }
  if (!(login = dossier_cli_argument (argv[1])))
    return dossier_cli_usage_error ("user add", _("The login is not valid text."));

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;

  if (admin != NULL && !dossier_cli_sign_in (store, admin, &exit_code))
    return exit_code;

  password = read_password_line (_("Password of the new account: "));
  if (password == NULL || *password == '\0')
    return dossier_cli_fail (DOSSIER_CLI_EXIT_USAGE, _("No password for the new account on standard input."));

  id = dossier_auth_create_user (store, login, name_utf8, roles, password, &error);
  if (id == 0)
    return dossier_cli_fail (store_error_exit (error), "%s", error->message);

  g_print (_("User account %s added.\n"), login);
  return DOSSIER_CLI_EXIT_OK;
}

static int
user_list (DossierCli  *cli,
           int          argc,
           char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  int exit_code = DOSSIER_CLI_EXIT_OK;

  context = dossier_cli_context_new ("user list", NULL, _("Lists the user accounts."), NULL);
  if (!dossier_cli_parse (context, "user list", &argc, &argv, &exit_code) ||
      !dossier_cli_check_arguments ("user list", argc, argv, 0, &exit_code))
    return exit_code;

  if (!(store = dossier_cli_open_store (cli, FALSE, &exit_code)))
    return exit_code;
  if (!(users = dossier_auth_list_users (store, &error)))
    return dossier_cli_fail (DOSSIER_CLI_EXIT_DATABASE, "%s", error->message);

  for (guint i = 0; i < users->len; i++)
    {
      const DossierUser *u = g_ptr_array_index (users, i);
      g_autofree char *roles = dossier_roles_get_label (u->roles);

      g_print ("%s\t%s\t%s%s\n", u->login, u->full_name, roles, u->active ? "" : _(" (deactivated)"));
    }

  return DOSSIER_CLI_EXIT_OK;
}

int
dossier_cli_user (DossierCli  *cli,
                  int          argc,
                  char       **argv)
{
  static const DossierCliCommand subcommands[] = {
    { "add", user_add, N_("Add a user account") },
    { "list", user_list, N_("List the user accounts") },
  };

  return dossier_cli_dispatch (cli, "user", _("Works with the user accounts."),
                               subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}
