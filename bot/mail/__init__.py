"""Mail: the ``Email`` value, the ``Mailer`` port and its adapters (SMTP, Gmail API, local outbox), templates.

Rendering (``bot.texts.render``) is pure and returns an ``Email``; a mailer only sends.
"""
