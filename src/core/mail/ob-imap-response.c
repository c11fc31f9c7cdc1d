/* ob-imap-response.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-imap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-imap-response.h"
#include "ob-mail.h"

#define MAX_DEPTH 32
#define MAX_ITEMS 1000000

typedef struct
{
  const char *p;
  const char *end;
  int         depth;
  guint       items;
} Parser;

G_DEFINE_BOXED_TYPE (ObImapResponse, ob_imap_response, ob_imap_response_copy, ob_imap_response_free)

void
ob_imap_value_free (ObImapValue *value)
{
  if (value == NULL)
    return;
  g_free (value->data);
  g_clear_pointer (&value->items, g_ptr_array_unref);
  g_free (value);
}

static ObImapValue *
value_copy (const ObImapValue *value)
{
  ObImapValue *copy = g_new0 (ObImapValue, 1);

  copy->type = value->type;
  copy->len = value->len;
  if (value->data != NULL)
    copy->data = g_memdup2 (value->data, value->len + 1);
  if (value->items != NULL)
    {
      copy->items = g_ptr_array_new_full (value->items->len, (GDestroyNotify) ob_imap_value_free);
      for (guint i = 0; i < value->items->len; i++)
        g_ptr_array_add (copy->items, value_copy (value->items->pdata[i]));
    }
  return copy;
}

ObImapResponse *
ob_imap_response_copy (const ObImapResponse *response)
{
  ObImapResponse *copy = g_new0 (ObImapResponse, 1);

  copy->kind = response->kind;
  copy->tag = g_strdup (response->tag);
  copy->has_number = response->has_number;
  copy->number = response->number;
  copy->name = g_strdup (response->name);
  copy->is_status = response->is_status;
  copy->code = g_strdup (response->code);
  copy->text = g_strdup (response->text);
  copy->args = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_value_free);
  for (guint i = 0; response->args != NULL && i < response->args->len; i++)
    g_ptr_array_add (copy->args, value_copy (response->args->pdata[i]));
  return copy;
}

void
ob_imap_response_free (ObImapResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->tag);
  g_free (response->name);
  g_free (response->code);
  g_free (response->text);
  g_clear_pointer (&response->args, g_ptr_array_unref);
  g_free (response);
}

gboolean
ob_imap_response_is (const ObImapResponse *response,
                     const char           *name)
{
  return response->name != NULL && g_ascii_strcasecmp (response->name, name) == 0;
}

static gboolean
parse_error (GError     **error,
             const char  *what)
{
  g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
               _("The IMAP server sent a malformed response (%s)"), what);
  return FALSE;
}

static gboolean
is_atom_end (char c)
{
  return c == ' ' || c == '(' || c == ')' || c == '\r' || c == '\n' || c == '"' || c == '{';
}

static void
skip_spaces (Parser *ps)
{
  while (ps->p < ps->end && *ps->p == ' ')
    ps->p++;
}

static gboolean
at_end (Parser *ps)
{
  const char *q = ps->p;

  while (q < ps->end && (*q == ' ' || *q == '\r' || *q == '\n'))
    q++;
  return q >= ps->end;
}

/* An atom; a '[' inside it opens a section that may hold spaces and
 * parentheses up to its ']' (BODY[HEADER.FIELDS (MESSAGE-ID)]<0>). */
static char *
parse_atom (Parser  *ps,
            gsize   *len,
            GError **error)
{
  const char *start = ps->p;
  int brackets = 0;

  while (ps->p < ps->end)
    {
      char c = *ps->p;

      if (c == '\r' || c == '\n' || c == '\0')
        break;
      if (brackets > 0)
        {
          if (c == '[')
            brackets++;
          else if (c == ']')
            brackets--;
          ps->p++;
          continue;
        }
      if (c == '[')
        {
          if (++brackets > MAX_DEPTH)
            {
              parse_error (error, _("brackets nested too deeply"));
              return NULL;
            }
          ps->p++;
          continue;
        }
      if (is_atom_end (c))
        break;
      ps->p++;
    }

  if (brackets > 0)
    {
      parse_error (error, _("unclosed “[”"));
      return NULL;
    }
  if (ps->p == start)
    {
      parse_error (error, _("empty atom"));
      return NULL;
    }

  *len = ps->p - start;
  return g_strndup (start, *len);
}

static char *
parse_quoted (Parser  *ps,
              gsize   *len,
              GError **error)
{
  GString *s = g_string_new (NULL);

  g_assert (*ps->p == '"');
  ps->p++;
  while (ps->p < ps->end)
    {
      char c = *ps->p++;

      if (c == '"')
        {
          *len = s->len;
          return g_string_free (s, FALSE);
        }
      if (c == '\r' || c == '\n' || c == '\0')
        break;
      if (c == '\\')
        {
          if (ps->p >= ps->end)
            break;
          c = *ps->p++;
        }
      g_string_append_c (s, c);
    }

  g_string_free (s, TRUE);
  parse_error (error, _("unterminated quoted string"));
  return NULL;
}

static char *
parse_literal (Parser  *ps,
               gsize   *len,
               GError **error)
{
  guint64 n = 0;
  int digits = 0;

  g_assert (*ps->p == '{');
  ps->p++;
  while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
    {
      if (++digits > 12)
        {
          parse_error (error, _("literal too large"));
          return NULL;
        }
      n = n * 10 + (*ps->p - '0');
      ps->p++;
    }
  if (digits == 0)
    {
      parse_error (error, _("literal without a size"));
      return NULL;
    }
  if (ps->p < ps->end && *ps->p == '+')
    ps->p++;
  if (ps->p >= ps->end || *ps->p != '}')
    {
      parse_error (error, _("literal size not closed"));
      return NULL;
    }
  ps->p++;
  if (ps->p < ps->end && *ps->p == '\r')
    ps->p++;
  if (ps->p >= ps->end || *ps->p != '\n')
    {
      parse_error (error, _("literal not followed by a line end"));
      return NULL;
    }
  ps->p++;
  if (n > (guint64) (ps->end - ps->p))
    {
      parse_error (error, _("literal longer than the data"));
      return NULL;
    }

  {
    char *out = g_malloc (n + 1);

    memcpy (out, ps->p, n);
    out[n] = '\0';
    *len = n;
    ps->p += n;
    return out;
  }
}

static ObImapValue *parse_value (Parser *ps, GError **error);

static ObImapValue *
parse_list (Parser  *ps,
            GError **error)
{
  g_autoptr(ObImapValue) value = g_new0 (ObImapValue, 1);

  g_assert (*ps->p == '(');
  if (++ps->depth > MAX_DEPTH)
    {
      parse_error (error, _("lists nested too deeply"));
      return NULL;
    }
  ps->p++;
  value->type = OB_IMAP_VALUE_LIST;
  value->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_value_free);

  for (;;)
    {
      ObImapValue *item;

      skip_spaces (ps);
      if (ps->p >= ps->end || *ps->p == '\r' || *ps->p == '\n')
        {
          parse_error (error, _("unclosed list"));
          return NULL;
        }
      if (*ps->p == ')')
        {
          ps->p++;
          break;
        }
      item = parse_value (ps, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (value->items, item);
    }

  ps->depth--;
  return g_steal_pointer (&value);
}

static ObImapValue *
parse_value (Parser  *ps,
             GError **error)
{
  g_autoptr(ObImapValue) value = g_new0 (ObImapValue, 1);

  if (++ps->items > MAX_ITEMS)
    {
      parse_error (error, _("too many items"));
      return NULL;
    }

  skip_spaces (ps);
  if (ps->p >= ps->end)
    {
      parse_error (error, _("value missing"));
      return NULL;
    }

  switch (*ps->p)
    {
    case '(':
      return parse_list (ps, error);

    case ')':
      parse_error (error, _("unexpected “)”"));
      return NULL;

    case '"':
      value->type = OB_IMAP_VALUE_STRING;
      value->data = parse_quoted (ps, &value->len, error);
      break;

    case '~':
      if (ps->p + 1 < ps->end && ps->p[1] == '{')
        {
          ps->p++;
          value->type = OB_IMAP_VALUE_STRING;
          value->data = parse_literal (ps, &value->len, error);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      value->type = OB_IMAP_VALUE_ATOM;
      value->data = parse_atom (ps, &value->len, error);
      if (value->data != NULL && g_ascii_strcasecmp (value->data, "NIL") == 0)
        {
          g_clear_pointer (&value->data, g_free);
          value->type = OB_IMAP_VALUE_NIL;
          return g_steal_pointer (&value);
        }
      break;

    case '{':
      value->type = OB_IMAP_VALUE_STRING;
      value->data = parse_literal (ps, &value->len, error);
      break;
    }

  if (value->data == NULL)
    return NULL;
  return g_steal_pointer (&value);
}

/* A word of the response's head: tag, number, name. */
static char *
parse_word (Parser *ps)
{
  const char *start;

  skip_spaces (ps);
  start = ps->p;
  while (ps->p < ps->end && *ps->p != ' ' && *ps->p != '\r' && *ps->p != '\n' &&
         *ps->p != '(' && *ps->p != '[' && *ps->p != '\0')
    ps->p++;
  if (ps->p == start)
    return NULL;
  return g_strndup (start, ps->p - start);
}

static char *
rest_of_line (Parser *ps)
{
  const char *start = ps->p;
  const char *q = start;

  while (q < ps->end && *q != '\r' && *q != '\n')
    q++;
  ps->p = q;
  return g_utf8_make_valid (start, q - start);
}

static gboolean
parse_resp_text (Parser          *ps,
                 ObImapResponse  *r,
                 GError         **error)
{
  skip_spaces (ps);
  if (ps->p < ps->end && *ps->p == '[')
    {
      const char *start = ++ps->p;

      while (ps->p < ps->end && *ps->p != ']' && *ps->p != '\r' && *ps->p != '\n')
        ps->p++;
      if (ps->p >= ps->end || *ps->p != ']')
        return parse_error (error, _("unclosed response code"));
      r->code = g_utf8_make_valid (start, ps->p - start);
      ps->p++;
      skip_spaces (ps);
    }
  r->text = rest_of_line (ps);
  return TRUE;
}

static gboolean
is_status_name (const char *name)
{
  return g_str_equal (name, "OK") || g_str_equal (name, "NO") || g_str_equal (name, "BAD") ||
         g_str_equal (name, "BYE") || g_str_equal (name, "PREAUTH");
}

ObImapResponse *
ob_imap_response_parse (const char  *data,
                        gsize        len,
                        GError     **error)
{
  g_autoptr(ObImapResponse) r = g_new0 (ObImapResponse, 1);
  Parser ps = { data, data + len, 0, 0 };
  g_autofree char *first = NULL;
  g_autofree char *word = NULL;

  r->args = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_value_free);

  if (len > 0 && data[0] == '+')
    {
      r->kind = OB_IMAP_RESPONSE_CONTINUATION;
      ps.p++;
      skip_spaces (&ps);
      r->text = rest_of_line (&ps);
      return g_steal_pointer (&r);
    }

  first = parse_word (&ps);
  if (first == NULL)
    {
      parse_error (error, _("empty response"));
      return NULL;
    }

  if (g_str_equal (first, "*"))
    r->kind = OB_IMAP_RESPONSE_UNTAGGED;
  else
    {
      for (const char *c = first; *c; c++)
        if ((guchar) *c <= 0x20 || (guchar) *c >= 0x7f || strchr ("(){%*\"\\]", *c) != NULL)
          {
            parse_error (error, _("bad tag"));
            return NULL;
          }
      r->kind = OB_IMAP_RESPONSE_TAGGED;
      r->tag = g_steal_pointer (&first);
    }

  word = parse_word (&ps);
  if (word == NULL)
    {
      parse_error (error, _("response without a name"));
      return NULL;
    }

  if (r->kind == OB_IMAP_RESPONSE_UNTAGGED && g_ascii_isdigit (word[0]))
    {
      guint64 n = 0;

      for (const char *c = word; *c; c++)
        {
          if (!g_ascii_isdigit (*c) || (n = n * 10 + (*c - '0')) > G_MAXUINT32)
            {
              parse_error (error, _("bad message number"));
              return NULL;
            }
        }
      r->has_number = TRUE;
      r->number = (guint32) n;
      g_free (word);
      word = parse_word (&ps);
      if (word == NULL)
        {
          parse_error (error, _("response without a name"));
          return NULL;
        }
    }

  r->name = g_ascii_strup (word, -1);
  if (!g_utf8_validate (r->name, -1, NULL))
    {
      parse_error (error, _("bad response name"));
      return NULL;
    }

  if (is_status_name (r->name))
    {
      r->is_status = TRUE;
      if (!parse_resp_text (&ps, r, error))
        return NULL;
      return g_steal_pointer (&r);
    }

  if (r->kind == OB_IMAP_RESPONSE_TAGGED)
    {
      parse_error (error, _("tagged response that is not OK, NO or BAD"));
      return NULL;
    }

  while (!at_end (&ps))
    {
      ObImapValue *value = parse_value (&ps, error);

      if (value == NULL)
        return NULL;
      g_ptr_array_add (r->args, value);
    }

  return g_steal_pointer (&r);
}

gboolean
ob_imap_line_literal_size (const char *line,
                           gsize      *size)
{
  gsize len = strlen (line);
  const char *p;
  guint64 n = 0;

  if (len < 3 || line[len - 1] != '}')
    return FALSE;
  p = line + len - 2;
  if (*p == '+')
    p--;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (p > line && g_ascii_isdigit (p[-1]))
    p--;
  if (p == line || p[-1] != '{')
    return FALSE;
  for (int digits = 0; g_ascii_isdigit (*p); p++, digits++)
    {
      if (digits >= 12)
        return FALSE;
      n = n * 10 + (*p - '0');
    }
  *size = n;
  return TRUE;
}

gboolean
ob_imap_value_is_atom (const ObImapValue *value,
                       const char        *atom)
{
  return value != NULL && value->type == OB_IMAP_VALUE_ATOM &&
         g_ascii_strcasecmp (value->data, atom) == 0;
}

const char *
ob_imap_value_get_string (const ObImapValue *value)
{
  if (value == NULL || (value->type != OB_IMAP_VALUE_ATOM && value->type != OB_IMAP_VALUE_STRING))
    return NULL;
  return value->data;
}

const ObImapValue *
ob_imap_value_lookup (const ObImapValue *list,
                      const char        *key)
{
  gsize key_len = strlen (key);
  gboolean prefix = strchr (key, '[') != NULL && strchr (key, ']') == NULL;

  if (list == NULL || list->type != OB_IMAP_VALUE_LIST)
    return NULL;

  for (guint i = 0; i + 1 < list->items->len; i += 2)
    {
      const ObImapValue *k = list->items->pdata[i];

      if (k->type != OB_IMAP_VALUE_ATOM)
        continue;
      if (prefix ? g_ascii_strncasecmp (k->data, key, key_len) == 0
                 : g_ascii_strcasecmp (k->data, key) == 0)
        return list->items->pdata[i + 1];
    }
  return NULL;
}

char *
ob_imap_quote_string (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      if (*p == '\r' || *p == '\n' || (guchar) *p >= 0x80)
        {
          g_string_free (s, TRUE);
          return NULL;
        }
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static int
mutf7_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == ',')
    return 63;
  return -1;
}

char *
ob_imap_mailbox_name_to_utf8 (const char *name)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (name != NULL, NULL);

  out = g_string_new (NULL);
  for (p = name; *p != '\0'; p++)
    {
      g_autoptr(GByteArray) utf16 = NULL;
      guint32 bits = 0;
      int nbits = 0;

      if ((guchar) *p >= 0x80 || (guchar) *p < 0x20)
        goto bad;
      if (*p != '&')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      if (*p == '-')
        {
          g_string_append_c (out, '&');
          continue;
        }

      /* Modified base64 of UTF-16BE up to '-'. */
      utf16 = g_byte_array_new ();
      for (; *p != '-'; p++)
        {
          int v = mutf7_value (*p);

          if (v < 0)
            goto bad;
          bits = (bits << 6) | (guint32) v;
          nbits += 6;
          if (nbits >= 8)
            {
              guint8 byte = (bits >> (nbits - 8)) & 0xff;

              g_byte_array_append (utf16, &byte, 1);
              nbits -= 8;
            }
        }
      if (utf16->len == 0 || utf16->len % 2 != 0 || (bits & ((1u << nbits) - 1)) != 0)
        goto bad;

      {
        gsize n = utf16->len / 2;
        g_autofree gunichar2 *units = g_new (gunichar2, n);
        g_autofree char *utf8 = NULL;

        for (gsize i = 0; i < n; i++)
          units[i] = (gunichar2) ((utf16->data[2 * i] << 8) | utf16->data[2 * i + 1]);
        utf8 = g_utf16_to_utf8 (units, (glong) n, NULL, NULL, NULL);
        if (utf8 == NULL)
          goto bad;
        /* A shifted run must not hold plain ASCII that needed no shift,
         * nor a control character, which no name shown to a user (or
         * made by the encoder) holds. */
        for (const char *c = utf8; *c; c = g_utf8_next_char (c))
          if ((guchar) *c < 0x80 || g_unichar_iscntrl (g_utf8_get_char (c)))
            goto bad;
        g_string_append (out, utf8);
      }
    }

  return g_string_free (out, FALSE);

bad:
  g_string_free (out, TRUE);
  return NULL;
}

/* The modified base64 alphabet (RFC 3501 §5.1.3: ',' instead of '/'). */
static const char mutf7_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

char *
ob_imap_mailbox_name_from_utf8 (const char *utf8)
{
  GString *out;
  gboolean shifted = FALSE;
  guint32 bits = 0;
  int nbits = 0;

  g_return_val_if_fail (utf8 != NULL, NULL);

  if (!g_utf8_validate (utf8, -1, NULL))
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar2 units[2];
      guint n_units;

      /* No server spelling carries a control character (C0, DEL, C1). */
      if (g_unichar_iscntrl (c))
        {
          g_string_free (out, TRUE);
          return NULL;
        }

      if (c >= 0x20 && c < 0x7f)
        {
          /* Printable ASCII stands for itself; a shifted run ends first,
           * its last bits padded with zeros. */
          if (shifted)
            {
              if (nbits > 0)
                g_string_append_c (out, mutf7_alphabet[(bits << (6 - nbits)) & 0x3f]);
              g_string_append_c (out, '-');
              shifted = FALSE;
              bits = 0;
              nbits = 0;
            }
          if (c == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, (char) c);
          continue;
        }

      /* Anything else is UTF-16BE in modified base64 after '&'; above
       * U+FFFF as a surrogate pair. */
      if (c > 0xffff)
        {
          units[0] = (gunichar2) (0xd800 + ((c - 0x10000) >> 10));
          units[1] = (gunichar2) (0xdc00 + ((c - 0x10000) & 0x3ff));
          n_units = 2;
        }
      else
        {
          units[0] = (gunichar2) c;
          n_units = 1;
        }
      if (!shifted)
        {
          g_string_append_c (out, '&');
          shifted = TRUE;
        }
      for (guint u = 0; u < n_units; u++)
        {
          bits = (bits << 16) | units[u];
          nbits += 16;
          while (nbits >= 6)
            {
              g_string_append_c (out, mutf7_alphabet[(bits >> (nbits - 6)) & 0x3f]);
              nbits -= 6;
            }
          bits &= (1u << nbits) - 1;
        }
    }
  if (shifted)
    {
      if (nbits > 0)
        g_string_append_c (out, mutf7_alphabet[(bits << (6 - nbits)) & 0x3f]);
      g_string_append_c (out, '-');
    }
  return g_string_free (out, FALSE);
}
