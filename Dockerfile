# syntax=docker/dockerfile:1
# Build stage: turn the project into wheels, so the runtime image carries no build tools.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY content ./content
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: non-root user, database on a volume.
FROM python:3.12-slim
RUN useradd --create-home --uid 10001 stardrill \
    && mkdir /data \
    && chown stardrill /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*.whl \
    && rm -rf /wheels
USER 10001
ENV STARDRILL_DB=/data/stardrill.db \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
# Ready: the store answers, the scheduler state is known, every platform connection is up
# (`stardrill health` reads the status file the running bot keeps beside its database).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["stardrill", "health"]
ENTRYPOINT ["stardrill"]
CMD ["run"]
