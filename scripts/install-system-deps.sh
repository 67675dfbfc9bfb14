#!/usr/bin/env bash
# Installs the Debian packages the tests and the bench use: a real browser, a real sshd, and pssh
# as the bench's baseline, Prometheus (its server and promtool) for the /metrics test, Alertmanager
# (prometheus-alertmanager and amtool) for the HA alerting tests, Docker
# (docker.io) with busybox-static for the Swarm lab of the container tests, and a Korean font (Nanum)
# so the ko-KR screenshots show text. Idempotent and quiet; needs root (or sudo).
set -euo pipefail
packages=(chromium openssh-server openssh-client pssh procps prometheus prometheus-alertmanager docker.io busybox-static iproute2 util-linux fonts-nanum)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
