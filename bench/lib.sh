# Sourced by the bench/*.sh scripts: the repository root as working directory, Temurin 25 where present, and
# starting a pinned order-service instance from its jar.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=bench/results
mkdir -p "$out"

# start_order_service PORT [SETTING...]: an order-service JVM on core 1 (serial GC, 512 MiB heap), its actuator on
# PORT + 1000 (management_port PORT), its log in $out, its pid appended to the caller's pids array; returns once it
# is ready
start_order_service() {
	local port=$1; shift
	taskset -c 1 "$java" -Xms256m -Xmx512m -XX:+UseSerialGC -jar order-service/target/order-service-exec.jar \
		--server.port="$port" --management.server.port="$(management_port "$port")" \
		--orders.read-your-writes.ttl=1s --logging.level.root=WARN "$@" \
		>"$out/order-service-$port.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 240); do
		curl -sf "http://127.0.0.1:$(management_port "$port")/actuator/health/readiness" >/dev/null && return 0
		sleep 0.5
	done
	echo "order-service on $port did not become ready" >&2
	exit 1
}

# the actuator (management) port of an instance started on PORT by these scripts
management_port() { echo $(($1 + 1000)); }
