.PHONY: start test images lint

# Start everything: Redis, sandbox images, the course, demo accounts, worker and site.
start:
	bash scripts/start.sh

# The full test suite (what CI runs).
test:
	bash scripts/test.sh

images:
	bash sandbox/images/build.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
