/* ob-dns.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OB_DNS_ERROR (ob_dns_error_quark ())

/* Errors of core/dns. Messages are translated and say what to do. */
typedef enum
{
  OB_DNS_ERROR_TIMEOUT, /* no answer in time */
  OB_DNS_ERROR_SERVFAIL, /* the server failed */
  OB_DNS_ERROR_REFUSED, /* the server refused the query */
  OB_DNS_ERROR_MALFORMED, /* the answer could not be parsed */
  OB_DNS_ERROR_NETWORK, /* the server could not be reached */
  OB_DNS_ERROR_BAD_RESOLVER, /* the resolver specification is not understood */
  OB_DNS_ERROR_BAD_NAME, /* the name cannot be put into a query */
  OB_DNS_ERROR_ZONE_SYNTAX, /* a zone file could not be read */
  OB_DNS_ERROR_UNSUPPORTED, /* the resolver cannot look up this record type */
  OB_DNS_ERROR_RECORD_SYNTAX, /* an SPF, DKIM or DMARC record is not valid */
} ObDnsError;

GQuark ob_dns_error_quark (void);

/* Record types the codec understands; any other is kept as raw rdata. */
typedef enum
{
  OB_DNS_TYPE_A     = 1,
  OB_DNS_TYPE_NS    = 2,
  OB_DNS_TYPE_CNAME = 5,
  OB_DNS_TYPE_SOA   = 6,
  OB_DNS_TYPE_PTR   = 12,
  OB_DNS_TYPE_MX    = 15,
  OB_DNS_TYPE_TXT   = 16,
  OB_DNS_TYPE_AAAA  = 28,
  OB_DNS_TYPE_OPT   = 41,
  OB_DNS_TYPE_SPF   = 99,
} ObDnsType;

typedef enum
{
  OB_DNS_RCODE_NOERROR  = 0,
  OB_DNS_RCODE_FORMERR  = 1,
  OB_DNS_RCODE_SERVFAIL = 2,
  OB_DNS_RCODE_NXDOMAIN = 3,
  OB_DNS_RCODE_NOTIMP   = 4,
  OB_DNS_RCODE_REFUSED  = 5,
} ObDnsRcode;

/* One resource record. Which fields are set depends on the type:
 *   A, AAAA             target = the address as text
 *   NS, CNAME, PTR      target = the name
 *   MX                  preference, target = the exchange
 *   TXT, SPF            strings (each character-string), text = joined without
 *                       separator (RFC 7208 §3.3)
 *   SOA                 target = mname, text = rname, soa[] = serial, refresh,
 *                       retry, expire, minimum
 * rdata always holds the raw record data (the only data for other types). */
typedef struct
{
  char    *name;
  guint16  type;
  guint16  klass;
  guint32  ttl;
  char    *target;
  char    *text;
  char   **strings;
  guint16  preference;
  guint32  soa[5];
  GBytes  *rdata;
} ObDnsRecord;

#define OB_TYPE_DNS_RECORD (ob_dns_record_get_type ())
GType        ob_dns_record_get_type (void) G_GNUC_CONST;
ObDnsRecord *ob_dns_record_new      (const char        *name,
                                     guint16            type,
                                     guint32            ttl);
ObDnsRecord *ob_dns_record_copy     (const ObDnsRecord *record);
void         ob_dns_record_free     (ObDnsRecord       *record);
char        *ob_dns_record_to_string (const ObDnsRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObDnsRecord, ob_dns_record_free)

/* The answer to one query: the response code and the records of the answer
 * section (CNAMEs included, in order), plus the authority section. */
typedef struct
{
  guint16    rcode;
  gboolean   authoritative;
  gboolean   truncated;
  GPtrArray *records;   /* ObDnsRecord* */
  GPtrArray *authority; /* ObDnsRecord* */
  /*< private >*/
  gint       ref_count;
} ObDnsAnswer;

#define OB_TYPE_DNS_ANSWER (ob_dns_answer_get_type ())
GType        ob_dns_answer_get_type   (void) G_GNUC_CONST;
ObDnsAnswer *ob_dns_answer_new        (guint16      rcode);
ObDnsAnswer *ob_dns_answer_ref        (ObDnsAnswer *answer);
void         ob_dns_answer_unref      (ObDnsAnswer *answer);
GPtrArray   *ob_dns_answer_collect    (ObDnsAnswer *answer,
                                       const char  *name,
                                       guint16      type);
guint32      ob_dns_answer_get_ttl    (ObDnsAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObDnsAnswer, ob_dns_answer_unref)

const char  *ob_dns_type_to_string    (guint16      type);
gboolean     ob_dns_type_from_string  (const char  *text,
                                       guint16     *type);
const char  *ob_dns_rcode_to_string   (guint16      rcode);
char        *ob_dns_name_normalize    (const char  *name);
gboolean     ob_dns_name_equal        (const char  *a,
                                       const char  *b);

G_END_DECLS
