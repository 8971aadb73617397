# The site, the worker and beat, for docker-compose.yml: one image, three commands.
# deploy/build.sh builds it on a Debian base it makes (no registry needed), from a copy
# of the work tree (app/) and wheels it built on the host (wheels/): nothing is fetched
# here. Duet runs as the unprivileged user duet (uid 10100).
ARG BASE=duet-service-base:bookworm
FROM ${BASE}

RUN groupadd --gid 10100 duet \
 && useradd --uid 10100 --gid duet --home-dir /srv/duet --no-create-home --shell /usr/sbin/nologin duet
COPY wheels /tmp/wheels
COPY app/requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/duet \
 && /opt/duet/bin/pip install --quiet --no-index --find-links /tmp/wheels --no-warn-script-location \
      -r /tmp/requirements.txt \
 && rm -rf /tmp/wheels /tmp/requirements.txt

WORKDIR /srv/duet
COPY app/ .
ENV PATH=/opt/duet/bin:/usr/local/bin:/usr/bin:/bin \
    DJANGO_SETTINGS_MODULE=course.settings \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8 \
    DUET_VAR_DIR=/var/lib/duet \
    DUET_MEDIA_ROOT=/srv/media
# The data folder and the media volume's mount point belong to duet (a new named volume
# takes the ownership of the folder it is mounted on).
RUN install -d -o duet -g duet -m 0700 /var/lib/duet && install -d -o duet -g duet -m 0755 /srv/media \
 && SECRET_KEY=build python -m compileall -q course lessons sandbox \
 && SECRET_KEY=build python manage.py collectstatic --noinput -v 0 \
 && chown -R duet:duet /var/lib/duet
USER duet
EXPOSE 8000
CMD ["sh", "deploy/web.sh"]
