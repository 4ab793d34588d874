#!/usr/bin/env bash
# The whole topology as local processes, without Docker.
#
#   scripts/platform.sh up                  build if needed, scripts/infra.sh up, start gateway, session-service,
#                                           2x order-service, 2x worker-service; wait until all are ready
#   scripts/platform.sh down                stop exactly the processes this script started
#   scripts/platform.sh status              instances, pids, readiness, memory (RSS)
#   scripts/platform.sh scale SERVICE N     run N (1-5) instances of SERVICE (gateway, session-service,
#                                           order-service, worker-service) on the running platform
#   scripts/platform.sh logs SERVICE [N]    follow an instance's log
#
# Instance n of a service listens on its base port + 100*(n-1): gateway 8080, order-service 8081,
# worker-service 8082, session-service 8083; each serves its actuator on a management port 10 above
# (8090, 8091, 8092, 8093). The gateway discovers instances by probing every such address, so scaling
# needs no configuration change.
# Traces: a Zipkin server (Zipkin's exec jar, fetched by Maven like any dependency; in-memory storage) runs on
# 127.0.0.1:9411 beside the services, which send it every span (sampling PLATFORM_TRACING_SAMPLING, default 1.0):
# http://localhost:9411/zipkin/. `down` stops it too.
# Bind addresses: the gateway's public port listens on every interface; every other port (the services,
# all management ports) on PLATFORM_BIND_ADDRESS only (default 127.0.0.1: nobody on the network can call
# a service directly with forged identity headers). Set it to 0.0.0.0 only on an isolated network.
# Logs and pid files: $PLATFORM_RUN_DIR (default .run/platform in the repository).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
run=${PLATFORM_RUN_DIR:-$root/.run/platform}
bind_address=${PLATFORM_BIND_ADDRESS:-127.0.0.1}
services=(gateway session-service order-service worker-service)
default_counts=(1 1 2 2)

log() { printf '[platform] %s\n' "$*" >&2; }
die() { printf '[platform] ERROR: %s\n' "$*" >&2; exit 1; }

# Temurin 25 where present, otherwise a JAVA_HOME of 21 or newer.
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
	export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
java_major=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${java_major:-0}" -ge 21 ] 2>/dev/null || die "Java 21 or newer is needed (found ${java_major:-none}); set JAVA_HOME"

module() { [ "$1" = gateway ] && echo gateway-service || echo "$1"; }

base_port() {
	case "$1" in
	gateway) echo 8080 ;;
	order-service) echo 8081 ;;
	worker-service) echo 8082 ;;
	session-service) echo 8083 ;;
	*) die "unknown service '$1' (one of: ${services[*]})" ;;
	esac
}

port() { echo $(($(base_port "$1") + 100 * ($2 - 1))); }

management_port() { # the actuator is never on the service's own port
	echo $(($(port "$1" "$2") + 10))
}

readiness_url() { echo "http://127.0.0.1:$(management_port "$1" "$2")/actuator/health/readiness"; }

jar() { echo "$root/$(module "$1")/target/$(module "$1")-exec.jar"; }

zipkin_port=9411
zipkin_version() { sed -n 's:.*<zipkin-server.version>\(.*\)</zipkin-server.version>.*:\1:p' "$root/pom.xml"; }
zipkin_jar() { echo "$run/zipkin/zipkin-server-$(zipkin_version)-exec.jar"; }

zipkin_running() {
	local pid
	[ -f "$run/zipkin.pid" ] || return 1
	pid=$(cat "$run/zipkin.pid")
	kill -0 "$pid" 2>/dev/null && grep -qF -- "zipkin-server" "/proc/$pid/cmdline" 2>/dev/null
}

zipkin_ready() { curl -sf -m 2 "http://127.0.0.1:$zipkin_port/health" >/dev/null 2>&1; }

start_zipkin() {
	zipkin_running && return 0
	if (exec 3<>"/dev/tcp/127.0.0.1/$zipkin_port") 2>/dev/null; then
		log "port $zipkin_port is taken by another process; not starting Zipkin (spans go to whatever listens there)"
		return 0
	fi
	if [ ! -f "$(zipkin_jar)" ]; then
		log "fetching the Zipkin server (io.zipkin:zipkin-server:$(zipkin_version):exec) with Maven"
		(cd "$root" && ./mvnw -q -B -N dependency:copy -Dartifact="io.zipkin:zipkin-server:$(zipkin_version):jar:exec" \
			-DoutputDirectory="$run/zipkin") || die "could not fetch the Zipkin server"
	fi
	mkdir -p "$run"
	nohup "$java_bin" -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
		-jar "$(zipkin_jar)" "--armeria.ports[0].port=$zipkin_port" "--armeria.ports[0].ip=127.0.0.1" \
		"--armeria.ports[0].protocols[0]=http" --zipkin.storage.mem.max-spans=100000 >"$run/zipkin.log" 2>&1 &
	echo $! >"$run/zipkin.pid"
	log "started Zipkin (pid $!, 127.0.0.1:$zipkin_port, log $run/zipkin.log)"
}

await_zipkin() {
	local i
	[ -f "$run/zipkin.pid" ] || return 0
	for ((i = 0; i < 120; i++)); do
		zipkin_ready && return 0
		kill -0 "$(cat "$run/zipkin.pid")" 2>/dev/null || break
		sleep 0.5
	done
	log "Zipkin is not answering yet (log: $run/zipkin.log)"
}

stop_zipkin() {
	zipkin_running && terminate "$(cat "$run/zipkin.pid")" Zipkin
	rm -f "$run/zipkin.pid"
}

pidfile() { echo "$run/$1-$2.pid"; }

running() { # service n -> 0 when the instance this script started is alive
	local f pid
	f=$(pidfile "$1" "$2")
	[ -f "$f" ] || return 1
	pid=$(cat "$f")
	kill -0 "$pid" 2>/dev/null && grep -qF -- "$(jar "$1")" "/proc/$pid/cmdline" 2>/dev/null
}

ready() { curl -sf -m 2 "$(readiness_url "$1" "$2")" >/dev/null 2>&1; }

build_if_needed() {
	local stale=0 s
	for s in "${services[@]}"; do
		if [ ! -f "$(jar "$s")" ] || [ -n "$(find "$root/$(module "$s")/src" "$root/libs" -newer "$(jar "$s")" -type f -print -quit 2>/dev/null)" ]; then
			stale=1
		fi
	done
	if [ "$stale" = 1 ]; then
		log "building the services (./mvnw -DskipTests package)"
		(cd "$root" && ./mvnw -q -B -DskipTests package -pl gateway-service,session-service,order-service,worker-service -am) ||
			die "build failed"
	fi
}

start_instance() { # service n
	local s=$1 n=$2 p mp
	running "$s" "$n" && return 0
	p=$(port "$s" "$n")
	mp=$(management_port "$s" "$n")
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		die "port $p is taken by another process; cannot start $s #$n"
	fi
	mkdir -p "$run"
	local args=(--server.port="$p" --management.server.port="$mp")
	# Small heaps and the serial collector: six or more JVMs share two cores here.
	BIND_ADDRESS="$bind_address" INSTANCE_ID="$s-$n" TRACING_EXPORT_ENABLED=true \
		ZIPKIN_ENDPOINT="http://127.0.0.1:$zipkin_port/api/v2/spans" \
		TRACING_SAMPLING_PROBABILITY="${PLATFORM_TRACING_SAMPLING:-1.0}" nohup "$java_bin" -Xms64m -Xmx256m -XX:+UseSerialGC -Xss512k \
		-XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=200m --enable-native-access=ALL-UNNAMED \
		-jar "$(jar "$s")" "${args[@]}" >"$run/$s-$n.log" 2>&1 &
	echo $! >"$(pidfile "$s" "$n")"
	log "started $s #$n (pid $!, port $p, log $run/$s-$n.log)"
}

terminate() { # pid what: SIGTERM, up to 30 s for the graceful shutdown, then SIGKILL
	local pid=$1 i
	kill "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	log "stopped $2 (pid $pid)"
}

stop_instance() { # service n
	local s=$1 n=$2 f
	f=$(pidfile "$s" "$n")
	running "$s" "$n" && terminate "$(cat "$f")" "$s #$n"
	rm -f "$f"
}

await_ready() { # "service:n" ...
	local started=$SECONDS pending=("$@") left item s n
	while [ ${#pending[@]} -gt 0 ]; do
		left=()
		for item in "${pending[@]}"; do
			s=${item%:*}
			n=${item#*:}
			if ! running "$s" "$n"; then
				tail -20 "$run/$s-$n.log" >&2 || true
				die "$s #$n exited during start-up (log: $run/$s-$n.log)"
			fi
			ready "$s" "$n" || left+=("$item")
		done
		pending=("${left[@]+"${left[@]}"}")
		[ ${#pending[@]} -eq 0 ] && break
		[ $((SECONDS - started)) -gt 240 ] && die "not ready after 240 s: ${pending[*]}"
		sleep 0.5
	done
	log "ready in $((SECONDS - started)) s"
}

count() { # service -> number of running instances
	local n c=0
	for n in 1 2 3 4 5; do running "$1" "$n" && c=$((c + 1)); done
	echo $c
}

scale() { # service N
	local s=${1/#gateway-service/gateway} want=$2 n started=()
	base_port "$s" >/dev/null
	[[ "$want" =~ ^[1-5]$ ]] || die "N must be 1 to 5"
	for n in 1 2 3 4 5; do
		if [ "$n" -le "$want" ]; then
			if ! running "$s" "$n"; then
				start_instance "$s" "$n"
				started+=("$s:$n")
			fi
		else
			stop_instance "$s" "$n"
		fi
	done
	[ ${#started[@]} -gt 0 ] && await_ready "${started[@]}"
	return 0
}

status() {
	local s n pid rss state any=0
	printf '%-16s %-3s %-8s %-6s %-10s %s\n' SERVICE '#' PID PORT STATE RSS
	for s in "${services[@]}"; do
		for n in 1 2 3 4 5; do
			running "$s" "$n" || continue
			any=1
			pid=$(cat "$(pidfile "$s" "$n")")
			rss=$(ps -o rss= -p "$pid" 2>/dev/null | awk '{printf "%d MiB", $1/1024}')
			ready "$s" "$n" && state=ready || state=starting
			printf '%-16s %-3s %-8s %-6s %-10s %s\n' "$s" "$n" "$pid" "$(port "$s" "$n")" "$state" "$rss"
		done
	done
	[ $any = 1 ] || echo "(no instance running)"
	if zipkin_running; then
		zipkin_ready && state=up || state=starting
		echo "Zipkin: pid $(cat "$run/zipkin.pid"), 127.0.0.1:$zipkin_port, $state"
	fi
}

urls() {
	cat <<EOF
Console        http://localhost:8080/
API            http://localhost:8080/api/products
Health         http://localhost:8090/actuator/health      (gateway management port; services: 8091-8093)
Instances      http://localhost:8090/actuator/instances   (?key=<userId> names the instance that owns a user)
Metrics        http://localhost:8090/actuator/prometheus
Traces         http://localhost:9411/zipkin/             (every request, through RabbitMQ and back)
Logs           $run/
EOF
}

case "${1:-}" in
up)
	build_if_needed
	"$here/infra.sh" up >/dev/null
	start_zipkin
	pending=()
	for i in "${!services[@]}"; do
		s=${services[$i]}
		for ((n = 1; n <= ${default_counts[$i]}; n++)); do
			if ! running "$s" "$n"; then
				start_instance "$s" "$n"
				pending+=("$s:$n")
			fi
		done
	done
	[ ${#pending[@]} -gt 0 ] && await_ready "${pending[@]}"
	await_zipkin
	status
	urls
	;;
down)
	for s in "${services[@]}"; do
		for n in 5 4 3 2 1; do
			stop_instance "$s" "$n"
		done
	done
	stop_zipkin
	;;
status)
	status
	;;
scale)
	scale "${2:?scale SERVICE N}" "${3:?scale SERVICE N}"
	status
	;;
logs)
	tail -f "$run/${2:?logs SERVICE [N]}-${3:-1}.log"
	;;
*)
	echo "usage: $0 up|down|status|scale SERVICE N|logs SERVICE [N]" >&2
	exit 2
	;;
esac
