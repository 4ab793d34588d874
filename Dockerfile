# syntax=docker/dockerfile:1.7
# One image pattern for every service of the platform:
#   docker build --build-arg SERVICE=order-service -t sysdesign/order-service .
# docker-compose.yml builds all four this way.

ARG JAVA_VERSION=25

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src
COPY . .
ARG SERVICE
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<module> is required" >&2; exit 1)
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true package -pl "$SERVICE" -am
# the layered jar, extracted so that dependencies (which rarely change) form their own image layers
RUN java -Djarmode=tools -jar "$SERVICE/target/$SERVICE-exec.jar" extract --layers \
      --destination /layers --application-filename application.jar

FROM eclipse-temurin:${JAVA_VERSION}-jre
ARG SERVICE
# the management port (actuator) of the service
ARG HEALTH_PORT=8090
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home-dir /app app
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
# BIND_ADDRESS: inside a container "loopback only" would shut out the compose or pod network; the
# network around the container is what keeps the services' ports private
ENV SERVICE=${SERVICE} \
    HEALTH_PORT=${HEALTH_PORT} \
    BIND_ADDRESS=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# readiness over plain bash (/dev/tcp): the JRE image needs no curl
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/$HEALTH_PORT && printf "GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "application.jar"]
