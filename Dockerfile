# The portal's image: web (gunicorn), Celery worker and Celery beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt build-constraints.txt ./
RUN pip install uv==0.13.9 \
    && uv pip install --system -r requirements.txt --build-constraint build-constraints.txt

COPY . .
# Production storage (hashed, compressed files): collected with DEBUG off.
RUN DEBUG=false SECRET_KEY=collectstatic-only CACHE_URL=dbcache://unused \
    python manage.py collectstatic --noinput \
    && useradd --system --home /app portail \
    && mkdir -p /srv/portail/private && chown portail /srv/portail/private

USER portail
EXPOSE 8000
CMD ["gunicorn", "convention_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
