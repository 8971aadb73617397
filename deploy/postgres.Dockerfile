# PostgreSQL 15 from Debian, with the official postgres image's interface: POSTGRES_DB,
# POSTGRES_USER and POSTGRES_PASSWORD make the cluster on first start, in
# /var/lib/postgresql/data (a volume), so DUET_POSTGRES_IMAGE=postgres:15-bookworm can
# replace it where a registry is reachable.
ARG BASE=duet-service-base:bookworm
FROM ${BASE}
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
RUN chmod 0755 /usr/local/bin/postgres-entrypoint.sh \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["postgres-entrypoint.sh"]
CMD ["postgres"]
