/* ob-mail-conn-private.h — the line-oriented TLS connection under the SMTP
 * and IMAP clients: connect, STARTTLS upgrade, timed reads and writes, and
 * the protocol trace.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-mail.h"

G_BEGIN_DECLS

typedef struct _ObMailConn ObMailConn;

/* Where a client's (or sender's) protocol trace goes: set by its
 * *_set_trace_func(), fed by its connection through _ob_mail_trace_cb. */
typedef struct
{
  ObMailTraceFunc func;
  gpointer        data;
  GDestroyNotify  destroy;
} ObMailTrace;

void           _ob_mail_trace_set            (ObMailTrace          *trace,
                                              ObMailTraceFunc       func,
                                              gpointer              user_data,
                                              GDestroyNotify        destroy);
void           _ob_mail_trace_clear          (ObMailTrace          *trace);
/* An ObMailTraceFunc whose @user_data is an ObMailTrace: passes the line on. */
void           _ob_mail_trace_cb             (gboolean              from_client,
                                              const char           *line,
                                              gpointer              user_data);

ObMailConn    *_ob_mail_conn_new             (const char           *host,
                                              guint16               port,
                                              const char           *ca_file,
                                              const char           *log_domain);
void           _ob_mail_conn_free            (ObMailConn           *conn);
void           _ob_mail_conn_set_trace       (ObMailConn           *conn,
                                              ObMailTraceFunc       func,
                                              gpointer              user_data);
void           _ob_mail_conn_trace           (ObMailConn           *conn,
                                              gboolean              from_client,
                                              const char           *line);
void           _ob_mail_conn_set_max_line    (ObMailConn           *conn,
                                              gsize                 max_line);

/* Connects (TCP, then TLS when @implicit_tls). */
void           _ob_mail_conn_connect_async   (ObMailConn           *conn,
                                              gboolean              implicit_tls,
                                              guint                 timeout_ms,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       _ob_mail_conn_connect_finish  (ObMailConn           *conn,
                                              GAsyncResult         *result,
                                              GError              **error);
/* Upgrades the plain connection to TLS (after the server said go ahead). */
void           _ob_mail_conn_starttls_async  (ObMailConn           *conn,
                                              guint                 timeout_ms,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       _ob_mail_conn_starttls_finish (ObMailConn           *conn,
                                              GAsyncResult         *result,
                                              GError              **error);
/* Writes @data; the trace shows @trace_text instead when not NULL
 * (each line of @data otherwise). */
void           _ob_mail_conn_write_async     (ObMailConn           *conn,
                                              GBytes               *data,
                                              const char           *trace_text,
                                              guint                 timeout_ms,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       _ob_mail_conn_write_finish    (ObMailConn           *conn,
                                              GAsyncResult         *result,
                                              GError              **error);
/* Reads one line, returned without its CRLF. */
void           _ob_mail_conn_read_line_async (ObMailConn           *conn,
                                              guint                 timeout_ms,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char          *_ob_mail_conn_read_line_finish (ObMailConn          *conn,
                                              GAsyncResult         *result,
                                              GError              **error);
/* Reads exactly @count bytes (an IMAP literal); not traced byte by byte. */
void           _ob_mail_conn_read_bytes_async (ObMailConn          *conn,
                                              gsize                 count,
                                              guint                 timeout_ms,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GBytes        *_ob_mail_conn_read_bytes_finish (ObMailConn         *conn,
                                              GAsyncResult         *result,
                                              GError              **error);

gboolean       _ob_mail_conn_is_connected    (ObMailConn           *conn);
gboolean       _ob_mail_conn_is_tls          (ObMailConn           *conn);
const ObMailTlsInfo *_ob_mail_conn_get_tls_info (ObMailConn        *conn);
const char    *_ob_mail_conn_get_host        (ObMailConn           *conn);
/* Our end of the connection as an address literal, "[192.0.2.1]" or
 * "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3), for EHLO; NULL when unknown. */
char          *_ob_mail_conn_dup_local_literal (ObMailConn         *conn);
void           _ob_mail_conn_close           (ObMailConn           *conn);

G_END_DECLS
