# Production-like image for web (gunicorn), worker and beat (celery). See docs/operations-setup.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    DJANGO_MEDIA_ROOT=/data/media

# WeasyPrint's native libraries (Pango, FreeType via pangoft2, HarfBuzz subsetter).
# No CJK system fonts on purpose: PDFs use the fonts shipped in static/fonts/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app /data/media \
    && chown app:app /data/media

WORKDIR /app

# Dependencies first (cached layer): runtime deps only, pinned by constraints.txt.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt .

COPY . .

# collectstatic needs importable production settings; these build-time values are not secrets
# and do not persist in the image environment. The PDF fonts are read from /app/static/fonts by
# portal/pdf.py, never served: skip them (whitenoise would spend minutes compressing 19 MB).
RUN DJANGO_SECRET_KEY=collectstatic-build-only-value \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput -v 0 --ignore 'NotoSerifSC-*.ttf'

USER app
EXPOSE 8000
VOLUME ["/data/media"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi:application"]
