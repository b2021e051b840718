# Sourced by toolchain/sysroot.sh and toolchain/firmware/build.sh: fetch Debian packages of
# another release or architecture through the HOST's apt configuration (its mirror, proxy and
# keyrings), never a hard-coded package host, and without touching the host's dpkg state.
#
#   apt_host_entries                 the host's enabled "deb" entries, one per line:
#                                    URI SUITE SIGNED-BY COMPONENT...
#   apt_sources_for CODENAME ARCH [main-only]
#                                    a sources.list for CODENAME/ARCH made from the host's Debian
#                                    entries (those whose suite is the host's codename, -updates or
#                                    -security), the codename swapped; main-only keeps the release
#                                    suite alone (older releases: the security archive may be gone)
#   apt_private DIR SOURCES-TEXT ARCH
#                                    a private apt state in DIR; sets the array APT_OPTS for
#                                    apt-get (lists, cache, an empty dpkg status: the host's
#                                    installed packages must not change what is resolved)
# APT_ETC (default /etc/apt) and OS_RELEASE (default /etc/os-release) point elsewhere in tests.

apt_host_codename() {
  (. "${OS_RELEASE:-/etc/os-release}" && echo "${VERSION_CODENAME:-}")
}

apt_host_entries() {
  local f etc=${APT_ETC:-/etc/apt}
  for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [opt=value ...] URI SUITE COMPONENT...
    awk '
      /^[ \t]*deb[ \t]/ {
        line = $0; sub(/^[ \t]*deb[ \t]+/, "", line); key = "-"
        if (line ~ /^\[/) {
          opts = substr(line, 2, index(line, "]") - 2); line = substr(line, index(line, "]") + 1)
          n = split(opts, o, /[ \t]+/)
          for (i = 1; i <= n; i++) if (o[i] ~ /^signed-by=/) { key = o[i]; sub(/^signed-by=/, "", key) }
        }
        n = split(line, w, /[ \t]+/); j = 0
        for (i = 1; i <= n; i++) if (w[i] != "") { j++; f[j] = w[i] }
        if (j < 3) next
        printf "%s %s %s", f[1], f[2], key
        for (i = 3; i <= j; i++) printf " %s", f[i]
        printf "\n"
      }' "$f"
  done
  for f in "$etc"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas; continuation lines (inline keys) start with a space and are skipped:
    # an inline Signed-By block falls back to the archive keyring.
    awk '
      function flush(   i, j, u, s, n, m) {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" && suites != "") {
          n = split(uris, u, /[ \t]+/); m = split(suites, s, /[ \t]+/)
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
            if (u[i] != "" && s[j] != "") printf "%s %s %s %s\n", u[i], s[j], (key == "" ? "-" : key), comps
        }
        types = uris = suites = comps = key = enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^#/ || /^[ \t]/ { next }
      {
        name = tolower($1); sub(/:$/, "", name); value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (name == "types") types = value
        else if (name == "uris") uris = value
        else if (name == "suites") suites = value
        else if (name == "components") comps = value
        else if (name == "enabled") enabled = tolower(value)
        else if (name == "signed-by" && value ~ /^\//) key = value
      }
      END { flush() }' "$f"
  done
}

apt_sources_for() {
  local want=$1 arch=$2 mode=${3:-} host uri suite key comps out="" newsuite
  host=$(apt_host_codename)
  [ -n "$host" ] || { echo "apt-sources: no VERSION_CODENAME in ${OS_RELEASE:-/etc/os-release}" >&2; return 1; }
  while read -r uri suite key comps; do
    case "$suite" in
      "$host") ;;
      "$host"-updates|"$host"-security|"$host"/updates) [ "$mode" = main-only ] && continue ;;
      *) continue ;;
    esac
    newsuite=$want${suite#"$host"}
    [ "$key" = - ] && key=/usr/share/keyrings/debian-archive-keyring.gpg
    out+="deb [arch=$arch signed-by=$key] $uri $newsuite $comps"$'\n'
  done < <(apt_host_entries)
  [ -n "$out" ] || { echo "apt-sources: the host's apt sources have no Debian '$host' entry to derive '$want' from" >&2; return 1; }
  printf '%s' "$out"
}

apt_private() {
  local dir=$1 sources=$2 arch=$3
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/preferences.d"
  printf '%s' "$sources" >"$dir/sources.list"
  APT_OPTS=(
    -o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=-"
    -o "Dir::Etc::Preferences=$dir/etc/preferences" -o "Dir::Etc::PreferencesParts=$dir/etc/preferences.d"
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
    -o "Dir::State::Status=/dev/null" -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
  )
}
