/* ob-bounce-report.c — bounce mails: RFC 3464 delivery status
 * notifications, ARF complaint reports, RFC 3834 auto-replies, and the
 * free-text reports of the MTAs that write neither.
 *
 * This file holds the public API: it decides what a mail is
 * (report_from_object()) and reads mails from memory, a file, an mbox or
 * a maildir. The steps it takes live beside it and share
 * ob-bounce-report-private.h: ob-bounce-mime.c takes the mail apart,
 * ob-bounce-dsn.c reads RFC 3464 fields, ob-bounce-text.c free-text
 * reports, ob-bounce-json.c Amazon SES notifications,
 * ob-bounce-feedback.c ARF complaint reports, and ob-bounce-recipient.c
 * settles the verdict on each recipient.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ob-bounce-report-private.h"
#include "ob-bounces.h"

void
ob_bounce_report_free (ObBounceReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->recipients, g_ptr_array_unref);
  g_clear_pointer (&report->candidate_message_ids, g_ptr_array_unref);
  g_clear_pointer (&report->references, g_ptr_array_unref);
  g_free (report->original_message_id);
  g_free (report->original_from);
  g_free (report->original_to);
  g_free (report->original_subject);
  g_free (report->message_id);
  g_free (report->from);
  g_free (report->to);
  g_free (report->subject);
  g_free (report->in_reply_to);
  g_free (report->first_lines);
  g_free (report);
}

char *
_ob_bounce_strip_angles (const char *id)
{
  g_autofree char *copy = NULL;
  char *s;

  if (id == NULL)
    return NULL;
  copy = g_strdup (id);
  s = g_strstrip (copy);
  if (*s == '<')
    s++;
  if (*s && s[strlen (s) - 1] == '>')
    s[strlen (s) - 1] = '\0';
  s = g_strstrip (s);
  return *s ? g_strdup (s) : NULL;
}

/* ---- the signs of a bounce, an auto-reply or a list's notice ------------ */

static gboolean
text_has_any (const char  *text,
              const char **phrases,
              gsize        n)
{
  g_autofree char *norm = NULL;

  if (text == NULL)
    return FALSE;
  norm = ob_bounce_normalize_text (text);
  for (gsize i = 0; i < n; i++)
    if (strstr (norm, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
subject_is_bounce (const char *subject)
{
  static const char *phrases[] = {
    "undeliver", "undelivered", "delivery status notification", "delivery failure",
    "delivery failed", "delivery has failed", "failure notice", "returned mail",
    "mail delivery failed", "mail delivery system", "non remis", "non-remis", "unzustellbar",
    "nicht zustellbar", "delivery notification", "could not be delivered", "mail failure",
    "delivery problem", "delivery status", "postmaster notify", "mail system error",
    "warning: could not send", "delayed", "returned to sender", "退信", "系统退信",
    "投递失败", "发送失败", "未送达", "bounce", "failed delivery", "nondeliverable",
    "not delivered", "error sending", "mail could not", "message could not",
    "there was an error sending", "problem delivering", "delivery report",
    "mail error", "メールエラー", "エラー通知", "配信エラー", "不達", "邮件退回", "退回",
    "无法投递", "發送失敗", "退信通知",
  };
  return text_has_any (subject, phrases, G_N_ELEMENTS (phrases));
}

/* Subjects that say "automatic reply" outright. Weaker words ("away",
 * "vacation") are left to the RFC 3834 headers: a person may write them. */
static gboolean
subject_is_auto_reply (const char *subject)
{
  static const char *phrases[] = {
    "out of office", "out of the office", "automatic reply", "auto reply", "autoreply",
    "auto-reply", "auto response", "autoresponse", "automatische antwort", "abwesenheitsnotiz",
    "respuesta automática", "réponse automatique", "risposta automatica", "resposta automática",
    "自动回复", "自動回覆", "自动答复", "自動返信", "자동 응답", "автоответ",
  };
  return text_has_any (subject, phrases, G_N_ELEMENTS (phrases));
}

/* The explanation of a report that does not say what it is in its headers. */
static gboolean
body_says_undelivered (const char *text)
{
  static const char *phrases[] = {
    "could not be delivered", "couldn't be delivered", "was not delivered", "undeliverable",
    "delivery has failed", "delivery failed", "failed to deliver", "unable to deliver",
    "not be delivered", "送信できませんでした", "未能送达", "无法投递", "投递失败", "退信",
  };
  g_autofree char *head = g_strndup (text ? text : "", 2048);

  return text_has_any (head, phrases, G_N_ELEMENTS (phrases));
}

/* "neko-admin@example.org", "owner-neko@…": the address a list manager
 * writes its notices from (a post to the list comes from its author). */
static gboolean
from_list_admin (const char *from)
{
  g_autofree char *address = _ob_bounce_first_address (from);

  return address != NULL && (strstr (address, "-admin@") != NULL || g_str_has_prefix (address, "owner-") ||
                             strstr (address, "-owner@") != NULL);
}

/* ---- entry points ---------------------------------------------------------------- */

static void
add_candidate (ObBounceReport *report,
               const char     *id)
{
  g_autofree char *clean = _ob_bounce_strip_angles (id);

  if (clean == NULL || strchr (clean, ' ') != NULL)
    return;
  for (guint i = 0; i < report->candidate_message_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (report->candidate_message_ids, i), clean))
      return;
  g_ptr_array_add (report->candidate_message_ids, g_steal_pointer (&clean));
}

static void
add_id_list (GPtrArray  *array,
             const char *value)
{
  const char *p = value;

  while (p != NULL && (p = strchr (p, '<')) != NULL)
    {
      const char *e = strchr (p, '>');

      if (e == NULL)
        break;
      if (e - p > 1)
        g_ptr_array_add (array, g_strndup (p + 1, e - p - 1));
      p = e + 1;
    }
}

static char *
decoded_header (GMimeObject *object,
                const char  *name)
{
  const char *raw = g_mime_object_get_header (object, name);

  if (raw == NULL)
    return NULL;
  return g_mime_utils_header_decode_text (NULL, raw);
}

/* Reads a mail whose headers are those of @object and whose content is
 * @body: a message and its MIME part, or one part that is both (a mail
 * parsed as a part: GMime then spends nothing on the addresses and dates
 * of the top-level headers, which are read here as text anyway). */
static ObBounceReport *
report_from_object (GMimeObject *object,
                    GMimeObject *body)
{
  ObBounceReport *report;
  ObBounceWalk walk = { 0 };
  g_autofree char *auto_submitted = NULL;
  const char *marker = NULL;
  gboolean from_daemon, from_mailer_daemon, bounce_subject, auto_reply_hint;
  gboolean has_code;
  const char *dsn_in_text;
  gboolean null_sender;
  gboolean has_returned;
  gboolean from_robot;

  report = g_new0 (ObBounceReport, 1);
  report->recipients = g_ptr_array_new_with_free_func (_ob_bounce_recipient_free);
  report->candidate_message_ids = g_ptr_array_new_with_free_func (g_free);
  report->references = g_ptr_array_new_with_free_func (g_free);

  report->from = decoded_header (object, "From");
  report->to = decoded_header (object, "To");
  report->subject = decoded_header (object, "Subject");
  report->message_id = _ob_bounce_strip_angles (g_mime_object_get_header (object, "Message-ID"));
  report->in_reply_to = _ob_bounce_strip_angles (g_mime_object_get_header (object, "In-Reply-To"));
  add_id_list (report->references, g_mime_object_get_header (object, "References"));
  auto_submitted = g_strdup (g_mime_object_get_header (object, "Auto-Submitted"));
  {
    const char *return_path = g_mime_object_get_header (object, "Return-Path");
    g_autofree char *rp = return_path ? g_strstrip (g_strdup (return_path)) : NULL;

    null_sender = rp != NULL && (g_str_equal (rp, "<>") || g_str_equal (rp, ""));
  }

  walk.human = g_string_new (NULL);
  walk.dsn = g_string_new (NULL);
  walk.feedback = g_string_new (NULL);
  walk.returned = g_string_new (NULL);
  if (body != NULL)
    _ob_bounce_walk_object (&walk, body);

  /* A free-text report usually carries the original after a marker line. */
  marker = _ob_bounce_find_returned_marker (walk.human->str);
  if (marker != NULL)
    {
      if (walk.returned->len == 0)
        g_string_append (walk.returned, marker);
      g_string_truncate (walk.human, marker - walk.human->str);
    }

  if (walk.returned_message != NULL)
    {
      GMimeObject *orig = GMIME_OBJECT (walk.returned_message);

      report->original_message_id = _ob_bounce_strip_angles (g_mime_object_get_header (orig, "Message-ID"));
      report->original_from = decoded_header (orig, "From");
      report->original_to = decoded_header (orig, "To");
      report->original_subject = decoded_header (orig, "Subject");
    }
  else if (walk.returned->len > 0)
    {
      g_autofree char *id = _ob_bounce_header_in_text (walk.returned->str, "Message-ID");
      g_autofree char *subject = _ob_bounce_header_in_text (walk.returned->str, "Subject");

      if (id == NULL)
        id = _ob_bounce_header_in_text (walk.returned->str, "Message-Id");
      report->original_message_id = _ob_bounce_strip_angles (id);
      report->original_from = _ob_bounce_header_in_text (walk.returned->str, "From");
      report->original_to = _ob_bounce_header_in_text (walk.returned->str, "To");
      if (subject != NULL)
        report->original_subject = g_mime_utils_header_decode_text (NULL, subject);
    }
  if (report->original_message_id == NULL && walk.human->len > 0)
    {
      g_autofree char *id = _ob_bounce_header_in_text (walk.human->str, "Message-ID");

      report->original_message_id = _ob_bounce_strip_angles (id);
    }

  report->first_lines = g_strndup (walk.human->str, MIN (walk.human->len, 2048));
  has_returned = walk.returned_message != NULL || walk.returned->len > 0;

  {
    g_autofree char *from_address = _ob_bounce_first_address (report->from);

    g_autofree char *from_lower = report->from ? g_ascii_strdown (report->from, -1) : NULL;

    /* "MAILER-DAEMON <>" has no address: the name says it. */
    from_mailer_daemon = (from_address != NULL && strstr (from_address, "daemon") != NULL) ||
                         (from_address == NULL && from_lower != NULL && strstr (from_lower, "mailer-daemon") != NULL);
    from_daemon = from_mailer_daemon || (from_address != NULL && _ob_bounce_is_daemon_address (from_address));
    from_robot = from_daemon ||
                 (from_address != NULL && (g_str_has_prefix (from_address, "no-reply") ||
                                           g_str_has_prefix (from_address, "noreply") ||
                                           g_str_has_prefix (from_address, "bounce")));
  }
  bounce_subject = subject_is_bounce (report->subject);
  auto_reply_hint = (auto_submitted != NULL && g_ascii_strncasecmp (auto_submitted, "no", 2) != 0) ||
                    g_mime_object_get_header (object, "X-Autoreply") != NULL ||
                    g_mime_object_get_header (object, "X-Autorespond") != NULL ||
                    g_ascii_strcasecmp (g_mime_object_get_header (object, "Precedence") ?
                                        g_mime_object_get_header (object, "Precedence") : "", "auto_reply") == 0;
  {
    char st[16];
    has_code = ob_bounce_find_status (walk.human->str, st) || ob_bounce_find_reply_code (walk.human->str) != 0;
  }

  if (walk.feedback->len > 0)
    _ob_bounce_parse_feedback (report, walk.feedback->str);
  else if (g_mime_object_get_header (object, "X-Apple-Unsubscribe") != NULL)
    {
      /* Apple Mail's "unsubscribe" button mails the List-Unsubscribe
       * address: a request never to be mailed again. */
      _ob_bounce_add_feedback_recipient (report, _ob_bounce_first_address (report->from), NULL,
                                         g_strdup ("unsubscribe"), "apple:unsubscribe");
    }
  else if (_ob_bounce_parse_json_notification (report, walk.human->str))
    ;
  else if (walk.dsn->len == 0 && (dsn_in_text = _ob_bounce_find_inline_dsn (walk.human->str)) != NULL)
    {
      /* Delivery-status fields pasted into the text (a flattened report). */
      g_autofree char *fields = g_strdup (dsn_in_text);

      g_string_truncate (walk.human, dsn_in_text - walk.human->str);
      _ob_bounce_parse_dsn (report, fields, walk.human->str);
      if (report->recipients->len == 0)
        _ob_bounce_parse_free_text (report, walk.human->str, g_mime_object_get_header (object, "X-Failed-Recipients"));
      report->is_bounce = report->recipients->len > 0;
    }
  else if (walk.dsn->len > 0)
    {
      _ob_bounce_parse_dsn (report, walk.dsn->str, walk.human->str);
      if (report->recipients->len == 0)
        _ob_bounce_parse_free_text (report, walk.human->str, g_mime_object_get_header (object, "X-Failed-Recipients"));
      report->is_bounce = report->recipients->len > 0;
    }
  else if (g_ascii_strncasecmp (g_mime_object_get_header (object, "X-MLServer") ?
                                g_mime_object_get_header (object, "X-MLServer") : "", "fml", 3) == 0 &&
           walk.dsn->len == 0 && from_list_admin (report->from))
    {
      /* fml, a mailing-list manager, returns a post it refuses with a
       * notice from the list's admin naming the list: the list address is
       * the recipient that failed. */
      g_autofree char *norm = ob_bounce_normalize_text (report->first_lines);
      ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

      r->recipient = ob_bounce_match_phrase (norm, NULL, NULL) ? _ob_bounce_first_address (walk.human->str) : NULL;
      r->diagnostic = g_strstrip (g_strndup (walk.human->str, MIN (walk.human->len, 1024)));
      if (r->recipient != NULL)
        {
          _ob_bounce_classify_recipient (r, NULL, 0, NULL);
          g_ptr_array_add (report->recipients, r);
        }
      else
        _ob_bounce_recipient_free (r);
      report->is_bounce = report->recipients->len > 0;
    }
  else if (!from_daemon && !bounce_subject &&
           (auto_reply_hint || subject_is_auto_reply (report->subject)))
    {
      report->is_auto_reply = TRUE;
    }
  else if (!from_mailer_daemon && auto_reply_hint && !has_code)
    {
      /* RFC 3834 marks it an automatic reply, and it holds no server
       * reply: a notice from a person's or a site's robot, not a bounce. */
      report->is_auto_reply = TRUE;
    }
  else if ((from_daemon && (bounce_subject || has_code || null_sender ||
                            g_mime_object_get_header (object, "X-Failed-Recipients") != NULL ||
                            _ob_bounce_find_returned_marker (report->first_lines ? report->first_lines : "") != NULL ||
                            marker != NULL)) ||
           (from_robot && body_says_undelivered (walk.human->str)) ||
           (bounce_subject && (has_code || null_sender || auto_reply_hint || has_returned ||
                               g_mime_object_get_header (object, "X-Failed-Recipients") != NULL)))
    {
      /* A person's "Re: shipment delayed" is no bounce: a subject alone
       * needs a server's reply code, an empty sender or a robot's header. */
      _ob_bounce_parse_free_text (report, walk.human->str, g_mime_object_get_header (object, "X-Failed-Recipients"));
      report->is_bounce = report->recipients->len > 0;
    }

  if (report->is_bounce)
    _ob_bounce_apply_profiles (report, object, walk.human->str);

  if (report->is_auto_reply)
    {
      ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

      r->recipient = _ob_bounce_first_address (report->from);
      r->verdict.reason = OB_BOUNCE_REASON_VACATION;
      r->verdict.rule = "rfc3834:auto-reply";
      g_ptr_array_add (report->recipients, r);
    }

  /* Candidates for finding what was sent, best first. */
  add_candidate (report, report->original_message_id);
  if (report->in_reply_to != NULL)
    add_candidate (report, report->in_reply_to);
  for (guint i = 0; i < report->references->len; i++)
    add_candidate (report, g_ptr_array_index (report->references, i));

  g_clear_object (&walk.returned_message);
  g_string_free (walk.human, TRUE);
  g_string_free (walk.dsn, TRUE);
  g_string_free (walk.feedback, TRUE);
  g_string_free (walk.returned, TRUE);
  return report;
}

/* Reads @message: a bounce, a complaint, an auto-reply or none of these.
 * Never fails: what cannot be understood is reported as not a bounce. */
ObBounceReport *
ob_bounce_report_parse (GMimeMessage *message)
{
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  return report_from_object (GMIME_OBJECT (message), g_mime_message_get_mime_part (message));
}

/* One message from @parser, read as a MIME part (see report_from_object());
 * NULL when there is none. */
static ObBounceReport *
parse_one_message (GMimeParser *parser)
{
  GMimeObject *part = g_mime_parser_construct_part (parser, NULL);
  ObBounceReport *report;

  if (part == NULL)
    return NULL;
  report = report_from_object (part, part);
  g_object_unref (part);
  return report;
}

/* Parses one RFC 5322 message from memory. */
ObBounceReport *
ob_bounce_report_parse_data (const char  *data,
                             gsize        length,
                             GError     **error)
{
  GMimeStream *stream;
  GMimeParser *parser;
  ObBounceReport *report;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  stream = g_mime_stream_mem_new_with_buffer (data, length);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  report = parse_one_message (parser);
  g_object_unref (parser);
  g_object_unref (stream);
  if (report == NULL)
    g_set_error_literal (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_PARSE,
                         _("This is not an email message: it has no readable headers"));
  return report;
}

static gboolean
parse_stream_into (GMimeStream  *stream,
                   gboolean      mbox,
                   GPtrArray    *reports)
{
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  gboolean any = FALSE;

  g_mime_parser_set_format (parser, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  if (!mbox)
    {
      ObBounceReport *report = parse_one_message (parser);

      if (report != NULL)
        g_ptr_array_add (reports, report);
      any = report != NULL;
    }
  /* The "From " lines of a mailbox are only understood message by
   * message. */
  else
    do
      {
        GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

        if (message == NULL)
          break;
        g_ptr_array_add (reports, ob_bounce_report_parse (message));
        g_object_unref (message);
        any = TRUE;
      }
    while (!g_mime_parser_eos (parser));
  g_object_unref (parser);
  return any;
}

/* Files up to this size are read into memory in one read(); larger ones
 * (a big mailbox) are mapped or streamed. */
#define READ_WHOLE_MAX (16 * 1024 * 1024)

/* Parses the open file @fd (of @size bytes), which it closes. */
static gboolean
parse_fd (int         fd,
          goffset     size,
          const char *path,
          GPtrArray  *reports,
          GError    **error)
{
  GMimeStream *stream = NULL;
  gboolean mbox = FALSE, ok;

  if (size >= 0 && size <= READ_WHOLE_MAX)
    {
      GByteArray *bytes = g_byte_array_sized_new ((guint) size + 1);
      gsize have = 0;

      g_byte_array_set_size (bytes, (guint) size + 1);
      /* One read more than the size says, to see the end (or a file that
       * grew meanwhile, which is then streamed from the start). */
      for (;;)
        {
          gssize n = read (fd, bytes->data + have, bytes->len - have);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          have += n;
          if (have == bytes->len)
            break;
        }
      if (have <= (gsize) size)
        {
          g_byte_array_set_size (bytes, (guint) have);
          mbox = have >= 5 && memcmp (bytes->data, "From ", 5) == 0;
          /* The stream owns the array: no copy. */
          stream = g_mime_stream_mem_new_with_byte_array (bytes);
          close (fd);
          fd = -1;
        }
      else
        {
          g_byte_array_unref (bytes);
          lseek (fd, 0, SEEK_SET);
        }
    }
  if (stream == NULL)
    {
      char head[5] = { 0 };

      mbox = read (fd, head, sizeof head) == sizeof head && memcmp (head, "From ", 5) == 0;
      lseek (fd, 0, SEEK_SET);
      /* Mapped when possible (one system call, however large the mailbox);
       * the stream closes the file. */
      stream = g_mime_stream_mmap_new (fd, PROT_READ, MAP_PRIVATE);
      if (stream == NULL)
        stream = g_mime_stream_fs_new (fd);
      else
        g_mime_stream_mmap_set_owner (GMIME_STREAM_MMAP (stream), TRUE);
    }
  ok = parse_stream_into (stream, mbox, reports);
  g_object_unref (stream);
  if (!ok)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_PARSE,
                   _("%s is not an email message or mailbox: it has no readable headers"), name);
    }
  return ok;
}

static int
open_file (const char  *path,
           GStatBuf    *st,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fstat (fd, st) != 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (path);

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot open “%s”: %s"), name, g_strerror (saved));
      return -1;
    }
  return fd;
}

static gboolean
parse_one_file (const char  *path,
                GPtrArray   *reports,
                GError     **error)
{
  GStatBuf st;
  int fd = open_file (path, &st, error);

  if (fd < 0)
    return FALSE;
  return parse_fd (fd, S_ISREG (st.st_mode) ? (goffset) st.st_size : -1, path, reports, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Reads @path: one message, an mbox (it starts with "From "), or a maildir
 * folder (cur/ and new/, or the message files directly). Returns the
 * reports in order, one per message. */
GPtrArray *
ob_bounce_report_parse_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_bounce_report_free);
  static const char *subdirs[] = { "cur", "new", "." };
  gboolean maildir = FALSE;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* Opened once: fstat() tells a folder from a file. */
  fd = open_file (path, &st, error);
  if (fd < 0)
    return NULL;
  if (!S_ISDIR (st.st_mode))
    {
      if (!parse_fd (fd, S_ISREG (st.st_mode) ? (goffset) st.st_size : -1, path, reports, error))
        return NULL;
      return g_steal_pointer (&reports);
    }
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir_path = g_build_filename (path, subdirs[i], NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      GDir *dir;
      const char *name;

      if (i == 2 && maildir)
        break;
      if (!(dir = g_dir_open (dir_path, 0, NULL)))
        continue;
      maildir = maildir || i < 2;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
      g_dir_close (dir);
      g_ptr_array_sort (names, compare_names);
      for (guint k = 0; k < names->len; k++)
        {
          const char *file = g_ptr_array_index (names, k);
          g_autoptr(GError) local_error = NULL;

          if (!g_file_test (file, G_FILE_TEST_IS_REGULAR) || parse_one_file (file, reports, &local_error))
            continue;
          /* A stray file that is no mail (an index, a lock) is passed
           * over; a file that cannot be read stops the folder. */
          if (g_error_matches (local_error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_PARSE))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&reports);
}
