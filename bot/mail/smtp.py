"""SMTP adapter: STARTTLS, SSL or plain (local test servers), login from the environment, a timeout.

Errors are mapped by whose fault they are: 4xx and network trouble -> ``MailUnavailable`` (retry); 5xx on a
recipient -> ``RecipientRefused``; 5xx on the message -> ``MailRejected``; bad login -> ``MailAuthError``
(the operator's to fix; retried like an outage).
The password is never logged and never part of an error.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from enum import StrEnum

from bot.addresses import normalize_address
from bot.config import Settings
from bot.errors import MailUnavailable, SettingProblem, SettingsError
from bot.mail.errors import MailAuthError, MailRejected, RecipientRefused
from bot.mail.message import Email, to_mime

log = logging.getLogger(__name__)

ENV_PREFIX = "SMTP_"
FROM_VARIABLE = "RYKKERBOT_MAIL_FROM"


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"  # port 587: plain connect, then upgrade (the usual choice)
    SSL = "ssl"  # port 465: TLS from the first byte
    PLAIN = "plain"  # no TLS: only for a local test server ("none" is accepted too)

    @classmethod
    def _missing_(cls, value: object) -> SmtpSecurity | None:
        return cls.PLAIN if isinstance(value, str) and value.lower() == "none" else None


DEFAULT_PORTS = {SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465, SmtpSecurity.PLAIN: 25}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    from_address: str
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str = ""
    password: str = field(default="", repr=False)
    from_name: str = "Rykkerbot"
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)  # None: system CAs

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        """The worker's settings as the variables ``from_env`` reads (one mapping, used by the mailer and doctor)."""
        return cls.from_env({"SMTP_HOST": settings.smtp_host, "SMTP_PORT": str(settings.smtp_port),
                             "SMTP_SECURITY": settings.smtp_security, "SMTP_USERNAME": settings.smtp_username,
                             "SMTP_PASSWORD": settings.smtp_password, "SMTP_TIMEOUT": str(settings.smtp_timeout),
                             "RYKKERBOT_MAIL_FROM": settings.mail_from})

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SmtpConfig:
        """Read ``SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USERNAME, SMTP_PASSWORD, SMTP_TIMEOUT`` and
        ``RYKKERBOT_MAIL_FROM`` ("Rykkerbot <robot@firma.dk>" or a bare address). Problems name the variable."""
        problems: list[SettingProblem] = []

        def get(name: str, default: str | None = None) -> str:
            value = environ.get(name, "").strip()
            if not value and default is None:
                problems.append(SettingProblem("", name, f"{name} mangler. Sæt miljøvariablen."))
            return value or (default or "")

        security_text = get(ENV_PREFIX + "SECURITY", "starttls").lower()
        try:
            security = SmtpSecurity(security_text)
        except ValueError:
            security = SmtpSecurity.STARTTLS
            problems.append(
                SettingProblem(
                    "",
                    ENV_PREFIX + "SECURITY",
                    f"{ENV_PREFIX}SECURITY: '{security_text}' skal være starttls, ssl eller none.",
                )
            )
        host = get(ENV_PREFIX + "HOST")
        port_text = get(ENV_PREFIX + "PORT", str(DEFAULT_PORTS[security]))
        timeout_text = get(ENV_PREFIX + "TIMEOUT", "30")
        for name, text in ((ENV_PREFIX + "PORT", port_text), (ENV_PREFIX + "TIMEOUT", timeout_text)):
            if not text.replace(".", "", 1).isdigit():
                problems.append(SettingProblem("", name, f"{name}: '{text}' er ikke et tal."))
        raw_from = get(FROM_VARIABLE)
        from_name, from_address = parseaddr(raw_from)
        if raw_from:
            # parseaddr gives "" for a malformed address: check what the user wrote between < > instead.
            written = from_address or (raw_from.rpartition("<")[2].rstrip(">") if "<" in raw_from else raw_from)
            try:
                from_address = normalize_address(written, FROM_VARIABLE)
            except SettingsError as e:
                problems.append(SettingProblem("", FROM_VARIABLE, f"{FROM_VARIABLE}: {e.problems[0].message}"))
        if problems:
            raise SettingsError(problems)
        return cls(
            host=host,
            port=int(float(port_text)),
            from_address=from_address,
            security=security,
            username=get(ENV_PREFIX + "USERNAME", ""),
            password=environ.get(ENV_PREFIX + "PASSWORD", ""),
            from_name=from_name or "Rykkerbot",
            timeout=float(timeout_text),
        )


class SmtpMailer:
    """Sends each mail over a fresh SMTP connection (the robot sends a handful of mails per job)."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    def send(self, email: Email) -> str:
        c = self._config
        if not email.sender_name and c.from_name:
            email = replace(email, sender_name=c.from_name)
        msg = to_mime(email, c.from_address)
        message_id = str(msg["Message-ID"])
        where = f"{c.host}:{c.port}"
        try:
            smtp = self._connect()
            try:
                if c.security is SmtpSecurity.STARTTLS:
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                if c.username:
                    smtp.login(c.username, c.password)
                refused = smtp.send_message(msg, from_addr=c.from_address, to_addrs=list(email.recipients))
            finally:
                _quit_quietly(smtp)
        except smtplib.SMTPAuthenticationError as e:
            variables = f"{ENV_PREFIX}USERNAME / {ENV_PREFIX}PASSWORD"
            log.error("SMTP login refused by %s for user %r (%s): the operator must fix %s", where, c.username,
                      e.smtp_code, variables)
            raise MailAuthError(f"{where} afviste robottens login for '{c.username}' ({e.smtp_code}).",
                                variables) from None
        except smtplib.SMTPNotSupportedError:
            raise SettingsError(
                SettingProblem(
                    "",
                    ENV_PREFIX + "SECURITY",
                    f"{ENV_PREFIX}SECURITY: mailserveren {where} understøtter ikke {c.security}.",
                )
            ) from None
        except smtplib.SMTPRecipientsRefused as e:
            codes = {addr: code for addr, (code, _) in e.recipients.items()}
            if all(400 <= code < 500 for code in codes.values()):
                raise MailUnavailable(f"Mailserveren {where} kan ikke tage imod nu: {_reasons(e.recipients)}") from None
            raise RecipientRefused(_reason_map(e.recipients)) from None
        except smtplib.SMTPSenderRefused as e:
            if 400 <= e.smtp_code < 500:
                raise MailUnavailable(f"Mailserveren {where} svarede {e.smtp_code} til afsenderen.") from None
            raise SettingsError(
                SettingProblem(
                    "",
                    FROM_VARIABLE,
                    f"Mailserveren {where} afviste afsenderen '{c.from_address}' "
                    f"({e.smtp_code} {_text(e.smtp_error)}). Brug en adresse kontoen må sende fra.",
                )
            ) from None
        except smtplib.SMTPResponseException as e:
            if 400 <= e.smtp_code < 500:
                raise MailUnavailable(f"Mailserveren {where} svarede {e.smtp_code}: {_text(e.smtp_error)}") from None
            raise MailRejected(
                f"Mailserveren {where} afviste mailen '{email.subject}': {e.smtp_code} {_text(e.smtp_error)}"
            ) from None
        except ssl.SSLCertVerificationError as e:
            raise SettingsError(
                SettingProblem(
                    "",
                    ENV_PREFIX + "HOST",
                    f"{ENV_PREFIX}HOST: certifikatet for {where} kunne ikke godkendes ({e.reason}).",
                )
            ) from None
        except (OSError, smtplib.SMTPException) as e:  # refused, timeout, DNS, disconnect
            raise MailUnavailable(f"Mailserveren {where} svarer ikke ({type(e).__name__}). Prøv igen senere.") from None
        if refused:
            raise RecipientRefused(_reason_map(refused), delivered=True)
        log.info("mail sent via %s: %r to %d recipient(s)", where, email.subject, len(email.recipients))
        return message_id

    def _context(self) -> ssl.SSLContext:
        return self._config.tls_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        c = self._config
        if c.security is SmtpSecurity.SSL:
            return smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self._context())
        return smtplib.SMTP(c.host, c.port, timeout=c.timeout)


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    """Close without raising: once the server has the message, a failing QUIT must not make us send it again."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _reason_map(refused: Mapping[str, tuple[int, bytes]]) -> dict[str, str]:
    return {addr: f"{code} {_text(msg)}".strip() for addr, (code, msg) in refused.items()}


def _reasons(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {reason}" for addr, reason in _reason_map(refused).items())
