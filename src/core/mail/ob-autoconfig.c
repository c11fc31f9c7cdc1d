/* ob-autoconfig.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "ob-autoconfig.h"

#define MAX_CONFIG_SIZE (256 * 1024)
#define FETCH_TIMEOUT_S 15

void
ob_autoconfig_free (ObAutoconfig *config)
{
  if (config == NULL)
    return;
  g_free (config->provider_name);
  g_free (config->smtp_host);
  g_free (config->imap_host);
  g_free (config->username);
  g_free (config->source_url);
  g_free (config);
}

static char *
child_text (xmlNode    *node,
            const char *name)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xmlStrcmp (c->name, (const xmlChar *) name) == 0)
      {
        xmlChar *content = xmlNodeGetContent (c);
        char *text = g_strstrip (g_strdup ((const char *) content));

        xmlFree (content);
        return text;
      }
  return NULL;
}

static char *
fill_placeholders (const char *template,
                   const char *email)
{
  const char *at = strrchr (email, '@');
  g_autofree char *local = at ? g_strndup (email, at - email) : g_strdup (email);
  const char *domain = at ? at + 1 : "";
  GString *s = g_string_new (template);

  g_string_replace (s, "%EMAILADDRESS%", email, 0);
  g_string_replace (s, "%EMAILLOCALPART%", local, 0);
  g_string_replace (s, "%EMAILDOMAIN%", domain, 0);
  return g_string_free (s, FALSE);
}

/* Reads one <incomingServer>/<outgoingServer>; FALSE when unusable (no TLS). */
static gboolean
read_server (xmlNode         *node,
             const char      *email,
             char           **host,
             guint16         *port,
             ObMailSecurity  *security,
             char           **username)
{
  g_autofree char *h = child_text (node, "hostname");
  g_autofree char *p = child_text (node, "port");
  g_autofree char *sock = child_text (node, "socketType");
  g_autofree char *user = child_text (node, "username");
  guint64 port_value;

  if (h == NULL || *h == '\0' || strpbrk (h, " /@:") != NULL ||
      p == NULL || !g_ascii_string_to_unsigned (p, 10, 1, 65535, &port_value, NULL))
    return FALSE;
  if (g_strcmp0 (sock, "SSL") == 0 || g_strcmp0 (sock, "TLS") == 0)
    *security = OB_MAIL_SECURITY_TLS;
  else if (g_strcmp0 (sock, "STARTTLS") == 0)
    *security = OB_MAIL_SECURITY_STARTTLS;
  else
    return FALSE; /* plain text: never */

  *host = fill_placeholders (h, email);
  *port = (guint16) port_value;
  if (username != NULL && user != NULL && *username == NULL)
    *username = fill_placeholders (user, email);
  return TRUE;
}

ObAutoconfig *
ob_autoconfig_parse (const char  *xml,
                     gsize        len,
                     const char  *email,
                     GError     **error)
{
  g_autoptr(ObAutoconfig) config = g_new0 (ObAutoconfig, 1);
  xmlDoc *doc;
  xmlNode *root, *provider = NULL;

  g_return_val_if_fail (email != NULL, NULL);

  if (len > MAX_CONFIG_SIZE || len > G_MAXINT)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("The mail settings file is too large."));
      return NULL;
    }

  /* No network, no entity expansion, no DTD loading. */
  doc = xmlReadMemory (xml, (int) len, "config-v1.1.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("The mail settings file is not valid XML."));
      return NULL;
    }

  root = xmlDocGetRootElement (doc);
  if (root != NULL && xmlStrcmp (root->name, (const xmlChar *) "clientConfig") == 0)
    for (xmlNode *c = root->children; c != NULL; c = c->next)
      if (c->type == XML_ELEMENT_NODE && xmlStrcmp (c->name, (const xmlChar *) "emailProvider") == 0)
        {
          provider = c;
          break;
        }

  if (provider == NULL)
    {
      xmlFreeDoc (doc);
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("The mail settings file has no <emailProvider>."));
      return NULL;
    }

  config->provider_name = child_text (provider, "displayName");
  for (xmlNode *c = provider->children; c != NULL; c = c->next)
    {
      xmlChar *type;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      type = xmlGetProp (c, (const xmlChar *) "type");
      if (xmlStrcmp (c->name, (const xmlChar *) "outgoingServer") == 0 && config->smtp_host == NULL &&
          type != NULL && xmlStrcmp (type, (const xmlChar *) "smtp") == 0)
        read_server (c, email, &config->smtp_host, &config->smtp_port, &config->smtp_security,
                     &config->username);
      else if (xmlStrcmp (c->name, (const xmlChar *) "incomingServer") == 0 && config->imap_host == NULL &&
               type != NULL && xmlStrcmp (type, (const xmlChar *) "imap") == 0)
        read_server (c, email, &config->imap_host, &config->imap_port, &config->imap_security,
                     &config->username);
      xmlFree (type);
    }
  xmlFreeDoc (doc);

  if (config->smtp_host == NULL)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                   _("The mail settings file names no secure SMTP server."));
      return NULL;
    }
  if (config->username == NULL)
    config->username = g_strdup (email);

  return g_steal_pointer (&config);
}

typedef struct
{
  char        *email;
  GPtrArray   *urls;
  guint        next;
  SoupSession *session;
  GError      *first_error;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->email);
  g_ptr_array_unref (f->urls);
  g_clear_object (&f->session);
  g_clear_error (&f->first_error);
  g_free (f);
}

static void fetch_next (GTask *task);

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  const char *url = f->urls->pdata[f->next - 1];

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
    {
      ObAutoconfig *config;
      gsize len;
      const char *data = g_bytes_get_data (body, &len);

      config = ob_autoconfig_parse (data, len, f->email, &error);
      if (config != NULL)
        {
          config->source_url = g_strdup (url);
          g_task_return_pointer (task, config, (GDestroyNotify) ob_autoconfig_free);
          return;
        }
    }
  else if (body != NULL)
    error = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND, "HTTP %u", soup_message_get_status (msg));

  g_debug ("Autoconfig %s: %s", url, error ? error->message : "?");
  if (f->first_error == NULL && error != NULL)
    f->first_error = g_steal_pointer (&error);
  fetch_next (g_steal_pointer (&task));
}

static void
fetch_next (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;

  if (f->next >= f->urls->len)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                               _("No mail settings were published for this domain (%s). Enter the server names by hand."),
                               f->first_error ? f->first_error->message : "");
      g_object_unref (task);
      return;
    }

  msg = soup_message_new ("GET", f->urls->pdata[f->next++]);
  if (msg == NULL)
    {
      fetch_next (task);
      return;
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), fetch_cb, task);
}

void
ob_autoconfig_fetch_async (const char          *email,
                           const char          *base_url,
                           const char          *ca_file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *f = g_new0 (Fetch, 1);
  const char *at = email ? strrchr (email, '@') : NULL;
  g_autofree char *domain = NULL;
  g_autofree char *escaped = NULL;

  g_task_set_source_tag (task, ob_autoconfig_fetch_async);
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  f->email = g_strdup (email);
  f->urls = g_ptr_array_new_with_free_func (g_free);

  if (at == NULL || at[1] == '\0' || strpbrk (at + 1, "/?#:@ \\") != NULL)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("“%s” is not an email address."), email ? email : "");
      g_object_unref (task);
      return;
    }

  domain = g_ascii_strdown (at + 1, -1);
  escaped = g_uri_escape_string (email, NULL, FALSE);
  if (base_url != NULL)
    {
      g_ptr_array_add (f->urls, g_strdup_printf ("%s/mail/config-v1.1.xml?emailaddress=%s", base_url, escaped));
      g_ptr_array_add (f->urls, g_strdup_printf ("%s/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=%s", base_url, escaped));
    }
  else
    {
      g_ptr_array_add (f->urls, g_strdup_printf ("https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s", domain, escaped));
      g_ptr_array_add (f->urls, g_strdup_printf ("https://%s/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=%s", domain, escaped));
    }

  f->session = soup_session_new_with_options ("timeout", FETCH_TIMEOUT_S,
                                              "user-agent", "Outbound/" PACKAGE_VERSION,
                                              NULL);
  if (ca_file != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *abs = g_canonicalize_filename (ca_file, NULL);
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (abs, &error);

      if (db == NULL)
        {
          g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                                   _("The CA file “%s” could not be read: %s"), ca_file, error->message);
          g_object_unref (task);
          return;
        }
      soup_session_set_tls_database (f->session, db);
    }

  fetch_next (task);
}

ObAutoconfig *
ob_autoconfig_fetch_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
