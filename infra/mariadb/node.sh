#!/usr/bin/env bash
# docker compose: one node of the MariaDB cluster (services db1, db2, db3), with the cluster's server options
# (node.cnf, mounted into /etc/mysql/conf.d). The node recorded as the primary in the shared state volume
# (/state/primary-node, written by the failover monitor; db1 at first) starts writable; any other starts
# read-only, and after a crash drops the transactions no replica acknowledged (--init-rpl-role=SLAVE), so that it
# can follow the primary that took over. The db-init container (scripts/infra.sh up) then points it at the primary.
set -euo pipefail
primary=$(cat /state/primary-node 2>/dev/null || echo db1)
options=(--server-id="${NODE_ID:?NODE_ID is required}")
if [ "${NODE_NAME:?NODE_NAME is required}" != "$primary" ]; then
	options+=(--read-only=1 --init-rpl-role=SLAVE)
fi
exec docker-entrypoint.sh mariadbd "${options[@]}"
