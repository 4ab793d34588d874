#!/usr/bin/env bash
# Renders the broker's definitions (users, permissions) with credentials from the environment:
#   render-definitions.sh TEMPLATE OUTPUT
# In TEMPLATE, ${NAME} becomes the value of the variable NAME (JSON-escaped) and ${NAME_HASH} the RabbitMQ
# password hash of the variable NAME (rabbit_password_hashing_sha256: base64 of a random 4-byte salt followed
# by SHA-256(salt + password)), so that no password is written in clear. A variable that is unset or empty
# fails the rendering: the broker then does not start with an account nobody chose.
# Runs in the broker's container before it starts (docker-compose.yml: entrypoint; Kubernetes demo overlay:
# init container); needs only bash and coreutils.
set -euo pipefail
template=${1:?usage: render-definitions.sh TEMPLATE OUTPUT}
output=${2:?usage: render-definitions.sh TEMPLATE OUTPUT}

password_hash() {
	local work digest
	work=$(mktemp -d)
	head -c 4 /dev/urandom >"$work/salt"
	printf '%s' "$1" >"$work/password"
	digest=$(cat "$work/salt" "$work/password" | sha256sum | cut -c1-64)
	# shellcheck disable=SC2059 # the format is the digest as \xHH escapes
	printf "$(printf '%s' "$digest" | sed 's/../\\x&/g')" >"$work/digest"
	cat "$work/salt" "$work/digest" | base64 -w0
	rm -rf "$work"
}

json_escape() {
	local value=${1//\\/\\\\}
	printf '%s' "${value//\"/\\\"}"
}

content=$(<"$template")
for name in $(grep -o '\${[A-Z][A-Z0-9_]*}' "$template" | tr -d '${}' | sort -u); do
	if [[ $name == *_HASH ]]; then
		source=${name%_HASH}
		[[ -n ${!source:-} ]] || { echo "render-definitions: $source is not set" >&2; exit 1; }
		value=$(password_hash "${!source}")
	else
		[[ -n ${!name:-} ]] || { echo "render-definitions: $name is not set" >&2; exit 1; }
		value=$(json_escape "${!name}")
	fi
	content=${content//"\${$name}"/"$value"}
done

mkdir -p "$(dirname "$output")"
(umask 077 && printf '%s\n' "$content" >"$output")
# compose starts the container as root and the broker drops to the rabbitmq user
if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then
	chown -R rabbitmq:rabbitmq "$(dirname "$output")"
fi
echo "render-definitions: $output"
