"""Doctor check of the mailer: reachable and accepting the robot's login, without sending anything."""

from __future__ import annotations

import smtplib
import ssl
import tempfile

from bot.app import build_mailer
from bot.config import Settings
from bot.doctor.checks import Check, fail, ok
from bot.doctor.config import mailer_problem
from bot.errors import MailUnavailable, SettingsError, SheetsUnavailable
from bot.mail.smtp import SmtpConfig, SmtpSecurity


def check_mailer(settings: Settings) -> Check:
    name = f"mailer ({settings.mailer})"
    problem = mailer_problem(settings)
    if problem:
        return fail(name, problem)
    if settings.mailer == "smtp":
        return check_smtp(name, SmtpConfig.from_settings(settings))
    if settings.mailer == "gmail":
        return check_gmail(name, settings)
    return check_outbox(name, settings)


def check_outbox(name: str, settings: Settings) -> Check:
    folder = settings.outbox_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as e:
        return fail(name, f"RYKKERBOT_OUTBOX ({folder}): mappen kan ikke skrives ({type(e).__name__}). "
                          "Ret stien eller rettighederne.")
    return ok(name, f"mails lægges som .eml-filer i {folder.resolve()} (intet sendes; "
                    "RYKKERBOT_MAILER=smtp eller gmail sender)")


def check_smtp(name: str, c: SmtpConfig) -> Check:
    """Connect, EHLO, STARTTLS when configured, log in when a username is set; then QUIT. No mail."""
    where = f"{c.host}:{c.port}"
    timeout = min(c.timeout, 15.0)
    context = c.tls_context or ssl.create_default_context()
    done: list[str] = []
    try:
        smtp = (smtplib.SMTP_SSL(c.host, c.port, timeout=timeout, context=context) if c.security is SmtpSecurity.SSL
                else smtplib.SMTP(c.host, c.port, timeout=timeout))
        try:
            smtp.ehlo()
            done.append("EHLO")
            if c.security is SmtpSecurity.STARTTLS:
                smtp.starttls(context=context)
                smtp.ehlo()
                done.append("STARTTLS")
            if c.username:
                smtp.login(c.username, c.password)
                done.append(f"login som {c.username}")
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    except smtplib.SMTPAuthenticationError as e:
        return fail(name, f"mailserveren {where} afviste login for {c.username!r} ({e.smtp_code}). "
                          "Ret SMTP_USERNAME / SMTP_PASSWORD.")
    except smtplib.SMTPNotSupportedError:
        what = "login (AUTH)" if "STARTTLS" in done or c.security is not SmtpSecurity.STARTTLS else "STARTTLS"
        return fail(name, f"mailserveren {where} understøtter ikke {what}. Ret SMTP_SECURITY, eller fjern "
                          "SMTP_USERNAME, hvis serveren ikke kræver login.")
    except ssl.SSLError as e:
        return fail(name, f"TLS til {where} mislykkedes ({type(e).__name__}). Tjek SMTP_HOST, SMTP_PORT og "
                          "SMTP_SECURITY (starttls på 587, ssl på 465).")
    except (OSError, smtplib.SMTPException) as e:
        return fail(name, f"mailserveren {where} svarer ikke ({type(e).__name__}). Tjek SMTP_HOST og SMTP_PORT, "
                          "og at maskinen må nå serveren.")
    return ok(name, f"{where} svarer ({', '.join(done)}); intet sendt")


def check_gmail(name: str, settings: Settings) -> Check:
    """Build the Gmail client from the key, then ask Gmail which addresses the user may send as (one read,
    ``bot.mail.gmail_sendas``): a From that is not one of them would silently go out as the user's primary address.
    Sending is not tried, so no mail goes out."""
    from bot.mail.gmail import GmailMailer, gmail_config
    from bot.mail.gmail_sendas import check_send_as, sending_user
    from bot.sheets.mail_budget import SheetBudget

    try:
        mailer = build_mailer(settings)
        config = gmail_config(settings, api_endpoint=settings.gmail_endpoint)
    except (SettingsError, MailUnavailable) as e:
        return fail(name, str(e))
    except Exception as e:  # a doctor reports what it finds; it never ends in a traceback
        return fail(name, f"Gmail-klienten kunne ikke bygges ({type(e).__name__}). Tjek GOOGLE_APPLICATION_CREDENTIALS "
                          "og RYKKERBOT_MAIL_FROM.")
    found = check_send_as(config)
    who = f"som Gmail-brugeren {sending_user(config)} (RYKKERBOT_GMAIL_DELEGATE)"
    if not found.ok:
        return fail(name, f"{found.detail}")
    usage = ""
    if isinstance(mailer, GmailMailer) and isinstance(mailer.budget, SheetBudget):  # the count all workers share
        try:
            usage = (f"; {mailer.budget.used()} af {mailer.budget.limit} mails brugt de sidste 24 timer "
                     "(fanen Mailforbrug i kø-arket, delt af alle workers)")
        except (MailUnavailable, SheetsUnavailable) as e:
            return fail(name, str(e))
    return ok(name, f"Gmail-klienten er bygget og sender {who}; {found.detail}{usage} (intet sendt)")
