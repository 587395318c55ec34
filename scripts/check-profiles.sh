#!/usr/bin/env bash
# Checks the Maven profiles that choose libtorch's natives (README "GPU build"): the default build
# bundles pytorch-native-cpu, `-Pgpu` must not (DJL then downloads the CUDA build at first use);
# and the library never depends on Spark (the optional spark/ module does).
# Reads the resolved dependency list of lib/ for each; builds nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn_cmd=${MVN:-mvn -B}
out="$root/build/profiles"
mkdir -p "$out"
cd "$root"
$mvn_cmd -q -pl lib dependency:list -DoutputFile="$out/default.txt"
$mvn_cmd -q -pl lib -Pgpu dependency:list -DoutputFile="$out/gpu.txt"
if ! grep -q "pytorch-native-cpu" "$out/default.txt"; then
    echo "check-profiles: the default build does not bundle pytorch-native-cpu ($out/default.txt)" >&2
    exit 1
fi
if grep -q "pytorch-native" "$out/gpu.txt"; then
    echo "check-profiles: -Pgpu still bundles libtorch natives ($out/gpu.txt):" >&2
    grep "pytorch-native" "$out/gpu.txt" >&2
    exit 1
fi
# the library jar (what the notebooks load) carries no Spark: only spark/ depends on it
if grep -q "org.apache.spark" "$out/default.txt"; then
    echo "check-profiles: the library depends on Spark ($out/default.txt):" >&2
    grep "org.apache.spark" "$out/default.txt" >&2
    exit 1
fi
echo "check-profiles: default bundles pytorch-native-cpu, -Pgpu bundles no libtorch natives, the library no Spark"
