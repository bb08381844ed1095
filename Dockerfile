# Rykkerbot worker. The image tag must match playwright== in requirements.txt (1.65.2): the image's
# browsers in /ms-playwright are built for that version. Build and run: see docs/going-live.md.
FROM mcr.microsoft.com/playwright/python:v1.65.2-noble

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_BREAK_SYSTEM_PACKAGES=1 \
    GOOGLE_APPLICATION_CREDENTIALS=/secrets/key.json \
    RYKKERBOT_OUTBOX=/app/var/outbox \
    RYKKERBOT_ARTIFACTS=/app/var/artifacts \
    RYKKERBOT_GMAIL_STATE=/app/var/gmail-budget.json

# A non-root user of its own; Chromium runs as this user too.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin rykkerbot

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt ./
RUN python3 -m pip install -r requirements.txt

COPY . .
# The code is root-owned and read-only to the worker; only var/ (outbox, screenshots and traces of
# failures, the Gmail send budget) is writable. Mount a volume there to keep it across restarts.
RUN mkdir -p /app/var && chown rykkerbot:rykkerbot /app/var

USER rykkerbot
VOLUME ["/app/var"]

CMD ["python", "worker.py", "run"]
