#!/usr/bin/python3
# smtp_server.py — a scriptable SMTP server for the Outbound test harness.
#
# Copyright 2026 The Outbound authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Built on Debian's python3-aiosmtpd. It listens on 127.0.0.1, port 0 by
# default, and writes the port it got to --port-file once it accepts
# connections. Accepted messages go to --maildir (one file per message in
# new/, named in delivery order), every command line a client sends goes to
# --log. Rules (--rules FILE, one a line) script the replies:
#
#   SUBSTRING CODE TEXT      reply to a RCPT whose address contains SUBSTRING
#   @greeting CODE TEXT      greet with this reply, then close
#   @data-drop               close the connection in the middle of DATA
#   @data CODE TEXT          reply to the end of DATA (the message is not kept)

import argparse
import asyncio
import os
import signal
import ssl
import sys
import traceback

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, syntax

HOSTNAME = "harness.localhost"
USER = b"testuser"
PASSWORD = b"testpass"
SIZE_LIMIT = 33554432


class Config:
    def __init__(self, args):
        self.args = args
        self.rcpt_rules = []
        self.greeting = None
        self.data_reply = None
        self.data_drop = False
        if args.rules:
            with open(args.rules, encoding="utf-8") as f:
                for raw in f:
                    rule = raw.rstrip("\r\n")
                    if not rule.strip():
                        continue
                    if rule.startswith("@greeting "):
                        self.greeting = rule[len("@greeting "):].strip()
                    elif rule.strip() == "@data-drop":
                        self.data_drop = True
                    elif rule.startswith("@data "):
                        self.data_reply = rule[len("@data "):].strip()
                    else:
                        key, _, reply = rule.partition(" ")
                        if not reply.strip():
                            sys.exit(f"smtp_server.py: rule without a reply: {rule!r}")
                        self.rcpt_rules.append((key.lower(), reply.strip()))
        self.log = open(args.log, "ab", buffering=0)
        self.counter = 0
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)

    def log_line(self, line):
        self.log.write(line.rstrip(b"\r\n") + b"\n")

    def store(self, data):
        self.counter += 1
        name = "%07d.%d.harness" % (self.counter, os.getpid())
        tmp = os.path.join(self.args.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.args.maildir, "new", name))


class Handler:
    def __init__(self, config):
        self.config = config

    def ok(self, enhanced, text):
        # Enhanced status codes only where ENHANCEDSTATUSCODES is offered.
        if self.config.args.minimal:
            return "250 " + text
        return "250 %s %s" % (enhanced, text)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return self.ok("2.1.0", "OK")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lowered = address.lower()
        for key, reply in self.config.rcpt_rules:
            if key in lowered:
                return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return self.ok("2.1.5", "OK")

    async def handle_DATA(self, server, session, envelope):
        if self.config.data_reply:
            return self.config.data_reply
        tls = server.transport.get_extra_info("ssl_object") is not None
        auth = session.auth_data if session.authenticated else None
        head = (
            "X-Harness-Mail-From: %s\r\n"
            "X-Harness-Rcpt-To: %s\r\n"
            "X-Harness-Auth: %s\r\n"
            "X-Harness-TLS: %s\r\n"
            % (
                envelope.mail_from or "",
                ",".join(envelope.rcpt_tos),
                auth.decode("utf-8", "replace") if auth else "none",
                "yes" if tls else "no",
            )
        )
        content = envelope.original_content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        self.config.store(head.encode("utf-8", "surrogateescape") + content)
        return self.ok("2.0.0", "OK: queued")


def authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and \
            auth_data.login == USER and auth_data.password == PASSWORD:
        return AuthResult(success=True, auth_data=auth_data.login)
    return AuthResult(success=False, handled=False)


class HarnessSMTP(SMTP):
    def __init__(self, config, **kwargs):
        super().__init__(Handler(config), **kwargs)
        self.config = config
        self.in_data = False

    def _client_connected_cb(self, reader, writer):
        super()._client_connected_cb(reader, writer)
        read_until = reader.readuntil
        config = self.config

        # Every line the client sends outside DATA goes to the protocol
        # log (readline() of the AUTH exchanges goes through readuntil()).
        async def logged_readuntil(*a, **kw):
            line = await read_until(*a, **kw)
            if not self.in_data:
                config.log_line(line)
            return line

        reader.readuntil = logged_readuntil

    @syntax("EHLO hostname")
    async def smtp_EHLO(self, hostname):
        if not hostname:
            await self.push("501 Syntax: EHLO hostname")
            return
        self._set_rset_state()
        self.session.extended_smtp = True
        self.session.host_name = hostname
        args = self.config.args
        lines = [self.hostname]
        if not args.minimal:
            lines += ["PIPELINING", "SIZE %d" % SIZE_LIMIT, "8BITMIME", "SMTPUTF8",
                      "ENHANCEDSTATUSCODES"]
            self.command_size_limits["MAIL"] += 36
        if self.tls_context and not self._tls_protocol:
            lines.append("STARTTLS")
        if args.auth and (not self._auth_require_tls or self._tls_protocol):
            lines.append("AUTH LOGIN PLAIN")
        lines.append("HELP")
        for i, line in enumerate(lines):
            await self.push(("250 " if i == len(lines) - 1 else "250-") + line)

    @syntax("AUTH <mechanism>")
    async def smtp_AUTH(self, arg):
        if not self.config.args.auth:
            await self.push("502 5.5.1 AUTH not supported")
            return
        await super().smtp_AUTH(arg)

    @syntax("DATA")
    async def smtp_DATA(self, arg):
        if not self.config.data_drop or not self.envelope.rcpt_tos:
            self.in_data = True
            try:
                await super().smtp_DATA(arg)
            finally:
                self.in_data = False
            return
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        self.in_data = True
        # Take some of the message, then hang up in the middle of it.
        await self._reader.readuntil(b"\r\n")
        self.transport.abort()


class GreetAndClose(asyncio.Protocol):
    def __init__(self, reply):
        self.reply = reply

    def connection_made(self, transport):
        transport.write(self.reply.encode("utf-8") + b"\r\n")
        transport.close()


async def serve(args):
    config = Config(args)
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    implicit = args.implicit_tls and context is not None

    def factory():
        try:
            return make_protocol()
        except Exception:
            # asyncio drops errors of a protocol factory silently.
            traceback.print_exc()
            raise

    def make_protocol():
        if config.greeting:
            config.log_line(b"(connection greeted with: " + config.greeting.encode() + b")")
            return GreetAndClose(config.greeting)
        return HarnessSMTP(
            config,
            hostname=HOSTNAME,
            ident="Outbound test harness",
            tls_context=None if implicit else context,
            enable_SMTPUTF8=not args.minimal,
            data_size_limit=None if args.minimal else SIZE_LIMIT,
            authenticator=authenticator,
            auth_required=args.require_auth,
            # Over STARTTLS, AUTH is only offered once TLS is up, as on a
            # real submission server. aiosmtpd does not count implicit TLS
            # as TLS, so it must not require it there.
            auth_require_tls=context is not None and not implicit,
            timeout=60,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host="127.0.0.1", port=args.port,
                                      ssl=context if implicit else None)
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, args.port_file)

    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    loop.add_signal_handler(signal.SIGINT, stop.set_result, None)
    await stop
    server.close()


def main():
    p = argparse.ArgumentParser(description="SMTP server for the Outbound test harness")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--rules")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth", action="store_true")
    p.add_argument("--require-auth", action="store_true")
    p.add_argument("--minimal", action="store_true")
    args = p.parse_args()
    if (args.implicit_tls) and not args.cert:
        p.error("--implicit-tls needs --cert and --key")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
