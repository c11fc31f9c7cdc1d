/* ob-test-harness.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-harness"

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "ob-test-harness.h"
#include "ob-test-util.h"

#define READY_TIMEOUT_USEC (10 * G_USEC_PER_SEC)
#define STOP_TIMEOUT_USEC  (10 * G_USEC_PER_SEC)
#define POLL_USEC          (20 * 1000)
#define LOG_TAIL_CHARS     4000

/* One child process of a server, its output going to a log file. */
typedef struct
{
  char        *name;
  GSubprocess *proc;
  char        *log_path;
  /* Dovecot's master takes two seconds to shut down after its worker
   * processes are gone (it sleeps while its log process drains). With
   * this set, the master is killed once it has no children left but
   * @lingering_child (by name), which then ends on its own. */
  gboolean     kill_when_childless;
  const char  *lingering_child;
} HarnessProc;

struct _ObTestSmtpServer
{
  ObTestDir   *dir;
  HarnessProc *proc;
  guint16      port;
  char        *maildir;
  char        *log_path;
};

struct _ObTestDnsServer
{
  ObTestDir   *dir;
  HarnessProc *proc;
  guint16      port;
};

struct _ObTestImapServer
{
  ObTestDir   *dir;
  HarnessProc *proc;
  guint16      port;
  guint16      tls_port;
  char        *maildir;
  guint        delivered;
  gboolean     as_root;   /* files it makes go to nobody */
  uid_t        uid;
  gid_t        gid;
};

struct _ObTestHttpsServer
{
  ObTestDir   *dir;
  HarnessProc *proc;
  guint16      port;
};

/* The environment variables the keyring changes, and their old values. */
static const char * const keyring_env_names[] = {
  "DBUS_SESSION_BUS_ADDRESS",
  "HOME",
  "XDG_DATA_HOME",
  "XDG_RUNTIME_DIR",
  "GNOME_KEYRING_CONTROL",
};

struct _ObTestKeyring
{
  ObTestDir   *dir;
  HarnessProc *daemon;
  char        *saved_env[G_N_ELEMENTS (keyring_env_names)];
  gboolean     env_set;
};

/* The private session bus: one per process (see ob_test_keyring_start). */
typedef struct
{
  ObTestDir       *dir;
  HarnessProc     *proc;
  char            *address;
  GDBusConnection *session;
} HarnessBus;

static HarnessBus *harness_bus;

typedef struct
{
  ObTestDir *dir;
  char      *ca_pem;
  char      *server_cert;
  char      *server_key;
  char      *untrusted_cert;
  char      *untrusted_key;
} HarnessCa;

static HarnessCa *harness_ca;

/* Helpers */

static const char *
harness_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *env = g_getenv ("OUTBOUND_HARNESS_DIR");

      if (env != NULL)
        dir = g_strdup (env);
      else
        dir = g_build_filename (ob_test_source_root (), "tests", "harness", NULL);
    }
  return dir;
}

static gboolean
write_file (const char  *path,
            const char  *contents,
            gssize       len,
            GError     **error)
{
  return g_file_set_contents (path, contents, len, error);
}

/* The last LOG_TAIL_CHARS of a log file, for error messages. */
static char *
log_tail (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (path == NULL || !g_file_get_contents (path, &text, &len, NULL))
    return g_strdup ("(no log)");
  if (len > LOG_TAIL_CHARS)
    {
      const char *from = text + len - LOG_TAIL_CHARS;

      /* Start on a whole character. */
      while (*from != '\0' && (*from & 0xc0) == 0x80)
        from++;
      return g_strdup_printf ("…%s", from);
    }
  return g_steal_pointer (&text);
}

static void
child_setup (gpointer user_data)
{
  /* A test that aborts must not leave its servers running. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
proc_running (HarnessProc *hp)
{
  /* GSubprocess reaps its child from the GLib worker thread, so this
   * turns NULL without a main loop. */
  return g_subprocess_get_identifier (hp->proc) != NULL;
}

/* TRUE when the process has no children left (FALSE when unknown). */
static gboolean
proc_childless (HarnessProc *hp)
{
  const char *id = g_subprocess_get_identifier (hp->proc);
  g_autofree char *path = NULL;
  g_autofree char *children = NULL;

  if (id == NULL)
    return FALSE;
  path = g_strdup_printf ("/proc/%s/task/%s/children", id, id);
  if (!g_file_get_contents (path, &children, NULL, NULL))
    return FALSE;
  g_strstrip (children);
  if (*children != '\0')
    {
      g_auto(GStrv) pids = g_strsplit (children, " ", -1);

      /* Exited children that are not reaped yet (zombies) count as gone. */
      for (guint i = 0; pids[i] != NULL; i++)
        {
          g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", pids[i]);
          g_autofree char *stat = NULL;
          const char *start;
          const char *end;

          if (*pids[i] == '\0' || !g_file_get_contents (stat_path, &stat, NULL, NULL))
            continue;
          /* pid (comm) state … */
          start = strchr (stat, '(');
          end = strrchr (stat, ')');
          if (start == NULL || end == NULL || end[1] != ' ')
            return FALSE;
          if (end[2] == 'Z')
            continue;
          if (hp->lingering_child != NULL &&
              (gsize) (end - start - 1) == strlen (hp->lingering_child) &&
              strncmp (start + 1, hp->lingering_child, end - start - 1) == 0)
            continue;
          return FALSE;
        }
    }
  return TRUE;
}

/* SIGTERM, then waits for the exit (SIGKILL after STOP_TIMEOUT_USEC). */
static void
proc_stop (HarnessProc *hp)
{
  if (hp == NULL)
    return;
  if (hp->proc != NULL)
    {
      gint64 start = g_get_monotonic_time ();
      gboolean killed = FALSE;

      if (proc_running (hp))
        g_subprocess_send_signal (hp->proc, SIGTERM);
      while (!killed && proc_running (hp))
        {
          g_usleep (POLL_USEC / 2);
          if (hp->kill_when_childless && proc_childless (hp))
            {
              g_subprocess_force_exit (hp->proc);
              killed = TRUE;
            }
          else if (g_get_monotonic_time () - start > STOP_TIMEOUT_USEC)
            {
              g_printerr ("# %s did not stop on SIGTERM; killing it\n", hp->name);
              g_subprocess_force_exit (hp->proc);
              killed = TRUE;
            }
        }
      g_subprocess_wait (hp->proc, NULL, NULL);
      g_debug ("%s stopped in %.2f s", hp->name,
               (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      g_clear_object (&hp->proc);
    }
  g_free (hp->name);
  g_free (hp->log_path);
  g_free (hp);
}

/* Starts argv in @cwd with stdout and stderr going to @log_path and,
 * when @stdin_pipe, a pipe on its stdin. */
static HarnessProc *
proc_spawn (const char          *name,
            const char * const  *argv,
            const char          *cwd,
            const char          *log_path,
            gboolean             stdin_pipe,
            GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  HarnessProc *hp;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDERR_MERGE;

  if (stdin_pipe)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  hp = g_new0 (HarnessProc, 1);
  hp->name = g_strdup (name);
  hp->log_path = g_strdup (log_path);
  hp->proc = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (hp->proc == NULL)
    {
      g_prefix_error (error, "Cannot start %s (%s): ", name, argv[0]);
      proc_stop (hp);
      return NULL;
    }
  return hp;
}

typedef enum
{
  READY_NOT_YET,
  READY_YES,
  READY_FAILED,   /* the log shows the server will never be ready */
} ReadyState;

typedef ReadyState (*ReadyFunc) (HarnessProc *hp,
                                 gpointer     user_data);

/* Polls @ready until it says READY_YES; fails when it says READY_FAILED, the
 * process exits or after
 * READY_TIMEOUT_USEC, with the server's log in the error. */
static gboolean
proc_wait_ready (HarnessProc  *hp,
                 ReadyFunc     ready,
                 gpointer      user_data,
                 GError      **error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + READY_TIMEOUT_USEC;

  for (;;)
    {
      g_autofree char *tail = NULL;
      ReadyState state = ready (hp, user_data);

      if (state == READY_FAILED)
        {
          tail = log_tail (hp->log_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The test %s server failed to start. Its log (%s):\n%s",
                       hp->name, hp->log_path, tail);
          return FALSE;
        }
      if (state == READY_YES)
        {
          g_debug ("%s ready after %.2f s", hp->name,
                   (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
          return TRUE;
        }
      if (!proc_running (hp))
        {
          tail = log_tail (hp->log_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The test %s server exited before it was ready. Its log (%s):\n%s",
                       hp->name, hp->log_path, tail);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          tail = log_tail (hp->log_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "The test %s server was not ready after %d s. Its log (%s):\n%s",
                       hp->name, (int) (READY_TIMEOUT_USEC / G_USEC_PER_SEC),
                       hp->log_path, tail);
          return FALSE;
        }
      g_usleep (POLL_USEC);
    }
}

#define PORT_ATTEMPTS 3

/* After a failed start: TRUE when the server lost the race for the port
 * picked for it (another process bound it in between), so that a retry on
 * a new port makes sense. The process is stopped. */
static gboolean
proc_lost_port_race (HarnessProc **hp)
{
  g_autofree char *log = NULL;
  gboolean lost;

  if (*hp == NULL)
    return FALSE;
  lost = !proc_running (*hp) &&
         g_file_get_contents ((*hp)->log_path, &log, NULL, NULL) &&
         (strstr (log, "already in use") != NULL || strstr (log, "Address in use") != NULL);
  g_clear_pointer (hp, proc_stop);
  return lost;
}

/* A port (as written by a script: digits and a newline) from @path, or 0. */
static guint16
read_port_file (const char *path)
{
  g_autofree char *text = NULL;
  guint64 port = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;
  return (guint16) port;
}

typedef struct
{
  const char *path;
  guint16     port;
} PortFileWait;

static ReadyState
port_file_ready (HarnessProc *hp,
                 gpointer     user_data)
{
  PortFileWait *w = user_data;

  w->port = read_port_file (w->path);
  return w->port != 0 ? READY_YES : READY_NOT_YET;
}

/* A port that is free on 127.0.0.1 for TCP (and UDP when @udp), for servers
 * that cannot bind port 0 and report it. */
static guint16
pick_free_port (gboolean   udp,
                GError   **error)
{
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr(GSocket) tcp = NULL;
      g_autoptr(GSocket) usock = NULL;
      g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GSocketAddress) same = NULL;
      guint16 port;

      tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
      if (tcp == NULL || !g_socket_bind (tcp, any, FALSE, error))
        return 0;
      bound = g_socket_get_local_address (tcp, error);
      if (bound == NULL)
        return 0;
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      if (!udp)
        return port;

      usock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
      if (usock == NULL)
        return 0;
      same = g_inet_socket_address_new (lo, port);
      if (g_socket_bind (usock, same, FALSE, NULL))
        return port;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
               "No free TCP+UDP port on 127.0.0.1");
  return 0;
}

static gboolean
run_tool (const char * const  *argv,
          const char          *cwd,
          GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  proc = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (proc == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (proc))
    {
      g_autofree char *cmd = g_strjoinv (" ", (char **) argv);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed:\n%s", cmd, out);
      return FALSE;
    }
  return TRUE;
}

/* The test CA */

static const char ca_template[] =
  "cn = \"Outbound Harness Test CA\"\n"
  "ca\n"
  "cert_signing_key\n"
  "crl_signing_key\n"
  "expiration_days = 3650\n";

static const char server_template[] =
  "cn = \"localhost\"\n"
  "dns_name = \"localhost\"\n"
  "ip_address = \"127.0.0.1\"\n"
  "ip_address = \"::1\"\n"
  "tls_www_server\n"
  "signing_key\n"
  "encryption_key\n"
  "expiration_days = 3650\n";

static const char untrusted_template[] =
  "cn = \"localhost\"\n"
  "organization = \"Outbound Harness Untrusted\"\n"
  "dns_name = \"localhost\"\n"
  "ip_address = \"127.0.0.1\"\n"
  "ip_address = \"::1\"\n"
  "tls_www_server\n"
  "signing_key\n"
  "encryption_key\n"
  "expiration_days = 3650\n";

static void
harness_ca_free (void)
{
  if (harness_ca == NULL)
    return;
  ob_test_dir_free (harness_ca->dir);
  g_free (harness_ca->ca_pem);
  g_free (harness_ca->server_cert);
  g_free (harness_ca->server_key);
  g_free (harness_ca->untrusted_cert);
  g_free (harness_ca->untrusted_key);
  g_clear_pointer (&harness_ca, g_free);
}

static gboolean
harness_ca_make (HarnessCa  *ca,
                 GError    **error)
{
  const char *path = ob_test_dir_get_path (ca->dir);
  g_autofree char *ca_tmpl = ob_test_dir_file (ca->dir, "ca.tmpl");
  g_autofree char *server_tmpl = ob_test_dir_file (ca->dir, "server.tmpl");
  g_autofree char *untrusted_tmpl = ob_test_dir_file (ca->dir, "untrusted.tmpl");
  const char * const steps[][14] = {
    { "/usr/bin/certtool", "--generate-privkey", "--key-type=ecdsa", "--no-text",
      "--outfile", "ca.key", NULL },
    { "/usr/bin/certtool", "--generate-self-signed", "--load-privkey", "ca.key",
      "--template", "ca.tmpl", "--no-text", "--outfile", "ca.pem", NULL },
    { "/usr/bin/certtool", "--generate-privkey", "--key-type=rsa", "--bits=2048", "--no-text",
      "--outfile", "server.key", NULL },
    { "/usr/bin/certtool", "--generate-certificate", "--load-privkey", "server.key",
      "--load-ca-certificate", "ca.pem", "--load-ca-privkey", "ca.key",
      "--template", "server.tmpl", "--no-text", "--outfile", "server.pem", NULL },
    { "/usr/bin/certtool", "--generate-privkey", "--key-type=ecdsa", "--no-text",
      "--outfile", "untrusted.key", NULL },
    { "/usr/bin/certtool", "--generate-self-signed", "--load-privkey", "untrusted.key",
      "--template", "untrusted.tmpl", "--no-text", "--outfile", "untrusted.pem", NULL },
  };

  if (!write_file (ca_tmpl, ca_template, -1, error) ||
      !write_file (server_tmpl, server_template, -1, error) ||
      !write_file (untrusted_tmpl, untrusted_template, -1, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (!run_tool (steps[i], path, error))
      return FALSE;

  ca->ca_pem = ob_test_dir_file (ca->dir, "ca.pem");
  ca->server_cert = ob_test_dir_file (ca->dir, "server.pem");
  ca->server_key = ob_test_dir_file (ca->dir, "server.key");
  ca->untrusted_cert = ob_test_dir_file (ca->dir, "untrusted.pem");
  ca->untrusted_key = ob_test_dir_file (ca->dir, "untrusted.key");
  return TRUE;
}

static HarnessCa *
get_ca (void)
{
  if (harness_ca == NULL)
    {
      g_autoptr(GError) error = NULL;
      HarnessCa *ca = g_new0 (HarnessCa, 1);

      ca->dir = ob_test_dir_new ();
      if (!harness_ca_make (ca, &error))
        g_error ("Cannot make the test CA with certtool: %s", error->message);
      harness_ca = ca;
      atexit (harness_ca_free);
    }
  return harness_ca;
}

const char *
ob_test_ca_pem (void)
{
  return get_ca ()->ca_pem;
}

const char *
ob_test_server_cert_pem (void)
{
  return get_ca ()->server_cert;
}

const char *
ob_test_server_key_pem (void)
{
  return get_ca ()->server_key;
}

const char *
ob_test_untrusted_cert_pem (void)
{
  return get_ca ()->untrusted_cert;
}

const char *
ob_test_untrusted_key_pem (void)
{
  return get_ca ()->untrusted_key;
}

/* SMTP */

ObTestSmtpServer *
ob_test_smtp_server_start (ObTestSmtpFlags      flags,
                           const char * const  *rules,
                           GError             **error)
{
  g_autoptr(ObTestSmtpServer) self = g_new0 (ObTestSmtpServer, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) rules_text = g_string_new (NULL);
  g_autofree char *script = g_build_filename (harness_dir (), "smtp_server.py", NULL);
  g_autofree char *port_file = NULL;
  g_autofree char *rules_file = NULL;
  g_autofree char *out_log = NULL;
  PortFileWait wait = { 0 };

  self->dir = ob_test_dir_new ();
  port_file = ob_test_dir_file (self->dir, "port");
  rules_file = ob_test_dir_file (self->dir, "rules");
  out_log = ob_test_dir_file (self->dir, "server.log");
  self->maildir = ob_test_dir_file (self->dir, "Maildir");
  self->log_path = ob_test_dir_file (self->dir, "protocol.log");

  for (guint i = 0; rules != NULL && rules[i] != NULL; i++)
    {
      if (strchr (rules[i], '\n') != NULL || strchr (rules[i], '\r') != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "SMTP rule %u has a line break: %s", i, rules[i]);
          return NULL;
        }
      g_string_append_printf (rules_text, "%s\n", rules[i]);
    }
  if (!write_file (rules_file, rules_text->str, rules_text->len, error))
    return NULL;

  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup ("--port-file"));
  g_ptr_array_add (argv, g_strdup (port_file));
  g_ptr_array_add (argv, g_strdup ("--maildir"));
  g_ptr_array_add (argv, g_strdup (self->maildir));
  g_ptr_array_add (argv, g_strdup ("--log"));
  g_ptr_array_add (argv, g_strdup (self->log_path));
  g_ptr_array_add (argv, g_strdup ("--rules"));
  g_ptr_array_add (argv, g_strdup (rules_file));
  if (flags & (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_IMPLICIT_TLS))
    {
      gboolean untrusted = (flags & OB_TEST_SMTP_UNTRUSTED) != 0;

      g_ptr_array_add (argv, g_strdup ("--cert"));
      g_ptr_array_add (argv, g_strdup (untrusted ? ob_test_untrusted_cert_pem () : ob_test_server_cert_pem ()));
      g_ptr_array_add (argv, g_strdup ("--key"));
      g_ptr_array_add (argv, g_strdup (untrusted ? ob_test_untrusted_key_pem () : ob_test_server_key_pem ()));
    }
  if (flags & OB_TEST_SMTP_IMPLICIT_TLS)
    g_ptr_array_add (argv, g_strdup ("--implicit-tls"));
  if (flags & (OB_TEST_SMTP_AUTH | OB_TEST_SMTP_REQUIRE_AUTH))
    g_ptr_array_add (argv, g_strdup ("--auth"));
  if (flags & OB_TEST_SMTP_REQUIRE_AUTH)
    g_ptr_array_add (argv, g_strdup ("--require-auth"));
  if (flags & OB_TEST_SMTP_MINIMAL)
    g_ptr_array_add (argv, g_strdup ("--minimal"));
  g_ptr_array_add (argv, NULL);

  self->proc = proc_spawn ("SMTP", (const char * const *) argv->pdata,
                           ob_test_dir_get_path (self->dir), out_log, FALSE, error);
  if (self->proc == NULL)
    return NULL;

  wait.path = port_file;
  if (!proc_wait_ready (self->proc, port_file_ready, &wait, error))
    return NULL;
  self->port = wait.port;

  return g_steal_pointer (&self);
}

guint16
ob_test_smtp_server_get_port (ObTestSmtpServer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

const char *
ob_test_smtp_server_get_maildir (ObTestSmtpServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->maildir;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The file names in Maildir/new/, sorted (= delivery order). */
static GPtrArray *
list_new_messages (ObTestSmtpServer *self)
{
  g_autofree char *new_dir = g_build_filename (self->maildir, "new", NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (new_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return names;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (new_dir, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  return names;
}

guint
ob_test_smtp_server_count_messages (ObTestSmtpServer *self)
{
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (self != NULL, 0);
  names = list_new_messages (self);
  return names->len;
}

GPtrArray *
ob_test_smtp_server_get_messages (ObTestSmtpServer *self)
{
  g_autoptr(GPtrArray) names = NULL;
  GPtrArray *messages;

  g_return_val_if_fail (self != NULL, NULL);
  names = list_new_messages (self);
  messages = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < names->len; i++)
    {
      char *text = NULL;

      if (g_file_get_contents (names->pdata[i], &text, NULL, NULL))
        g_ptr_array_add (messages, text);
    }
  return messages;
}

char *
ob_test_smtp_server_get_log (ObTestSmtpServer *self)
{
  char *text = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  if (!g_file_get_contents (self->log_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

void
ob_test_smtp_server_free (ObTestSmtpServer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->proc, proc_stop);
  g_clear_pointer (&self->dir, ob_test_dir_free);
  g_free (self->maildir);
  g_free (self->log_path);
  g_free (self);
}

/* DNS */

/* Splits a master-file line into tokens, honouring quotes and dropping a
 * ';' comment. */
static GPtrArray *
zone_line_tokens (const char *line)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  while (*p != '\0')
    {
      const char *start;

      while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
      if (*p == '\0' || *p == ';')
        break;
      start = p;
      if (*p == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '"')
            p++;
        }
      else
        {
          while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' && *p != ';')
            p++;
        }
      g_ptr_array_add (tokens, g_strndup (start, p - start));
    }
  return tokens;
}

/* Checks a zone text: its origin (the first $ORIGIN, made absolute) and
 * whether it already has an SOA and an NS record. */
static char *
zone_origin (const char  *text,
             gboolean    *has_soa,
             gboolean    *has_ns)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  char *origin = NULL;

  *has_soa = *has_ns = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) tokens = zone_line_tokens (lines[i]);

      if (tokens->len == 0)
        continue;
      if (g_ascii_strcasecmp (tokens->pdata[0], "$ORIGIN") == 0)
        {
          if (origin == NULL && tokens->len >= 2)
            {
              const char *name = tokens->pdata[1];

              origin = g_str_has_suffix (name, ".") ? g_strdup (name) : g_strconcat (name, ".", NULL);
            }
          continue;
        }
      if (((const char *) tokens->pdata[0])[0] == '$')
        continue;
      /* The type is the first token that is not owner, TTL or class; a
       * plain look for the words is enough for the zones tests write. */
      for (guint j = 0; j < tokens->len && j < 5; j++)
        {
          if (g_ascii_strcasecmp (tokens->pdata[j], "SOA") == 0)
            *has_soa = TRUE;
          else if (g_ascii_strcasecmp (tokens->pdata[j], "NS") == 0)
            *has_ns = TRUE;
        }
    }
  return origin;
}

typedef struct
{
  guint16     port;
  GPtrArray  *origins;
} DnsWait;

/* Writes @name (absolute, dotted) as DNS labels. */
static gboolean
dns_put_name (GByteArray *packet,
              const char *name)
{
  g_auto(GStrv) labels = g_strsplit (name, ".", -1);

  for (guint i = 0; labels[i] != NULL; i++)
    {
      guint8 len = (guint8) strlen (labels[i]);

      if (labels[i][0] == '\0')
        continue;
      if (strlen (labels[i]) > 63)
        return FALSE;
      g_byte_array_append (packet, &len, 1);
      g_byte_array_append (packet, (const guint8 *) labels[i], len);
    }
  g_byte_array_append (packet, (const guint8 *) "", 1);
  return TRUE;
}

/* One UDP SOA query: TRUE when the server answers it authoritatively. */
static gboolean
dns_soa_answered (guint16     port,
                  const char *zone,
                  guint16     id)
{
  g_autoptr(GByteArray) packet = g_byte_array_new ();
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, port);
  const guint8 header[12] = { id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
  const guint8 tail[4] = { 0, 6, 0, 1 };  /* SOA, IN */
  guint8 reply[4096];
  gssize n;

  g_byte_array_append (packet, header, sizeof header);
  if (!dns_put_name (packet, zone))
    return FALSE;
  g_byte_array_append (packet, tail, sizeof tail);

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  if (sock == NULL)
    return FALSE;
  if (g_socket_send_to (sock, addr, (const char *) packet->data, packet->len, NULL, NULL) < 0)
    return FALSE;
  /* A query sent before knotd has bound the port is lost: poll again soon. */
  if (!g_socket_condition_timed_wait (sock, G_IO_IN, 50 * 1000, NULL, NULL))
    return FALSE;
  n = g_socket_receive (sock, (char *) reply, sizeof reply, NULL, NULL);
  if (n < 12)
    return FALSE;
  /* Same id, a response, AA set, RCODE 0, at least one answer. */
  return reply[0] == header[0] && reply[1] == header[1] &&
         (reply[2] & 0x80) != 0 && (reply[2] & 0x04) != 0 &&
         (reply[3] & 0x0f) == 0 && (reply[6] << 8 | reply[7]) >= 1;
}

static ReadyState
dns_ready (HarnessProc *hp,
           gpointer     user_data)
{
  DnsWait *w = user_data;
  g_autofree char *log = NULL;

  for (guint i = 0; i < w->origins->len; i++)
    if (!dns_soa_answered (w->port, w->origins->pdata[i], (guint16) (0x4242 + i)))
      {
        /* knotd keeps running without a zone it cannot load. */
        if (g_file_get_contents (hp->log_path, &log, NULL, NULL) &&
            strstr (log, "zone event 'load' failed") != NULL)
          return READY_FAILED;
        return READY_NOT_YET;
      }
  return READY_YES;
}

ObTestDnsServer *
ob_test_dns_server_start (const char * const  *zone_texts,
                          GError             **error)
{
  g_autoptr(ObTestDnsServer) self = g_new0 (ObTestDnsServer, 1);
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) zones_conf = g_string_new (NULL);
  g_autofree char *run_dir = NULL;
  g_autofree char *db_dir = NULL;
  g_autofree char *zones_dir = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *out_log = NULL;
  DnsWait wait = { 0 };

  self->dir = ob_test_dir_new ();
  run_dir = ob_test_dir_file (self->dir, "run");
  db_dir = ob_test_dir_file (self->dir, "db");
  zones_dir = ob_test_dir_file (self->dir, "zones");
  conf_path = ob_test_dir_file (self->dir, "knot.conf");
  out_log = ob_test_dir_file (self->dir, "knot.log");
  if (g_mkdir (run_dir, 0700) != 0 || g_mkdir (db_dir, 0700) != 0 || g_mkdir (zones_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot make the DNS server's directories in %s: %s",
                   ob_test_dir_get_path (self->dir), g_strerror (saved));
      return NULL;
    }

  for (guint i = 0; zone_texts != NULL && zone_texts[i] != NULL; i++)
    {
      g_autoptr(GString) zone = g_string_new (zone_texts[i]);
      g_autofree char *file = NULL;
      gboolean has_soa, has_ns;
      char *origin = zone_origin (zone_texts[i], &has_soa, &has_ns);

      if (origin == NULL || strcmp (origin, ".") == 0)
        {
          g_free (origin);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "DNS zone text %u has no $ORIGIN (or the root as origin)", i);
          return NULL;
        }
      for (guint j = 0; j < origins->len; j++)
        if (g_ascii_strcasecmp (origins->pdata[j], origin) == 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "DNS zone %s is given twice", origin);
            g_free (origin);
            return NULL;
          }
      g_ptr_array_add (origins, origin);

      if (zone->len > 0 && zone->str[zone->len - 1] != '\n')
        g_string_append_c (zone, '\n');
      if (!has_soa)
        g_string_append_printf (zone, "%s 3600 IN SOA ns.harness.invalid. hostmaster.harness.invalid. "
                                "1 3600 600 86400 300\n", origin);
      if (!has_ns)
        g_string_append_printf (zone, "%s 3600 IN NS ns.harness.invalid.\n", origin);

      file = g_strdup_printf ("%s/%szone", zones_dir, origin);
      if (!write_file (file, zone->str, zone->len, error))
        return NULL;
      g_string_append_printf (zones_conf, "  - domain: \"%s\"\n    file: \"%s\"\n", origin, file);
    }
  if (origins->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No DNS zone given");
      return NULL;
    }

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GString) conf = g_string_new (NULL);
      const char *argv[] = { "/usr/sbin/knotd", "-c", conf_path, NULL };

      self->port = pick_free_port (TRUE, error);
      if (self->port == 0)
        return NULL;
      g_string_append_printf (conf,
                              "server:\n"
                              "    rundir: \"%s\"\n"
                              "    listen: 127.0.0.1@%u\n"
                              "    udp-workers: 1\n"
                              "    tcp-workers: 1\n"
                              "    background-workers: 1\n"
                              "log:\n"
                              "  - target: stderr\n"
                              "    any: info\n"
                              "database:\n"
                              "    storage: \"%s\"\n"
                              "control:\n"
                              "    listen: \"knot.sock\"\n"
                              "template:\n"
                              "  - id: default\n"
                              "    zonefile-sync: -1\n"
                              "    journal-content: none\n"
                              "zone:\n"
                              "%s",
                              run_dir, self->port, db_dir, zones_conf->str);
      if (!write_file (conf_path, conf->str, conf->len, error))
        return NULL;

      self->proc = proc_spawn ("DNS (knotd)", argv, ob_test_dir_get_path (self->dir),
                               out_log, FALSE, error);
      if (self->proc == NULL)
        return NULL;

      wait.port = self->port;
      wait.origins = origins;
      if (proc_wait_ready (self->proc, dns_ready, &wait, error))
        break;
      if (attempt == PORT_ATTEMPTS || !proc_lost_port_race (&self->proc))
        return NULL;
      g_clear_error (error);
    }

  return g_steal_pointer (&self);
}

guint16
ob_test_dns_server_get_port (ObTestDnsServer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

void
ob_test_dns_server_free (ObTestDnsServer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->proc, proc_stop);
  g_clear_pointer (&self->dir, ob_test_dir_free);
  g_free (self);
}

/* IMAP */

static gboolean
chown_path (ObTestImapServer  *self,
            const char        *path,
            GError           **error)
{
  if (!self->as_root)
    return TRUE;
  if (lchown (path, self->uid, self->gid) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot give %s to nobody: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Makes @path (and missing parents below the server's directory) owned by
 * the mail user. */
static gboolean
make_dir (ObTestImapServer  *self,
          const char        *path,
          GError           **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  {
    g_autofree char *parent = g_path_get_dirname (path);

    if (!make_dir (self, parent, error))
      return FALSE;
  }
  if (g_mkdir (path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot make %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return chown_path (self, path, error);
}

static gboolean
copy_private_file (ObTestImapServer  *self,
                   const char        *from,
                   const char        *to,
                   GError           **error)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (from, &contents, &len, error) ||
      !g_file_set_contents_full (to, contents, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  return chown_path (self, to, error);
}

typedef struct
{
  guint16 port;
} ImapWait;

/* TRUE once Dovecot greets on the plain port with its capabilities (before
 * auth is up it says "Waiting for authentication process"). */
static ReadyState
imap_ready (HarnessProc *hp,
            gpointer     user_data)
{
  ImapWait *w = user_data;
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, w->port);
  g_autoptr(GString) greeting = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  if (sock == NULL || !g_socket_connect (sock, addr, NULL, NULL))
    return READY_NOT_YET;
  while (strchr (greeting->str, '\n') == NULL)
    {
      char buf[512];
      gssize n;
      gint64 left = deadline - g_get_monotonic_time ();

      if (left <= 0 || !g_socket_condition_timed_wait (sock, G_IO_IN, left, NULL, NULL))
        return READY_NOT_YET;
      n = g_socket_receive (sock, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        return READY_NOT_YET;
      g_string_append_len (greeting, buf, n);
    }
  return strstr (greeting->str, "[CAPABILITY") != NULL ? READY_YES : READY_NOT_YET;
}

ObTestImapServer *
ob_test_imap_server_start (GError **error)
{
  return ob_test_imap_server_start_with_capability (NULL, error);
}

ObTestImapServer *
ob_test_imap_server_start_with_capability (const char  *capability,
                                           GError     **error)
{
  g_autoptr(ObTestImapServer) self = g_new0 (ObTestImapServer, 1);
  g_autofree char *base = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *users_path = NULL;
  g_autofree char *home = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *run_dir = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *out_log = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *users = NULL;
  g_autofree char *login_user = NULL;
  g_autofree char *login_group = NULL;
  ImapWait wait = { 0 };
  const char *subdirs[] = { "cur", "new", "tmp" };

  self->dir = ob_test_dir_new ();
  base = g_strdup (ob_test_dir_get_path (self->dir));
  self->as_root = geteuid () == 0;
  if (self->as_root)
    {
      /* Dovecot refuses to run its login processes as root. */
      struct passwd *pw = getpwnam ("nobody");

      if (pw == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "Dovecot started as root needs the user nobody, which does not exist");
          return NULL;
        }
      self->uid = pw->pw_uid;
      self->gid = pw->pw_gid;
      login_user = g_strdup (pw->pw_name);
      {
        struct group *gr = getgrgid (pw->pw_gid);

        login_group = g_strdup (gr != NULL ? gr->gr_name : "nogroup");
      }
      if (!chown_path (self, base, error))
        return NULL;
    }
  else
    {
      struct passwd *pw = getpwuid (geteuid ());
      struct group *gr = getgrgid (getegid ());

      if (pw == NULL || gr == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "Dovecot needs a name for uid %u and gid %u", (guint) geteuid (), (guint) getegid ());
          return NULL;
        }
      self->uid = pw->pw_uid;
      self->gid = gr->gr_gid;
      login_user = g_strdup (pw->pw_name);
      login_group = g_strdup (gr->gr_name);
    }

  conf_path = ob_test_dir_file (self->dir, "dovecot.conf");
  users_path = ob_test_dir_file (self->dir, "users");
  cert = ob_test_dir_file (self->dir, "server.pem");
  key = ob_test_dir_file (self->dir, "server.key");
  run_dir = ob_test_dir_file (self->dir, "run");
  state_dir = ob_test_dir_file (self->dir, "state");
  out_log = ob_test_dir_file (self->dir, "dovecot.log");
  home = g_build_filename (base, "mail", "testuser", NULL);
  self->maildir = g_build_filename (home, "Maildir", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (self->maildir, subdirs[i], NULL);

      if (!make_dir (self, sub, error))
        return NULL;
    }
  if (!make_dir (self, run_dir, error) || !make_dir (self, state_dir, error))
    return NULL;
  if (!copy_private_file (self, ob_test_server_cert_pem (), cert, error) ||
      !copy_private_file (self, ob_test_server_key_pem (), key, error))
    return NULL;

  /* user:password:uid:gid:gecos:home (an empty uid/gid is the caller). */
  if (self->as_root)
    users = g_strdup_printf ("testuser:{PLAIN}testpass:%u:%u::%s\n", (guint) self->uid, (guint) self->gid, home);
  else
    users = g_strdup_printf ("testuser:{PLAIN}testpass::::%s\n", home);
  if (!g_file_set_contents_full (users_path, users, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error) ||
      !chown_path (self, users_path, error))
    return NULL;

  for (guint attempt = 1; ; attempt++)
    {
      const char *argv[] = { "/usr/sbin/dovecot", "-F", "-c", conf_path, NULL };

      self->port = pick_free_port (FALSE, error);
      if (self->port == 0)
        return NULL;
      do
        self->tls_port = pick_free_port (FALSE, error);
      while (self->tls_port == self->port);
      if (self->tls_port == 0)
        return NULL;

      g_free (conf);
      conf = g_strdup_printf ("base_dir = %s\n"
                              "state_dir = %s\n"
                              "log_path = /dev/stderr\n"
                              "protocols = imap\n"
                              "listen = 127.0.0.1\n"
                              "ssl = yes\n"
                              "ssl_cert = <%s\n"
                              "ssl_key = <%s\n"
                              "ssl_dh = </usr/share/dovecot/dh.pem\n"
                              "disable_plaintext_auth = no\n"
                              "auth_mechanisms = plain login\n"
                              "auth_failure_delay = 0\n"
                              "default_login_user = %s\n"
                              "default_internal_user = %s\n"
                              "default_internal_group = %s\n"
                              "first_valid_uid = 0\n"
                              "mail_location = maildir:~/Maildir\n"
                              /* SPECIAL-USE (RFC 6154) folders, as a provider has them. */
                              "namespace inbox {\n"
                              "  inbox = yes\n"
                              "  mailbox Sent {\n"
                              "    special_use = \\Sent\n"
                              "  }\n"
                              "  mailbox Junk {\n"
                              "    special_use = \\Junk\n"
                              "  }\n"
                              "}\n"
                              "imap_id_send = name * version *\n"
                              "%s%s%s"
                              "imap_id_log = *\n"
                              "passdb {\n"
                              "  driver = passwd-file\n"
                              "  args = scheme=PLAIN username_format=%%u %s\n"
                              "}\n"
                              "userdb {\n"
                              "  driver = passwd-file\n"
                              "  args = username_format=%%u %s\n"
                              "}\n"
                              "service imap-login {\n"
                              "  chroot =\n"
                              "  inet_listener imap {\n"
                              "    port = %u\n"
                              "  }\n"
                              "  inet_listener imaps {\n"
                              "    port = %u\n"
                              "    ssl = yes\n"
                              "  }\n"
                              "}\n"
                              "service anvil {\n"
                              "  chroot =\n"
                              /* No auth penalty: tests fail logins on purpose. */
                              "  unix_listener anvil-auth-penalty {\n"
                              "    mode = 0\n"
                              "  }\n"
                              "}\n",
                              run_dir, state_dir, cert, key,
                              login_user, login_user, login_group,
                              capability != NULL ? "imap_capability = " : "",
                              capability != NULL ? capability : "",
                              capability != NULL ? "\n" : "",
                              users_path, users_path,
                              self->port, self->tls_port);
      if (!write_file (conf_path, conf, -1, error))
        return NULL;

      self->proc = proc_spawn ("IMAP (dovecot)", argv, base, out_log, FALSE, error);
      if (self->proc == NULL)
        return NULL;
      self->proc->kill_when_childless = TRUE;
      self->proc->lingering_child = "log";

      wait.port = self->port;
      if (proc_wait_ready (self->proc, imap_ready, &wait, error))
        break;
      if (attempt == PORT_ATTEMPTS || !proc_lost_port_race (&self->proc))
        return NULL;
      g_clear_error (error);
    }

  return g_steal_pointer (&self);
}

guint16
ob_test_imap_server_get_port (ObTestImapServer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

guint16
ob_test_imap_server_get_tls_port (ObTestImapServer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tls_port;
}

const char *
ob_test_imap_server_get_maildir (ObTestImapServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->maildir;
}

gboolean
ob_test_imap_server_deliver (ObTestImapServer  *self,
                             const char        *folder,
                             const char        *message,
                             gsize              len,
                             GError           **error)
{
  g_autofree char *folder_dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *new_path = NULL;
  const char *subdirs[] = { "cur", "new", "tmp" };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (folder != NULL && *folder != '\0', FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (g_ascii_strcasecmp (folder, "INBOX") == 0)
    folder_dir = g_strdup (self->maildir);
  else
    {
      /* Maildir++: a folder "A/B" is the directory ".A.B". */
      g_autofree char *dotted = g_strdelimit (g_strdup (folder), "/", '.');
      g_autofree char *dirname = g_strconcat (".", dotted, NULL);

      if (strstr (folder, "..") != NULL || folder[0] == '.' || folder[0] == '/')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Not a usable IMAP folder name: %s", folder);
          return FALSE;
        }
      folder_dir = g_build_filename (self->maildir, dirname, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (folder_dir, subdirs[i], NULL);

      if (!make_dir (self, sub, error))
        return FALSE;
    }

  name = g_strdup_printf ("%" G_GINT64_FORMAT ".H%u_%u.harness",
                          g_get_real_time () / G_USEC_PER_SEC, ++self->delivered, (guint) getpid ());
  tmp_path = g_build_filename (folder_dir, "tmp", name, NULL);
  new_path = g_build_filename (folder_dir, "new", name, NULL);
  if (!g_file_set_contents_full (tmp_path, message, len, G_FILE_SET_CONTENTS_NONE, 0600, error) ||
      !chown_path (self, tmp_path, error))
    return FALSE;
  if (g_rename (tmp_path, new_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot move %s into new/: %s", tmp_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
ob_test_imap_server_free (ObTestImapServer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->proc, proc_stop);
  g_clear_pointer (&self->dir, ob_test_dir_free);
  g_free (self->maildir);
  g_free (self);
}

/* HTTPS */

ObTestHttpsServer *
ob_test_https_server_start (const char  *docroot,
                            GError     **error)
{
  g_autoptr(ObTestHttpsServer) self = g_new0 (ObTestHttpsServer, 1);
  g_autofree char *script = g_build_filename (harness_dir (), "https_server.py", NULL);
  g_autofree char *port_file = NULL;
  g_autofree char *out_log = NULL;
  PortFileWait wait = { 0 };

  g_return_val_if_fail (docroot != NULL, NULL);

  if (!g_file_test (docroot, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The HTTPS document root %s is not a directory", docroot);
      return NULL;
    }

  self->dir = ob_test_dir_new ();
  port_file = ob_test_dir_file (self->dir, "port");
  out_log = ob_test_dir_file (self->dir, "https.log");

  {
    const char *argv[] = {
      "/usr/bin/python3", script,
      "--docroot", docroot,
      "--cert", ob_test_server_cert_pem (),
      "--key", ob_test_server_key_pem (),
      "--port-file", port_file,
      NULL
    };

    self->proc = proc_spawn ("HTTPS", argv, ob_test_dir_get_path (self->dir), out_log, FALSE, error);
  }
  if (self->proc == NULL)
    return NULL;

  wait.path = port_file;
  if (!proc_wait_ready (self->proc, port_file_ready, &wait, error))
    return NULL;
  self->port = wait.port;

  return g_steal_pointer (&self);
}

guint16
ob_test_https_server_get_port (ObTestHttpsServer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

void
ob_test_https_server_free (ObTestHttpsServer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->proc, proc_stop);
  g_clear_pointer (&self->dir, ob_test_dir_free);
  g_free (self);
}

/* Keyring */

#define KEYRING_PASSWORD "outbound-harness-keyring"

static const char bus_config_format[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>%s</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  /* No service directories: nothing is activated behind the test's back
   * (a keyring daemon started that way would wait for a password prompt). */
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

static GDBusConnection *
keyring_bus_connect (const char  *address,
                     GError     **error)
{
  return g_dbus_connection_new_for_address_sync (address,
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, error);
}

static ReadyState
bus_ready (HarnessProc *hp,
           gpointer     user_data)
{
  const char *address = user_data;
  g_autoptr(GDBusConnection) conn = keyring_bus_connect (address, NULL);

  if (conn == NULL)
    return READY_NOT_YET;
  g_dbus_connection_close_sync (conn, NULL, NULL);
  return READY_YES;
}

/* Once the daemon owns org.freedesktop.secrets and its default collection
 * is unlocked. */
static ReadyState
keyring_ready (HarnessProc *hp,
               gpointer     user_data)
{
  const char *address = user_data;
  g_autoptr(GDBusConnection) conn = keyring_bus_connect (address, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  gboolean ready = FALSE;

  if (conn == NULL)
    return READY_NOT_YET;
  reply = g_dbus_connection_call_sync (conn, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets/aliases/default",
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       1000, NULL, NULL);
  if (reply != NULL)
    {
      g_variant_get (reply, "(v)", &value);
      ready = g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && !g_variant_get_boolean (value);
    }
  g_dbus_connection_close_sync (conn, NULL, NULL);
  return ready ? READY_YES : READY_NOT_YET;
}

static gboolean
make_private_dir (const char  *path,
                  GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot make %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
harness_bus_free (HarnessBus *bus)
{
  if (bus == NULL)
    return;
  /* GDBus ends the process (exit-on-close) when a bus goes away under
   * its session connection: close that first. */
  if (bus->session != NULL)
    {
      g_dbus_connection_set_exit_on_close (bus->session, FALSE);
      g_dbus_connection_close_sync (bus->session, NULL, NULL);
      g_clear_object (&bus->session);
    }
  g_clear_pointer (&bus->proc, proc_stop);
  g_clear_pointer (&bus->dir, ob_test_dir_free);
  g_free (bus->address);
  g_free (bus);
}

static void
harness_bus_stop_at_exit (void)
{
  g_clear_pointer (&harness_bus, harness_bus_free);
}

/* Starts the process's private session bus, once. */
static HarnessBus *
harness_bus_get (GError **error)
{
  HarnessBus *bus;
  g_autofree char *socket_path = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *log = NULL;

  if (harness_bus != NULL)
    {
      if (proc_running (harness_bus->proc))
        return harness_bus;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The test D-Bus session bus of this process has exited. Its log (%s):\n%s",
                   harness_bus->proc->log_path, log_tail (harness_bus->proc->log_path));
      return NULL;
    }

  bus = g_new0 (HarnessBus, 1);
  bus->dir = ob_test_dir_new ();
  socket_path = ob_test_dir_file (bus->dir, "bus");
  config_path = ob_test_dir_file (bus->dir, "bus.conf");
  log = ob_test_dir_file (bus->dir, "dbus-daemon.log");
  {
    g_autofree char *escaped = g_dbus_address_escape_value (socket_path);
    g_autofree char *listen_xml = NULL;

    bus->address = g_strdup_printf ("unix:path=%s", escaped);
    listen_xml = g_markup_escape_text (bus->address, -1);
    config = g_strdup_printf (bus_config_format, listen_xml);
  }
  if (!write_file (config_path, config, -1, error))
    {
      harness_bus_free (bus);
      return NULL;
    }

  {
    g_autofree char *config_arg = g_strdup_printf ("--config-file=%s", config_path);
    const char *argv[] = { "/usr/bin/dbus-daemon", config_arg, "--nofork", "--nopidfile", NULL };

    bus->proc = proc_spawn ("D-Bus session bus", argv, ob_test_dir_get_path (bus->dir), log, FALSE, error);
  }
  if (bus->proc == NULL || !proc_wait_ready (bus->proc, bus_ready, bus->address, error))
    {
      harness_bus_free (bus);
      return NULL;
    }

  harness_bus = bus;
  atexit (harness_bus_stop_at_exit);
  return bus;
}

static void
keyring_restore_env (ObTestKeyring *self)
{
  if (!self->env_set)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (keyring_env_names); i++)
    {
      if (self->saved_env[i] != NULL)
        g_setenv (keyring_env_names[i], self->saved_env[i], TRUE);
      else
        g_unsetenv (keyring_env_names[i]);
      g_clear_pointer (&self->saved_env[i], g_free);
    }
  self->env_set = FALSE;
}

ObTestKeyring *
ob_test_keyring_start (GError **error)
{
  g_autoptr(ObTestKeyring) self = g_new0 (ObTestKeyring, 1);
  g_autofree char *home = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *daemon_log = NULL;
  HarnessBus *bus;
  GOutputStream *in;
  const char *argv[] = {
    "/usr/bin/gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets", NULL
  };

  bus = harness_bus_get (error);
  if (bus == NULL)
    return NULL;

  self->dir = ob_test_dir_new ();
  home = ob_test_dir_file (self->dir, "home");
  data_home = g_build_filename (home, ".local", "share", NULL);
  runtime = ob_test_dir_file (self->dir, "runtime");
  daemon_log = ob_test_dir_file (self->dir, "gnome-keyring-daemon.log");
  if (!make_private_dir (data_home, error) || !make_private_dir (runtime, error))
    return NULL;

  /* From here on this process (and what it starts) uses the private bus
   * and a keyring of its own. */
  for (guint i = 0; i < G_N_ELEMENTS (keyring_env_names); i++)
    self->saved_env[i] = g_strdup (g_getenv (keyring_env_names[i]));
  self->env_set = TRUE;
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus->address, TRUE);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_unsetenv ("GNOME_KEYRING_CONTROL");

  /* The process's session connection (GDBus keeps one) is the private bus
   * from now on; keep it to close it before the bus stops. */
  if (bus->session == NULL)
    {
      bus->session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
      if (bus->session == NULL)
        return NULL;
    }

  /* The daemon logs warnings of its own (no PAM session, no prompter);
   * with the tests' G_DEBUG=fatal-warnings they would kill it. It alone
   * starts without G_DEBUG. */
  {
    g_autofree char *g_debug = g_strdup (g_getenv ("G_DEBUG"));

    g_unsetenv ("G_DEBUG");
    self->daemon = proc_spawn ("keyring (gnome-keyring-daemon)", argv, ob_test_dir_get_path (self->dir),
                               daemon_log, TRUE, error);
    if (g_debug != NULL)
      g_setenv ("G_DEBUG", g_debug, TRUE);
  }
  if (self->daemon == NULL)
    return NULL;

  /* --unlock reads the password up to the end of its stdin, and creates
   * the login keyring with it when there is none. */
  in = g_subprocess_get_stdin_pipe (self->daemon->proc);
  if (!g_output_stream_write_all (in, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL, error) ||
      !g_output_stream_close (in, NULL, error))
    {
      g_prefix_error (error, "Cannot give gnome-keyring-daemon its password: ");
      return NULL;
    }

  if (!proc_wait_ready (self->daemon, keyring_ready, bus->address, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
ob_test_keyring_free (ObTestKeyring *self)
{
  if (self == NULL)
    return;

  /* libsecret caches its service (and the daemon's session with it);
   * the next keyring is a new daemon. */
  if (self->daemon != NULL)
    secret_service_disconnect ();
  g_clear_pointer (&self->daemon, proc_stop);
  keyring_restore_env (self);
  g_clear_pointer (&self->dir, ob_test_dir_free);
  g_free (self);
}
