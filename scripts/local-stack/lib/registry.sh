# Docker distribution 2.8 (Debian's docker-registry) on the RGW bucket, basic auth on.
# Several instances can run at once; each is named, with its own bucket and port, under $REGISTRY_DIR/<name>.
# The instance named "main" is the stack's registry; the service name "registry" means it.

REGISTRY_DIR="$STACK_DIR/registry"
REGISTRY_USER="harbor-platform"

# Builds @harbor-platform/config when its compiled output is missing or older than its sources.
ensure_config_built() {
  local lib="$REPO_ROOT/packages/config/lib/index.js"
  if [ -f "$lib" ] && [ -z "$(find "$REPO_ROOT/packages/config/src" -newer "$lib" -print -quit)" ]; then return 0; fi
  log "building @harbor-platform/config (the registry config comes from its registryStorage())"
  (cd "$REPO_ROOT" && npx turbo run build --filter=@harbor-platform/config --output-logs=errors-only) >&2 ||
    die "could not build @harbor-platform/config"
}

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

registry_start() { # NAME BUCKET PORT
  local name="$1" bucket="$2" port="$3" dir="$REGISTRY_DIR/$1"
  [[ "$name" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "registry name \"$name\" must be lower-case letters, digits and hyphens"
  [[ "$port" =~ ^[0-9]+$ ]] || die "registry port \"$port\" is not a number"
  if is_running "registry-$name"; then
    local running
    running="$(cat "$dir/instance" 2>/dev/null)"
    [ "$running" = "$bucket $port" ] || die "registry $name already runs with bucket/port $running"
    wait_for "registry $name" 30 registry_answers "$port"
    return 0
  fi
  port_free "$port" || die "port $port is taken (registry $name)"
  ensure_config_built
  registry_ensure_auth
  mkdir -p "$dir"
  printf '%s %s\n' "$bucket" "$port" >"$dir/instance"
  LOCAL_STACK_S3_ACCESS_KEY="$(env_get LOCAL_STACK_S3_ACCESS_KEY)" \
    LOCAL_STACK_S3_SECRET_KEY="$(env_get LOCAL_STACK_S3_SECRET_KEY)" \
    LOCAL_STACK_REGISTRY_HTTP_SECRET="$(secret LOCAL_STACK_REGISTRY_HTTP_SECRET 40)" \
    node "$HERE/registry-config.mjs" --out "$dir/config.yml" --addr "127.0.0.1:$port" \
    --endpoint "$(env_get LOCAL_STACK_S3_ENDPOINT)" --region "$(env_get LOCAL_STACK_S3_REGION)" \
    --bucket "$bucket" --htpasswd "$REGISTRY_DIR/htpasswd" || die "could not write $dir/config.yml"
  log "starting registry $name on 127.0.0.1:$port (bucket $bucket)"
  # The S3 driver panics when AWS_CA_BUNDLE is set; unset it for the registry only.
  (unset AWS_CA_BUNDLE && spawn "registry-$name" docker-registry serve "$dir/config.yml") || exit 1
  wait_for "registry $name" 30 registry_answers "$port"
}

registry_stop() { # NAME
  stop_process "registry-$1"
}

registry_start_main() {
  bucket_create "$REGISTRY_BUCKET"
  registry_start main "$REGISTRY_BUCKET" "$REGISTRY_PORT"
  local user pw
  user="$(env_get LOCAL_STACK_REGISTRY_USERNAME)"
  pw="$(env_get LOCAL_STACK_REGISTRY_PASSWORD)"
  local code
  # curl reads the credentials from a config on a pipe, so they never show in a process list.
  code="$(registry_v2_status "$REGISTRY_PORT" -K <(printf 'user = "%s:%s"\n' "$user" "$pw"))"
  [ "$code" = 200 ] || die "registry main refuses its own credentials (HTTP $code)"
  env_set LOCAL_STACK_REGISTRY_URL "http://127.0.0.1:$REGISTRY_PORT"
  env_set LOCAL_STACK_REGISTRY_BUCKET "$REGISTRY_BUCKET"
}

registry_stop_all() {
  local f
  for f in "$PID_DIR"/registry-*; do
    [ -e "$f" ] && stop_process "$(basename "$f")"
  done
  return 0
}
