/* ob-imap-client.h — a read-mostly IMAP4rev1 client on GIO: it finds Sent
 * and Junk, scans read-only (EXAMINE, BODY.PEEK), appends to Sent and, when
 * asked, moves the messages it is given (UID MOVE, else UID COPY, \Deleted
 * and UID EXPUNGE of those UIDs only). It never marks a message read.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-imap-response.h"
#include "ob-mail.h"

G_BEGIN_DECLS

typedef enum
{
  OB_IMAP_AUTH_AUTO,  /* AUTHENTICATE PLAIN when offered, else LOGIN */
  OB_IMAP_AUTH_LOGIN,
  OB_IMAP_AUTH_PLAIN,
} ObImapAuthMechanism;

typedef struct
{
  char  *name;       /* as the server spells it (modified UTF-7), for commands */
  char   delimiter;  /* '/' or '.'; 0 when flat */
  GStrv  attributes; /* "\\HasNoChildren", "\\Sent", "\\Junk"… */
} ObImapMailbox;

typedef struct
{
  guint32  exists;
  guint32  uidvalidity;
  guint32  uidnext;
  gboolean read_only;
} ObImapMailboxStatus;

typedef struct
{
  guint32  uid;
  GStrv    flags;
  GBytes  *body;    /* BODY[] when fetched */
  GBytes  *header;  /* BODY[HEADER…] when fetched */
} ObImapMessage;

typedef enum
{
  OB_IMAP_SENT_COPY_APPENDED,        /* a copy went to Sent */
  OB_IMAP_SENT_COPY_ALREADY_PRESENT, /* Sent already had it (the server keeps copies) */
  OB_IMAP_SENT_COPY_PROVIDER_SAVES,  /* the provider saves sent mail: nothing done */
  OB_IMAP_SENT_COPY_NO_IMAP,         /* the account has no IMAP server (or is a dry run) */
} ObImapSentCopy;

void           ob_imap_mailbox_free        (ObImapMailbox       *mailbox);
gboolean       ob_imap_mailbox_has_attribute (const ObImapMailbox *mailbox,
                                            const char          *attribute);
/* The mailbox with special-use @attribute ("\\Sent", "\\Junk") in @mailboxes,
 * or by a usual name when the server marks none. */
const ObImapMailbox *ob_imap_mailboxes_find_special (GPtrArray  *mailboxes,
                                            const char          *attribute);
void           ob_imap_message_free        (ObImapMessage       *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImapMailbox, ob_imap_mailbox_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImapMessage, ob_imap_message_free)

#define OB_TYPE_IMAP_CLIENT (ob_imap_client_get_type ())

G_DECLARE_FINAL_TYPE (ObImapClient, ob_imap_client, OB, IMAP_CLIENT, GObject)

ObImapClient  *ob_imap_client_new              (const char          *host,
                                                guint16              port,
                                                ObMailSecurity       security);
void           ob_imap_client_set_ca_file      (ObImapClient        *self,
                                                const char          *ca_file);
/* Per read or write, in milliseconds (default 2 minutes). */
void           ob_imap_client_set_timeout      (ObImapClient        *self,
                                                guint                timeout_ms);
void           ob_imap_client_set_trace_func   (ObImapClient        *self,
                                                ObMailTraceFunc      func,
                                                gpointer             user_data,
                                                GDestroyNotify       destroy);

/* Greeting, CAPABILITY, STARTTLS (required in STARTTLS mode). */
void           ob_imap_client_connect_async    (ObImapClient        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_connect_finish   (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Logs in, then sends ID (RFC 2971) when the server offers it — NetEase
 * refuses SELECT without — and refreshes the capabilities. */
void           ob_imap_client_login_async      (ObImapClient        *self,
                                                ObImapAuthMechanism  mechanism,
                                                const char          *username,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_login_finish     (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Every mailbox, with special-use attributes (RFC 6154) when the server has them. */
void           ob_imap_client_list_async       (ObImapClient        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray     *ob_imap_client_list_finish      (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* EXAMINE (read-only) when @read_only, else SELECT. */
void           ob_imap_client_select_async     (ObImapClient        *self,
                                                const char          *mailbox,
                                                gboolean             read_only,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_select_finish    (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                ObImapMailboxStatus *status,
                                                GError             **error);
/* CREATE @mailbox; one that exists already is no error. */
void           ob_imap_client_create_async     (ObImapClient        *self,
                                                const char          *mailbox,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_create_finish    (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* UID MOVE (RFC 6851) @uids (e.g. "4,7:9") of the selected folder to
 * @mailbox. Fails with OB_MAIL_ERROR_UNSUPPORTED, touching nothing, when
 * the server has no MOVE. */
void           ob_imap_client_uid_move_async   (ObImapClient        *self,
                                                const char          *uids,
                                                const char          *mailbox,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_uid_move_finish  (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* UID SEARCH with @criteria as IMAP text, e.g. "UID 5:*" or
 * "HEADER Message-ID \"<a@b>\"". Returns a GArray of guint32. */
void           ob_imap_client_uid_search_async (ObImapClient        *self,
                                                const char          *criteria,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GArray        *ob_imap_client_uid_search_finish (ObImapClient       *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* UID FETCH @uids (e.g. "1:*") (@items), e.g. "FLAGS BODY.PEEK[]" or
 * "FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO)]". Items that
 * would set \Seen (BODY[] without PEEK, RFC822) are refused. Returns a
 * GPtrArray of ObImapMessage. */
void           ob_imap_client_uid_fetch_async  (ObImapClient        *self,
                                                const char          *uids,
                                                const char          *items,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray     *ob_imap_client_uid_fetch_finish (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* APPEND @message to @mailbox with @flags (e.g. "\\Seen", or NULL). */
void           ob_imap_client_append_async     (ObImapClient        *self,
                                                const char          *mailbox,
                                                const char          *flags,
                                                GBytes              *message,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_append_finish    (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           ob_imap_client_logout_async     (ObImapClient        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ob_imap_client_logout_finish    (ObImapClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void           ob_imap_client_close            (ObImapClient        *self);

/* After a send: finds Sent, searches it for @message_id and appends
 * @message only when it is missing. Does nothing when @provider_saves_sent
 * (Gmail, Microsoft 365… put a copy there themselves). Needs a login. */
void           ob_imap_client_copy_to_sent_async  (ObImapClient     *self,
                                                   GBytes           *message,
                                                   const char       *message_id,
                                                   gboolean          provider_saves_sent,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
gboolean       ob_imap_client_copy_to_sent_finish (ObImapClient     *self,
                                                   GAsyncResult     *result,
                                                   ObImapSentCopy   *outcome,
                                                   GError          **error);

gboolean       ob_imap_client_is_tls           (ObImapClient        *self);
const ObMailTlsInfo *ob_imap_client_get_tls_info (ObImapClient      *self);
gboolean       ob_imap_client_can_move         (ObImapClient        *self);
gboolean       ob_imap_client_has_capability   (ObImapClient        *self,
                                                const char          *capability);
/* The capabilities, upper case, in the server's order. */
const char * const *ob_imap_client_get_capabilities (ObImapClient   *self);

G_END_DECLS
