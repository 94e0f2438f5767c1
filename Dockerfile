# The application's image: gunicorn by default (compose.yaml also runs the worker and
# the release step from it). Built in two stages: the first installs the locked
# dependencies, compiles the catalogues and collects the static files; the second
# carries only their result and runs as a user without privileges.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
# gettext's msgfmt compiles the translation catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The runtime dependencies, exactly as uv.lock pins them (hashes checked), with the
# uv that the lock file pins; a layer of its own, rebuilt only when they change.
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir "$(grep -o 'uv==[0-9.]*' pyproject.toml)" \
    && uv sync --locked --no-install-project --no-cache
COPY . .
# Catalogues compiled after their .po was copied, so newer than it (core.E003);
# static files collected for whitenoise (no database is needed for either); the
# code compiled once, as the running user may not write beside it.
RUN find locale -name django.po -execdir msgfmt --check-format -o django.mo django.po \; \
    && DJANGO_SETTINGS_MODULE=config.settings.production \
       SECRET_KEY=collectstatic-only \
       ALLOWED_HOSTS=localhost \
       DATABASE_URL=postgres://build@localhost/build \
       /app/.venv/bin/python manage.py collectstatic --noinput \
    && /app/.venv/bin/python -m compileall -q -x '/\.venv/' .

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN groupadd --system --gid 10001 contacts \
    && useradd --system --uid 10001 --gid contacts --home-dir /app --no-create-home contacts
WORKDIR /app
COPY --from=build --chown=root:root /app /app
USER contacts
EXPOSE 8000
# Liveness: the process answers (/healthz, core.health). Readiness is /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "config.wsgi"]
