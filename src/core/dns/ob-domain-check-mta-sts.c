/* ob-domain-check-mta-sts.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-domain-check-private.h"

/* The transport checks, both optional: the MTA-STS record
 * (_ob_domain_check_mta_sts_cb()) and the policy it announces, fetched
 * over HTTPS with libsoup from mta-sts.DOMAIN (or the origin a test sets,
 * trusting its CA), and the TLS-RPT record (_ob_domain_check_tls_rpt_cb()).
 * ob-dkim-key.h is here for ob_dns_tag_list_parse(). */

static gboolean
mta_sts_policy_valid (const char *text,
                      char      **why)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean version = FALSE, mode = FALSE, mx = FALSE, max_age = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      char *colon = strchr (line, ':');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (line[0] == '\0')
        continue;
      if (colon == NULL)
        {
          *why = g_strdup_printf (_("the line “%s” is not “key: value”"), line);
          return FALSE;
        }
      key = g_strstrip (g_strndup (line, colon - line));
      value = g_strstrip (g_strdup (colon + 1));
      if (g_str_equal (key, "version"))
        version = g_str_equal (value, "STSv1");
      else if (g_str_equal (key, "mode"))
        mode = g_str_equal (value, "enforce") || g_str_equal (value, "testing") || g_str_equal (value, "none");
      else if (g_str_equal (key, "mx"))
        mx = value[0] != '\0';
      else if (g_str_equal (key, "max_age"))
        {
          guint64 n;

          max_age = g_ascii_string_to_unsigned (value, 10, 0, 31557600, &n, NULL);
        }
    }
  if (!version || !mode || !max_age)
    {
      *why = g_strdup (_("it needs “version: STSv1”, a valid “mode:” and “max_age:”"));
      return FALSE;
    }
  if (!mx)
    {
      *why = g_strdup (_("it lists no “mx:” line"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
mta_sts_accept_cb (SoupMessage          *msg,
                   GTlsCertificate      *certificate,
                   GTlsCertificateFlags  errors,
                   gpointer              user_data)
{
  GTlsDatabase *db = user_data;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (soup_message_get_uri (msg)), 443);

  return db && g_tls_database_verify_chain (db, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                            identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0;
}

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  char        *txt;
  char        *url;
} StsFetch;

static void
sts_fetch_free (StsFetch *s)
{
  g_clear_object (&s->msg);
  g_clear_object (&s->session);
  g_free (s->txt);
  g_free (s->url);
  g_free (s);
}

static void
mta_sts_policy_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObDomainCheckRun *run = g_task_get_task_data (task);
  StsFetch *s = g_object_get_data (G_OBJECT (task), "ob-sts");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *why = NULL;

  if (body == NULL || soup_message_get_status (s->msg) != SOUP_STATUS_OK)
    why = body == NULL ? g_strdup (error->message)
                       : g_strdup_printf ("HTTP %u", soup_message_get_status (s->msg));
  else
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      json_object_set_string_member (run->report->records, "mta_sts_policy", text);
      if (mta_sts_policy_valid (text, &why))
        _ob_domain_check_add_finding (run, "mta-sts-ok", OB_FINDING_OK, "transport", s->txt,
                                      g_strdup (_("MTA-STS is published and its policy is valid.")));
    }
  if (why)
    _ob_domain_check_add_finding (run, "mta-sts-invalid", OB_FINDING_WARNING, "transport", s->txt,
                                  g_strdup_printf (_("An MTA-STS record is published, but the policy at %s cannot be used (%s). Senders that honour MTA-STS may fail to deliver to you; fix the policy or remove the record."),
                                                   s->url, why));
  _ob_domain_check_op_end (run);
}

void
_ob_domain_check_mta_sts_cb (ObDomainCheckRun *run,
                             const char       *name,
                             ObDnsAnswer      *answer,
                             const GError     *error,
                             gpointer          data)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  const char *txt = NULL;
  StsFetch *s;
  GTlsDatabase *db = NULL;

  if (error)
    return;
  texts = _ob_domain_check_txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), "v=STSv1"))
      txt = g_ptr_array_index (texts, i);
  if (txt == NULL)
    {
      _ob_domain_check_add_finding (run, "mta-sts-missing", OB_FINDING_INFO, "transport", NULL,
                                    g_strdup (_("No MTA-STS policy is published. It is optional: it makes other servers insist on encryption when they deliver mail to you.")));
      return;
    }
  json_object_set_string_member (run->report->records, "mta_sts", txt);
  tags = ob_dns_tag_list_parse (txt, FALSE, NULL);
  {
    const char *id = NULL;

    for (guint i = 0; tags && i < tags->len; i += 2)
      if (g_str_equal (g_ptr_array_index (tags, i), "id"))
        id = g_ptr_array_index (tags, i + 1);
    if (id == NULL || id[0] == '\0' || strlen (id) > 32)
      {
        _ob_domain_check_add_finding (run, "mta-sts-invalid", OB_FINDING_WARNING, "transport", txt,
                                      g_strdup (_("The MTA-STS record is not valid: it needs “v=STSv1; id=…” with an id of 1 to 32 letters and digits.")));
        return;
      }
  }

  s = g_new0 (StsFetch, 1);
  s->txt = g_strdup (txt);
  if (run->self->mta_sts_origin)
    s->url = g_strdup_printf ("%s/.well-known/mta-sts.txt", run->self->mta_sts_origin);
  else
    s->url = g_strdup_printf ("https://mta-sts.%s/.well-known/mta-sts.txt", run->domain);
  s->session = soup_session_new_with_options ("timeout", 10, NULL);
  s->msg = soup_message_new (SOUP_METHOD_GET, s->url);
  if (s->msg == NULL)
    {
      sts_fetch_free (s);
      return;
    }
  if (run->self->extra_ca_file)
    db = g_tls_file_database_new (run->self->extra_ca_file, NULL);
  if (db)
    g_signal_connect_data (s->msg, "accept-certificate", G_CALLBACK (mta_sts_accept_cb), db,
                           (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_object_set_data_full (G_OBJECT (run->task), "ob-sts", s, (GDestroyNotify) sts_fetch_free);
  _ob_domain_check_op_begin (run);
  soup_session_send_and_read_async (s->session, s->msg, G_PRIORITY_DEFAULT, run->cancellable,
                                    mta_sts_policy_cb, g_object_ref (run->task));
}

void
_ob_domain_check_tls_rpt_cb (ObDomainCheckRun *run,
                             const char       *name,
                             ObDnsAnswer      *answer,
                             const GError     *error,
                             gpointer          data)
{
  g_autoptr(GPtrArray) texts = NULL;
  const char *txt = NULL;

  if (error)
    return;
  texts = _ob_domain_check_txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), "v=TLSRPTv1"))
      txt = g_ptr_array_index (texts, i);
  if (txt == NULL)
    {
      g_autofree char *rua = _ob_domain_check_report_address (run);
      g_autofree char *value = g_strdup_printf ("v=TLSRPTv1; rua=mailto:%s", rua);
      ObDomainFinding *f;

      f = _ob_domain_check_add_finding (run, "tls-rpt-missing", OB_FINDING_INFO, "transport", NULL,
                                        _ob_domain_check_with_report_note (run, g_strdup (_("No TLS-RPT record is published. It is optional: with it, other servers report to you when encrypted delivery to you fails."))));
      _ob_domain_finding_set_fix (f, name, "TXT", value);
      return;
    }
  json_object_set_string_member (run->report->records, "tls_rpt", txt);
  if (strstr (txt, "rua=") == NULL)
    _ob_domain_check_add_finding (run, "tls-rpt-invalid", OB_FINDING_INFO, "transport", txt,
                                  g_strdup (_("The TLS-RPT record names no report address (rua=), so no reports can be sent.")));
  else
    _ob_domain_check_add_finding (run, "tls-rpt-ok", OB_FINDING_OK, "transport", txt,
                                  g_strdup (_("TLS-RPT is published.")));
}
