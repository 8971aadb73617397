.PHONY: start test images lint gvisor compose-images compose-up compose-down backup

# Start everything: Redis, sandbox images, the course, demo accounts, worker and site.
start:
	bash scripts/start.sh

# The full test suite (what CI runs): SQLite, then PostgreSQL, gVisor and the course.
test:
	bash scripts/test.sh

images:
	bash sandbox/images/build.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Register gVisor's runsc with this machine's Docker engine (daemon.json, then SIGHUP),
# for DUET_SANDBOX_RUNTIME=runsc.
gvisor:
	bash scripts/gvisor.sh

# Duet as containers (docker-compose.yml), from images built here with no registry.
compose-images:
	bash deploy/build.sh

compose-up:
	bash deploy/up.sh

compose-down:
	DUET_DOCKER_GID=$$(stat -c %g /var/run/docker.sock) docker-compose --env-file var/compose.env down

# A consistent backup of the database (SQLite or PostgreSQL) into var/backups/.
backup:
	mkdir -p var/backups
	.venv/bin/python manage.py backup_database var/backups/duet-$$(date -u +%Y%m%dT%H%M%SZ).backup
