#!/usr/bin/env bash
# Copies notebooks executed by 'make notebooks' (build/notebooks) over the committed ones in
# notebooks/, so that readers see the outputs of a full run without running anything.
# The one output changed on the way: the kernel's "Add <absolute path> to classpath" line of the
# %jars cell, which names a path on the machine that ran it, is replaced by the relative path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/build/notebooks"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
for nb in "$src"/*.ipynb; do
    [ -f "$nb" ] || { echo "nothing in $src: run 'make notebooks' first" >&2; exit 1; }
    name="$(basename "$nb")"
    [ -f "$root/notebooks/$name" ] || continue
    "$py" - "$nb" "$root/notebooks/$name" "$root" <<'PY'
import json, sys, os
src, dst, root = sys.argv[1:4]
nb = json.load(open(src))
for cell in nb["cells"]:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
            out["text"] = text.replace(os.path.join(root, "notebooks") + "/", "")
tmp = dst + ".tmp"
with open(tmp, "w") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
    f.write("\n")
os.replace(tmp, dst)
PY
    echo "published $name"
done
