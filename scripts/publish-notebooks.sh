#!/usr/bin/env bash
# Copies notebooks executed by 'make notebooks' (build/notebooks) over the committed ones in
# notebooks/, so that readers see the outputs of a full run without running anything.
# Two things change on the way: the kernel's "Add <absolute path> to classpath" line of the %jars
# cell, which names a path on the machine that ran it, gets the relative path; and ANSI colour codes
# (the kernel colours that line) are removed from every output, which the notebook lint checks.
#   scripts/publish-notebooks.sh                      every notebook of build/notebooks
#   scripts/publish-notebooks.sh SRCDIR [NAME ...]    from another output folder of
#                                                     scripts/run-notebooks.sh, only the named ones
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-$root/build/notebooks}"
[ "$#" -gt 0 ] && shift
if [ "$#" -gt 0 ]; then
    files=()
    for name in "$@"; do files+=("$src/$(basename "$name" .ipynb).ipynb"); done
else
    files=("$src"/*.ipynb)
fi
py=/usr/bin/python3
[ -x "$py" ] || py=python3
for nb in "${files[@]}"; do
    [ -f "$nb" ] || { echo "$nb not found: run 'make notebooks' (or scripts/run-notebooks.sh) first" >&2; exit 1; }
    name="$(basename "$nb")"
    [ -f "$root/notebooks/$name" ] || continue
    "$py" - "$nb" "$root/notebooks/$name" "$root" <<'PY'
import json, sys, os, re
src, dst, root = sys.argv[1:4]
ansi = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
def clean(text):
    return ansi.sub("", "".join(text) if isinstance(text, list) else text)
nb = json.load(open(src))
for cell in nb["cells"]:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            out["text"] = clean(out["text"]).replace(os.path.join(root, "notebooks") + "/", "")
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/"):
                out["data"][mime] = clean(value)
        if "traceback" in out:
            out["traceback"] = [clean(line) for line in out["traceback"]]
tmp = dst + ".tmp"
with open(tmp, "w") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
    f.write("\n")
os.replace(tmp, dst)
PY
    echo "published $name"
done
