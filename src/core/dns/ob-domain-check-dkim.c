/* ob-domain-check-dkim.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-domain-check-private.h"

/* The DKIM checks: one TXT lookup per selector (the user's, the
 * provider's and the common names, which ob_domain_check_run_async()
 * lists), each key found parsed and judged (_ob_domain_check_dkim_cb():
 * broken, revoked, testing, weak); when the last selector has answered
 * and none had a key, one dkim-missing finding (dkim_done()). */

static void
dkim_done (ObDomainCheckRun *run)
{
  if (--run->dkim_pending > 0)
    return;
  if (run->dkim_found == 0)
    {
      gboolean known = run->self->selectors->len > 0 || (run->provider && run->provider->dkim_selectors);
      const char *sel = run->self->selectors->len > 0 ? g_ptr_array_index (run->self->selectors, 0)
                        : (run->provider && run->provider->dkim_selectors) ? run->provider->dkim_selectors[0]
                        : "default";
      ObDomainFinding *f;

      f = _ob_domain_check_add_finding (run, "dkim-missing", known ? OB_FINDING_ERROR : OB_FINDING_WARNING, "dkim", NULL,
                                        known
                                        ? g_strdup_printf (_("No DKIM key is published for the selector “%s”, so your mail is not signed in a way receivers can check."), sel)
                                        : g_strdup (_("No DKIM key was found under the usual selector names. Without DKIM, receivers trust your mail less; if your provider signs with another selector, enter it.")));
      f->fix = g_strdup_printf (_("Turn on DKIM signing in your mail provider’s admin console and publish the TXT record it gives you at %s._domainkey.%s."),
                                sel, run->domain);
    }
  json_object_set_object_member (run->report->records, "dkim", json_object_ref (run->dkim_records));
}

void
_ob_domain_check_dkim_cb (ObDomainCheckRun *run,
                          const char       *name,
                          ObDnsAnswer      *answer,
                          const GError     *error,
                          gpointer          data)
{
  const char *selector = data;
  g_autoptr(GPtrArray) texts = NULL;
  const char *text = NULL;
  g_autoptr(ObDkimKey) key = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (error || answer == NULL)
    {
      dkim_done (run);
      return;
    }
  texts = _ob_domain_check_txt_texts (answer, name);
  for (guint i = 0; i < texts->len && text == NULL; i++)
    {
      const char *t = g_ptr_array_index (texts, i);

      if (strstr (t, "p=") || g_str_has_prefix (t, "v=DKIM1"))
        text = t;
    }
  if (text == NULL)
    {
      dkim_done (run);
      return;
    }
  run->dkim_found++;
  json_object_set_string_member (run->dkim_records, selector, text);

  key = ob_dkim_key_parse (text, &parse_error);
  if (key == NULL)
    {
      _ob_domain_check_add_finding (run, "dkim-syntax", OB_FINDING_ERROR, "dkim", text,
                                    g_strdup_printf (_("The DKIM key for selector “%s” is broken, so signatures made with it fail: %s. Copy the record again from your provider’s console."),
                                                     selector, parse_error->message));
    }
  else if (key->revoked)
    _ob_domain_check_add_finding (run, "dkim-revoked", OB_FINDING_WARNING, "dkim", text,
                                  g_strdup_printf (_("The DKIM key for selector “%s” is revoked (empty p=). Mail still signed with it fails DKIM; make sure your provider signs with a current selector."),
                                                   selector));
  else
    {
      gboolean fine = TRUE;

      if (key->testing)
        {
          g_autofree char *fixed = NULL;
          GString *s = g_string_new (text);
          ObDomainFinding *f;

          /* Drop the t= tag from their own record. */
          {
            char *t = strstr (s->str, "t=");

            if (t && (t == s->str || t[-1] == ' ' || t[-1] == ';'))
              {
                char *end = strchr (t, ';');
                gsize from = t - s->str;

                g_string_erase (s, from, end ? (gssize) (end - t + 1) : -1);
              }
          }
          fixed = g_strstrip (g_string_free (s, FALSE));
          f = _ob_domain_check_add_finding (run, "dkim-testing", OB_FINDING_WARNING, "dkim", text,
                                            g_strdup_printf (_("The DKIM key for selector “%s” is marked as testing (t=y), so receivers may ignore its signatures. Remove t=y once signing works."),
                                                             selector));
          {
            g_autofree char *rname = g_strdup_printf ("%s._domainkey.%s", selector, run->domain);

            _ob_domain_finding_set_fix (f, rname, "TXT", fixed);
          }
          fine = FALSE;
        }
      if (g_str_equal (key->key_type, "rsa") && key->key_bits < 2048)
        {
          _ob_domain_check_add_finding (run, "dkim-weak-key", key->key_bits < 1024 ? OB_FINDING_ERROR : OB_FINDING_WARNING, "dkim", text,
                                        g_strdup_printf (_("The DKIM key for selector “%s” is RSA with only %u bits; receivers want 2048. Create a 2048-bit key in your provider’s console and publish it."),
                                                         selector, key->key_bits));
          fine = FALSE;
        }
      if (fine)
        _ob_domain_check_add_finding (run, "dkim-ok", OB_FINDING_OK, "dkim", text,
                                      g_strdup_printf (_("A valid DKIM key is published for selector “%s” (%s, %u bits)."),
                                                       selector, key->key_type, key->key_bits));
    }
  dkim_done (run);
}
