#!/usr/bin/env bash
# Asynchronous order processing end to end, beside the two ceilings it is built on, measured in the same run:
#
#   bench/messaging.sh        (SECONDS_MEASURED=30 WARMUP=60 CONNECTIONS=16 CONSUMERS=8 by default)
#
# 1. Database ceiling: a plain JDBC commit loop on the same primary (bench/src/.../CommitLoop.java), 16 connections.
# 2. Broker ceiling: RabbitMQ PerfTest on the same broker, quorum queue, persistent messages, publisher confirms
#    (at most 50 unconfirmed per producer), 2 producers, 8 consumers with prefetch 10 acknowledging each message.
# 3. The pipeline: one order-service and one worker-service (payment latency 0) started from their jars; wrk POSTs
#    orders at full speed for SECONDS_MEASURED; the run then waits until every order it created is final.
#    End-to-end throughput = orders created / (time of the last CONFIRMED - time the load started).
#    Where the time goes: per order, POST -> worker decision -> order-service applied (from the rows' timestamps),
#    and the outbox relay lag (commit -> broker ack) p50/p99 of both services (Micrometer percentiles).
# One order needs 3 published messages (order.placed and order.processed to quorum queues, order.status-changed
# fanned out to each order-service instance) and 3 transactions (the placement, the worker's processing and the
# result's application; the relays' "sent" marks are batched). The report divides each ceiling accordingly.
#
# The machine's 2 cores are shared by everything in step 3 (two JVMs, MariaDB, RabbitMQ, wrk); the ceilings run
# alone. Stop any running platform first (scripts/platform.sh down): the run purges the order queues.
# Results: bench/results/messaging-<timestamp>.txt; docs/benchmarks.md quotes them.
source "$(dirname "$0")/lib.sh"
measured=${SECONDS_MEASURED:-30}
warmup=${WARMUP:-60}
connections=${CONNECTIONS:-16}
consumers=${CONSUMERS:-8}
primary_url="jdbc:mariadb://127.0.0.1:3307"
report="$out/messaging-$(date -u +%Y%m%dT%H%M%SZ).txt"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v rabbitmqctl >/dev/null || { echo "rabbitmqctl is needed (the local RabbitMQ's CLI)" >&2; exit 1; }
for port in 18081 18082; do
	if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
done

scripts/infra.sh up >/dev/null
./mvnw -q -B -DskipTests -Pbench package -pl order-service,worker-service,bench -am
./mvnw -q -B -f bench/perf-test/pom.xml dependency:build-classpath -Dmdep.outputFile="$root/bench/target/perf-test.classpath"

sql() { mariadb --no-defaults -h127.0.0.1 -P3307 -uroot -N -B -D orders -e "$1"; }
purge() { for queue in worker.order-placed worker.order-cancelled order-service.order-processed; do
	rabbitmqctl -q purge_queue "$queue" >/dev/null 2>&1 || true; done; }
clean() { # the orders of this benchmark (user ids 1..100000) and what the worker holds of them
	sql "DELETE ps FROM worker.payment_authorization ps JOIN worker.order_state os ON os.order_id = ps.order_id WHERE os.user_id <= 100000;
	     DELETE FROM worker.order_state WHERE user_id <= 100000;
	     DELETE oi FROM orders.order_item oi JOIN orders.purchase_order po ON po.id = oi.order_id WHERE po.user_id <= 100000;
	     DELETE FROM orders.purchase_order WHERE user_id <= 100000;"
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; purge; }
trap cleanup EXIT

await_ready() {
	for _ in $(seq 1 240); do
		curl -sf "http://127.0.0.1:$(management_port "$1")/actuator/health/readiness" >/dev/null && return 0
		sleep 0.5
	done
	echo "the service on $1 did not become ready" >&2
	exit 1
}

pending_since() { sql "SELECT COUNT(*) FROM orders.purchase_order WHERE user_id <= 100000 AND status = 'PENDING' AND created_at >= '$1'"; }

await_drained() { # all orders created since $1 are final
	for _ in $(seq 1 1200); do
		[ "$(pending_since "$1")" = 0 ] && return 0
		sleep 0.25
	done
	echo "orders still pending after 5 minutes" >&2
	exit 1
}

cpu_ticks() { # total user+system clock ticks of a process and its threads
	awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
cpu_snapshot() { # "name ticks" for each process of the pipeline
	for entry in "order-service:$order_pid" "worker-service:$worker_pid" \
		"mariadb-primary:$(pgrep -f 'mariadbd.*--port=3307' | head -1)" \
		"mariadb-replica:$(pgrep -f 'mariadbd.*--port=3308' | head -1)" \
		"rabbitmq:$(pgrep -f beam.smp | head -1)" "redis:$(pgrep -x redis-server | head -1)"; do
		echo "${entry%%:*} $(cpu_ticks "${entry#*:}")"
	done
}

quantile() { # service-port metric quantile
	curl -s "http://127.0.0.1:$(management_port "$1")/actuator/prometheus" | awk -v m="$2" -v q="$3" '$0 ~ "^"m"\\{" && $0 ~ "quantile=\""q"\"" {printf "%.1f", $2*1000}'
}

{
	trap cleanup EXIT # the block runs in a subshell (| tee): its processes are cleaned up there
	echo "# bench/messaging.sh $(date -u +%FT%TZ) measured=${measured}s warmup=${warmup}s connections=$connections consumers=$consumers"
	echo "# $(nproc) cores, shared by all processes of the pipeline; the ceilings run alone"
	echo
	purge
	clean
	echo "## ceiling: JDBC commit loop on the primary ($connections connections)"
	sql "CREATE DATABASE IF NOT EXISTS bench"
	commits=$("$java" -cp bench/target/benchmarks.jar dev.sysdesign.bench.CommitLoop --url "$primary_url/bench" \
		--threads "$connections" --seconds 20 --warmup 5)
	echo "$commits"
	commit_rate=$(sed -E 's/.*throughput=([0-9.]+).*/\1/' <<<"$commits")
	echo
	echo "## ceiling: RabbitMQ PerfTest (quorum queue, persistent, confirms, 2 producers, 8 consumers, prefetch 10)"
	rabbitmqctl -q delete_queue bench.perf-test >/dev/null 2>&1 || true
	perf=$("$java" -cp "$(cat bench/target/perf-test.classpath)" com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 \
		--quorum-queue --queue bench.perf-test --confirm 50 --producers 2 --consumers 8 --qos 10 --size 400 --time 20 2>&1 \
		| grep -E "rate avg|latency")
	rabbitmqctl -q delete_queue bench.perf-test >/dev/null 2>&1 || true
	echo "$perf"
	sent=$(grep "sending rate avg" <<<"$perf" | sed -E 's/.*avg: ([0-9]+).*/\1/')
	received=$(grep "receiving rate avg" <<<"$perf" | sed -E 's/.*avg: ([0-9]+).*/\1/')
	broker_rate=$(( sent < received ? sent : received ))
	echo
	"$java" -Xms256m -Xmx512m -XX:+UseSerialGC -jar order-service/target/order-service-exec.jar --server.port=18081 \
		--management.server.port=19081 --logging.level.root=WARN --orders.messaging.consumers="$consumers" >"$out/messaging-order-service.log" 2>&1 &
	order_pid=$!
	pids+=($!)
	"$java" -Xms256m -Xmx512m -XX:+UseSerialGC -jar worker-service/target/worker-service-exec.jar --server.port=18082 \
		--management.server.port=19082 --logging.level.root=WARN --worker.payment.latency=0ms --worker.messaging.consumers="$consumers" \
		--platform.scheduler.enabled=false >"$out/messaging-worker-service.log" 2>&1 &
	worker_pid=$!
	pids+=($!)
	await_ready 18081
	await_ready 18082
	warm_start=$(sql "SELECT UTC_TIMESTAMP(3)")
	wrk -t1 -c"$connections" -d"${warmup}s" -s bench/wrk/create-order.lua http://127.0.0.1:18081 >/dev/null
	await_drained "$warm_start"
	start=$(sql "SELECT UTC_TIMESTAMP(3)")
	cpu_before=$(cpu_snapshot)
	echo "## pipeline: POST /api/orders for ${measured}s (wrk, $connections connections), then until every order is final"
	wrk -t1 -c"$connections" -d"${measured}s" --latency -s bench/wrk/create-order.lua http://127.0.0.1:18081 | grep -E "Requests/sec|Latency|99%|50%|non-202"
	await_drained "$start"
	cpu_after=$(cpu_snapshot)
	read -r orders confirmed span <<<"$(sql "SELECT COUNT(*), SUM(status = 'CONFIRMED'),
		TIMESTAMPDIFF(MICROSECOND, '$start', MAX(updated_at)) / 1e6
		FROM orders.purchase_order WHERE user_id <= 100000 AND created_at >= '$start'")"
	e2e=$(awk -v n="$orders" -v s="$span" 'BEGIN {printf "%.1f", n / s}')
	echo "orders created: $orders, confirmed: $confirmed, last confirmed ${span}s after the load started"
	echo "end-to-end: $e2e orders/s (POST -> CONFIRMED)"
	echo
	echo "## where the time goes (per order, ms: p50 / p99)"
	sql "SELECT CONCAT('POST -> worker decided:      ', ROUND(MAX(a50)/1000, 1), ' / ', ROUND(MAX(a99)/1000, 1)),
	            CONCAT('worker decided -> applied:   ', ROUND(MAX(b50)/1000, 1), ' / ', ROUND(MAX(b99)/1000, 1)),
	            CONCAT('POST -> CONFIRMED:           ', ROUND(MAX(c50)/1000, 1), ' / ', ROUND(MAX(c99)/1000, 1))
	     FROM (SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a) OVER () a50, PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY a) OVER () a99,
	                  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY b) OVER () b50, PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY b) OVER () b99,
	                  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a + b) OVER () c50, PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY a + b) OVER () c99
	           FROM (SELECT TIMESTAMPDIFF(MICROSECOND, po.created_at, os.updated_at) a, TIMESTAMPDIFF(MICROSECOND, os.updated_at, po.updated_at) b
	                 FROM orders.purchase_order po JOIN worker.order_state os ON os.order_id = po.id
	                 WHERE po.user_id <= 100000 AND po.created_at >= '$start') t) p" | tr '\t' '\n'
	echo "CPU per order (ms), from the load's start until the last order was final:"
	join <(sort <<<"$cpu_before") <(sort <<<"$cpu_after") | awk -v n="$orders" -v hz="$(getconf CLK_TCK)" \
		'{ms = ($3 - $2) * 1000 / hz / n; total += ms; printf "  %-16s %6.2f\n", $1, ms} END {printf "  %-16s %6.2f\n", "total", total}'
	echo "outbox relay lag, order-service (commit -> broker ack): p50 $(quantile 18081 outbox_relay_lag_seconds 0.5) ms, p99 $(quantile 18081 outbox_relay_lag_seconds 0.99) ms"
	echo "outbox relay lag, worker-service:                      p50 $(quantile 18082 outbox_relay_lag_seconds 0.5) ms, p99 $(quantile 18082 outbox_relay_lag_seconds 0.99) ms"
	echo
	echo "## ratios"
	awk -v e="$e2e" -v c="$commit_rate" -v b="$broker_rate" 'BEGIN {
		db = c / 3; mq = b / 3; slower = (db < mq) ? db : mq;
		printf "database ceiling: %.0f commits/s / 3 per order = %.0f orders/s\n", c, db;
		printf "broker ceiling:   %.0f messages/s / 3 per order = %.0f orders/s\n", b, mq;
		printf "pipeline / slower ceiling = %.1f / %.0f = %.2f (target >= 0.5)\n", e, slower, e / slower }'
	clean
} | tee "$report"
echo "report: $report"
