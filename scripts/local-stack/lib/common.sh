# Shared by the local-stack scripts: paths, ports, the env file, process records and bounded waits.
# Sourced, never run. Everything lives under $STACK_DIR (the repository's ignored .local-stack/).

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
STACK_DIR="${LOCAL_STACK_DIR:-$REPO_ROOT/.local-stack}"
ENV_FILE="$STACK_DIR/env"
PID_DIR="$STACK_DIR/pids"
LOG_DIR="$STACK_DIR/logs"

# Ports on 127.0.0.1, chosen away from each service's default so a system copy never clashes.
# (The distributed MinIO listens on :9000 in its own network namespaces, see lib/minio.sh.)
S3_PORT="${LOCAL_STACK_S3_PORT:-17480}"
S3_CONSOLE_PORT="${LOCAL_STACK_S3_CONSOLE_PORT:-17481}"
REGISTRY_PORT="${LOCAL_STACK_REGISTRY_PORT:-15000}"
LDAP_PORT="${LOCAL_STACK_LDAP_PORT:-13389}"
LDAPS_PORT="${LOCAL_STACK_LDAPS_PORT:-13636}"

# The backup store (the AWS S3 stand-in) answers any region; us-east-1 is MinIO's default.
S3_REGION="us-east-1"

log() { printf '[local-stack] %s\n' "$*" >&2; }
die() { printf '[local-stack] error: %s\n' "$*" >&2; exit 1; }

# --- the env file: one KEY='value' line per setting, readable by bash `source` and node's util.parseEnv ---

env_get() { # KEY -> value or empty
  [ -f "$ENV_FILE" ] || return 0
  sed -n "s/^$1='\(.*\)'\$/\1/p" "$ENV_FILE" | tail -n1
}

env_set() { # KEY VALUE
  mkdir -p "$STACK_DIR"
  case "$2" in *"'"*) die "value of $1 contains a single quote" ;; esac
  local tmp="$ENV_FILE.tmp"
  { [ -f "$ENV_FILE" ] && grep -v "^$1=" "$ENV_FILE" || true; printf "%s='%s'\n" "$1" "$2"; } >"$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$ENV_FILE"
}

# A random secret of N hex characters, created once and kept in the env file under KEY.
secret() { # KEY [HEX_CHARS]
  local v
  v="$(env_get "$1")"
  if [ -z "$v" ]; then
    v="$(openssl rand -hex $(((${2:-40} + 1) / 2)) | cut -c1-"${2:-40}")"
    env_set "$1" "$v"
  fi
  printf '%s' "$v"
}

# --- processes: each started one is recorded as $PID_DIR/<name> holding "<pid> <executable>" ---

pid_of() { # NAME -> pid when the recorded process is alive and still the same program
  local f="$PID_DIR/$1" pid exe
  [ -f "$f" ] || return 1
  read -r pid exe <"$f"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  # Guards against a recycled pid: the process must still run the recorded executable.
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] || return 1
  printf '%s' "$pid"
}

is_running() { pid_of "$1" >/dev/null; }

# Starts a daemon in the foreground mode of its program, detached into its own session, logs to $LOG_DIR.
spawn() { # NAME EXECUTABLE ARGS...
  local name="$1"
  shift
  mkdir -p "$PID_DIR" "$LOG_DIR"
  local exe
  exe="$(readlink -f "$(command -v "$1")")"
  # setsid: the daemon outlives the shell (and the test run) that started it; no terminal, no stdin,
  # and not the stack lock's descriptor (a daemon holding it would block every later command).
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  local pid=$!
  printf '%s %s\n' "$pid" "$exe" >"$PID_DIR/$name"
  # setsid execs in place (we are not a group leader), so $! is the daemon; make sure it stays up.
  sleep 0.2
  is_running "$name" || die "$name exited at once; last lines of $LOG_DIR/$name.log:
$(tail -n 15 "$LOG_DIR/$name.log")"
}

# Like spawn, for a command that execs into EXE through wrappers (nsexec, env): the recorded
# program is EXE, and the start counts once the pid runs it (bounded wait).
spawn_exe() { # NAME EXE COMMAND...
  local name="$1" exe
  exe="$(readlink -f "$2")"
  shift 2
  mkdir -p "$PID_DIR" "$LOG_DIR"
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  local pid=$! i
  printf '%s %s\n' "$pid" "$exe" >"$PID_DIR/$name"
  for ((i = 0; i < 100; i++)); do
    is_running "$name" && return 0
    [ -d "/proc/$pid" ] || break
    sleep 0.05
  done
  die "$name did not start; last lines of $LOG_DIR/$name.log:
$(tail -n 15 "$LOG_DIR/$name.log")"
}

# Sets STOPPED_CLEANLY: 1 when the process exited on SIGTERM, 0 when it had to be killed,
# empty when it was not running.
stop_process() { # NAME [GRACE_SECONDS]
  local name="$1" grace="${2:-20}" pid
  STOPPED_CLEANLY=""
  if ! pid="$(pid_of "$name")"; then
    rm -f "$PID_DIR/$name"
    return 0
  fi
  STOPPED_CLEANLY=1
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < grace * 10; i++)); do
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  if [ -d "/proc/$pid" ]; then
    log "$name did not stop in ${grace}s; killing it"
    STOPPED_CLEANLY=0
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$PID_DIR/$name"
}

# Polls CHECK (a shell command) until it succeeds, printing progress; fails after TIMEOUT seconds.
wait_for() { # WHAT TIMEOUT CHECK...
  local what="$1" timeout="$2"
  shift 2
  local start=$SECONDS next=5
  until "$@" >/dev/null 2>&1; do
    local waited=$((SECONDS - start))
    ((waited < timeout)) || die "$what did not answer within ${timeout}s (logs in $LOG_DIR)"
    if ((waited >= next)); then
      log "waiting for $what (${waited}s of ${timeout}s)"
      next=$((next + 5))
    fi
    sleep 0.5
  done
  log "$what: ok ($((SECONDS - start))s)"
}

http_status() { # URL [CURL ARGS...] -> prints the status code
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"
}

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }

# One local-stack command at a time (tests may call up/ctl from several workers).
stack_lock() {
  mkdir -p "$STACK_DIR"
  exec 9>"$STACK_DIR/.lock"
  flock -w 300 9 || die "another local-stack command holds $STACK_DIR/.lock"
}
