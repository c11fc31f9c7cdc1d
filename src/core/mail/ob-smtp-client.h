/* ob-smtp-client.h — an SMTP submission client on GIO.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-mail.h"
#include "ob-smtp-reply.h"

G_BEGIN_DECLS

/* RFC 5321 §4.5.3.2 timeouts, in milliseconds. */
typedef struct
{
  guint connect;    /* TCP and TLS set-up (not in the RFC) */
  guint greeting;   /* the 220: 5 min */
  guint command;    /* EHLO, STARTTLS, AUTH, RSET, QUIT */
  guint mail;       /* MAIL: 5 min */
  guint rcpt;       /* RCPT: 5 min */
  guint data_init;  /* DATA → 354: 2 min */
  guint data_block; /* each block of the message: 3 min */
  guint data_term;  /* "." → the final reply: 10 min */
} ObSmtpTimeouts;

typedef enum
{
  OB_SMTP_AUTH_AUTO,    /* PLAIN when offered, else LOGIN */
  OB_SMTP_AUTH_PLAIN,
  OB_SMTP_AUTH_LOGIN,
  OB_SMTP_AUTH_XOAUTH2, /* reserved for OAuth 2 sign-in; refused for now */
} ObSmtpAuthMechanism;

typedef struct
{
  char        *address;
  ObSmtpReply *reply;   /* the reply to RCPT TO */
} ObSmtpRecipientResult;

typedef struct
{
  ObSmtpReply *mail_reply; /* the reply to MAIL FROM */
  GPtrArray   *recipients; /* of ObSmtpRecipientResult, in the order given */
  ObSmtpReply *data_reply; /* the reply to DATA or to its end; NULL when DATA was not sent */
  gboolean     accepted;   /* the server took the message for at least one recipient */
} ObSmtpSendResult;

#define OB_TYPE_SMTP_SEND_RESULT (ob_smtp_send_result_get_type ())

GType              ob_smtp_send_result_get_type      (void) G_GNUC_CONST;
ObSmtpSendResult  *ob_smtp_send_result_new           (void);
/* Adds a recipient; takes @reply (may be NULL: not sent yet). */
void               ob_smtp_send_result_add_recipient (ObSmtpSendResult       *result,
                                                      const char             *address,
                                                      ObSmtpReply            *reply);
ObSmtpSendResult  *ob_smtp_send_result_copy          (const ObSmtpSendResult *result);
void               ob_smtp_send_result_free          (ObSmtpSendResult       *result);
/* What happened to recipient @index in the end: its RCPT reply when refused,
 * else the reply to the message's end (or to DATA). */
const ObSmtpReply *ob_smtp_send_result_get_final_reply (const ObSmtpSendResult *result,
                                                        guint                   index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSmtpSendResult, ob_smtp_send_result_free)

#define OB_TYPE_SMTP_CLIENT (ob_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (ObSmtpClient, ob_smtp_client, OB, SMTP_CLIENT, GObject)

ObSmtpClient     *ob_smtp_client_new                (const char           *host,
                                                     guint16               port,
                                                     ObMailSecurity        security);
void              ob_smtp_client_set_ca_file        (ObSmtpClient         *self,
                                                     const char           *ca_file);
/* The EHLO name; by default the address literal of our end. */
void              ob_smtp_client_set_helo_name      (ObSmtpClient         *self,
                                                     const char           *name);
void              ob_smtp_client_get_timeouts       (ObSmtpClient         *self,
                                                     ObSmtpTimeouts       *timeouts);
void              ob_smtp_client_set_timeouts       (ObSmtpClient         *self,
                                                     const ObSmtpTimeouts *timeouts);
void              ob_smtp_client_set_trace_func     (ObSmtpClient         *self,
                                                     ObMailTraceFunc       func,
                                                     gpointer              user_data,
                                                     GDestroyNotify        destroy);

/* Greeting, EHLO, STARTTLS (required in STARTTLS mode) and EHLO again. */
void              ob_smtp_client_connect_async      (ObSmtpClient         *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          ob_smtp_client_connect_finish     (ObSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void              ob_smtp_client_authenticate_async (ObSmtpClient         *self,
                                                     ObSmtpAuthMechanism   mechanism,
                                                     const char           *username,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          ob_smtp_client_authenticate_finish (ObSmtpClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* Sends one message (RFC 5322 text; line ends are normalised and lines
 * dot-stuffed here). Refused recipients are results, not errors; an error
 * means the message was not sent to anyone (or the connection broke). */
void              ob_smtp_client_send_async         (ObSmtpClient         *self,
                                                     const char           *from,
                                                     const char * const   *recipients,
                                                     GBytes               *message,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
ObSmtpSendResult *ob_smtp_client_send_finish        (ObSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void              ob_smtp_client_quit_async         (ObSmtpClient         *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          ob_smtp_client_quit_finish        (ObSmtpClient         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void              ob_smtp_client_close              (ObSmtpClient         *self);

gboolean          ob_smtp_client_is_connected       (ObSmtpClient         *self);
gboolean          ob_smtp_client_is_authenticated   (ObSmtpClient         *self);
gboolean          ob_smtp_client_is_tls             (ObSmtpClient         *self);
const ObMailTlsInfo *ob_smtp_client_get_tls_info    (ObSmtpClient         *self);
const ObSmtpReply *ob_smtp_client_get_greeting      (ObSmtpClient         *self);
/* An EHLO keyword such as "PIPELINING"; its parameters (or "") or NULL. */
const char       *ob_smtp_client_get_capability     (ObSmtpClient         *self,
                                                     const char           *keyword);
/* The EHLO keywords, sorted, upper case. */
GStrv             ob_smtp_client_dup_capabilities   (ObSmtpClient         *self);
guint64           ob_smtp_client_get_size_limit     (ObSmtpClient         *self);

/* Normalises line ends to CRLF, doubles leading dots, and ends with
 * CRLF "." CRLF (RFC 5321 §4.5.2). Public for tests. */
GBytes           *ob_smtp_dot_stuff                 (GBytes               *message);

G_END_DECLS
