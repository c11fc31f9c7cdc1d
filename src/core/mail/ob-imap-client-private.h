/* ob-imap-client-private.h — what the files of ObImapClient share: the
 * instance struct, a command on the wire (ObImapCmd, run by the engine in
 * ob-imap-command.c), an operation (ObImapOp, the outer task of each public
 * call, in ob-imap-client.c), and the helpers more than one file calls.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-imap-client.h"
#include "ob-imap-response.h"
#include "ob-mail-conn-private.h"

G_BEGIN_DECLS

#define OB_IMAP_MAX_LITERAL (256 * 1024 * 1024)
#define OB_IMAP_MAX_LINE (4 * 1024 * 1024)

struct _ObImapClient
{
  GObject          parent_instance;

  char            *host;
  guint16          port;
  ObMailSecurity   security;
  guint            timeout_ms;

  ObMailTrace      trace;

  ObMailConn      *conn;
  GStrv            caps;
  guint            next_tag;
  gboolean         logged_in;
  gboolean         busy;
  char            *bye;   /* the text of an untagged BYE */
};

/* One command on the wire: its parts (the next is sent at each "+"
 * continuation), and what came back. */
typedef struct
{
  GPtrArray      *parts;     /* of GBytes */
  GPtrArray      *traces;    /* of char *: what the trace shows for each part ("" = the part itself) */
  guint           next_part;
  char           *tag;
  gboolean        greeting;
  GPtrArray      *untagged;  /* of ObImapResponse */
  ObImapResponse *tagged;    /* or the greeting */
  GByteArray     *assembling;
} ObImapCmd;

/* The command engine (ob-imap-command.c). */
ObImapCmd     *_ob_imap_cmd_new             (void);
void           _ob_imap_cmd_free            (ObImapCmd            *cmd);
/* Adds a part; @trace replaces it in the trace (NULL: trace it as is). */
void           _ob_imap_cmd_add_part        (ObImapCmd            *cmd,
                                             const char           *data,
                                             gsize                 len,
                                             const char           *trace);
/* A simple command "TAG text\r\n". */
ObImapCmd     *_ob_imap_cmd_simple          (ObImapClient         *self,
                                             const char           *text,
                                             const char           *trace_text);
/* NO/BAD as an error. */
gboolean       _ob_imap_cmd_check_ok        (ObImapClient         *self,
                                             ObImapCmd            *cmd,
                                             const char           *what,
                                             GError              **error);
/* Runs @cmd (takes it); its answer is the ObImapCmd that
 * _ob_imap_run_cmd_finish() returns (a reference). */
void           _ob_imap_run_cmd             (ObImapClient         *self,
                                             ObImapCmd            *cmd,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
ObImapCmd     *_ob_imap_run_cmd_finish      (ObImapClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           _ob_imap_drop_connection     (ObImapClient         *self);
/* @cap upper case, as the server announced it. */
gboolean       _ob_imap_has_cap             (ObImapClient         *self,
                                             const char           *cap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImapCmd, _ob_imap_cmd_free)

/* Every public operation is one outer task that chains commands. */
typedef struct
{
  int        step;
  char      *username;
  char      *password;
  ObImapAuthMechanism mechanism;
  char      *mailbox;
  char      *message_id;
  GBytes    *message;
  gboolean   read_only;
  ObImapSentCopy outcome;
  char      *text;
  GError    *error;  /* kept while a step tidies up after a failure */
  /* A chained operation's next step, given each command's answer. */
  void     (*next) (GTask *task, ObImapCmd *cmd);
} ObImapOp;

/* Operations (ob-imap-client.c). */
/* A new operation's task; NULL when the connection is busy with another,
 * which the caller's callback has then been told. */
GTask         *_ob_imap_op_begin            (ObImapClient         *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data,
                                             gpointer              source_tag,
                                             void                (*next) (GTask *task, ObImapCmd *cmd));
void           _ob_imap_op_return_error     (GTask                *task,
                                             GError               *error);
void           _ob_imap_op_return_boolean   (GTask                *task);
/* The answer to a command of a chained operation goes to its next step. */
void           _ob_imap_op_cmd_cb           (GObject              *object,
                                             GAsyncResult         *result,
                                             gpointer              user_data);
/* An operation of one command, and its answer when it was OK. */
void           _ob_imap_run_single          (ObImapClient         *self,
                                             ObImapCmd            *cmd,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data,
                                             gpointer              source_tag);
ObImapCmd     *_ob_imap_finish_single       (ObImapClient         *self,
                                             GAsyncResult         *result,
                                             const char           *what,
                                             GError              **error);

/* Mailboxes (ob-imap-mailbox.c). */
/* The command that lists every mailbox. */
const char    *_ob_imap_list_command        (ObImapClient         *self);
/* The mailboxes of a LIST command's answer. */
GPtrArray     *_ob_imap_mailboxes_from_list (ObImapCmd            *cmd);
/* @mailbox as a command's argument; NULL, with @error set, when it
 * cannot be one (a name not in the server's modified UTF-7). */
char          *_ob_imap_mailbox_argument    (const char           *mailbox,
                                             GError              **error);
/* The strings of an IMAP list (a list of flags, of attributes). */
GStrv          _ob_imap_value_to_strv       (const ObImapValue    *list);

G_END_DECLS
