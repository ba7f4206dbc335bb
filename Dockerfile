# The portal's image: web (gunicorn), Celery worker and Celery beat all run from it.
# Built in two stages: the first installs the runtime packages (requirements.txt only,
# never the test tools) into a virtual environment and collects the static files; the
# second holds that environment, the code, the system libraries WeasyPrint needs, and
# runs as a user without rights.

FROM python:3.11-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt build-constraints.txt ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install -q uv==0.13.9 \
    && /opt/venv/bin/uv pip install -q --python /opt/venv/bin/python \
       -r requirements.txt --build-constraint build-constraints.txt \
    && /opt/venv/bin/pip uninstall -q -y uv
COPY . .
# Production storage (hashed, compressed files): collected with DEBUG off. The cache
# setting only satisfies start-up; collectstatic never touches it.
RUN DEBUG=false SECRET_KEY=collectstatic-only CACHE_URL=dbcache://unused \
    /opt/venv/bin/python manage.py collectstatic --noinput

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/opt/venv/bin:$PATH"
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app portail \
    && mkdir -p /srv/portail/private && chown portail /srv/portail/private
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
USER portail
EXPOSE 8000
# Asks with the first of ALLOWED_HOSTS as Host; /health/ is exempt from the HTTPS redirect.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD curl -fsS -H "Host: ${ALLOWED_HOSTS%%,*}" http://127.0.0.1:8000/health/ || exit 1
# The access log holds the path without its query string, and no Referer: the youth's
# one-time sign-in and answer links carry their token in the query string (youthspace).
CMD ["gunicorn", "convention_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s %(L)s"]
