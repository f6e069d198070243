# The image docker-compose.yml runs: the service (8080), its worker (metrics on 9101) and its migrations.
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
# The inbound spool's folder, owned by the service's user: a named volume mounted there takes its owner.
RUN mkdir -p /var/lib/chopbar/spool && chown nobody /var/lib/chopbar/spool
USER nobody
EXPOSE 8080 9101
CMD ["chopbar", "serve"]
