# Sourced by scripts/images/build: the MinIO server image. The binary is the one
# scripts/local-stack/install-go-tools builds for the local stack (the release pinned in
# go-tools.tsv, CGO off), so the image runs exactly what the integration tests run.

# The go-tools.tsv row of MinIO: sets minio_module, minio_version, minio_release.
read_minio_pin() {
  local name module version release _
  while IFS=$'\t' read -r name module version release _; do
    [ "$name" = minio ] || continue
    minio_module="$module" minio_version="$version" minio_release="$release"
    return 0
  done <"$ROOT/scripts/local-stack/go-tools.tsv"
  die "scripts/local-stack/go-tools.tsv has no minio row: add it back (name, module, version, release)"
}

# Static: built with CGO off, which `go version -m` records (a static binary needs no libc).
is_static_go_binary() { # BINARY
  [ -x "$1" ] && go version -m "$1" 2>/dev/null | grep -qE '^\s+build\s+CGO_ENABLED=0$'
}

# The commit time of the pinned version: a pseudo-version carries it (vX-YYYYMMDDhhmmss-commit);
# a tagged version's time is in the module cache's .info file.
minio_commit_epoch() {
  local stamp info
  if [[ "$minio_version" =~ -([0-9]{14})-[0-9a-f]{12}$ ]]; then
    stamp="${BASH_REMATCH[1]}"
    date -u -d "${stamp:0:8} ${stamp:8:2}:${stamp:10:2}:${stamp:12:2}" +%s
    return
  fi
  info="$(go env GOMODCACHE)/cache/download/${minio_module}/@v/${minio_version}.info"
  date -u -d "$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")" +%s
}

# The static MinIO binary: install-go-tools' build when it is static (it builds with CGO off),
# else a static build of the same version beside it (static/minio), reused when present.
minio_binary() {
  local bin static
  command -v go >/dev/null || die "go is not on PATH: install Go 1.24 or newer (the machines have it at /usr/local/go/bin)"
  bin="$("$ROOT/scripts/local-stack/install-go-tools" --print-paths | sed -n 's/^minio=//p')"
  [ -n "$bin" ] || die "scripts/local-stack/install-go-tools --print-paths printed no minio= line"
  if is_static_go_binary "$bin"; then
    printf '%s\n' "$bin"
    return
  fi
  static="$(dirname "$bin")/static/minio"
  if ! is_static_go_binary "$static"; then
    say "$bin is not static; building a static MinIO into $static (minutes on 2 cores)"
    mkdir -p "$(dirname "$static")"
    CGO_ENABLED=0 GOBIN="$(dirname "$static")" GOFLAGS=-trimpath go install -ldflags "-s -w" "$minio_module@$minio_version" >&2 ||
      die "building a static MinIO ($minio_module@$minio_version) failed"
  fi
  printf '%s\n' "$static"
}

assemble_minio() {
  local bin go_version
  read_minio_pin
  bin="$(minio_binary)"
  go_version="$(go version -m "$bin" | sed -n '1s/^[^:]*: //p')"
  say "minio $minio_release ($minio_module@$minio_version, $go_version, static) from $bin"
  epoch="${SOURCE_DATE_EPOCH:-$(minio_commit_epoch)}"
  mkdir -p "$rootfs/usr/bin"
  install -m 0755 "$bin" "$rootfs/usr/bin/minio"
  add_base_files minio
  entrypoint=minio
  # HOME: MinIO looks up its config folder there (it has no getent to ask); the manifests set the same.
  env=(PATH=/usr/bin HOME=/tmp)
  labels=(
    "org.opencontainers.image.title=minio"
    "org.opencontainers.image.description=MinIO server $minio_release, built from source with $go_version (CGO_ENABLED=0) by harbor-platform scripts/images/build"
    "org.opencontainers.image.source=https://github.com/minio/minio"
    "org.opencontainers.image.revision=${minio_version##*-}"
    "org.opencontainers.image.version=$minio_release"
    "org.opencontainers.image.licenses=AGPL-3.0-only"
    "org.opencontainers.image.created=$(epoch_time)"
  )
}
