# The production image: gunicorn serving the site; the same image runs the Celery worker
# and beat (see docker-compose.yml). Configure it through the environment (README.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# --build-constraint needs pip 25.3: XStatic-Bootstrap ships only an sdist that must be built
# with setuptools<81 (build-constraints.txt).
RUN python -m pip install --upgrade "pip>=25.3"
COPY requirements.txt build-constraints.txt ./
RUN python -m pip install --build-constraint build-constraints.txt -r requirements.txt

COPY . .

# Settings refuse to load with DEBUG off and no SECRET_KEY, so collectstatic gets a throwaway
# key that exists only during this step; the real one comes from the environment at run time.
ARG SECRET_KEY=collectstatic-only-throwaway-key-never-used-at-run-time
RUN DEBUG=false SECRET_KEY="$SECRET_KEY" python manage.py collectstatic --noinput

# The code stays owned by root and read-only to the app; only var/ (uploads) is writable.
RUN groupadd --system --gid 10001 homework \
    && useradd --system --uid 10001 --gid homework --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin homework \
    && mkdir -p /app/var/media \
    && chown -R homework:homework /app/var
USER homework

# gunicorn reads its worker count from WEB_CONCURRENCY: about 2 x CPU cores + 1.
ENV WEB_CONCURRENCY=3
EXPOSE 8000
CMD ["gunicorn", "homework_mgmt.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
