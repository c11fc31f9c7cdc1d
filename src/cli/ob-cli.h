/* ob-cli.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ob-store.h"

G_BEGIN_DECLS

/* Exit codes of CLI.md. */
#define OB_CLI_EXIT_OK       0
#define OB_CLI_EXIT_PROBLEMS 1 /* the check ran and found problems */
#define OB_CLI_EXIT_USAGE    2 /* bad usage, bad input, or a failure */

typedef struct _ObCli ObCli;

typedef int (*ObCliFunc) (ObCli  *cli,
                          int     argc,
                          char  **argv);

typedef struct
{
  const char *group;      /* "contacts", "dns"… */
  const char *verb;       /* "import", "check"…, or NULL for one-word commands */
  const char *parameters; /* shown after the command in --help, e.g. "FILE…" */
  const char *summary;    /* one line, translatable (N_()) */
  ObCliFunc   func;
} ObCliCommand;

struct _ObCli
{
  /* Options every command takes. */
  char     *db_path;
  gboolean  json;
  char     *resolver;

  const ObCliCommand *command;
  ObStore            *store;

  /* The command line as given, for ob_cli_run_full(). */
  char **argv;
};

GOptionContext *ob_cli_option_context_new (ObCli               *cli,
                                           const GOptionEntry  *entries,
                                           gboolean             with_resolver);
gboolean        ob_cli_parse              (ObCli               *cli,
                                           GOptionContext      *context,
                                           int                 *argc,
                                           char              ***argv);
char           *ob_cli_command_name       (ObCli               *cli);
ObStore        *ob_cli_get_store          (ObCli               *cli,
                                           GError             **error);
int             ob_cli_usage_error        (ObCli               *cli,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int             ob_cli_fail               (ObCli               *cli,
                                           const GError        *error);
void            ob_cli_print_json         (JsonNode            *node,
                                           gboolean             pretty);
void            ob_cli_print_json_builder (JsonBuilder         *builder,
                                           gboolean             pretty);

int             ob_cli_main               (int                  argc,
                                           char               **argv);
int             ob_cli_run_full           (ObCli               *cli);

/* The commands, listed with their summaries in ob-cli.c. */
int ob_cli_db_info            (ObCli *cli, int argc, char **argv);
int ob_cli_address_check      (ObCli *cli, int argc, char **argv);
int ob_cli_contacts_import    (ObCli *cli, int argc, char **argv);
int ob_cli_contacts_list      (ObCli *cli, int argc, char **argv);
int ob_cli_contacts_export    (ObCli *cli, int argc, char **argv);
int ob_cli_contacts_segment   (ObCli *cli, int argc, char **argv);
int ob_cli_suppress_add       (ObCli *cli, int argc, char **argv);
int ob_cli_suppress_remove    (ObCli *cli, int argc, char **argv);
int ob_cli_suppress_list      (ObCli *cli, int argc, char **argv);
int ob_cli_suppress_import    (ObCli *cli, int argc, char **argv);
int ob_cli_suppress_export    (ObCli *cli, int argc, char **argv);
int ob_cli_dns_query          (ObCli *cli, int argc, char **argv);
int ob_cli_dns_check          (ObCli *cli, int argc, char **argv);
int ob_cli_spf                (ObCli *cli, int argc, char **argv);
int ob_cli_lint               (ObCli *cli, int argc, char **argv);
int ob_cli_render             (ObCli *cli, int argc, char **argv);
int ob_cli_template_add       (ObCli *cli, int argc, char **argv);
int ob_cli_template_list      (ObCli *cli, int argc, char **argv);
int ob_cli_account_add        (ObCli *cli, int argc, char **argv);
int ob_cli_account_list       (ObCli *cli, int argc, char **argv);
int ob_cli_account_remove     (ObCli *cli, int argc, char **argv);
int ob_cli_account_test       (ObCli *cli, int argc, char **argv);
int ob_cli_account_providers  (ObCli *cli, int argc, char **argv);
int ob_cli_bounce_classify    (ObCli *cli, int argc, char **argv);
int ob_cli_bounce_reply       (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_create    (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_run       (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_list      (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_start     (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_pause     (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_resume    (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_stop      (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_status    (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_log       (ObCli *cli, int argc, char **argv);
int ob_cli_campaign_resolve   (ObCli *cli, int argc, char **argv);
int ob_cli_report_campaign    (ObCli *cli, int argc, char **argv);
int ob_cli_report_lists       (ObCli *cli, int argc, char **argv);
int ob_cli_mailbox_poll       (ObCli *cli, int argc, char **argv);

G_END_DECLS
