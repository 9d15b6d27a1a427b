# Distributed MinIO laid out by an environment's plan, one network namespace per server.
#
# Each server runs in its own network namespace (MinIO tells its own endpoints from its peers'
# by IP and port, so servers must not share one), joined by a veth pair to a bridge the stack
# creates, with an address in $SUBNET.0/24 (198.18.0.0/15 is RFC 2544's benchmarking range: no
# real network uses it). Names resolve by the stack's hosts file, bind-mounted over /etc/hosts in
# a private mount namespace for the stack's own processes only (lib/nsexec). The servers run the
# command line and environment the StatefulSets run (scripts/local-stack/layout.mjs renders them
# from @harbor-platform/manifests), with /data<i> and /tmp bind-mounted as the pod's volumes.
# haproxy stands in for the ClusterIP Services on $VIP: like kube-proxy with a readiness probe,
# it sends connections only to servers whose /minio/health/ready answers.

MINIO_DIR="$STACK_DIR/minio"
LAYOUT_DIR="$MINIO_DIR/layout"
HOSTS_FILE="$MINIO_DIR/hosts"
NSEXEC="$HERE/lib/nsexec"
NET_PREFIX="${LOCAL_STACK_NET_PREFIX:-hp-}"
SUBNET="${LOCAL_STACK_SUBNET:-198.18.0}"
BRIDGE="${NET_PREFIX}br"
VIP="$SUBNET.1"
# Mount points the pods' volumes use (/data0.., the Job's /config): created empty when missing,
# recorded, and removed by `down` when still empty.
MOUNTPOINTS_FILE="$STACK_DIR/created-mountpoints"

go_tool() { # NAME -> path of the binary install-go-tools built (builds it when missing)
  local p
  p="$("$HERE/install-go-tools" --print-paths | sed -n "s/^$1=//p")"
  [ -x "$p" ] || die "install-go-tools built no $1"
  printf '%s' "$p"
}

# Builds the workspace packages the node helpers import when their output is missing or stale.
ensure_built() { # PACKAGE...
  local pkg stale=0
  for pkg in "$@"; do
    local lib="$REPO_ROOT/packages/$pkg/lib/index.js"
    if [ ! -f "$lib" ] || [ -n "$(find "$REPO_ROOT/packages/$pkg/src" -newer "$lib" -print -quit)" ]; then stale=1; fi
  done
  [ "$stale" = 0 ] && return 0
  log "building @harbor-platform/{${*// /,}} (the layout and the registry config come from them)"
  local filters=()
  for pkg in "$@"; do filters+=(--filter="@harbor-platform/$pkg"); done
  (cd "$REPO_ROOT" && npx turbo run build "${filters[@]}" --output-logs=errors-only) >&2 || die "could not build $*"
}

# Renders the plan of SOURCE (environment name or YAML path) into $LAYOUT_DIR.
minio_layout() { # SOURCE
  local source="$1" current
  current="$(env_get LOCAL_STACK_LAYOUT_SOURCE)"
  if [ -n "$current" ] && [ "$current" != "$source" ] && minio_any_running; then
    die "the stack runs the layout of $current; run scripts/local-stack/down first to lay out $source"
  fi
  ensure_built config manifests
  node "$HERE/layout.mjs" "$source" "$LAYOUT_DIR" || die "the plan of $source cannot be laid out (see above)"
  # shellcheck source=/dev/null
  . "$LAYOUT_DIR/service.env"
  env_set LOCAL_STACK_LAYOUT_SOURCE "$source"
  env_set LOCAL_STACK_LAYOUT "$LAYOUT_ENVIRONMENT"
  env_set LOCAL_STACK_LAYOUT_DIR "$LAYOUT_DIR"
}

minio_load_layout() {
  [ -f "$LAYOUT_DIR/service.env" ] || die "no MinIO layout in $LAYOUT_DIR: run scripts/local-stack/up"
  # shellcheck source=/dev/null
  . "$LAYOUT_DIR/service.env"
}

# Lines "index name pool zone ordinal drives" of every server, index counting from 0.
minio_servers() { awk -F'\t' 'NF { print NR - 1, $1, $2, $3, $4, $5 }' "$LAYOUT_DIR/servers.tsv"; }
server_ip() { printf '%s.%s' "$SUBNET" "$((10 + $1))"; }
server_ns() { printf '%sm%s' "$NET_PREFIX" "$1"; }

minio_any_running() {
  [ -f "$LAYOUT_DIR/servers.tsv" ] || return 1
  local idx name rest
  while read -r idx name rest; do is_running "minio-$name" && return 0; done < <(minio_servers)
  return 1
}

ensure_mountpoint() { # DIR
  [ -d "$1" ] && return 0
  mkdir "$1"
  echo "$1" >>"$MOUNTPOINTS_FILE"
}

remove_mountpoints() {
  [ -f "$MOUNTPOINTS_FILE" ] || return 0
  local d
  # Removing a folder that is a mount point in another mount namespace detaches that mount
  # (Linux >= 3.18): a folder any process (another stack's servers) still mounts on stays.
  while read -r d; do
    if grep -qs " $d " /proc/[0-9]*/mountinfo; then continue; fi
    rmdir "$d" 2>/dev/null || true
  done <"$MOUNTPOINTS_FILE"
  rm -f "$MOUNTPOINTS_FILE"
}

# The bridge, one namespace and veth pair per server, and the hosts file. Idempotent.
minio_net_up() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$VIP/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  local idx name pool zone ordinal drives ns ip
  {
    printf '127.0.0.1\tlocalhost\n'
    printf '%s\t%s %s\n' "$VIP" "$MINIO_SERVICE_HOST" "$MINIO_CONSOLE_HOST"
  } >"$HOSTS_FILE.tmp"
  while read -r idx name pool zone ordinal drives; do
    ns="$(server_ns "$idx")"
    ip="$(server_ip "$idx")"
    if ! ip netns list | grep -qx "$ns\( .*\)\?"; then
      ip netns add "$ns"
      ip link add "$ns" type veth peer name eth0 netns "$ns"
      ip link set "$ns" master "$BRIDGE" up
      ip -n "$ns" addr add "$ip/24" dev eth0
      ip -n "$ns" link set eth0 up
      ip -n "$ns" link set lo up
    fi
    printf '%s\t%s.%s\n' "$ip" "$name" "$MINIO_HEADLESS_DOMAIN" >>"$HOSTS_FILE.tmp"
  done < <(minio_servers)
  mv "$HOSTS_FILE.tmp" "$HOSTS_FILE"
}

minio_net_down() {
  local ns
  for ns in $(ip netns list | awk '{ print $1 }' | grep "^${NET_PREFIX}m[0-9]*$" || true); do
    ip link del "$ns" 2>/dev/null || true
    ip netns del "$ns"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

# The server's environment: the StatefulSet's plain values, its Secret references filled locally.
minio_server_env() { # -> NAME=value lines
  cat "$LAYOUT_DIR/server.env"
  local name ref
  while read -r name ref; do
    [ -n "$name" ] || continue
    case "$ref" in
      */MINIO_ROOT_USER) printf '%s=%s\n' "$name" "$(env_get LOCAL_STACK_MINIO_ROOT_USER)" ;;
      */MINIO_ROOT_PASSWORD) printf '%s=%s\n' "$name" "$(env_get LOCAL_STACK_MINIO_ROOT_PASSWORD)" ;;
      *) die "the MinIO StatefulSet reads $name from $ref, which the local stack does not fill" ;;
    esac
  done <"$LAYOUT_DIR/server.secret-env"
  # Drives are folders on the root file system (the pods' are volumes): MinIO refuses root-disk
  # drives outside CI/CD mode, which also caps each server's buffer pool at 256 MiB so a dozen
  # servers fit one machine. Set here explicitly, so CI=true on the runner changes nothing.
  printf 'MINIO_CI_CD=1\n'
  # `up --server-env`: what a layout the plan refuses would have set (tests of MinIO's own refusal).
  local extra
  for extra in $(env_get LOCAL_STACK_SERVER_ENV); do printf '%s\n' "$extra"; done
}

server_live() { curl -s -o /dev/null --max-time 2 -f "http://$(server_ip "$1"):$MINIO_API_PORT/minio/health/live"; }

minio_start_server() { # INDEX NAME DRIVES
  local idx="$1" name="$2" drives="$3" dir="$MINIO_DIR/servers/$2"
  is_running "minio-$name" && return 0
  mkdir -p "$dir/tmp"
  local binds=() i
  for ((i = 0; i < drives; i++)); do
    mkdir -p "$dir/data$i"
    ensure_mountpoint "/data$i"
    binds+=(--bind "$dir/data$i:/data$i")
  done
  local -a cmd
  mapfile -t cmd <"$LAYOUT_DIR/server.args"
  [ "${cmd[0]}" = minio ] || die "the StatefulSet runs ${cmd[0]}, not minio"
  cmd[0]="$MINIO_BIN"
  (umask 077 && minio_server_env >"$dir/env")
  # The server sees exactly the pod's variables (plus PATH), nothing of this shell's.
  spawn_exe "minio-$name" "$MINIO_BIN" "$NSEXEC" --net "$(server_ns "$idx")" --hosts "$HOSTS_FILE" "${binds[@]}" \
    --tmp "$dir/tmp" --env-file "$dir/env" -- "${cmd[@]}"
}

minio_stop_server() { stop_process "minio-$1" 30; }

cluster_ready() { curl -s -o /dev/null -f --max-time 3 "http://$VIP:$MINIO_API_PORT/minio/health/cluster"; }

# Bounded wait until the cluster has write quorum behind the Service address; fails at once,
# with the server's own words, when a server exits (MinIO refuses a layout by exiting).
minio_wait_cluster() { # TIMEOUT
  local timeout="${1:-120}" start=$SECONDS next=5 idx name rest
  until cluster_ready; do
    while read -r idx name rest; do
      [ -f "$PID_DIR/minio-$name" ] || continue
      is_running "minio-$name" && continue
      local why
      why="$(grep -m1 '^FATAL' "$LOG_DIR/minio-$name.log" || tail -n 3 "$LOG_DIR/minio-$name.log")"
      die "MinIO server $name exited: $why (log: $LOG_DIR/minio-$name.log)"
    done < <(minio_servers)
    local waited=$((SECONDS - start))
    ((waited < timeout)) || die "the MinIO cluster had no write quorum within ${timeout}s (logs in $LOG_DIR)"
    if ((waited >= next)); then
      log "waiting for the MinIO cluster (write quorum at $MINIO_SERVICE_HOST) (${waited}s of ${timeout}s)"
      next=$((next + 5))
    fi
    sleep 0.5
  done
  log "MinIO cluster has write quorum ($((SECONDS - start))s)"
}

minio_start_all() {
  MINIO_BIN="$(go_tool minio)"
  minio_net_up
  local idx name pool zone ordinal drives count=0
  while read -r idx name pool zone ordinal drives; do
    is_running "minio-$name" || count=$((count + 1))
    minio_start_server "$idx" "$name" "$drives"
  done < <(minio_servers)
  [ "$count" = 0 ] || log "started $count MinIO server(s) of the $LAYOUT_ENVIRONMENT layout on $SUBNET.0/24"
  haproxy_start
  minio_wait_cluster 180
}

minio_stop_all() {
  [ -f "$LAYOUT_DIR/servers.tsv" ] || return 0
  local idx name rest
  while read -r idx name rest; do minio_stop_server "$name"; done < <(minio_servers)
}
