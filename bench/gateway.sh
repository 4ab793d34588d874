#!/usr/bin/env bash
# The gateway's costs, each beside its baseline in the same run:
#   1. proxy cost: wrk against a backend (nginx returning a constant) directly, through nginx as a reverse proxy,
#      and through the gateway (public route: rate limiter in Redis, load balancer, tracing, headers);
#   2. authentication: an authenticated route vs the same route on a gateway with authentication off;
#   3. JMH: choosing an instance (consistent hashing vs Spring's round-robin), and the key distribution report.
#
#   bench/gateway.sh        (CONNECTIONS=32 DURATION=30 WARMUP=60)
#
# Core sharing on the 2-core machine: the proxy under test (nginx proxy or gateway) on core 1; wrk and the
# backend on core 0; Redis unpinned. The gateway runs with the bench profile (rate limits far above the load).
# Results: bench/results/gateway-<timestamp>.txt; docs/benchmarks.md quotes them.
source "$(dirname "$0")/lib.sh"
connections=${CONNECTIONS:-32}
duration=${DURATION:-30}
warmup=${WARMUP:-60}
out=bench/results
run=$(mktemp -d)
mkdir -p "$out" "$run/logs"
report="$out/gateway-$(date -u +%Y%m%dT%H%M%SZ).txt"
for tool in wrk nginx redis-cli; do
	command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install wrk nginx-light redis-tools)" >&2; exit 1; }
done
scripts/infra.sh up >/dev/null
./mvnw -q -B -DskipTests -Pbench package -pl gateway-service,bench -am

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$run"; }
trap cleanup EXIT

nginx_start() { # config core
	taskset -c "$2" nginx -p "$run" -c "$root/bench/nginx/$1" >"$run/logs/$1.log" 2>&1 &
	pids+=($!)
}
gateway_start() { # port management-port extra-args...
	local port=$1 management=$2
	shift 2
	ORDER_SERVICE_URLS=http://127.0.0.1:18881 SESSION_SERVICE_URLS=http://127.0.0.1:18881 \
		WORKER_SERVICE_URLS=http://127.0.0.1:18881 \
		taskset -c 1 "$java" -Xms256m -Xmx512m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
		-jar gateway-service/target/gateway-service-exec.jar --spring.profiles.active=bench \
		--server.port="$port" --management.server.port="$management" --logging.level.root=WARN "$@" \
		>"$out/gateway-$port.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 240); do
		curl -sf "http://127.0.0.1:$management/actuator/health/readiness" >/dev/null && return 0
		sleep 0.5
	done
	echo "gateway on $port did not become ready" >&2
	exit 1
}
load() { # url [header]
	local args=(-t1 -c"$connections" --latency)
	[ $# -gt 1 ] && args+=(-H "$2")
	taskset -c 0 wrk "${args[@]}" -d"${warmup}s" "$1" >/dev/null
	taskset -c 0 wrk "${args[@]}" -d"${duration}s" "$1"
}

nginx_start backend.conf 0
nginx_start proxy.conf 1
gateway_start 18080 18090
gateway_start 18180 18190 --platform.auth.enabled=false

# a session exactly as session-service writes it (Spring Session hash, JSON values)
token=$(cat /proc/sys/kernel/random/uuid)
now=$(($(date +%s%N) / 1000000))
key="spring:session:sessions:$token"
redis-cli HSET "$key" creationTime "$now" lastAccessedTime "$now" maxInactiveInterval 1800 \
	sessionAttr:userId '"424242"' sessionAttr:username '"bench"' sessionAttr:roles '"USER"' >/dev/null
redis-cli EXPIRE "$key" 3600 >/dev/null

{
	trap cleanup EXIT # the block runs in a subshell (| tee): its processes are cleaned up there
	echo "# bench/gateway.sh $(date -u +%FT%TZ) connections=$connections duration=${duration}s warmup=${warmup}s"
	echo "# $(nproc) cores: proxy under test on core 1; wrk and the backend (nginx) on core 0; Redis unpinned"
	echo
	echo "## 1a. backend directly"
	load http://127.0.0.1:18881/api/products
	echo
	echo "## 1b. through nginx (reverse proxy, keepalive upstream)"
	load http://127.0.0.1:18882/api/products
	echo
	echo "## 1c. through the gateway (public route, anonymous)"
	load http://127.0.0.1:18080/api/products
	echo
	echo "## 2a. authenticated route (X-Auth-Token, session read from Redis)"
	load http://127.0.0.1:18080/api/orders "X-Auth-Token: $token"
	echo
	echo "## 2b. the same route, authentication off"
	load http://127.0.0.1:18180/api/orders
	echo
	echo "## 3. JMH: choosing an instance (ns/op, B/op with -prof gc)"
	taskset -c 1 "$java" -jar bench/target/benchmarks.jar BalancerBenchmark -prof gc -f 1 -wi 3 -i 5 -w 2s -r 2s 2>&1 |
		grep -E '^Benchmark|BalancerBenchmark\.[a-zA-Z]+ +[0-9]|gc.alloc.rate.norm +' | grep -v 'gc.alloc.rate ' || true
	echo
	echo "## 4. distribution of 1,000,000 keys"
	"$java" -cp bench/target/benchmarks.jar dev.sysdesign.bench.balancer.DistributionReport
} | tee "$report"
redis-cli DEL "$key" >/dev/null
echo "report: $report"
