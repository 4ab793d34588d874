#!/usr/bin/env bash
# The third-party images of k8s/components/pinned-images/kustomization.yaml, by digest:
#   k8s/pin-image-digests.sh          resolve every entry's tag to its current digest and write it
#   k8s/pin-image-digests.sh --check  fail when a pinned digest does not exist (any more) or an entry has
#                                     none; report entries whose tag now points elsewhere
# Needs the registries and `docker buildx` (or crane). The digest is the multi-arch index's, as `docker pull`
# resolves it. The images workflow runs --check.
set -euo pipefail
file="$(dirname "$0")/components/pinned-images/kustomization.yaml"
mode=${1:-write}

digest_of() { # image reference -> sha256:... of its index (or manifest)
	if command -v crane >/dev/null 2>&1; then
		crane digest "$1"
	else
		docker buildx imagetools inspect "$1" --format '{{json .Manifest}}' | sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' | head -1
	fi
}

failures=0
# entries: "- name: X" then "newTag: Y" then optionally "digest: Z"
while IFS='|' read -r name tag digest; do
	current=$(digest_of "$name:$tag") || { echo "cannot resolve $name:$tag" >&2; failures=$((failures + 1)); continue; }
	if [ "$mode" = --check ]; then
		if [ -z "$digest" ]; then
			echo "UNPINNED $name:$tag (current $current)"
			failures=$((failures + 1))
		elif ! digest_of "$name@$digest" >/dev/null 2>&1; then
			echo "MISSING  $name@$digest"
			failures=$((failures + 1))
		elif [ "$digest" != "$current" ]; then
			echo "MOVED    $name:$tag now $current (pinned $digest; still pullable)"
		else
			echo "OK       $name:$tag@$digest"
		fi
	elif [ "$digest" != "$current" ]; then
		echo "pinning $name:$tag@$current"
		awk -v name="$name" -v digest="$current" '
			$0 ~ "- name: " name "$" { inside = 1; print; next }
			inside && /^  - name:/ { if (!done) print "    digest: " digest; inside = 0 }
			inside && /digest:/ { print "    digest: " digest; done = 1; next }
			{ print }
			END { if (inside && !done) print "    digest: " digest }' "$file" >"$file.new" && mv "$file.new" "$file"
	fi
done < <(awk '
	/^  - name: / { if (name) print name "|" tag "|" digest; name = $3; tag = ""; digest = "" }
	/^    newTag: / { tag = $2 }
	/^    digest: / { digest = $2 }
	END { if (name) print name "|" tag "|" digest }' "$file")

if [ "$failures" -gt 0 ]; then
	echo "$failures image(s) not pinned to an existing digest" >&2
	exit 1
fi
