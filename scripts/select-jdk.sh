# Sourced by run.sh and .ci/run: exports JAVA_HOME as a JDK 21 or newer, or fails saying so.
# Order: JAVA_HOME if it is 21+, the java on PATH if it is 21+, then the JDKs under /usr/lib/jvm (newest first).

su7_java_feature() { # prints the feature version of the JDK at $1, or 0
    local release="$1/release" version
    [[ -x "$1/bin/java" && -r "$release" ]] || { echo 0; return; }
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    echo "${version:-0}"
}

su7_select_jdk() {
    local candidate
    local candidates=()
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${candidate%/}"); done
    for candidate in "${candidates[@]}"; do
        if (( $(su7_java_feature "$candidate") >= 21 )); then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    echo "error: no JDK 21 or newer found (looked at JAVA_HOME, the java on PATH and /usr/lib/jvm)." >&2
    echo "       Install one and set JAVA_HOME to it." >&2
    return 1
}

su7_select_jdk
