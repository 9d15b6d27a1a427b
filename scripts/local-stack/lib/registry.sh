# Docker distribution 2.8 (Debian's docker-registry) configured by the Harbor chart's registry
# ConfigMap (registry-config.mjs), basic auth on. Several instances can run at once; each is
# named, with its own store, bucket and port, under $REGISTRY_DIR/<name>. The instance named
# "main" is the stack's registry: on the distributed MinIO's bucket with the Harbor user's keys,
# exactly the chart's storage settings. Others run on the backup store (store "backup", the
# LOCAL_STACK_S3_* keys) or on the distributed MinIO with the Harbor user's keys (store "minio").
# Each runs with the stack's hosts file as /etc/hosts, so the chart's in-cluster endpoint resolves.

REGISTRY_DIR="$STACK_DIR/registry"
REGISTRY_USER="harbor-platform"

# The basic-auth user: a random password, stored bcrypt-hashed in one htpasswd file all instances share.
registry_ensure_auth() {
  mkdir -p "$REGISTRY_DIR"
  local pw
  pw="$(secret LOCAL_STACK_REGISTRY_PASSWORD 32)"
  env_set LOCAL_STACK_REGISTRY_USERNAME "$REGISTRY_USER"
  if [ ! -s "$REGISTRY_DIR/htpasswd" ]; then
    # -i: the password comes on stdin, never in a process's arguments.
    printf '%s' "$pw" | htpasswd -iBc "$REGISTRY_DIR/htpasswd" "$REGISTRY_USER" 2>/dev/null ||
      die "htpasswd failed"
  fi
}

registry_v2_status() { # PORT [CURL ARGS]
  local port="$1"
  shift
  http_status "http://127.0.0.1:$port/v2/" "$@"
}

registry_answers() { [ "$(registry_v2_status "$1")" = 401 ]; }

registry_start() { # NAME BUCKET PORT [STORE [ENDPOINT]]
  local name="$1" bucket="$2" port="$3" store="${4:-backup}" endpoint="${5:-}" dir="$REGISTRY_DIR/$1"
  [[ "$name" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "registry name \"$name\" must be lower-case letters, digits and hyphens"
  [[ "$port" =~ ^[0-9]+$ ]] || die "registry port \"$port\" is not a number"
  case "$store" in minio | backup) ;; *) die "registry store \"$store\" is neither minio nor backup" ;; esac
  local instance="$bucket $port $store $endpoint"
  if is_running "registry-$name"; then
    local running
    running="$(cat "$dir/instance" 2>/dev/null)"
    [ "$running" = "$instance" ] || die "registry $name already runs with bucket/port/store $running"
    wait_for "registry $name" 30 registry_answers "$port"
    return 0
  fi
  port_free "$port" || die "port $port is taken (registry $name)"
  ensure_built config
  registry_ensure_auth
  mkdir -p "$dir"
  printf '%s\n' "$instance" >"$dir/instance"
  local -a where=() keys
  if [ "$store" = backup ]; then
    where=(--endpoint "$(env_get LOCAL_STACK_S3_ENDPOINT)" --region "$(env_get LOCAL_STACK_S3_REGION)")
    keys=("REGISTRY_STORAGE_S3_ACCESSKEY=$(env_get LOCAL_STACK_S3_ACCESS_KEY)" "REGISTRY_STORAGE_S3_SECRETKEY=$(env_get LOCAL_STACK_S3_SECRET_KEY)")
  else
    keys=("REGISTRY_STORAGE_S3_ACCESSKEY=$(env_get LOCAL_STACK_MINIO_HARBOR_ACCESS_KEY)" "REGISTRY_STORAGE_S3_SECRETKEY=$(env_get LOCAL_STACK_MINIO_HARBOR_SECRET_KEY)")
  fi
  [ -z "$endpoint" ] || where=(--endpoint "$endpoint")
  [ "$bucket" = "$(env_get LOCAL_STACK_MINIO_BUCKET)" ] && [ "$store" = minio ] || where+=(--bucket "$bucket")
  node "$HERE/registry-config.mjs" --layout "$(env_get LOCAL_STACK_LAYOUT_SOURCE)" \
    --out "$dir/config.yml" --addr "127.0.0.1:$port" --htpasswd "$REGISTRY_DIR/htpasswd" "${where[@]}" ||
    die "could not write $dir/config.yml"
  log "starting registry $name on 127.0.0.1:$port ($store store, bucket $bucket)"
  # The keys and the HTTP secret come from the environment, as the chart's Secrets give them;
  # nothing else of this shell (no AWS_CA_BUNDLE: the S3 driver panics when it is set).
  (umask 077 && printf '%s\n' "${keys[@]}" "REGISTRY_HTTP_SECRET=$(secret LOCAL_STACK_REGISTRY_HTTP_SECRET 40)" >"$dir/env")
  spawn_exe "registry-$name" "$(command -v docker-registry)" "$NSEXEC" --hosts "$HOSTS_FILE" --env-file "$dir/env" -- \
    docker-registry serve "$dir/config.yml"
  wait_for "registry $name" 30 registry_answers "$port"
}

registry_stop() { # NAME
  stop_process "registry-$1"
}

registry_start_main() {
  registry_start main "$(env_get LOCAL_STACK_MINIO_BUCKET)" "$REGISTRY_PORT" minio
  local user pw
  user="$(env_get LOCAL_STACK_REGISTRY_USERNAME)"
  pw="$(env_get LOCAL_STACK_REGISTRY_PASSWORD)"
  local code
  # curl reads the credentials from a config on a pipe, so they never show in a process list.
  code="$(registry_v2_status "$REGISTRY_PORT" -K <(printf 'user = "%s:%s"\n' "$user" "$pw"))"
  [ "$code" = 200 ] || die "registry main refuses its own credentials (HTTP $code)"
  env_set LOCAL_STACK_REGISTRY_URL "http://127.0.0.1:$REGISTRY_PORT"
  env_set LOCAL_STACK_REGISTRY_BUCKET "$(env_get LOCAL_STACK_MINIO_BUCKET)"
}

registry_stop_all() {
  local f
  for f in "$PID_DIR"/registry-*; do
    [ -e "$f" ] && stop_process "$(basename "$f")"
  done
  return 0
}
