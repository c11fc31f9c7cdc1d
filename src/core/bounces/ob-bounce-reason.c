/* ob-bounce-reason.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-bounce-reason.h"

static const struct
{
  const char *name;
  const char *description;
} reasons[OB_BOUNCE_REASON_LAST] = {
  [OB_BOUNCE_REASON_UNDEFINED] = { "undefined", N_("The reason could not be determined") },
  [OB_BOUNCE_REASON_USERUNKNOWN] = { "userunknown", N_("The mailbox does not exist") },
  [OB_BOUNCE_REASON_HOSTUNKNOWN] = { "hostunknown", N_("The recipient’s domain does not exist or takes no mail") },
  [OB_BOUNCE_REASON_HASMOVED] = { "hasmoved", N_("The recipient has moved to another address") },
  [OB_BOUNCE_REASON_MAILBOXFULL] = { "mailboxfull", N_("The recipient’s mailbox is full") },
  [OB_BOUNCE_REASON_FILTERED] = { "filtered", N_("The recipient’s server or filter refused the message") },
  [OB_BOUNCE_REASON_REJECTED] = { "rejected", N_("The recipient’s server refused your sending address") },
  [OB_BOUNCE_REASON_BLOCKED] = { "blocked", N_("Your sending server or IP address is blocked") },
  [OB_BOUNCE_REASON_SPAMDETECTED] = { "spamdetected", N_("The message was taken for spam") },
  [OB_BOUNCE_REASON_POLICYVIOLATION] = { "policyviolation", N_("The message broke the recipient’s policy") },
  [OB_BOUNCE_REASON_VIRUSDETECTED] = { "virusdetected", N_("A virus was found in the message") },
  [OB_BOUNCE_REASON_EXPIRED] = { "expired", N_("Delivery was retried until it timed out") },
  [OB_BOUNCE_REASON_SUSPEND] = { "suspend", N_("The recipient’s mailbox is disabled") },
  [OB_BOUNCE_REASON_TOOMANYCONN] = { "toomanyconn", N_("Too many connections from your server") },
  [OB_BOUNCE_REASON_SPEEDING] = { "speeding", N_("You are sending too fast") },
  [OB_BOUNCE_REASON_EXCEEDLIMIT] = { "exceedlimit", N_("The message exceeds a limit of the recipient") },
  [OB_BOUNCE_REASON_MESGTOOBIG] = { "mesgtoobig", N_("The message is too big") },
  [OB_BOUNCE_REASON_NETWORKERROR] = { "networkerror", N_("A network or DNS error on the way") },
  [OB_BOUNCE_REASON_NOTACCEPT] = { "notaccept", N_("The recipient’s domain accepts no mail") },
  [OB_BOUNCE_REASON_SECURITYERROR] = { "securityerror", N_("A security or authentication error") },
  [OB_BOUNCE_REASON_FAILEDSTARTTLS] = { "failedstarttls", N_("The encrypted connection (STARTTLS) failed") },
  [OB_BOUNCE_REASON_SYSTEMERROR] = { "systemerror", N_("An error on the recipient’s mail system") },
  [OB_BOUNCE_REASON_SYSTEMFULL] = { "systemfull", N_("The recipient’s mail system is out of space") },
  [OB_BOUNCE_REASON_CONTENTERROR] = { "contenterror", N_("The message content was refused") },
  [OB_BOUNCE_REASON_NORELAYING] = { "norelaying", N_("The server refused to relay the message") },
  [OB_BOUNCE_REASON_AUTHFAILURE] = { "authfailure", N_("SPF, DKIM or DMARC checks failed for your domain") },
  [OB_BOUNCE_REASON_BADREPUTATION] = { "badreputation", N_("Your sending IP or domain has a poor reputation") },
  [OB_BOUNCE_REASON_REQUIREPTR] = { "requireptr", N_("Your sending IP has no reverse DNS (PTR) record") },
  [OB_BOUNCE_REASON_NOTCOMPLIANTRFC] = { "notcompliantrfc", N_("The message does not follow the mail standards") },
  [OB_BOUNCE_REASON_SYNTAXERROR] = { "syntaxerror", N_("An SMTP syntax error") },
  [OB_BOUNCE_REASON_MAILERERROR] = { "mailererror", N_("The recipient’s mail program failed") },
  [OB_BOUNCE_REASON_ONHOLD] = { "onhold", N_("The failure is not specific enough to act on") },
  [OB_BOUNCE_REASON_VACATION] = { "vacation", N_("An automatic reply (out of office)") },
  [OB_BOUNCE_REASON_FEEDBACK] = { "feedback", N_("The recipient reported the message as spam") },
  [OB_BOUNCE_REASON_DELIVERED] = { "delivered", N_("The message was delivered") },
};

const char *
ob_bounce_reason_to_string (ObBounceReason reason)
{
  if ((guint) reason >= OB_BOUNCE_REASON_LAST)
    reason = OB_BOUNCE_REASON_UNDEFINED;
  return reasons[reason].name;
}

gboolean
ob_bounce_reason_from_string (const char     *name,
                              ObBounceReason *reason)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < OB_BOUNCE_REASON_LAST; i++)
    if (g_ascii_strcasecmp (reasons[i].name, name) == 0)
      {
        if (reason != NULL)
          *reason = i;
        return TRUE;
      }
  return FALSE;
}

/* A translated sentence a salesperson understands. */
const char *
ob_bounce_reason_describe (ObBounceReason reason)
{
  if ((guint) reason >= OB_BOUNCE_REASON_LAST)
    reason = OB_BOUNCE_REASON_UNDEFINED;
  return _(reasons[reason].description);
}

const char *
ob_bounce_kind_to_string (ObBounceKind kind)
{
  switch (kind)
    {
    case OB_BOUNCE_KIND_HARD: return "hard";
    case OB_BOUNCE_KIND_SOFT: return "soft";
    case OB_BOUNCE_KIND_NONE:
    default: return "none";
    }
}

const char *
ob_bounce_action_to_string (ObBounceAction action)
{
  switch (action)
    {
    case OB_BOUNCE_ACTION_RETRY: return "retry";
    case OB_BOUNCE_ACTION_SUPPRESS: return "suppress";
    case OB_BOUNCE_ACTION_PAUSE_SENDER: return "pause-sender";
    case OB_BOUNCE_ACTION_NONE:
    default: return "none";
    }
}

/* Reasons that say something about the sender (its IP, domain,
 * authentication, pace or message), not about the recipient's address. */
gboolean
ob_bounce_reason_is_sender_side (ObBounceReason reason)
{
  switch (reason)
    {
    case OB_BOUNCE_REASON_BLOCKED:
    case OB_BOUNCE_REASON_SPAMDETECTED:
    case OB_BOUNCE_REASON_BADREPUTATION:
    case OB_BOUNCE_REASON_AUTHFAILURE:
    case OB_BOUNCE_REASON_REQUIREPTR:
    case OB_BOUNCE_REASON_NORELAYING:
    case OB_BOUNCE_REASON_TOOMANYCONN:
    case OB_BOUNCE_REASON_SPEEDING:
    case OB_BOUNCE_REASON_REJECTED:
    case OB_BOUNCE_REASON_POLICYVIOLATION:
    case OB_BOUNCE_REASON_SECURITYERROR:
    case OB_BOUNCE_REASON_FAILEDSTARTTLS:
    case OB_BOUNCE_REASON_VIRUSDETECTED:
    case OB_BOUNCE_REASON_CONTENTERROR:
    case OB_BOUNCE_REASON_NOTCOMPLIANTRFC:
    case OB_BOUNCE_REASON_MESGTOOBIG:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Hard only when the address itself is bad; "notaccept" (null MX, a domain
 * that takes no mail) only when the failure is permanent. */
ObBounceKind
ob_bounce_reason_get_kind (ObBounceReason reason,
                           gboolean       permanent)
{
  switch (reason)
    {
    case OB_BOUNCE_REASON_USERUNKNOWN:
    case OB_BOUNCE_REASON_HOSTUNKNOWN:
    case OB_BOUNCE_REASON_HASMOVED:
      return OB_BOUNCE_KIND_HARD;
    case OB_BOUNCE_REASON_NOTACCEPT:
      return permanent ? OB_BOUNCE_KIND_HARD : OB_BOUNCE_KIND_SOFT;
    case OB_BOUNCE_REASON_DELIVERED:
    case OB_BOUNCE_REASON_VACATION:
    case OB_BOUNCE_REASON_FEEDBACK:
      return OB_BOUNCE_KIND_NONE;
    default:
      return OB_BOUNCE_KIND_SOFT;
    }
}

ObBounceAction
ob_bounce_reason_get_action (ObBounceReason reason,
                             gboolean       permanent)
{
  if (ob_bounce_reason_get_kind (reason, permanent) == OB_BOUNCE_KIND_HARD)
    return OB_BOUNCE_ACTION_SUPPRESS;
  /* A complaint: never mail that person again. */
  if (reason == OB_BOUNCE_REASON_FEEDBACK)
    return OB_BOUNCE_ACTION_SUPPRESS;
  if (reason == OB_BOUNCE_REASON_DELIVERED || reason == OB_BOUNCE_REASON_VACATION)
    return OB_BOUNCE_ACTION_NONE;
  if (ob_bounce_reason_is_sender_side (reason))
    return OB_BOUNCE_ACTION_PAUSE_SENDER;
  return OB_BOUNCE_ACTION_RETRY;
}
