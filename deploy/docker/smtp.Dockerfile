# syntax=docker/dockerfile:1
# An SMTP catcher for trying digests: aiosmtpd prints every message it receives
# (`docker compose logs smtp`). Not a mail server: nothing is relayed.
FROM python:3.12-slim-bookworm
RUN pip install --no-cache-dir aiosmtpd==1.4.6 \
    && useradd --system --uid 10001 smtp
USER 10001:10001
EXPOSE 1025
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import smtplib; smtplib.SMTP('127.0.0.1', 1025, timeout=2).quit()"
ENTRYPOINT ["python", "-m", "aiosmtpd", "-n", "-l", "0.0.0.0:1025", "-c", "aiosmtpd.handlers.Debugging"]
