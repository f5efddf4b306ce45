#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the Mailer tests.

Listens on 127.0.0.1 on a free port and prints `PORT <n>` on stdout once it accepts
connections (after `CA <path>` when it speaks TLS). Every message it accepts is written to
MAILDIR as NNNN.eml (the bytes as received, after dot-unstuffing) and NNNN.json: the envelope,
what the session looked like (TLS, AUTH mechanism, what the client had already sent when MAIL
FROM was read, which shows pipelining) and the message as Python's `email` package parses it.

Recipients whose local part starts with `temp` get 450, `reject` 550, `stall` no answer after
the message's final dot, `defer` 451 to the first message's final dot and 250 to later ones.
`--behaviour silent` never greets; `mute` greets and never answers; `no-ehlo` refuses EHLO
(502) like a server from before RFC 1869, so the client must say HELO.

A message counts as received only when its 250 is about to be written: `--delay S` holds every
reply to the final dot for S seconds first, and `--hold-after N` holds the reply to the message
after the Nth for an hour, having written `holding.txt` into MAILDIR. A client that goes away
while a reply is held ends the hold: that message is not recorded, as the server never accepted
it. `--tls` speaks TLS from the first byte (port 465 style) instead of offering STARTTLS.

    smtp_server.py MAILDIR [--starttls | --tls] [--auth USER PASSWORD] [--auth-mechanisms PLAIN LOGIN]
                   [--auth-without-tls] [--no-pipelining] [--behaviour normal|silent|mute|no-ehlo]
                   [--delay SECONDS] [--hold-after N]
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def make_certificate(directory):
    """A self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI."""
    key = os.path.join(directory, "key.pem")
    cert = os.path.join(directory, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True)
    return key, cert


def parsed_view(raw):
    """The message as Python's email package reads it, for the Swift test to compare."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [repr(d) for d in message.defects]
    headers = []
    for name, value in message.items():
        defects += [f"{name}: {d!r}" for d in getattr(value, "defects", ())]
        headers.append([name, str(value)])
    view = {"headers": headers, "content_type": message.get_content_type(), "parts": []}
    for field in ("From", "To"):
        header = message[field]
        if header is not None:
            view[field.lower()] = [{"display_name": a.display_name, "addr_spec": a.addr_spec} for a in header.addresses]
    if message.is_multipart():
        for part in message.iter_parts():
            defects += [repr(d) for d in part.defects]
            view["parts"].append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "body": part.get_content(),
            })
    view["defects"] = defects
    return view


class Mailbox:
    def __init__(self, maildir, delay=0.0, hold_after=None):
        self.maildir = maildir
        self.count = 0
        self.delay = delay
        self.hold_after = hold_after
        self.deferred = set()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if server.no_ehlo:
            session.extended_smtp = False
            return ["502 5.5.2 Error: command not recognized"]
        session.host_name = hostname
        if server.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # Whatever the client sent after MAIL FROM before reading its reply is still buffered.
        envelope.buffered_after_mail = bytes(server._reader._buffer).decode("ascii", "replace")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("temp"):
            return "450 4.2.1 Mailbox temporarily unavailable"
        if local.startswith("reject"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.split("@")[0].lower().startswith("stall") for r in envelope.rcpt_tos):
            await asyncio.sleep(3600)
        first_defers = [r for r in envelope.rcpt_tos if r.split("@")[0].lower().startswith("defer") and r not in self.deferred]
        if first_defers:
            self.deferred.update(first_defers)
            return "451 4.3.0 Temporary local problem, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold_after is not None and self.count == self.hold_after:
            self.hold_after = None
            with open(os.path.join(self.maildir, "holding.txt"), "w") as f:
                f.write(f"{self.count + 1}\n")
            await asyncio.sleep(3600)
        self.count += 1
        stem = os.path.join(self.maildir, f"{self.count:04d}")
        raw = envelope.original_content or envelope.content
        with open(stem + ".eml.tmp", "wb") as f:
            f.write(raw)
        sidecar = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": server._tls_protocol is not None or server.transport.get_extra_info("sslcontext") is not None,
            "auth_mechanism": getattr(session, "auth_mechanism", None),
            "buffered_after_mail": getattr(envelope, "buffered_after_mail", ""),
            "parsed": parsed_view(raw),
        }
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(sidecar, f, ensure_ascii=False, indent=1)
        os.replace(stem + ".eml.tmp", stem + ".eml")
        os.replace(stem + ".json.tmp", stem + ".json")
        return "250 2.0.0 Message accepted for delivery"


class Silent(asyncio.Protocol):
    """Accepts the connection and never says a word."""

    def connection_made(self, transport):
        self.transport = transport


class Mute(Silent):
    """Greets, then listens without ever answering."""

    def connection_made(self, transport):
        super().connection_made(transport)
        transport.write(b"220 mute.test ESMTP ready\r\n")


def main():
    # Started from a Swift test's thread, the server inherits a mask that blocks SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("maildir")
    parser.add_argument("--starttls", action="store_true", help="offer and require STARTTLS")
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"), help="require AUTH with these credentials")
    parser.add_argument("--auth-mechanisms", nargs="+", default=["PLAIN", "LOGIN"])
    parser.add_argument("--auth-without-tls", action="store_true", help="offer AUTH before STARTTLS")
    parser.add_argument("--no-pipelining", action="store_true")
    parser.add_argument("--tls", action="store_true", help="speak TLS from the first byte")
    parser.add_argument("--behaviour", choices=["normal", "silent", "mute", "no-ehlo"], default="normal")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to hold each reply to the final dot")
    parser.add_argument("--hold-after", type=int, help="hold the reply to the message after this many for an hour")
    args = parser.parse_args()
    os.makedirs(args.maildir, exist_ok=True)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if args.behaviour == "silent":
        factory = Silent
    elif args.behaviour == "mute":
        factory = Mute
    else:
        tls_context = None
        if args.starttls or args.tls:
            key, cert = make_certificate(args.maildir)
            tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls_context.load_cert_chain(cert, key)
            print(f"CA {cert}", flush=True)
        authenticator = None
        if args.auth:
            user, password = (s.encode() for s in args.auth)

            def authenticator(server, session, envelope, mechanism, data):
                session.auth_mechanism = mechanism
                ok = isinstance(data, LoginPassword) and data.login == user and data.password == password
                return AuthResult(success=ok, handled=False)  # False: aiosmtpd answers 535 itself
        excluded = [m for m in ("PLAIN", "LOGIN") if m not in args.auth_mechanisms]
        mailbox = Mailbox(args.maildir, delay=args.delay, hold_after=args.hold_after)

        def factory():
            smtp = SMTP(mailbox, hostname="paperboy.test", tls_context=None if args.tls else tls_context,
                        require_starttls=args.starttls, auth_required=bool(args.auth),
                        auth_require_tls=not args.auth_without_tls, authenticator=authenticator,
                        auth_exclude_mechanism=excluded, loop=loop)
            smtp.pipelining = not args.no_pipelining
            smtp.no_ehlo = args.behaviour == "no-ehlo"
            return smtp

    implicit = tls_context if args.behaviour not in ("silent", "mute") and args.tls else None
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0, ssl=implicit))
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
