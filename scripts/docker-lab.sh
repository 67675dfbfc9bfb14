#!/usr/bin/env bash
# A Docker Swarm lab on one machine, for the container tests and the README screenshot:
# N dockerd daemons (node 1 is the manager), each in its own network namespace, joined by veth
# to a bridge in a namespace of the lab's own. Nothing leaves the machine: the addresses
# (10.213.0.x) exist only inside those namespaces, and clients talk to each daemon over its
# unix socket, DIR/nI/docker.sock. Needs root, Debian's docker.io and busybox-static.
#
#   scripts/docker-lab.sh up DIR [N] [TAG] [S]  start (default N=3, TAG=mco); the first S daemons (default
#                                               all N) form the swarm, the rest stay standalone; prints one socket per line
#   scripts/docker-lab.sh down DIR [N] [TAG]  stop everything and remove the namespaces
#
# Why it is built like this (measured on these machines):
# - daemons sharing the host's network stack clash on swarm's gossip port 7946, hence namespaces;
# - `ip netns exec dockerd` fails ("Devices cgroup isn't mounted") because it remounts /sys, so we
#   enter with nsenter + unshare and move the cgroup mounts back over the fresh /sys;
# - each daemon gets its own key path, or all of them share one engine ID;
# - the image is imported once and copied with save | load so its ID matches on every node.
set -euo pipefail
cmd=${1:?up|down}; DIR=$(realpath -m "${2:?DIR}"); N=${3:-3}; TAG=${4:-mco}; S=${5:-$N}
NS=lab-$TAG; RUN=/run/mco-lab-$TAG # exec-roots hold containerd sockets: keep their paths short
IMAGE=mco/busybox:lab

sock() { echo "$DIR/n$1/docker.sock"; }
d() { local i=$1; shift; docker -H "unix://$(sock "$i")" "$@"; }

down() {
  for i in $(seq 1 "$N"); do
    local pidfile="$DIR/n$i/dockerd.pid"
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for _ in $(seq 1 100); do
    local alive=0
    for i in $(seq 1 "$N"); do [ -f "$DIR/n$i/dockerd.pid" ] && kill -0 "$(cat "$DIR/n$i/dockerd.pid")" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break; sleep 0.1
  done
  for i in $(seq 1 "$N"); do [ -f "$DIR/n$i/dockerd.pid" ] && kill -9 "$(cat "$DIR/n$i/dockerd.pid")" 2>/dev/null || true; done
  # containerd and its shims outlive a killed daemon: kill them by their state dir, then whatever is
  # left in the namespaces (containers run on their daemon's network namespace)
  pkill -9 -f "$RUN/" 2>/dev/null || true
  # containers the lab started, found by their cgroup parent even when their daemon is gone
  find /sys/fs/cgroup -path "*/$NS-containers*" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  for i in $(seq 1 "$N") br; do
    if ip netns pids "$NS$i" >/dev/null 2>&1; then ip netns pids "$NS$i" | xargs -r kill -9 2>/dev/null || true; ip netns del "$NS$i" 2>/dev/null || true; fi
  done
  rm -rf "$RUN" "$DIR"
}

up() {
  command -v dockerd >/dev/null || { echo "dockerd not installed (apt-get install docker.io)" >&2; exit 3; }
  [ "$(id -u)" -eq 0 ] || { echo "the lab needs root to create network namespaces" >&2; exit 3; }
  down 2>/dev/null || true
  mkdir -p "$DIR" "$RUN"
  ip netns add "${NS}br"
  ip -n "${NS}br" link add br0 type bridge
  ip -n "${NS}br" link set br0 up
  for i in $(seq 1 "$N"); do
    local n="$DIR/n$i"; mkdir -p "$n/cg" "$RUN/$i"
    ip netns add "$NS$i"
    ip link add "v$i" netns "${NS}br" type veth peer name eth0 netns "$NS$i"
    ip -n "${NS}br" link set "v$i" master br0 up
    ip -n "$NS$i" addr add "10.213.0.$i/24" dev eth0
    ip -n "$NS$i" link set eth0 up
    ip -n "$NS$i" link set lo up
    printf '{"deprecated-key-path": "%s/key.json"}\n' "$n" >"$n/daemon.json"
    # setsid: the daemon outlives this script; the mount namespace dies with it
    setsid nsenter --net="/var/run/netns/$NS$i" unshare --mount --uts sh -c "
      set -e
      mount --make-rprivate /
      mount --rbind /sys/fs/cgroup '$n/cg'
      mount -t sysfs sysfs /sys
      mount --rbind '$n/cg' /sys/fs/cgroup
      hostname lab-node$i
      exec dockerd --data-root '$n/data' --exec-root '$RUN/$i' --pidfile '$n/dockerd.pid' \
        -H 'unix://$n/docker.sock' --config-file '$n/daemon.json' \
        --storage-driver=vfs --iptables=false --ip-masq=false --bridge=none --userland-proxy=false \
        --cgroup-parent '/$NS-containers'
    " >"$n/dockerd.log" 2>&1 </dev/null &
  done
  for i in $(seq 1 "$N"); do
    for _ in $(seq 1 300); do d "$i" version >/dev/null 2>&1 && break; sleep 0.1; done
    d "$i" version >/dev/null 2>&1 || { echo "dockerd $i did not start:" >&2; tail -n 20 "$DIR/n$i/dockerd.log" >&2; exit 4; }
  done
  # the image: busybox-static alone, imported (nothing can be pulled here)
  local root="$DIR/rootfs"; mkdir -p "$root/bin" "$root/tmp" "$root/www"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for a in sh sleep httpd echo cat ls wget date hostname; do ln -sf busybox "$root/bin/$a"; done
  echo "lab" >"$root/www/index.html"
  tar -C "$root" -c . | d 1 import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  for i in $(seq 2 "$N"); do d 1 save "$IMAGE" | d "$i" load >/dev/null; done
  # the swarm: node 1 manages; a 1 s heartbeat so a dead node is Down in about 3 s
  d 1 swarm init --advertise-addr 10.213.0.1 --listen-addr 10.213.0.1:2377 --dispatcher-heartbeat 1s >/dev/null
  local token; token=$(d 1 swarm join-token -q worker)
  for i in $(seq 2 "$S"); do d "$i" swarm join --token "$token" --advertise-addr "10.213.0.$i" 10.213.0.1:2377 >/dev/null; done
  for i in $(seq 1 "$N"); do sock "$i"; done
}

case $cmd in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down DIR [N] [TAG]" >&2; exit 2 ;;
esac
