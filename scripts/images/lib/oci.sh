# Sourced by scripts/images/build: the parts every image shares. Uses $rootfs, $work, $epoch,
# $user_name, $entrypoint, $labels, $env, $tls_verify, $creds, $started, say and die.

# The unprivileged user both images run as (the uid the manifests' securityContext sets).
IMAGE_UID=1000

# /etc/passwd, /etc/group and a world-writable /tmp: what a process running as $IMAGE_UID
# looks up (os/user, os.homedir) on an otherwise empty root file system.
add_base_files() { # NAME
  mkdir -p "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\n%s:x:%s:%s:%s:/tmp:/sbin/nologin\n' "$1" "$IMAGE_UID" "$IMAGE_UID" "$1" >"$rootfs/etc/passwd"
  printf 'root:x:0:\n%s:x:%s:\n' "$1" "$IMAGE_UID" >"$rootfs/etc/group"
  chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"
}

# RFC 3339 form of $epoch, as the OCI config's `created` wants it.
epoch_time() { date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ; }

# One layer of $rootfs: GNU tar in name order, every entry owned by 0:0 and stamped with $epoch,
# without access/change times (https://reproducible-builds.org/docs/archives/). Made here rather
# than by `umoci insert`, whose Debian build (0.4.7) ends layers without tar's end-of-archive
# blocks (opencontainers/umoci#436) and takes owners from the building user.
make_layer() { # OUT
  local entries
  mapfile -t entries < <(cd "$rootfs" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | sort)
  tar -C "$rootfs" --sort=name --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    -cf "$1" "${entries[@]}"
}

# The OCI image layout: an empty base (`umoci new`), the layer, then the config. Every time
# in it is $epoch, so the same inputs give the same manifest digest.
make_image() { # LAYOUT NAME
  local layout="$1" tag="$2" created args=() l e
  created="$(epoch_time)"
  say "assembling the $2 image (one layer, user $IMAGE_UID:$IMAGE_UID, entrypoint ${entrypoint})"
  make_layer "$work/layer.tar"
  umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  umoci raw add-layer --image "$layout:$tag" --history.created "$created" \
    --history.created_by "scripts/images/build $tag" "$work/layer.tar"
  for l in "${labels[@]}"; do args+=(--config.label "$l"); done
  for e in "${env[@]}"; do args+=(--config.env "$e"); done
  umoci config --image "$layout:$tag" --no-history --created "$created" \
    --config.user "$IMAGE_UID:$IMAGE_UID" --config.entrypoint "$entrypoint" "${args[@]}"
  umoci gc --layout "$layout"
}

# The manifest digest of the layout's only tag, as index.json records it.
layout_digest() { # LAYOUT
  sed -n 's/.*"digest":"\(sha256:[0-9a-f]\{64\}\)".*/\1/p' "$1/index.json"
}

# skopeo copy with the blobs and manifest as built (--preserve-digests: no conversion),
# then the digest into --digest-file and onto stdout.
push_image() { # LAYOUT NAME DEST DIGEST_FILE
  local layout="$1" tag="$2" dst="$3" out="$4" built pushed args=(--quiet --preserve-digests --retry-times 3)
  built="$(layout_digest "$layout")"
  [[ "$built" == sha256:* ]] || die "umoci wrote no manifest digest into $layout/index.json"
  case "$dst" in docker://*) args+=("--dest-tls-verify=$tls_verify") ;; esac
  [ -z "$creds" ] || args+=(--dest-creds "$creds")
  say "pushing $built to $dst"
  if ! skopeo copy "${args[@]}" --digestfile "$work/digest" "oci:$layout:$tag" "$dst" 2>"$work/skopeo.err"; then
    # skopeo's last log line, without its time/level prefix and quoting.
    die "pushing to $dst failed: $(grep -v '^\s*$' "$work/skopeo.err" | tail -n 1 |
      sed -e 's/^time="[^"]*" level=[a-z]* msg=//' -e 's/^"\(.*\)"$/\1/' -e 's/\\"/"/g')"
  fi
  pushed="$(cat "$work/digest")"
  [ "$pushed" = "$built" ] || die "the destination stored manifest $pushed, not the built $built"
  if [ -n "$out" ]; then
    printf '%s' "$pushed" >"$out.tmp.$$"
    mv "$out.tmp.$$" "$out"
  fi
  say "pushed $2 as $pushed in $((SECONDS - started))s"
  printf '%s\n' "$pushed"
}
