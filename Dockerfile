# syntax=docker/dockerfile:1.7
# Parley: one runnable jar (the Vosk English model inside it) on a JRE, run as a non-root user.
#   docker build -t parley .
#   docker run -p 8080:8080 -v parley-data:/var/lib/parley/data parley
# Configuration is by PARLEY_<SECTION>_<KEY> environment variables (see README, Configuration).
# The two base images are build arguments; the defaults are the public images. docker/stack-test.sh
# builds with local ones (Debian's JDK, Maven and JRE: docker/local/jdk and jre) where no registry
# is reachable.
ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17.0.13_11-jre-jammy

# ---- build ------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
# Dependencies first, so that a source change does not download them again.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline -DexcludeReactor=true || true
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests \
 && jar tf target/parley.jar | grep -qx 'models/vosk-model-en.zip' \
 || { echo "the Vosk model is missing from target/parley.jar" >&2; exit 1; }

# ---- run --------------------------------------------------------------------------------------
# A glibc base (Ubuntu, or Debian locally): the embedded PostgreSQL binaries and Vosk's native
# library need glibc.
# janus-pp-rec (janus-tools) and ffmpeg turn Janus's recordings into one file (server recordings);
# without them the node still runs and says so in /health/ready.
FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ffmpeg janus-tools \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 parley \
 && useradd --system --uid 10001 --gid parley --home-dir /var/lib/parley --shell /usr/sbin/nologin parley \
 && mkdir -p /var/lib/parley/data/recordings /var/lib/parley/shared /opt/parley \
 && chown -R parley:parley /var/lib/parley
COPY --from=build /src/target/parley.jar /opt/parley/parley.jar

# The data folder holds the embedded PostgreSQL and Redis (when no URLs are set), the unpacked
# Vosk model, the filesystem blob store and the development signing key.
ENV PARLEY_HTTP_PORT=8080 \
    PARLEY_DATA_DIR=/var/lib/parley/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER parley:parley
WORKDIR /var/lib/parley
VOLUME ["/var/lib/parley/data"]
# 8080 HTTP; 5701 Hazelcast membership and 5702 the clustered event bus (cluster.enabled=true).
EXPOSE 8080 5701 5702
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PARLEY_HTTP_PORT}/health/live" || exit 1
# Exec form: java is PID 1 and gets SIGTERM, which drains sockets and stops cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/opt/parley/parley.jar"]
