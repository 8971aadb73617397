# Redis from Debian, the broker and the push channel of docker-compose.yml.
ARG BASE=duet-service-base:bookworm
FROM ${BASE}
USER redis
EXPOSE 6379
# The broker's queue lives in memory and in an append-only file in the volume, so queued
# jobs outlive a restart (the sweeper would send lost ones again anyway).
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/var/lib/redis", "--appendonly", "yes", "--save", ""]
