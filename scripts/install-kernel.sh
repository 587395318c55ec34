#!/usr/bin/env bash
# Registers the Java kernel for Jupyter under the kernelspec name "java": rapaio-jupyter-kernel
# from Maven Central, run with the JVM options oodlab needs (offline DJL, headless AWT) and the
# C1-only JIT that the ./oodlab launcher uses too (-XX:TieredStopAtLevel=1, see docs/benchmarks.md).
# A "java" kernelspec that oodlab did not write (IJava, JJava) is left alone.
set -euo pipefail
VERSION="${RJK_VERSION:-3.0.1}"

usage() {
    cat <<USAGE
Usage: scripts/install-kernel.sh [--force] [--help]

Downloads io.github.padreati:rapaio-jupyter-kernel:$VERSION with Maven and writes a kernelspec
named "java" (display name "Java") into the user's Jupyter data directory.
An existing "java" kernelspec not written by this script (e.g. IJava) is kept unless --force.
USAGE
}
force=0
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    --force) force=1 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

jupyter=/usr/bin/jupyter
[ -x "$jupyter" ] || jupyter="$(command -v jupyter || true)"
[ -n "$jupyter" ] || { echo "install-kernel: jupyter is not installed (run 'make setup')" >&2; exit 1; }

python_for_json() { if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$@"; else python3 "$@"; fi; }
existing="$("$jupyter" kernelspec list --json 2>/dev/null \
    | python_for_json -c 'import json,sys; d=json.load(sys.stdin)["kernelspecs"]; print(d["java"]["resource_dir"] if "java" in d else "")' 2>/dev/null || true)"
# Only a rapaio kernelspec written by this script is replaced (an IJava one that
# scripts/install-ijava.sh wrote, for 'make setup KERNEL=ijava', is kept too).
if [ -n "$existing" ] && [ "$force" = 0 ] \
    && ! { grep -q '"oodlab"' "$existing/kernel.json" && grep -q 'rapaio-jupyter-kernel' "$existing/kernel.json"; } 2>/dev/null; then
    echo "install-kernel: a 'java' kernelspec already exists in $existing (not oodlab's rapaio kernel); keeping it" >&2
    exit 0
fi

kdir="$("$jupyter" --data-dir)/kernels/java"
jar="$kdir/rapaio-jupyter-kernel-$VERSION.jar"
if [ ! -f "$jar" ]; then
    mkdir -p "$kdir"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    mvn -q -B dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$VERSION" \
        -DoutputDirectory="$tmp" >&2 || { echo "install-kernel: could not fetch rapaio-jupyter-kernel $VERSION from Maven Central" >&2; exit 1; }
    mv "$tmp/rapaio-jupyter-kernel-$VERSION.jar" "$jar"
fi

cat > "$kdir/kernel.json.tmp" <<JSON
{
  "argv": [
    "java",
    "-XX:TieredStopAtLevel=1",
    "-Dai.djl.offline=true",
    "-Djava.awt.headless=true",
    "-Dai.djl.pytorch.num_interop_threads=1",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error",
    "-jar",
    "$jar",
    "{connection_file}"
  ],
  "display_name": "Java",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": "",
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1"
  },
  "metadata": {"installed_by": "oodlab", "kernel": "rapaio-jupyter-kernel $VERSION"}
}
JSON
mv -f "$kdir/kernel.json.tmp" "$kdir/kernel.json"
echo "install-kernel: kernelspec 'java' (rapaio-jupyter-kernel $VERSION) in $kdir" >&2
