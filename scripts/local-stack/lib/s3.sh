# The backup store: a second, single-node MinIO on 127.0.0.1 standing in for the AWS S3 backup
# bucket (registry-backup's target, the restore's source), and for the scratch buckets tests
# create with their own registries. Its S3 user (the LOCAL_STACK_S3_* keys) holds MinIO's
# built-in `readwrite` policy: every bucket, no admin API, as an operator's AWS keys would.

S3_DIR="$STACK_DIR/s3"
S3_USER_POLICY="readwrite"

s3_answers() { curl -s -o /dev/null -f --max-time 3 "http://127.0.0.1:$S3_PORT/minio/health/ready"; }

# mc against the backup store as its root user; the credentials go through the environment
# (MC_HOST_<alias>), never the command line.
s3_mc() {
  MC_HOST_backup="http://$(env_get LOCAL_STACK_S3_ROOT_USER):$(env_get LOCAL_STACK_S3_ROOT_PASSWORD)@127.0.0.1:$S3_PORT" \
    MC_CONFIG_DIR="$S3_DIR/mc" "$MC_BIN" --no-color "$@"
}

s3_start() {
  MINIO_BIN="${MINIO_BIN:-$(go_tool minio)}"
  MC_BIN="${MC_BIN:-$(go_tool mc)}"
  if ! is_running s3; then
    port_free "$S3_PORT" || die "port $S3_PORT is taken; set LOCAL_STACK_S3_PORT"
    mkdir -p "$S3_DIR/data"
    env_set LOCAL_STACK_S3_ROOT_USER "backup-root"
    local pw
    pw="$(secret LOCAL_STACK_S3_ROOT_PASSWORD 40)"
    log "starting the backup store (single-node MinIO) on 127.0.0.1:$S3_PORT"
    MINIO_ROOT_USER=backup-root MINIO_ROOT_PASSWORD="$pw" spawn_exe s3 "$MINIO_BIN" \
      env -u CI -u AWS_CA_BUNDLE "$MINIO_BIN" server "$S3_DIR/data" --address "127.0.0.1:$S3_PORT" --console-address "127.0.0.1:$S3_CONSOLE_PORT"
  fi
  wait_for "backup store (S3)" 60 s3_answers
  s3_ensure_user
}

s3_ensure_user() {
  local ak sk
  ak="$(secret LOCAL_STACK_S3_ACCESS_KEY 20 | tr 'a-f' 'A-F')"
  env_set LOCAL_STACK_S3_ACCESS_KEY "$ak"
  sk="$(secret LOCAL_STACK_S3_SECRET_KEY 40)"
  if ! s3_mc admin user info backup "$ak" >/dev/null 2>&1; then
    s3_mc admin user add backup "$ak" "$sk" >/dev/null || die "could not create the backup store's S3 user"
    s3_mc admin policy attach backup "$S3_USER_POLICY" --user "$ak" >/dev/null || die "could not attach $S3_USER_POLICY to the S3 user"
    log "created the backup store's S3 user ($S3_USER_POLICY)"
  fi
  env_set LOCAL_STACK_S3_ENDPOINT "http://127.0.0.1:$S3_PORT"
  env_set LOCAL_STACK_S3_REGION "$S3_REGION"
}

bucket_create() { s3_mc mb --ignore-existing "backup/$1" >/dev/null || die "creating bucket $1 failed"; }

bucket_delete() { s3_mc rb --force "backup/$1" >/dev/null 2>&1 || true; }

s3_stop() { stop_process s3; }
