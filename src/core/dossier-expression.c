/* dossier-expression.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-expression"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-expression.h"

G_DEFINE_QUARK (dossier-expression-error-quark, dossier_expression_error)

/* Division keeps this many significant digits; nothing a rule compares needs more. */
#define DIVISION_PRECISION 34

/* A rule runs a few dozen virtual-machine steps; this is a fuse, not a limit. */
#define MAX_VM_STEPS 100000

/* Keeps the evaluated expression tree well inside SQLite's depth limit. */
#define MAX_TOKENS 200

static const char *functions[] = { "abs", "min", "max", NULL };

/* The SQL functions the evaluator registers, and the only ones the authorizer
 * lets a statement call. */
static const char *sql_functions[] = {
  "dx_add", "dx_sub", "dx_mul", "dx_div", "dx_neg", "dx_cmp", "dx_abs", "dx_min", "dx_max", NULL
};

/* Tokens ------------------------------------------------------------------------- */

typedef enum
{
  T_END,
  T_NUMBER,
  T_NAME,
  T_LPAREN,
  T_RPAREN,
  T_COMMA,
  T_PLUS,
  T_MINUS,
  T_STAR,
  T_SLASH,
  T_LT,
  T_LE,
  T_GT,
  T_GE,
  T_EQ,
  T_NE,
  T_AND,
  T_OR,
  T_NOT,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  char      *text;     /* as written */
  guint      position; /* 1-based character position */
} Token;

/* Syntax tree ----------------------------------------------------------------------- */

typedef enum
{
  N_NUMBER,
  N_NAME,
  N_NEG,
  N_ADD,
  N_SUB,
  N_MUL,
  N_DIV,
  N_CALL,
  N_CMP,
  N_AND,
  N_OR,
  N_NOT,
} NodeKind;

typedef struct _Node Node;
struct _Node
{
  NodeKind   kind;
  TokenKind  op;          /* N_CMP: which comparison */
  char      *text;        /* N_NUMBER: normalised decimal; N_NAME / N_CALL: the name */
  guint      index;       /* N_NAME: 1-based bound parameter */
  GPtrArray *children;    /* of Node */
  gboolean   boolean;     /* the node is a condition rather than a number */
};

struct _DossierExpression
{
  gatomicrefcount  ref_count;
  char            *text;
  char            *sql;
  GPtrArray       *names;   /* char *, NULL-terminated */
  Node            *root;
  sqlite3         *db;
  sqlite3_stmt    *stmt;
};

G_DEFINE_BOXED_TYPE (DossierExpression, dossier_expression, dossier_expression_ref, dossier_expression_unref)

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  g_free (node->text);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify)node_free);
  return node;
}

static Node *
node_binary (NodeKind  kind,
             Node     *a,
             Node     *b)
{
  Node *node = node_new (kind);

  g_ptr_array_add (node->children, a);
  g_ptr_array_add (node->children, b);
  return node;
}

/* Tokenizer ---------------------------------------------------------------------- */

static void
token_clear (gpointer data)
{
  Token *t = data;

  g_free (t->text);
}

static char *
shorten (const char *text)
{
  if (g_utf8_strlen (text, -1) > 24)
    {
      g_autofree char *head = g_utf8_substring (text, 0, 24);
      return g_strdup_printf ("%s…", head);
    }
  return g_strdup (text);
}

static gboolean
is_keyword (const char *word,
            TokenKind  *kind)
{
  if (g_ascii_strcasecmp (word, "AND") == 0)
    *kind = T_AND;
  else if (g_ascii_strcasecmp (word, "OR") == 0)
    *kind = T_OR;
  else if (g_ascii_strcasecmp (word, "NOT") == 0)
    *kind = T_NOT;
  else
    return FALSE;
  return TRUE;
}

gboolean
dossier_expression_is_valid_name (const char *name)
{
  TokenKind kind;
  gsize len;

  if (name == NULL || !(g_ascii_isalpha (*name) || *name == '_'))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  len = strlen (name);
  if (len > 63)
    return FALSE;
  if (is_keyword (name, &kind))
    return FALSE;
  for (guint i = 0; functions[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, functions[i]) == 0)
      return FALSE;
  return TRUE;
}

static gboolean
unexpected_character (const char  *p,
                      guint        position,
                      GError     **error)
{
  gunichar c = g_utf8_get_char (p);
  char buf[8] = { 0 };
  const char *hint = NULL;

  g_unichar_to_utf8 (c, buf);

  switch (c)
    {
    case '\'':
    case '"':
    case 0x201C:
    case 0x2018:
      hint = _("text is not allowed in a rule");
      break;
    case ';':
      hint = _("a rule is one condition");
      break;
    case '&':
    case '|':
      hint = _("write AND or OR");
      break;
    case '!':
      hint = _("write NOT, or != for “not equal”");
      break;
    case '%':
      hint = _("there is no remainder operator");
      break;
    case 0xFF08:
    case 0xFF09:
      hint = _("use half-width parentheses ( )");
      break;
    default:
      break;
    }

  if (hint != NULL)
    g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                 /* Translators: "“;” at position 12 is not allowed: a rule is one condition" */
                 _("“%s” at position %u is not allowed: %s"), buf, position, hint);
  else
    g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                 _("“%s” at position %u is not allowed in a rule"), buf, position);
  return FALSE;
}

static GArray *
tokenize (const char  *text,
          GError     **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = text;
  guint position = 1;

  g_array_set_clear_func (tokens, token_clear);

  while (*p != '\0')
    {
      Token t = { T_END, NULL, position };
      const char *start = p;
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          p++;
          position++;
          continue;
        }

      if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1])))
        {
          while (g_ascii_isdigit (*p) || *p == '.')
            p++;
          if ((*p == 'e' || *p == 'E') &&
              (g_ascii_isdigit (p[1]) || ((p[1] == '+' || p[1] == '-') && g_ascii_isdigit (p[2]))))
            {
              p += 2;
              while (g_ascii_isdigit (*p))
                p++;
            }
          if (g_ascii_isalpha (*p) || *p == '_')
            {
              g_autofree char *word = NULL;
              const char *q = p;

              while (g_ascii_isalnum (*q) || *q == '_')
                q++;
              word = g_strndup (start, q - start);
              g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                           _("“%s” at position %u is neither a number nor a parameter name"),
                           word, position);
              return NULL;
            }
          t.kind = T_NUMBER;
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          while (g_ascii_isalnum (*p) || *p == '_')
            p++;
          t.kind = T_NAME;
        }
      else
        {
          switch (c)
            {
            case '(': t.kind = T_LPAREN; p++; break;
            case ')': t.kind = T_RPAREN; p++; break;
            case ',': t.kind = T_COMMA; p++; break;
            case '+': t.kind = T_PLUS; p++; break;
            case '-': t.kind = T_MINUS; p++; break;
            case '*': t.kind = T_STAR; p++; break;
            case '/':
              if (p[1] == '*' || p[1] == '/')
                {
                  g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                               _("“%c%c” at position %u is not allowed: comments are not part of a rule"),
                               p[0], p[1], position);
                  return NULL;
                }
              t.kind = T_SLASH;
              p++;
              break;
            case '<':
              if (p[1] == '=') { t.kind = T_LE; p += 2; }
              else if (p[1] == '>') { t.kind = T_NE; p += 2; }
              else { t.kind = T_LT; p++; }
              break;
            case '>':
              if (p[1] == '=') { t.kind = T_GE; p += 2; }
              else { t.kind = T_GT; p++; }
              break;
            case '=':
              t.kind = T_EQ;
              p += p[1] == '=' ? 2 : 1;
              break;
            case '!':
              if (p[1] != '=')
                {
                  unexpected_character (p, position, error);
                  return NULL;
                }
              t.kind = T_NE;
              p += 2;
              break;
            case 0x2264: t.kind = T_LE; p = g_utf8_next_char (p); break;    /* ≤ */
            case 0x2265: t.kind = T_GE; p = g_utf8_next_char (p); break;    /* ≥ */
            case 0x2260: t.kind = T_NE; p = g_utf8_next_char (p); break;    /* ≠ */
            case 0x00D7: t.kind = T_STAR; p = g_utf8_next_char (p); break;  /* × */
            case 0x00F7: t.kind = T_SLASH; p = g_utf8_next_char (p); break; /* ÷ */
            default:
              unexpected_character (p, position, error);
              return NULL;
            }
        }

      t.text = g_strndup (start, p - start);
      if (t.kind == T_NAME)
        is_keyword (t.text, &t.kind);
      position += g_utf8_strlen (t.text, -1);
      g_array_append_val (tokens, t);

      if (tokens->len > MAX_TOKENS)
        {
          g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG,
                       _("The rule is too long (at most %d numbers, names and operators)"), MAX_TOKENS);
          return NULL;
        }
    }

  {
    Token end = { T_END, g_strdup (""), position };
    g_array_append_val (tokens, end);
  }

  return g_steal_pointer (&tokens);
}

/* Parser ------------------------------------------------------------------------- */

typedef struct
{
  GArray             *tokens;
  guint               pos;
  guint               depth;
  const char * const *allowed;
  GPtrArray          *names;    /* used names in order */
  GError            **error;
} Parser;

static Token *
peek (Parser *p)
{
  return &g_array_index (p->tokens, Token, p->pos);
}

static Token *
next (Parser *p)
{
  Token *t = peek (p);

  if (t->kind != T_END)
    p->pos++;
  return t;
}

static Node *
fail_at (Parser     *p,
         Token      *t,
         const char *expected)
{
  if (t->kind == T_END)
    g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                 /* Translators: "The rule ends too early: a number or parameter is missing" */
                 _("The rule ends too early: %s is missing"), expected);
  else
    {
      g_autofree char *shown = shorten (t->text);
      g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                   _("“%s” at position %u is not expected here: %s is missing before it"),
                   shown, t->position, expected);
    }
  return NULL;
}

static Node *
type_error (Parser     *p,
            Token      *t,
            gboolean    want_condition)
{
  g_autofree char *shown = shorten (t->text);

  if (want_condition)
    g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TYPE,
                 _("“%s” at position %u needs a comparison such as a >= b on each side"),
                 shown, t->position);
  else
    g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TYPE,
                 _("“%s” at position %u needs numbers on each side, not conditions"),
                 shown, t->position);
  return NULL;
}

static Node *parse_or (Parser *p);

static Node *
parse_primary (Parser *p)
{
  Token *t = next (p);

  if (++p->depth > DOSSIER_EXPRESSION_MAX_DEPTH)
    {
      g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG,
                   _("The rule is nested too deeply (at most %d levels)"), DOSSIER_EXPRESSION_MAX_DEPTH);
      return NULL;
    }

  switch (t->kind)
    {
    case T_NUMBER:
      {
        DossierDecimal d;
        g_autoptr(GError) local_error = NULL;
        Node *node;

        if (!dossier_decimal_parse (t->text, &d, &local_error))
          {
            g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                         _("At position %u: %s"), t->position, local_error->message);
            return NULL;
          }
        node = node_new (N_NUMBER);
        node->text = dossier_decimal_to_string (&d);
        p->depth--;
        return node;
      }

    case T_NAME:
      if (peek (p)->kind == T_LPAREN)
        {
          g_autofree char *lower = g_ascii_strdown (t->text, -1);
          Node *node;

          if (!g_strv_contains (functions, lower))
            {
              g_autofree char *shown = shorten (t->text);
              g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_UNKNOWN_FUNCTION,
                           _("“%s” at position %u is not a function a rule may use (abs, min, max)"),
                           shown, t->position);
              return NULL;
            }

          next (p);
          node = node_new (N_CALL);
          node->text = g_steal_pointer (&lower);
          for (;;)
            {
              Token *at = peek (p);
              Node *arg = parse_or (p);

              if (arg == NULL)
                {
                  node_free (node);
                  return NULL;
                }
              if (arg->boolean)
                {
                  node_free (arg);
                  node_free (node);
                  return type_error (p, at, FALSE);
                }
              g_ptr_array_add (node->children, arg);
              if (peek (p)->kind == T_COMMA)
                {
                  next (p);
                  continue;
                }
              if (peek (p)->kind == T_RPAREN)
                {
                  next (p);
                  break;
                }
              node_free (node);
              return fail_at (p, peek (p), _("“,” or “)”"));
            }

          if (g_str_equal (node->text, "abs") && node->children->len != 1)
            {
              g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                           _("abs at position %u takes one value"), t->position);
              node_free (node);
              return NULL;
            }
          if (!g_str_equal (node->text, "abs") && node->children->len < 2)
            {
              g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                           _("%s at position %u takes two or more values"), node->text, t->position);
              node_free (node);
              return NULL;
            }
          if (node->children->len > 8)
            {
              g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                           _("%s at position %u takes at most 8 values"), node->text, t->position);
              node_free (node);
              return NULL;
            }
          p->depth--;
          return node;
        }
      else
        {
          Node *node;
          guint index = 0;

          if (p->allowed == NULL || !g_strv_contains (p->allowed, t->text))
            {
              g_autofree char *shown = shorten (t->text);

              if (g_strv_contains (functions, t->text))
                g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                             _("%s at position %u needs its values in parentheses"), shown, t->position);
              else
                g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_UNKNOWN_NAME,
                             _("“%s” at position %u is not a numeric parameter of this size range"),
                             shown, t->position);
              return NULL;
            }

          for (guint i = 0; i < p->names->len; i++)
            if (g_str_equal (g_ptr_array_index (p->names, i), t->text))
              index = i + 1;
          if (index == 0)
            {
              g_ptr_array_add (p->names, g_strdup (t->text));
              index = p->names->len;
            }

          node = node_new (N_NAME);
          node->text = g_strdup (t->text);
          node->index = index;
          p->depth--;
          return node;
        }

    case T_LPAREN:
      {
        Node *inner = parse_or (p);

        if (inner == NULL)
          return NULL;
        if (peek (p)->kind != T_RPAREN)
          {
            node_free (inner);
            return fail_at (p, peek (p), _("“)”"));
          }
        next (p);
        p->depth--;
        return inner;
      }

    default:
      return fail_at (p, t, _("a number or parameter"));
    }
}

static Node *
parse_unary (Parser *p)
{
  Token *t = peek (p);

  if (t->kind == T_MINUS || t->kind == T_PLUS)
    {
      Node *operand;

      next (p);
      if (++p->depth > DOSSIER_EXPRESSION_MAX_DEPTH)
        {
          g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG,
                       _("The rule is nested too deeply (at most %d levels)"), DOSSIER_EXPRESSION_MAX_DEPTH);
          return NULL;
        }
      operand = parse_unary (p);
      p->depth--;
      if (operand == NULL)
        return NULL;
      if (operand->boolean)
        {
          node_free (operand);
          return type_error (p, t, FALSE);
        }
      if (t->kind == T_PLUS)
        return operand;
      {
        Node *node = node_new (N_NEG);
        g_ptr_array_add (node->children, operand);
        return node;
      }
    }

  return parse_primary (p);
}

static Node *
parse_multiplicative (Parser *p)
{
  Node *left = parse_unary (p);

  while (left != NULL && (peek (p)->kind == T_STAR || peek (p)->kind == T_SLASH))
    {
      Token *op = next (p);
      Node *right = parse_unary (p);

      if (right == NULL)
        {
          node_free (left);
          return NULL;
        }
      if (left->boolean || right->boolean)
        {
          node_free (left);
          node_free (right);
          return type_error (p, op, FALSE);
        }
      left = node_binary (op->kind == T_STAR ? N_MUL : N_DIV, left, right);
    }

  return left;
}

static Node *
parse_additive (Parser *p)
{
  Node *left = parse_multiplicative (p);

  while (left != NULL && (peek (p)->kind == T_PLUS || peek (p)->kind == T_MINUS))
    {
      Token *op = next (p);
      Node *right = parse_multiplicative (p);

      if (right == NULL)
        {
          node_free (left);
          return NULL;
        }
      if (left->boolean || right->boolean)
        {
          node_free (left);
          node_free (right);
          return type_error (p, op, FALSE);
        }
      left = node_binary (op->kind == T_PLUS ? N_ADD : N_SUB, left, right);
    }

  return left;
}

static gboolean
is_comparison (TokenKind kind)
{
  return kind == T_LT || kind == T_LE || kind == T_GT || kind == T_GE || kind == T_EQ || kind == T_NE;
}

static Node *
parse_comparison (Parser *p)
{
  Node *left = parse_additive (p);
  Token *op;
  Node *right;
  Node *node;

  if (left == NULL || !is_comparison (peek (p)->kind))
    return left;

  op = next (p);
  right = parse_additive (p);
  if (right == NULL)
    {
      node_free (left);
      return NULL;
    }
  if (left->boolean || right->boolean)
    {
      node_free (left);
      node_free (right);
      return type_error (p, op, FALSE);
    }

  if (is_comparison (peek (p)->kind))
    {
      Token *again = peek (p);
      g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                   _("“%s” at position %u: comparisons cannot be chained; join them with AND"),
                   again->text, again->position);
      node_free (left);
      node_free (right);
      return NULL;
    }

  node = node_binary (N_CMP, left, right);
  node->op = op->kind;
  node->boolean = TRUE;
  return node;
}

static Node *
parse_not (Parser *p)
{
  Token *t = peek (p);

  if (t->kind == T_NOT)
    {
      Node *operand;
      Node *node;

      next (p);
      if (++p->depth > DOSSIER_EXPRESSION_MAX_DEPTH)
        {
          g_set_error (p->error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG,
                       _("The rule is nested too deeply (at most %d levels)"), DOSSIER_EXPRESSION_MAX_DEPTH);
          return NULL;
        }
      operand = parse_not (p);
      p->depth--;
      if (operand == NULL)
        return NULL;
      if (!operand->boolean)
        {
          node_free (operand);
          return type_error (p, t, TRUE);
        }
      node = node_new (N_NOT);
      node->boolean = TRUE;
      g_ptr_array_add (node->children, operand);
      return node;
    }

  return parse_comparison (p);
}

static Node *
parse_and (Parser *p)
{
  Node *left = parse_not (p);

  while (left != NULL && peek (p)->kind == T_AND)
    {
      Token *op = next (p);
      Node *right = parse_not (p);

      if (right == NULL)
        {
          node_free (left);
          return NULL;
        }
      if (!left->boolean || !right->boolean)
        {
          node_free (left);
          node_free (right);
          return type_error (p, op, TRUE);
        }
      left = node_binary (N_AND, left, right);
      left->boolean = TRUE;
    }

  return left;
}

static Node *
parse_or (Parser *p)
{
  Node *left = parse_and (p);

  while (left != NULL && peek (p)->kind == T_OR)
    {
      Token *op = next (p);
      Node *right = parse_and (p);

      if (right == NULL)
        {
          node_free (left);
          return NULL;
        }
      if (!left->boolean || !right->boolean)
        {
          node_free (left);
          node_free (right);
          return type_error (p, op, TRUE);
        }
      left = node_binary (N_OR, left, right);
      left->boolean = TRUE;
    }

  return left;
}

/* Output ------------------------------------------------------------------------- */

static const char *
comparison_text (TokenKind op)
{
  switch (op)
    {
    case T_LT: return "<";
    case T_LE: return "<=";
    case T_GT: return ">";
    case T_GE: return ">=";
    case T_EQ: return "=";
    case T_NE: return "<>";
    default: g_assert_not_reached ();
    }
  return NULL;
}

static void
emit_sql (GString *s,
          Node    *node)
{
  Node *a = node->children->len > 0 ? g_ptr_array_index (node->children, 0) : NULL;
  Node *b = node->children->len > 1 ? g_ptr_array_index (node->children, 1) : NULL;
  const char *fn = NULL;

  switch (node->kind)
    {
    case N_NUMBER:
      /* The text is a decimal that dossier_decimal_to_string() wrote: digits, a point
       * and a minus sign at most, so quoting it is safe. */
      g_string_append_printf (s, "'%s'", node->text);
      return;
    case N_NAME:
      g_string_append_printf (s, "?%u", node->index);
      return;
    case N_NEG:
      g_string_append (s, "dx_neg(");
      emit_sql (s, a);
      g_string_append (s, ")");
      return;
    case N_ADD: fn = "dx_add"; break;
    case N_SUB: fn = "dx_sub"; break;
    case N_MUL: fn = "dx_mul"; break;
    case N_DIV: fn = "dx_div"; break;
    case N_CALL:
      g_string_append_printf (s, "dx_%s(", node->text);
      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          emit_sql (s, g_ptr_array_index (node->children, i));
        }
      g_string_append (s, ")");
      return;
    case N_CMP:
      g_string_append (s, "(dx_cmp(");
      emit_sql (s, a);
      g_string_append (s, ", ");
      emit_sql (s, b);
      g_string_append_printf (s, ") %s 0)", comparison_text (node->op));
      return;
    case N_AND:
    case N_OR:
      g_string_append (s, "(");
      emit_sql (s, a);
      g_string_append (s, node->kind == N_AND ? " AND " : " OR ");
      emit_sql (s, b);
      g_string_append (s, ")");
      return;
    case N_NOT:
      g_string_append (s, "(NOT ");
      emit_sql (s, a);
      g_string_append (s, ")");
      return;
    default:
      g_assert_not_reached ();
    }

  g_string_append_printf (s, "%s(", fn);
  emit_sql (s, a);
  g_string_append (s, ", ");
  emit_sql (s, b);
  g_string_append (s, ")");
}

static int
precedence (Node *node)
{
  switch (node->kind)
    {
    case N_OR: return 1;
    case N_AND: return 2;
    case N_NOT: return 3;
    case N_CMP: return 4;
    case N_ADD:
    case N_SUB: return 5;
    case N_MUL:
    case N_DIV: return 6;
    case N_NEG: return 7;
    default: return 8;
    }
}

static void
emit_text (GString *s,
           Node    *node);

static void
emit_child (GString *s,
            Node    *child,
            int      min_precedence)
{
  if (precedence (child) < min_precedence)
    {
      g_string_append_c (s, '(');
      emit_text (s, child);
      g_string_append_c (s, ')');
    }
  else
    emit_text (s, child);
}

static void
emit_text (GString *s,
           Node    *node)
{
  Node *a = node->children->len > 0 ? g_ptr_array_index (node->children, 0) : NULL;
  Node *b = node->children->len > 1 ? g_ptr_array_index (node->children, 1) : NULL;
  int prec = precedence (node);
  const char *op = NULL;

  switch (node->kind)
    {
    case N_NUMBER:
    case N_NAME:
      g_string_append (s, node->text);
      return;
    case N_NEG:
      g_string_append_c (s, '-');
      emit_child (s, a, prec);
      return;
    case N_CALL:
      g_string_append_printf (s, "%s(", node->text);
      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          emit_text (s, g_ptr_array_index (node->children, i));
        }
      g_string_append_c (s, ')');
      return;
    case N_NOT:
      g_string_append (s, "NOT ");
      emit_child (s, a, prec);
      return;
    case N_ADD: op = " + "; break;
    case N_SUB: op = " - "; break;
    case N_MUL: op = " * "; break;
    case N_DIV: op = " / "; break;
    case N_AND: op = " AND "; break;
    case N_OR: op = " OR "; break;
    case N_CMP: op = NULL; break;
    default: g_assert_not_reached ();
    }

  /* Left-associative: the right operand needs parentheses at equal precedence. */
  emit_child (s, a, prec);
  if (op != NULL)
    g_string_append (s, op);
  else
    g_string_append_printf (s, " %s ", node->op == T_NE ? "!=" : comparison_text (node->op));
  emit_child (s, b, node->kind == N_CMP ? prec + 1 : prec + 1);
}

/* Evaluation --------------------------------------------------------------------- */

static gboolean
arg_decimal (sqlite3_context *context,
             sqlite3_value   *value,
             DossierDecimal  *out)
{
  const char *text;
  g_autoptr(GError) error = NULL;

  if (sqlite3_value_type (value) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return FALSE;
    }
  text = (const char *)sqlite3_value_text (value);
  if (!dossier_decimal_parse (text, out, &error))
    {
      sqlite3_result_error (context, error->message, -1);
      return FALSE;
    }
  return TRUE;
}

static void
result_decimal (sqlite3_context      *context,
                const DossierDecimal *value)
{
  g_autofree char *text = dossier_decimal_to_string (value);

  if (strlen (text) > DOSSIER_DECIMAL_MAX_INPUT)
    {
      /* Keep intermediate results parseable: round to the digits that fit. */
      DossierDecimal rounded;
      dossier_decimal_round_significant (value, 30, DOSSIER_ROUND_HALF_EVEN, &rounded);
      g_free (text);
      text = dossier_decimal_to_string (&rounded);
      if (strlen (text) > DOSSIER_DECIMAL_MAX_INPUT)
        {
          sqlite3_result_error (context, _("a result is too large or too small"), -1);
          return;
        }
    }
  sqlite3_result_text (context, text, -1, SQLITE_TRANSIENT);
}

static void
dx_binary (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  const char *which = sqlite3_user_data (context);
  DossierDecimal a, b, r;

  if (!arg_decimal (context, argv[0], &a) || !arg_decimal (context, argv[1], &b))
    return;

  switch (which[0])
    {
    case '+':
      dossier_decimal_add (&a, &b, &r);
      break;
    case '-':
      dossier_decimal_subtract (&a, &b, &r);
      break;
    case '*':
      dossier_decimal_multiply (&a, &b, &r);
      break;
    case '/':
      {
        g_autoptr(GError) error = NULL;
        if (!dossier_decimal_divide (&a, &b, DIVISION_PRECISION, &r, NULL, &error))
          {
            sqlite3_result_error (context, error->message, -1);
            return;
          }
        break;
      }
    case 'c':
      sqlite3_result_int (context, dossier_decimal_compare (&a, &b));
      return;
    default:
      g_assert_not_reached ();
    }

  result_decimal (context, &r);
}

static void
dx_unary (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  const char *which = sqlite3_user_data (context);
  DossierDecimal a, r;

  if (!arg_decimal (context, argv[0], &a))
    return;

  if (which[0] == '-')
    dossier_decimal_negate (&a, &r);
  else
    dossier_decimal_abs (&a, &r);
  result_decimal (context, &r);
}

static void
dx_extreme (sqlite3_context  *context,
            int               argc,
            sqlite3_value   **argv)
{
  const char *which = sqlite3_user_data (context);
  DossierDecimal best = { 0 };

  for (int i = 0; i < argc; i++)
    {
      DossierDecimal v;

      if (!arg_decimal (context, argv[i], &v))
        return;
      if (i == 0 || (which[0] == '<' ? dossier_decimal_compare (&v, &best) < 0
                                     : dossier_decimal_compare (&v, &best) > 0))
        best = v;
    }
  result_decimal (context, &best);
}

static int
authorize (void       *data,
           int         action,
           const char *arg1,
           const char *arg2,
           const char *database,
           const char *trigger)
{
  /* Only the one SELECT of constants, bound values and Dossier's arithmetic: no
   * tables, no pragmas, no attach, no other function. */
  if (action == SQLITE_SELECT)
    return SQLITE_OK;
  if (action == SQLITE_FUNCTION && arg2 != NULL && g_strv_contains (sql_functions, arg2))
    return SQLITE_OK;
  return SQLITE_DENY;
}

static int
progress_fuse (void *data)
{
  return 1; /* interrupt: the step budget is spent */
}

static gboolean
open_evaluator (DossierExpression  *self,
                GError            **error)
{
  static const struct { const char *name; int n_args; const char *which; void (*fn) (sqlite3_context *, int, sqlite3_value **); } fns[] = {
    { "dx_add", 2, "+", dx_binary },
    { "dx_sub", 2, "-", dx_binary },
    { "dx_mul", 2, "*", dx_binary },
    { "dx_div", 2, "/", dx_binary },
    { "dx_cmp", 2, "c", dx_binary },
    { "dx_neg", 1, "-", dx_unary },
    { "dx_abs", 1, "a", dx_unary },
    { "dx_min", -1, "<", dx_extreme },
    { "dx_max", -1, ">", dx_extreme },
  };
  g_autofree char *select = NULL;
  int rc;

  rc = sqlite3_open_v2 (":memory:", &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);

  sqlite3_limit (self->db, SQLITE_LIMIT_LENGTH, 10000);
  sqlite3_limit (self->db, SQLITE_LIMIT_SQL_LENGTH, 8 * DOSSIER_EXPRESSION_MAX_LENGTH + 100);
  sqlite3_limit (self->db, SQLITE_LIMIT_EXPR_DEPTH, 4 * DOSSIER_EXPRESSION_MAX_DEPTH + 16);
  sqlite3_limit (self->db, SQLITE_LIMIT_COLUMN, 1);
  sqlite3_limit (self->db, SQLITE_LIMIT_COMPOUND_SELECT, 1);
  sqlite3_limit (self->db, SQLITE_LIMIT_FUNCTION_ARG, 8);
  sqlite3_limit (self->db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit (self->db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1);
  sqlite3_limit (self->db, SQLITE_LIMIT_VARIABLE_NUMBER, 256);
  sqlite3_limit (self->db, SQLITE_LIMIT_TRIGGER_DEPTH, 0);
  sqlite3_limit (self->db, SQLITE_LIMIT_WORKER_THREADS, 0);

  for (guint i = 0; i < G_N_ELEMENTS (fns); i++)
    {
      rc = sqlite3_create_function_v2 (self->db, fns[i].name, fns[i].n_args,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                       (void *)fns[i].which, fns[i].fn, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        goto failed;
    }

  sqlite3_set_authorizer (self->db, authorize, NULL);
  sqlite3_progress_handler (self->db, MAX_VM_STEPS, progress_fuse, NULL);

  select = g_strdup_printf ("SELECT %s", self->sql);
  rc = sqlite3_prepare_v3 (self->db, select, -1, SQLITE_PREPARE_PERSISTENT, &self->stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  return TRUE;

failed:
  g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION,
               _("The rule cannot be prepared for evaluation: %s"),
               self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

/* Public API ----------------------------------------------------------------------- */

DossierExpression *
dossier_expression_parse (const char          *text,
                          const char * const  *names,
                          GError             **error)
{
  g_autoptr(DossierExpression) self = NULL;
  g_autoptr(GArray) tokens = NULL;
  g_autoptr(GString) sql = NULL;
  Parser parser = { 0 };
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || *text == '\0' || strspn (text, " \t\r\n") == strlen (text))
    {
      g_set_error_literal (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EMPTY,
                           _("The rule is empty"));
      return NULL;
    }

  /* Four bytes per character at most: longer text is refused unread. */
  len = strnlen (text, DOSSIER_EXPRESSION_MAX_LENGTH * 4 + 1);
  if (len <= DOSSIER_EXPRESSION_MAX_LENGTH * 4 && !g_utf8_validate (text, len, NULL))
    {
      g_set_error_literal (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                           _("The rule is not valid text"));
      return NULL;
    }
  if (len > DOSSIER_EXPRESSION_MAX_LENGTH * 4 || g_utf8_strlen (text, -1) > DOSSIER_EXPRESSION_MAX_LENGTH)
    {
      g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TOO_LONG,
                   _("The rule is too long (at most %d characters)"), DOSSIER_EXPRESSION_MAX_LENGTH);
      return NULL;
    }

  if (!(tokens = tokenize (text, error)))
    return NULL;

  self = g_new0 (DossierExpression, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->names = g_ptr_array_new_with_free_func (g_free);

  parser.tokens = tokens;
  parser.allowed = names;
  parser.names = self->names;
  parser.error = error;

  self->root = parse_or (&parser);
  if (self->root == NULL)
    return NULL;

  if (peek (&parser)->kind != T_END)
    {
      Token *t = peek (&parser);
      g_autofree char *shown = shorten (t->text);

      g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_SYNTAX,
                   t->kind == T_RPAREN
                     ? _("“%s” at position %u closes a parenthesis that was not opened")
                     : _("“%s” at position %u is not expected here: an operator such as AND or >= is missing before it"),
                   shown, t->position);
      return NULL;
    }

  if (!self->root->boolean)
    {
      g_set_error_literal (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_TYPE,
                           _("The rule computes a number but compares nothing; write a condition such as wall_thickness >= 0.1 * span"));
      return NULL;
    }

  g_ptr_array_add (self->names, NULL);

  sql = g_string_new (NULL);
  emit_sql (sql, self->root);
  self->sql = g_string_free (g_steal_pointer (&sql), FALSE);

  if (!open_evaluator (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

DossierExpression *
dossier_expression_ref (DossierExpression *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dossier_expression_unref (DossierExpression *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  node_free (self->root);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_free (self->text);
  g_free (self->sql);
  g_free (self);
}

const char *
dossier_expression_get_text (DossierExpression *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

char *
dossier_expression_to_string (DossierExpression *self)
{
  GString *s;

  g_return_val_if_fail (self != NULL, NULL);

  s = g_string_new (NULL);
  emit_text (s, self->root);
  return g_string_free (s, FALSE);
}

const char * const *
dossier_expression_get_names (DossierExpression *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *)self->names->pdata;
}

const char *
dossier_expression_get_sql (DossierExpression *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->sql;
}

gboolean
dossier_expression_evaluate (DossierExpression     *self,
                             const DossierDecimal  *values,
                             gboolean              *result,
                             GError               **error)
{
  guint n;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  n = self->names->len - 1;
  g_return_val_if_fail (n == 0 || values != NULL, FALSE);

  sqlite3_reset (self->stmt);
  sqlite3_clear_bindings (self->stmt);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = dossier_decimal_to_string (&values[i]);
      sqlite3_bind_text (self->stmt, i + 1, text, -1, SQLITE_TRANSIENT);
    }

  /* SQLite counts the steps of a statement over all its runs, and the fuse below is
   * for one run: without the reset, every so many evaluations one would be cut off. */
  sqlite3_stmt_status (self->stmt, SQLITE_STMTSTATUS_VM_STEP, TRUE);

  rc = sqlite3_step (self->stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION,
                   _("The rule could not be evaluated: %s"),
                   rc == SQLITE_INTERRUPT ? _("it takes too long") : sqlite3_errmsg (self->db));
      sqlite3_reset (self->stmt);
      return FALSE;
    }

  if (sqlite3_column_type (self->stmt, 0) == SQLITE_NULL)
    {
      sqlite3_reset (self->stmt);
      g_set_error_literal (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION,
                           _("The rule could not be evaluated: a value is missing"));
      return FALSE;
    }

  *result = sqlite3_column_int (self->stmt, 0) != 0;
  sqlite3_reset (self->stmt);
  return TRUE;
}

gboolean
dossier_expression_evaluate_text (DossierExpression  *self,
                                  GHashTable         *values,
                                  gboolean           *result,
                                  GError            **error)
{
  g_autofree DossierDecimal *decimals = NULL;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  n = self->names->len - 1;
  decimals = g_new0 (DossierDecimal, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      const char *text = g_hash_table_lookup (values, name);
      g_autoptr(GError) local_error = NULL;

      if (text == NULL)
        {
          g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION,
                       _("The rule could not be evaluated: %s has no value"), name);
          return FALSE;
        }
      if (!dossier_decimal_parse (text, &decimals[i], &local_error))
        {
          g_set_error (error, DOSSIER_EXPRESSION_ERROR, DOSSIER_EXPRESSION_ERROR_EVALUATION,
                       _("The rule could not be evaluated: %s: %s"), name, local_error->message);
          return FALSE;
        }
    }

  return dossier_expression_evaluate (self, decimals, result, error);
}
