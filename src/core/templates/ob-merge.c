/* ob-merge.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-merge"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-merge.h"

G_DEFINE_BOXED_TYPE (ObMergeField, ob_merge_field, ob_merge_field_copy, ob_merge_field_free)
G_DEFINE_BOXED_TYPE (ObMergeProblem, ob_merge_problem, ob_merge_problem_copy, ob_merge_problem_free)

/* Contact columns first, then the sending account's fields. */
static const char * const standard_fields[] = {
  "first_name", "last_name", "name", "company", "title", "country",
  "email", "phone", "website",
  "sender_name", "sender_email", "signature",
  NULL
};

static const char * const account_fields[] = {
  "sender_name", "sender_email", "signature", NULL
};

ObMergeField *
ob_merge_field_copy (const ObMergeField *field)
{
  ObMergeField *copy = g_new (ObMergeField, 1);

  *copy = *field;
  copy->name = g_strdup (field->name);
  copy->fallback = g_strdup (field->fallback);
  return copy;
}

void
ob_merge_field_free (ObMergeField *field)
{
  if (field == NULL)
    return;
  g_free (field->name);
  g_free (field->fallback);
  g_free (field);
}

ObMergeProblem *
ob_merge_problem_copy (const ObMergeProblem *problem)
{
  ObMergeProblem *copy = g_new (ObMergeProblem, 1);

  *copy = *problem;
  copy->text = g_strdup (problem->text);
  copy->message = g_strdup (problem->message);
  copy->fix = g_strdup (problem->fix);
  return copy;
}

void
ob_merge_problem_free (ObMergeProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->text);
  g_free (problem->message);
  g_free (problem->fix);
  g_free (problem);
}

const char * const *
ob_merge_standard_fields (void)
{
  return standard_fields;
}

gboolean
ob_merge_is_standard_field (const char *name)
{
  return name != NULL && g_strv_contains (standard_fields, name);
}

gboolean
ob_merge_is_account_field (const char *name)
{
  return name != NULL && g_strv_contains (account_fields, name);
}

/* Letters, digits, '_', '.', '-'; starting with a letter or '_'. */
gboolean
ob_merge_is_valid_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  if (!g_ascii_isalpha (*name) && *name != '_')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

static gsize
count_chars (const char *start,
             const char *end)
{
  gsize n = 0;

  for (const char *p = start; p < end; p++)
    if (((guchar) *p & 0xC0) != 0x80)
      n++;
  return n;
}

static void
add_problem (GPtrArray  *problems,
             const char *text,
             const char *from,
             const char *to,
             char       *message,
             char       *fix)
{
  ObMergeProblem *problem = g_new0 (ObMergeProblem, 1);

  problem->start = count_chars (text, from);
  problem->end = problem->start + count_chars (from, to);
  problem->text = g_strndup (from, to - from);
  problem->message = message;
  problem->fix = fix;
  g_ptr_array_add (problems, problem);
}

static char *
suggest_name (const char *raw)
{
  GString *s = g_string_new (NULL);

  for (const char *p = raw; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if ((*p == ' ' || *p == '-' || *p == '_') && s->len > 0 && s->str[s->len - 1] != '_')
        g_string_append_c (s, '_');
    }
  while (s->len > 0 && s->str[s->len - 1] == '_')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0 || !ob_merge_is_valid_name (s->str))
    {
      g_string_free (s, TRUE);
      return g_strdup ("first_name");
    }
  return g_string_free (s, FALSE);
}

/* {name} where name is a known field: almost certainly a field with a
 * brace missing. Returns the end of the match, or NULL. */
static const char *
single_brace_field (const char *p,
                    const char *end)
{
  const char *q = p + 1;
  g_autofree char *name = NULL;

  while (q < end && (g_ascii_isalnum (*q) || *q == '_'))
    q++;
  if (q >= end || *q != '}' || q == p + 1)
    return NULL;
  if (q + 1 < end && q[1] == '}')
    return NULL;
  name = g_ascii_strdown (p + 1, q - p - 1);
  if (!ob_merge_is_standard_field (name))
    return NULL;
  return q + 1;
}

/**
 * ob_merge_parse:
 * @text: a template part (UTF-8)
 * @problems: (out) (optional): malformed fields, as #ObMergeProblem
 *
 * Returns: (transfer full): the well-formed fields, in order, as #ObMergeField.
 */
GPtrArray *
ob_merge_parse (const char  *text,
                GPtrArray  **problems)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_merge_field_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_merge_problem_free);
  const char *end;
  const char *p;
  gsize chars = 0;
  const char *counted = text;

  if (text == NULL)
    text = "";
  end = text + strlen (text);
  counted = text;

  for (p = text; p < end; )
    {
      const char *close;
      const char *stop;
      const char *bar;
      const char *name_start;
      const char *name_end;
      g_autofree char *name = NULL;

      if (p[0] == '{' && (p + 1 >= end || p[1] != '{'))
        {
          const char *single = (p == text || p[-1] != '{') ? single_brace_field (p, end) : NULL;

          if (single != NULL)
            {
              g_autofree char *nm = g_ascii_strdown (p + 1, single - p - 2);
              add_problem (found, text, p, single,
                           g_strdup_printf (_("“%.*s” has single braces, so it is sent as written"),
                                            (int) (single - p), p),
                           g_strdup_printf ("{{%s}}", nm));
              p = single;
              continue;
            }
          p++;
          continue;
        }
      if (p[0] != '{')
        {
          p++;
          continue;
        }

      /* p points at "{{". Its end is the first "}}" before a newline or
       * another "{{". */
      close = NULL;
      stop = p + 2;
      while (stop < end && *stop != '\n' && *stop != '\r')
        {
          if (stop[0] == '}' && stop + 1 < end && stop[1] == '}')
            {
              close = stop;
              break;
            }
          if (stop[0] == '{' && stop + 1 < end && stop[1] == '{')
            break;
          stop++;
        }

      if (close == NULL)
        {
          /* Mark what was meant to be the field: up to a lone '}', or the
           * first word; offer it closed when its name is sound. */
          const char *brace = memchr (p + 2, '}', stop - p - 2);
          const char *word_end = p + 2;
          const char *inner_end;
          const char *mark_end;
          g_autofree char *inner = NULL;
          g_autofree char *inner_name = NULL;

          while (word_end < stop && !g_ascii_isspace (*word_end))
            word_end++;
          inner_end = brace != NULL ? brace : word_end;
          mark_end = brace != NULL ? brace + 1 : word_end;
          inner = g_strndup (p + 2, inner_end - p - 2);
          inner_name = g_ascii_strdown (inner, strcspn (inner, "|"));
          g_strstrip (inner_name);
          add_problem (found, text, p, mark_end,
                       g_strdup (_("This merge field is not closed with “}}”")),
                       ob_merge_is_valid_name (inner_name)
                         ? g_strdup_printf ("{{%s}}", inner)
                         : g_strdup (_("Close the field, as in {{first_name|there}}")));
          p = mark_end > p + 2 ? mark_end : p + 2;
          continue;
        }

      name_start = p + 2;
      bar = memchr (name_start, '|', close - name_start);
      name_end = bar != NULL ? bar : close;
      while (name_start < name_end && g_ascii_isspace (*name_start))
        name_start++;
      while (name_end > name_start && g_ascii_isspace (name_end[-1]))
        name_end--;
      name = g_ascii_strdown (name_start, name_end - name_start);

      if (*name == '\0')
        {
          add_problem (found, text, p, close + 2,
                       g_strdup (_("This merge field has no name")),
                       g_strdup (_("Write a field name, as in {{first_name|there}}")));
        }
      else if (!ob_merge_is_valid_name (name))
        {
          g_autofree char *suggestion = suggest_name (name);
          add_problem (found, text, p, close + 2,
                       g_strdup_printf (_("“%s” is not a valid field name: use letters, digits and underscores"),
                                        name),
                       g_strdup_printf ("{{%s}}", suggestion));
        }
      else
        {
          ObMergeField *field = g_new0 (ObMergeField, 1);

          chars += count_chars (counted, p);
          counted = p;
          field->name = g_steal_pointer (&name);
          if (bar != NULL)
            {
              const char *fb = bar + 1;
              const char *fe = close;
              while (fb < fe && (*fb == ' ' || *fb == '\t'))
                fb++;
              while (fe > fb && (fe[-1] == ' ' || fe[-1] == '\t'))
                fe--;
              field->fallback = g_strndup (fb, fe - fb);
            }
          field->byte_start = p - text;
          field->byte_end = close + 2 - text;
          field->start = chars;
          field->end = chars + count_chars (p, close + 2);
          g_ptr_array_add (fields, field);
        }
      p = close + 2;
    }

  if (problems != NULL)
    *problems = g_steal_pointer (&found);

  return g_steal_pointer (&fields);
}

/* Makes a value safe for where it goes. Invalid UTF-8 is repaired first. */
char *
ob_merge_clean_value (const char  *value,
                      ObMergeMode  mode)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (value == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (value, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean control = g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029;

      if (mode == OB_MERGE_MODE_HEADER)
        {
          if (control || g_unichar_isspace (c))
            {
              if (out->len > 0 && out->str[out->len - 1] != ' ')
                g_string_append_c (out, ' ');
              continue;
            }
        }
      else if (control && c != '\n' && c != '\t')
        continue;

      if (mode == OB_MERGE_MODE_HTML)
        {
          switch (c)
            {
            case '<': g_string_append (out, "&lt;"); continue;
            case '>': g_string_append (out, "&gt;"); continue;
            case '&': g_string_append (out, "&amp;"); continue;
            case '"': g_string_append (out, "&quot;"); continue;
            case '\'': g_string_append (out, "&#39;"); continue;
            case '\n': g_string_append (out, "<br>\n"); continue;
            default: break;
            }
        }
      g_string_append_unichar (out, c);
    }

  if (mode == OB_MERGE_MODE_HEADER)
    {
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      if (out->len > 0 && out->str[0] == ' ')
        g_string_erase (out, 0, 1);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

/**
 * ob_merge_render:
 * @text: a template part
 * @values: (nullable): field name → value (char * → char *)
 * @mode: where the text goes, which decides the escaping
 * @missing: (nullable): receives the names (char *, owned) of fields that had
 *   neither a value nor a fallback
 *
 * Replaces every well-formed field with its value, or its fallback when
 * the value is missing or blank. Values and fallbacks are plain text:
 * escaped for HTML, stripped of line breaks for headers. Malformed
 * fields stay as written.
 */
char *
ob_merge_render (const char  *text,
                 GHashTable  *values,
                 ObMergeMode  mode,
                 GPtrArray   *missing)
{
  g_autoptr(GPtrArray) fields = NULL;
  GString *out;
  gsize pos = 0;

  if (text == NULL)
    return g_strdup ("");

  fields = ob_merge_parse (text, NULL);
  out = g_string_sized_new (strlen (text) + 64);

  for (guint i = 0; i < fields->len; i++)
    {
      ObMergeField *field = g_ptr_array_index (fields, i);
      const char *value = values ? g_hash_table_lookup (values, field->name) : NULL;
      g_autofree char *clean = NULL;

      g_string_append_len (out, text + pos, field->byte_start - pos);
      pos = field->byte_end;

      if (is_blank (value))
        {
          value = field->fallback;
          if (value == NULL && missing != NULL &&
              !g_ptr_array_find_with_equal_func (missing, field->name, g_str_equal, NULL))
            g_ptr_array_add (missing, g_strdup (field->name));
        }
      clean = ob_merge_clean_value (value, mode);
      g_string_append (out, clean);
    }
  g_string_append (out, text + pos);

  return g_string_free (out, FALSE);
}
