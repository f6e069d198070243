# The image docker-compose.yml runs: the service, its worker and its migrations.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY core core
COPY state_machines state_machines
COPY menus menus
COPY channels channels
COPY simulators simulators
COPY chopbar chopbar
COPY migrations migrations
COPY locale locale
RUN pip install --no-cache-dir -e . && python -c "from core.i18n import compile_catalogs; compile_catalogs()"
USER nobody
EXPOSE 8080
CMD ["chopbar", "serve"]
