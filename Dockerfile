# Journeymap image: the built front end plus the Python package, served by Daphne.
# Build: docker build -t journeymap .   Run the whole topology: docker compose up

# --- front end: Vite writes the bundle into static/frontend/ ---------------------------------
FROM node:20-slim AS frontend
WORKDIR /src
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ frontend/
COPY static/ static/
RUN cd frontend && npm run build

# --- application ------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media
# gettext compiles the French and English catalogues at build time.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY journeymap/ journeymap/
COPY boards/ boards/
COPY accounts/ accounts/
COPY templates/ templates/
COPY locale/ locale/
COPY static/ static/
COPY --from=frontend /src/static/frontend/ static/frontend/
RUN pip install --no-cache-dir . \
    && DEBUG=true python manage.py compilemessages --ignore '.venv/*' -v0
RUN useradd --system --uid 1000 journeymap && mkdir -p /app/staticfiles /app/media \
    && chown -R journeymap /app/staticfiles /app/media
USER journeymap
EXPOSE 8000
# --proxy-headers: nginx in front tells Daphne the client's address and scheme.
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", \
     "journeymap.asgi:application"]
