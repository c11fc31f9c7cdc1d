/* ob-bounce-recipient.c — the verdict on one recipient of a report,
 * whatever the report's shape. _ob_bounce_classify_recipient() weighs
 * the server's words, the status code, the report's own explanation and
 * the SMTP command that failed; _ob_bounce_apply_profiles() lets the
 * provider profiles of data/profiles.txt have the last word. A
 * complaint's recipient is added here too: it is never mailed again.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <string.h>

#include "ob-bounce-report-private.h"
#include "ob-bounce-profiles.h"

void
_ob_bounce_recipient_free (gpointer data)
{
  ObBounceRecipient *r = data;

  g_free (r->recipient);
  g_free (r->original_recipient);
  g_free (r->dsn_action);
  g_free (r->diagnostic);
  g_free (r->remote_mta);
  g_free (r);
}

/* ---- classification of one recipient ---------------------------------- */

static gboolean
rule_is_phrase (const char *rule)
{
  return rule != NULL && g_str_has_prefix (rule, "phrase:");
}

/* A status that says something precise ("5.1.1", not "5.0.0" or "5.5.0"). */
static gboolean
status_is_specific (const char *status)
{
  return status != NULL && status[0] != '\0' && !g_str_has_suffix (status, ".0");
}

static const char *
default_status (ObBounceReason reason,
                gboolean       permanent)
{
  static const struct { ObBounceReason reason; const char *status; } defaults[] = {
    { OB_BOUNCE_REASON_USERUNKNOWN, "5.1.1" }, { OB_BOUNCE_REASON_HOSTUNKNOWN, "5.1.2" },
    { OB_BOUNCE_REASON_HASMOVED, "5.1.6" }, { OB_BOUNCE_REASON_MAILBOXFULL, "5.2.2" },
    { OB_BOUNCE_REASON_MESGTOOBIG, "5.3.4" }, { OB_BOUNCE_REASON_EXCEEDLIMIT, "5.2.3" },
    { OB_BOUNCE_REASON_SUSPEND, "5.2.1" }, { OB_BOUNCE_REASON_FILTERED, "5.2.1" },
    { OB_BOUNCE_REASON_NOTACCEPT, "5.1.10" }, { OB_BOUNCE_REASON_EXPIRED, "4.4.7" },
    { OB_BOUNCE_REASON_NETWORKERROR, "5.4.0" }, { OB_BOUNCE_REASON_SYSTEMERROR, "5.3.0" },
    { OB_BOUNCE_REASON_SYSTEMFULL, "5.3.1" }, { OB_BOUNCE_REASON_NORELAYING, "5.7.1" },
    { OB_BOUNCE_REASON_BLOCKED, "5.7.1" }, { OB_BOUNCE_REASON_SPAMDETECTED, "5.7.1" },
    { OB_BOUNCE_REASON_POLICYVIOLATION, "5.7.0" }, { OB_BOUNCE_REASON_REJECTED, "5.7.1" },
    { OB_BOUNCE_REASON_SECURITYERROR, "5.7.0" }, { OB_BOUNCE_REASON_AUTHFAILURE, "5.7.26" },
    { OB_BOUNCE_REASON_REQUIREPTR, "5.7.25" }, { OB_BOUNCE_REASON_VIRUSDETECTED, "5.7.1" },
    { OB_BOUNCE_REASON_CONTENTERROR, "5.6.0" }, { OB_BOUNCE_REASON_SYNTAXERROR, "5.5.2" },
    { OB_BOUNCE_REASON_MAILERERROR, "5.3.0" }, { OB_BOUNCE_REASON_TOOMANYCONN, "4.7.0" },
    { OB_BOUNCE_REASON_SPEEDING, "4.7.0" }, { OB_BOUNCE_REASON_BADREPUTATION, "5.7.1" },
    { OB_BOUNCE_REASON_NOTCOMPLIANTRFC, "5.7.1" }, { OB_BOUNCE_REASON_FAILEDSTARTTLS, "5.7.10" },
    { OB_BOUNCE_REASON_ONHOLD, "5.0.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (defaults[i].reason == reason)
      {
        if (!permanent && defaults[i].status[0] == '5')
          return NULL;
        return defaults[i].status;
      }
  return NULL;
}

typedef enum
{
  PHASE_NONE,
  PHASE_CONNECT,
  PHASE_MAIL,
  PHASE_RCPT,
  PHASE_DATA,
} Phase;

/* Which SMTP command the failure answered, from the report's wording
 * (normalised, ob_bounce_normalize_text()):
 * the one mentioned last wins (a transcript ends with the failing one).
 * Every phrase holds one of a few words; the phrases of a word absent
 * from the text are not looked for. */
static Phase
detect_phase (const char *norm)
{
  static const char *anchors[] = { "data", "rcpt", "mail from", "sender was", "connection", "helo", "ehlo" };
  enum { A_DATA, A_RCPT, A_MAIL, A_SENDER, A_CONNECTION, A_HELO, A_EHLO };
  static const struct { const char *phrase; Phase phase; guint anchor; } phrases[] = {
    { "in reply to end of data command", PHASE_DATA, A_DATA },
    { "in reply to data command", PHASE_DATA, A_DATA },
    { "after end of data", PHASE_DATA, A_DATA },
    { "error following data command", PHASE_DATA, A_DATA },
    { "smtp command data", PHASE_DATA, A_DATA },
    { "did not like our data", PHASE_DATA, A_DATA },
    { "did not like our final data", PHASE_DATA, A_DATA },
    { ">>> data", PHASE_DATA, A_DATA },
    { "(data)", PHASE_DATA, A_DATA },
    { "in reply to rcpt to command", PHASE_RCPT, A_RCPT },
    { "rcpt to response", PHASE_RCPT, A_RCPT },
    { "rcpt to:", PHASE_RCPT, A_RCPT },
    { "[rcpt_to]", PHASE_RCPT, A_RCPT },
    { "rcpt command", PHASE_RCPT, A_RCPT },
    { "after rcpt to", PHASE_RCPT, A_RCPT },
    { "error following rcpt command", PHASE_RCPT, A_RCPT },
    { "did not like our rcpt to", PHASE_RCPT, A_RCPT },
    { ">>> rcpt to", PHASE_RCPT, A_RCPT },
    { "in reply to mail from command", PHASE_MAIL, A_MAIL },
    { "after mail from", PHASE_MAIL, A_MAIL },
    { "did not like our mail from", PHASE_MAIL, A_MAIL },
    { ">>> mail from", PHASE_MAIL, A_MAIL },
    { "sender was rejected", PHASE_MAIL, A_SENDER },
    { "after initial connection", PHASE_CONNECT, A_CONNECTION },
    { "in reply to ehlo command", PHASE_CONNECT, A_EHLO },
    { "in reply to helo command", PHASE_CONNECT, A_HELO },
    { "after ehlo", PHASE_CONNECT, A_EHLO },
    { "after helo", PHASE_CONNECT, A_HELO },
  };
  const char *first[G_N_ELEMENTS (anchors)];
  const char *best = NULL;
  Phase phase = PHASE_NONE;
  gboolean any = FALSE;

  for (guint a = 0; a < G_N_ELEMENTS (anchors); a++)
    any |= (first[a] = strstr (norm, anchors[a])) != NULL;
  if (!any)
    return PHASE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      const char *hit;

      if (first[phrases[i].anchor] == NULL)
        continue;
      hit = strstr (norm, phrases[i].phrase);
      while (hit != NULL)
        {
          const char *next = strstr (hit + 1, phrases[i].phrase);
          if (next == NULL)
            break;
          hit = next;
        }
      if (hit != NULL && (best == NULL || hit > best))
        {
          best = hit;
          phase = phrases[i].phase;
        }
    }
  return phase;
}

/* The reason a phrase of the report's own explanation names, with the
 * server's reply (quoted in it) left out; UNDEFINED when none does. */
static ObBounceReason
context_reason (const char *norm_context,
                const char *diag)
{
  g_autofree char *norm = g_strdup (norm_context);
  gsize n = strlen (diag);
  ObBounceReason found;

  for (char *hit = n > 0 ? strstr (norm, diag) : NULL; hit != NULL; hit = strstr (hit + n, diag))
    memset (hit, ' ', n);
  return ob_bounce_match_phrase (norm, &found, NULL) ? found : OB_BOUNCE_REASON_UNDEFINED;
}

/* TRUE when the reporting MTA's own words, before the server's reply in
 * the diagnostic ("退信原因：收件人邮箱地址不存在 … 550 Mailbox not found"),
 * name @reason through one of the phrases written in the user's language
 * (the zh and intl tables): the provider's explanation to its user, its
 * reading of the reply. English words there mostly restate the reply
 * ("Invalid Address, ERROR_CODE :550 …"), which is no second opinion. */
static gboolean
own_words_confirm (const char     *diag,
                   int             reply_code,
                   ObBounceReason  reason)
{
  g_autofree char *own = NULL;
  ObBounceReason found;
  const char *rule = NULL;
  char code[8];
  const char *at;

  if (diag[0] == '\0' || reply_code <= 0)
    return FALSE;
  g_snprintf (code, sizeof code, "%d", reply_code);
  at = strstr (diag, code);
  if (at == NULL || at == diag)
    return FALSE;
  own = g_strndup (diag, at - diag);
  return ob_bounce_match_phrase (own, &found, &rule) && found == reason &&
         (g_str_has_prefix (rule, "phrase:zh:") || g_str_has_prefix (rule, "phrase:intl:"));
}

/* @text normalised, computed once into @cache; "" for NULL. */
static const char *
normalized (const char  *text,
            char       **cache)
{
  if (*cache == NULL)
    *cache = ob_bounce_normalize_text (text);
  return *cache;
}

/* Settles @primary as @r's verdict: an undecided reason becomes "on
 * hold", a missing status is derived from the reason, and the kind and
 * action follow from both. */
static void
finish_recipient (ObBounceRecipient *r,
                  ObBounceVerdict   *primary)
{
  /* Nothing precise: on hold for a person to look at — unless the report
   * says outright that it knows nothing (Postfix's "Delivery report
   * unavailable"), which stays undefined. */
  if (primary->reason == OB_BOUNCE_REASON_UNDEFINED && rule_is_phrase (primary->rule))
    ;
  else if (primary->reason == OB_BOUNCE_REASON_UNDEFINED)
    {
      primary->reason = OB_BOUNCE_REASON_ONHOLD;
      primary->rule = primary->rule ? primary->rule : "none";
    }

  if (primary->status[0] == '\0')
    {
      gboolean permanent = primary->reply_code / 100 != 4;
      const char *derived = default_status (primary->reason, permanent);

      if (derived != NULL)
        {
          g_strlcpy (primary->status, derived, sizeof primary->status);
          r->status_derived = TRUE;
        }
    }
  {
    gboolean permanent = primary->status[0] != '4' &&
                         !(primary->status[0] == '\0' && primary->reply_code / 100 == 4);
    primary->kind = ob_bounce_reason_get_kind (primary->reason, permanent);
    primary->action = ob_bounce_reason_get_action (primary->reason, permanent);
  }
  r->verdict = *primary;
}

/* Decides the reason of one recipient from, in order: a phrase in the
 * server's own diagnostic, a specific status code, a phrase in the
 * report's explanation, and the reply code. */
void
_ob_bounce_classify_recipient (ObBounceRecipient *r,
                               const char        *status,
                               int                reply_code,
                               const char        *context)
{
  ObBounceVerdict primary, secondary;
  g_autofree char *norm_diag = NULL;
  g_autofree char *norm_context = NULL;
  gboolean mailer = r->verdict.rule != NULL && g_str_equal (r->verdict.rule, "dsn:x-unix");
  ObBounceReason mailer_reason = r->verdict.reason;

  ob_bounce_classify (reply_code, status, r->diagnostic, &primary);
  if (mailer && rule_is_phrase (primary.rule))
    mailer = FALSE;
  if (mailer)
    {
      primary.reason = mailer_reason;
      primary.rule = r->verdict.rule;
      context = NULL;
    }

  if (!rule_is_phrase (primary.rule) && primary.reason != OB_BOUNCE_REASON_DELIVERED &&
      context != NULL && *context)
    {
      gboolean specific = status_is_specific (primary.status) &&
                          g_str_has_prefix (primary.rule, "status:");

      ob_bounce_classify (primary.reply_code, primary.status, context, &secondary);
      if (!specific && rule_is_phrase (secondary.rule))
        {
          primary.reason = secondary.reason;
          primary.rule = secondary.rule;
        }
      if (primary.reply_code == 0)
        primary.reply_code = secondary.reply_code;
      if (primary.status[0] == '\0')
        memcpy (primary.status, secondary.status, sizeof primary.status);
    }

  /* A delay notice that says nothing more: Sisimai's vocabulary calls a
   * message still queued after a while "expired". */
  if (r->dsn_action != NULL && g_ascii_strncasecmp (r->dsn_action, "delayed", 7) == 0 &&
      !rule_is_phrase (primary.rule) && !mailer)
    {
      primary.reason = OB_BOUNCE_REASON_EXPIRED;
      primary.rule = "dsn:delayed";
    }

  /* A temporary failure that ended as a permanent one: the retries ran out. */
  if (r->dsn_action != NULL && g_ascii_strncasecmp (r->dsn_action, "failed", 6) == 0 &&
      primary.status[0] == '4' &&
      (primary.reason == OB_BOUNCE_REASON_UNDEFINED ||
       (primary.reason == OB_BOUNCE_REASON_NETWORKERROR && r->diagnostic != NULL &&
        strstr (r->diagnostic, "timed out") != NULL)))
    {
      primary.reason = OB_BOUNCE_REASON_EXPIRED;
      primary.rule = "dsn:failed-after-retries";
    }

  /* "The user(s) account is disabled." above a relayed "550 User
   * unknown": the reporting host, which knows the mailbox, says it is
   * disabled rather than gone. */
  if (primary.reason == OB_BOUNCE_REASON_USERUNKNOWN && context != NULL && *context)
    {
      ObBounceReason stated = context_reason (normalized (context, &norm_context),
                                              normalized (r->diagnostic, &norm_diag));

      if (stated == OB_BOUNCE_REASON_SUSPEND)
        {
          primary.reason = stated;
          primary.rule = "context:mailbox-state";
        }
    }

  {
    Phase phase = detect_phase (normalized (r->diagnostic, &norm_diag));

    if (phase == PHASE_NONE)
      phase = detect_phase (normalized (context, &norm_context));
    /* An address refused only after the message was sent (at DATA) was
     * accepted at RCPT: a filter on the recipient's side, not a missing
     * mailbox. */
    if (primary.reason == OB_BOUNCE_REASON_USERUNKNOWN && rule_is_phrase (primary.rule) &&
        ((phase == PHASE_DATA && g_str_has_prefix (primary.rule, "phrase:en:") &&
          !g_str_has_suffix (primary.status, ".1.1")) ||
         /* "5.2.1 … User unknown" outside RCPT: the mailbox refused it. */
         (phase != PHASE_RCPT && g_str_has_suffix (primary.status, ".2.1")) ||
         /* "550 5.7.1 User unknown": a policy status, whatever the words. */
         (phase != PHASE_RCPT && primary.status[0] != '\0' && strncmp (primary.status + 1, ".7.", 3) == 0) ||
         /* "User unknown" relayed with neither a status nor the command it
          * answered: the far end may have refused the message rather than
          * the address (Sisimai: "filtered") — unless the reporting MTA
          * says in its own words that the address does not exist. The
          * provider that hosts the mailbox saying so is another matter:
          * see data/profiles.txt. */
         (phase == PHASE_NONE && primary.status[0] == '\0' &&
          !own_words_confirm (normalized (r->diagnostic, &norm_diag), primary.reply_code,
                              OB_BOUNCE_REASON_USERUNKNOWN))))
      {
        primary.reason = OB_BOUNCE_REASON_FILTERED;
        primary.rule = "phase:data-userunknown";
      }
    /* Refused on connecting, without a more precise reason: the
     * sending host is not welcome. */
    if (phase == PHASE_CONNECT && !rule_is_phrase (primary.rule) &&
        (primary.reason == OB_BOUNCE_REASON_ONHOLD || primary.reason == OB_BOUNCE_REASON_UNDEFINED ||
         primary.reason == OB_BOUNCE_REASON_SYSTEMERROR))
      {
        primary.reason = OB_BOUNCE_REASON_BLOCKED;
        primary.rule = "phase:connect";
      }
    /* Refused at MAIL FROM: whatever was wrong is about the sender, so a
     * "does not exist" there never condemns the recipient's address. */
    if (phase == PHASE_MAIL &&
        (ob_bounce_reason_get_kind (primary.reason, TRUE) == OB_BOUNCE_KIND_HARD ||
         ((primary.reason == OB_BOUNCE_REASON_ONHOLD || primary.reason == OB_BOUNCE_REASON_UNDEFINED ||
           primary.reason == OB_BOUNCE_REASON_SYSTEMERROR || primary.reason == OB_BOUNCE_REASON_SECURITYERROR ||
           primary.reason == OB_BOUNCE_REASON_BLOCKED) && !rule_is_phrase (primary.rule))))
      {
        primary.reason = OB_BOUNCE_REASON_REJECTED;
        primary.rule = "phase:mail-from";
      }
  }

  /* NTT docomo's servers (*.docomo.ne.jp) answer a sender refused by the
   * recipient's own reception filter with a generic "550 Unknown user"
   * after the message (DATA), and "552 Too many recipients" when one
   * session carried more than they take from one sender. */
  if (ob_bounce_host_in_domain (r->remote_mta, "docomo.ne.jp"))
    {
      Phase phase = detect_phase (normalized (context, &norm_context));
      const char *diag = normalized (r->diagnostic, &norm_diag);

      if (strstr (diag, "552 too many recipients") != NULL)
        {
          primary.reason = OB_BOUNCE_REASON_TOOMANYCONN;
          primary.rule = "remote:docomo-too-many-recipients";
        }
      else if (phase == PHASE_DATA && !g_str_has_suffix (primary.status, ".1.1") &&
               (primary.reason == OB_BOUNCE_REASON_FILTERED || primary.reason == OB_BOUNCE_REASON_USERUNKNOWN))
        {
          primary.reason = OB_BOUNCE_REASON_REJECTED;
          primary.rule = "remote:docomo-data";
        }
    }

  finish_recipient (r, &primary);
}

/* ---- complaints ------------------------------------------------------------ */

void
_ob_bounce_add_feedback_recipient (ObBounceReport *report,
                                   char           *recipient,
                                   char           *remote_mta,
                                   char           *diagnostic,
                                   const char     *rule)
{
  ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

  r->recipient = recipient;
  r->remote_mta = remote_mta;
  r->diagnostic = diagnostic;
  r->verdict.reason = OB_BOUNCE_REASON_FEEDBACK;
  r->verdict.rule = rule;
  r->verdict.kind = OB_BOUNCE_KIND_NONE;
  r->verdict.action = OB_BOUNCE_ACTION_SUPPRESS;
  g_ptr_array_add (report->recipients, r);
  report->is_feedback = TRUE;
  report->is_bounce = TRUE;
}

/* ---- provider profiles ----------------------------------------------------- */

/* Lets the reporting system or the recipient's provider have the last
 * word where its wording is known (data/profiles.txt): their "Mailbox not
 * found" about their own mailbox is the address, whatever the command. */
void
_ob_bounce_apply_profiles (ObBounceReport *report,
                           GMimeObject    *headers,
                           const char     *context)
{
  for (guint i = 0; i < report->recipients->len; i++)
    {
      ObBounceRecipient *r = g_ptr_array_index (report->recipients, i);
      ObBounceOrigin origin = { headers, report->from, r->recipient, r->remote_mta };
      ObBounceVerdict verdict = r->verdict;

      if (verdict.reason == OB_BOUNCE_REASON_DELIVERED || verdict.reason == OB_BOUNCE_REASON_FEEDBACK ||
          verdict.reason == OB_BOUNCE_REASON_VACATION)
        continue;
      if (!ob_bounce_profile_decide (&origin, r->diagnostic, context, &verdict.reason, &verdict.rule))
        continue;
      if (r->status_derived)
        {
          verdict.status[0] = '\0';
          r->status_derived = FALSE;
        }
      finish_recipient (r, &verdict);
    }
}
