#!/usr/bin/env bash
# Registers the Java kernel for Jupyter under the kernelspec name "java": rapaio-jupyter-kernel
# from Maven Central, run with the JVM options oodlab needs (offline DJL, headless AWT) and the
# C1-only JIT that the ./oodlab launcher uses too (-XX:TieredStopAtLevel=1, see docs/benchmarks.md).
# The kernelspec runs a copy of the kernel jar with one class replaced: scripts/kernel-fix/LoopThread.java
# removes a start race that left 1 in 12 (on a busy machine 1 in 3) kernels never answering.
# A "java" kernelspec that oodlab did not write (IJava, JJava) is left alone.
set -euo pipefail
VERSION="${RJK_VERSION:-3.0.1}"

usage() {
    cat <<USAGE
Usage: scripts/install-kernel.sh [--force] [--help]

Downloads io.github.padreati:rapaio-jupyter-kernel:$VERSION with Maven, builds a copy of it with
scripts/kernel-fix/LoopThread.java compiled in (the start race fix), and writes a kernelspec named
"java" (display name "Java") into the user's Jupyter data directory. Idempotent.
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
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ ! -f "$jar" ]; then
    mkdir -p "$kdir"
    mvn -q -B dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$VERSION" \
        -DoutputDirectory="$tmp" >&2 || { echo "install-kernel: could not fetch rapaio-jupyter-kernel $VERSION from Maven Central" >&2; exit 1; }
    mv "$tmp/rapaio-jupyter-kernel-$VERSION.jar" "$jar.tmp"
    mv -f "$jar.tmp" "$jar"
fi

# The fixed jar: named after the digests of the original jar and the fix, so a new version of either
# builds a new one and an existing one is reused.
fix_src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/kernel-fix/LoopThread.java"
fix_class=org/rapaio/jupyter/kernel/channels/LoopThread.class
digest="$(cat "$jar" "$fix_src" | sha256sum | cut -c1-12)"
fixed="$kdir/rapaio-jupyter-kernel-$VERSION-oodlab-$digest.jar"
if [ ! -f "$fixed" ]; then
    for tool in javac jar javap; do
        command -v "$tool" >/dev/null 2>&1 || { echo "install-kernel: $tool is not installed (a JDK 17 is needed: sudo apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
    done
    # The replacement must have the members the kernel calls: LoopThread(String, long, Runnable),
    # start(), run(), shutdown().
    members="$(javap -cp "$jar" -public org.rapaio.jupyter.kernel.channels.LoopThread 2>/dev/null || true)"
    for m in 'LoopThread(java.lang.String, long, java.lang.Runnable);' 'void run();' 'void shutdown();'; do
        grep -qF "$m" <<<"$members" || { echo "install-kernel: rapaio-jupyter-kernel $VERSION has no LoopThread member '$m'; scripts/kernel-fix/LoopThread.java fits 3.0.1 (set RJK_VERSION=3.0.1)" >&2; exit 1; }
    done
    mkdir -p "$tmp/classes"
    javac -nowarn --release 17 -d "$tmp/classes" "$fix_src" >&2
    cp "$jar" "$tmp/fixed.jar"
    (cd "$tmp/classes" && jar uf "$tmp/fixed.jar" "$fix_class")
    mkdir -p "$tmp/check"
    (cd "$tmp/check" && jar xf "$tmp/fixed.jar" "$fix_class")
    cmp -s "$tmp/check/$fix_class" "$tmp/classes/$fix_class" \
        || { echo "install-kernel: could not put the fixed LoopThread into the kernel jar" >&2; exit 1; }
    mv "$tmp/fixed.jar" "$fixed.tmp"
    mv -f "$fixed.tmp" "$fixed"
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
    "$fixed",
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
  "metadata": {"installed_by": "oodlab", "kernel": "rapaio-jupyter-kernel $VERSION", "fix": "scripts/kernel-fix/LoopThread.java"}
}
JSON
mv -f "$kdir/kernel.json.tmp" "$kdir/kernel.json"
# Fixed jars of earlier versions of the fix or the kernel are no longer referenced.
for old in "$kdir"/rapaio-jupyter-kernel-*-oodlab-*.jar; do
    [ -f "$old" ] && [ "$old" != "$fixed" ] && rm -f "$old"
done
echo "install-kernel: kernelspec 'java' (rapaio-jupyter-kernel $VERSION, start race fixed) in $kdir" >&2
