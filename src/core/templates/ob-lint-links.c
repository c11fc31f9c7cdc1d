/* ob-lint-links.c — the link rules.
 *
 * Links come from the <a href> of the HTML (found by its scan) and from
 * addresses written in the text. Reported: a bare IP address, a link
 * shortener, too many distinct web links, and visible text that shows
 * another domain than the link goes to.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpsl.h>
#include <string.h>

#include "ob-lint-private.h"

#define MAX_LINKS 3

static const char * const shorteners[] = {
  "bit.ly", "t.cn", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
  "cutt.ly", "dwz.cn", "url.cn", "t.co", "tiny.cc", "bl.ink", "shorturl.at", "rb.gy",
  "s.id", "v.gd", "lnkd.in", "trib.al", "x.co", "qr.net", "soo.gd", "clck.ru", "u.to",
  "suo.im", "mrw.so", "t.ly", "shorte.st", "adf.ly", "bitly.com", "tinyurl.hu", "ift.tt",
  "j.mp", "cli.gs", "short.io", "tny.im", "w.url.cn", "sina.lt", "6du.in", "985.so",
  NULL
};

static char *
url_host (const char *url)
{
  const char *p = strstr (url, "://");
  const char *end;
  const char *at;
  g_autofree char *host = NULL;

  if (p != NULL)
    p += 3;
  else if (g_ascii_strncasecmp (url, "//", 2) == 0)
    p = url + 2;
  else
    p = url;
  end = p + strcspn (p, "/?#\\ ");
  at = g_strstr_len (p, end - p, "@");
  if (at != NULL)
    p = at + 1;
  if (*p == '[')
    {
      const char *close = g_strstr_len (p, end - p, "]");
      if (close == NULL)
        return NULL;
      return g_strndup (p + 1, close - p - 1);
    }
  host = g_strndup (p, end - p);
  if (strchr (host, ':') != NULL)
    *strchr (host, ':') = '\0';
  while (*host && host[strlen (host) - 1] == '.')
    host[strlen (host) - 1] = '\0';
  return g_ascii_strdown (host, -1);
}

static gboolean
is_web_url (const char *url)
{
  return g_ascii_strncasecmp (url, "http://", 7) == 0 || g_ascii_strncasecmp (url, "https://", 8) == 0 ||
         g_ascii_strncasecmp (url, "www.", 4) == 0;
}

static gboolean
looks_like_domain (const char *text)
{
  const char *dot = strrchr (text, '.');
  gsize tld = 0;

  if (dot == NULL || dot == text || strchr (text, ' ') != NULL || strchr (text, '@') != NULL)
    return FALSE;
  for (const char *p = dot + 1; *p && *p != '/' && *p != ':' && *p != '?'; p++, tld++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  for (const char *p = text; p < dot; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return tld >= 2;
}

static const char *
registrable (const char *host)
{
  const char *r = psl_registrable_domain (psl_builtin (), host);
  return r ? r : host;
}

static gboolean
is_shortener (const char *host)
{
  const char *h = g_str_has_prefix (host, "www.") ? host + 4 : host;

  return g_strv_contains (shorteners, h);
}

static void
check_one_link (ObLint           *lint,
                const ObLintText *t,
                const ObLintLink *link,
                gsize             start,
                gsize             end)
{
  g_autofree char *host = NULL;

  host = url_host (link->href);
  if (host == NULL || *host == '\0' || strstr (host, "{{") != NULL)
    return;

  if (g_hostname_is_ip_address (host))
    _ob_lint_add (lint, "link-ip", OB_LINT_SEVERITY_WARNING, t->source->part, start, end,
                  g_strdup_printf (_("The link goes to a bare IP address (%s); spam filters distrust that"), host),
                  g_strdup (_("Link to your website’s domain name instead")));
  else if (is_shortener (host))
    _ob_lint_add (lint, "link-shortener", OB_LINT_SEVERITY_WARNING, t->source->part, start, end,
                  g_strdup_printf (_("%s is a link shortener; spammers hide behind them, so filters distrust them"), host),
                  g_strdup (_("Replace it with the full address of the page")));
}

/* URLs written in plain text. */
void
_ob_lint_collect_text_links (ObLint           *lint,
                             const ObLintText *t,
                             GArray           *links)
{
  const char *s = t->s;

  for (gsize i = 0; i < t->len; i++)
    {
      gsize j;
      ObLintLink link = { 0 };

      if (!((g_ascii_strncasecmp (s + i, "http://", 7) == 0 || g_ascii_strncasecmp (s + i, "https://", 8) == 0 ||
             g_ascii_strncasecmp (s + i, "www.", 4) == 0) &&
            (i == 0 || !g_ascii_isalnum (s[i - 1]))))
        continue;
      j = i;
      while (j < t->len && !g_ascii_isspace (s[j]) && s[j] != '<' && s[j] != '>' && s[j] != '"' &&
             (guchar) s[j] < 0x80)
        j++;
      while (j > i && strchr (".,;:!?)'", s[j - 1]) != NULL)
        j--;
      link.href = g_strndup (s + i, j - i);
      link.text_start = i;
      link.text_end = j;
      g_array_append_val (links, link);
      i = j;
    }
}

void
_ob_lint_link_clear (gpointer data)
{
  ObLintLink *link = data;
  g_free (link->href);
}

void
_ob_lint_check_links (ObLint           *lint,
                      const ObLintText *t,
                      GArray           *links)
{
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean counted = FALSE;

  for (guint i = 0; i < links->len; i++)
    {
      ObLintLink *link = &g_array_index (links, ObLintLink, i);
      gsize start, end;

      if (link->in_html)
        _ob_lint_text_byte_range (&(ObLintText) { .source = t->source }, link->href_start, link->href_end, &start, &end);
      else
        _ob_lint_text_byte_range (t, link->text_start, link->text_end, &start, &end);

      if (!is_web_url (link->href) && g_ascii_strncasecmp (link->href, "//", 2) != 0)
        continue;
      check_one_link (lint, t, link, start, end);

      g_hash_table_add (distinct, link->href);
      if (g_hash_table_size (distinct) > MAX_LINKS && !counted)
        {
          guint total = 0;
          g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);

          for (guint k = 0; k < links->len; k++)
            if (is_web_url (g_array_index (links, ObLintLink, k).href))
              g_hash_table_add (all, g_array_index (links, ObLintLink, k).href);
          total = g_hash_table_size (all);
          counted = TRUE;
          _ob_lint_add (lint, "link-count", OB_LINT_SEVERITY_WARNING, t->source->part, start, end,
                        g_strdup_printf (_("The mail has %u different links; a first mail with many links looks like a newsletter or spam"),
                                         total),
                        g_strdup_printf (_("Keep %u links or fewer: your website and what the reader needs"), MAX_LINKS));
        }

      /* Visible text that shows another address than the link's. */
      if (link->in_html && link->text_end > link->text_start)
        {
          g_autofree char *visible = g_strstrip (g_strndup (t->s + link->text_start, link->text_end - link->text_start));
          g_autofree char *shown_host = NULL;
          g_autofree char *real_host = url_host (link->href);

          if (strstr (visible, "{{") != NULL || real_host == NULL || *real_host == '\0')
            continue;
          if (strstr (visible, "://") != NULL || g_ascii_strncasecmp (visible, "www.", 4) == 0 ||
              looks_like_domain (visible))
            shown_host = url_host (visible);
          if (shown_host != NULL && *shown_host != '\0' &&
              g_ascii_strcasecmp (registrable (shown_host), registrable (real_host)) != 0)
            {
              gsize vs, ve;

              _ob_lint_text_byte_range (t, link->text_start, link->text_end, &vs, &ve);
              _ob_lint_add (lint, "link-mismatch", OB_LINT_SEVERITY_ERROR, t->source->part, vs, ve,
                            g_strdup_printf (_("The link shows %s but goes to %s; this is what phishing mails do"),
                                             shown_host, real_host),
                            g_strdup_printf (_("Make the link go where it says, or show its real address (%s)"), real_host));
            }
        }
    }
}
