/* ob-test-harness.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Real servers on loopback for the tests. Every server binds 127.0.0.1 on a
 * free port, lives in its own temporary directory (kept when
 * OUTBOUND_TEST_KEEP is set) and is stopped — SIGTERM, then waited for —
 * when freed. A server that cannot start is a GError that carries its log.
 * The helper scripts are found through OUTBOUND_HARNESS_DIR (set by
 * tests/meson.build). */

/* A test CA made with certtool once per process; absolute paths. The server
 * certificate is valid for "localhost", 127.0.0.1 and ::1. */
const char *ob_test_ca_pem             (void);
const char *ob_test_server_cert_pem    (void);
const char *ob_test_server_key_pem     (void);
/* A second, self-signed certificate (also for localhost) that is NOT signed
 * by the test CA, for "untrusted certificate" tests. */
const char *ob_test_untrusted_cert_pem (void);
const char *ob_test_untrusted_key_pem  (void);

/* SMTP: python3-aiosmtpd driven by tests/harness/smtp_server.py. */
typedef enum {
  OB_TEST_SMTP_STARTTLS      = 1 << 0, /* offer STARTTLS (port-587 style); AUTH only after it */
  OB_TEST_SMTP_IMPLICIT_TLS  = 1 << 1, /* TLS from the first byte (port-465 style) */
  OB_TEST_SMTP_AUTH          = 1 << 2, /* AUTH PLAIN/LOGIN, user "testuser" password "testpass" */
  OB_TEST_SMTP_REQUIRE_AUTH  = 1 << 3, /* MAIL FROM refused (530) before AUTH; implies AUTH */
  OB_TEST_SMTP_MINIMAL       = 1 << 4, /* no PIPELINING, 8BITMIME, SMTPUTF8, SIZE, ENHANCEDSTATUSCODES */
  OB_TEST_SMTP_UNTRUSTED     = 1 << 5, /* serve the untrusted certificate */
} ObTestSmtpFlags;

typedef struct _ObTestSmtpServer ObTestSmtpServer;

/* @rules: NULL-terminated array of "SUBSTRING REPLY" strings matched
 * (case-insensitively) against each RCPT address; the first match wins,
 * others get 250. E.g. "unknown 550 5.1.1 User unknown",
 * "full 452 4.2.2 Mailbox full". Special rules (the whole string):
 *   "@greeting 421 4.3.2 Try later"  — the greeting reply (then the server closes)
 *   "@data-drop"                     — close the connection in the middle of DATA
 *   "@data 554 5.7.1 Rejected"       — the reply to the end of DATA (nothing is kept) */
ObTestSmtpServer *ob_test_smtp_server_start          (ObTestSmtpFlags     flags,
                                                      const char * const *rules,
                                                      GError            **error);
guint16           ob_test_smtp_server_get_port       (ObTestSmtpServer   *self);
/* A Maildir; one file per accepted message in new/, named in delivery order. */
const char       *ob_test_smtp_server_get_maildir    (ObTestSmtpServer   *self);
guint             ob_test_smtp_server_count_messages (ObTestSmtpServer   *self);
/* Each accepted message as text, in delivery order (free with
 * g_ptr_array_unref). It starts with X-Harness-Mail-From:, X-Harness-Rcpt-To:
 * (comma-separated accepted recipients), X-Harness-Auth: (user or "none"),
 * X-Harness-TLS: ("yes"/"no") header lines, then the message as received
 * (CRLF line ends, dots unstuffed). */
GPtrArray        *ob_test_smtp_server_get_messages   (ObTestSmtpServer   *self);
/* The server's protocol log: every line a client sent outside DATA, one per
 * line (AUTH exchanges included), for asserting e.g. "no AUTH sent". */
char             *ob_test_smtp_server_get_log        (ObTestSmtpServer   *self);
void              ob_test_smtp_server_free           (ObTestSmtpServer   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestSmtpServer, ob_test_smtp_server_free)

/* DNS: knot (authoritative, UDP+TCP) serving the given zones. @zone_texts is
 * NULL-terminated, each an RFC 1035 master file with $ORIGIN (SOA and NS are
 * added when missing). UDP answers larger than 512 bytes come back truncated
 * (TC) to clients without EDNS. */
typedef struct _ObTestDnsServer ObTestDnsServer;

ObTestDnsServer  *ob_test_dns_server_start           (const char * const *zone_texts,
                                                      GError            **error);
guint16           ob_test_dns_server_get_port        (ObTestDnsServer    *self);
void              ob_test_dns_server_free            (ObTestDnsServer    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestDnsServer, ob_test_dns_server_free)

/* IMAP: a private Dovecot, user "testuser" password "testpass", maildir.
 * Started as root, its login, auth and mail processes run as nobody. */
typedef struct _ObTestImapServer ObTestImapServer;

ObTestImapServer *ob_test_imap_server_start          (GError            **error);
/* The same, announcing @capability (Dovecot's imap_capability) after
 * login instead of its own list: a server without MOVE, say. */
ObTestImapServer *ob_test_imap_server_start_with_capability (const char  *capability,
                                                            GError     **error);
guint16           ob_test_imap_server_get_port       (ObTestImapServer   *self); /* plain + STARTTLS */
guint16           ob_test_imap_server_get_tls_port   (ObTestImapServer   *self); /* implicit TLS */
const char       *ob_test_imap_server_get_maildir    (ObTestImapServer   *self); /* …/Maildir of testuser */
/* Drops a message into a folder ("INBOX", "Sent", "Junk"…; created if
 * missing) as new mail. */
gboolean          ob_test_imap_server_deliver        (ObTestImapServer   *self,
                                                      const char         *folder,
                                                      const char         *message,
                                                      gsize               len,
                                                      GError            **error);
void              ob_test_imap_server_free           (ObTestImapServer   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestImapServer, ob_test_imap_server_free)

/* HTTPS: serves files from @docroot with the test CA's server certificate
 * (tests/harness/https_server.py). */
typedef struct _ObTestHttpsServer ObTestHttpsServer;

ObTestHttpsServer *ob_test_https_server_start        (const char         *docroot,
                                                      GError            **error);
guint16           ob_test_https_server_get_port      (ObTestHttpsServer  *self);
void              ob_test_https_server_free          (ObTestHttpsServer  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestHttpsServer, ob_test_https_server_free)

/* Keyring: a private dbus-daemon session bus + gnome-keyring-daemon (secrets
 * component) whose login keyring is unlocked with a test password. Sets
 * DBUS_SESSION_BUS_ADDRESS, HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR (and unsets
 * GNOME_KEYRING_CONTROL) in this process for its lifetime; free stops the
 * keyring daemon and restores the environment.
 *
 * Start it BEFORE the first libsecret or session-bus call of the process:
 * GDBus and libsecret keep their session connection. For that reason the
 * bus is one per process: the first start makes it, it stays (the process's
 * session connection keeps pointing at it) and is stopped at exit. Each
 * start gets a new, empty keyring daemon, so several tests of one program
 * can each start and free their own keyring. */
typedef struct _ObTestKeyring ObTestKeyring;

ObTestKeyring    *ob_test_keyring_start              (GError            **error);
void              ob_test_keyring_free               (ObTestKeyring      *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestKeyring, ob_test_keyring_free)

G_END_DECLS
