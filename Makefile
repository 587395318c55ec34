# oodlab — the two commands:
#   make notebooks   set up, build, execute every notebook into build/notebooks (.ipynb + .html)
#   make test        set up, build, unit tests, every notebook in quick mode (build/notebooks-quick)
SHELL := /bin/bash
MVN ?= mvn -B
JAR := lib/target/oodlab.jar
BENCH_JAR := bench/target/oodlab-bench.jar
# Java kernel registered as kernelspec "java": rapaio (scripts/install-kernel.sh, the default) or
# ijava (scripts/install-ijava.sh; pass IJAVA_SHA256=<digest> or IJAVA_FLAGS=--trust-unverified).
KERNEL ?= rapaio
IJAVA_FLAGS ?=

.PHONY: help setup build unit profiles test notebooks bench-notebooks lab clean

help:
	@echo "make notebooks  - set up, build and execute the notebook series into build/notebooks"
	@echo "make test       - set up, build, run the unit tests and the notebooks in quick mode"
	@echo "make setup      - install what is missing (Jupyter, data, Java kernel); idempotent"
	@echo "                  (KERNEL=ijava: IJava instead of rapaio-jupyter-kernel, see README)"
	@echo "make build      - build the library's shaded jar $(JAR) (what the notebooks load)"
	@echo "                  the benchmark harness $(BENCH_JAR) and the Spark module (no tests)"
	@echo "make bench-notebooks - make notebooks, timed per notebook (kernel start included):"
	@echo "                  build/notebooks/bench.md (OODLAB_CACHE=off: without the run cache)"
	@echo "make lab        - start Jupyter on notebooks/"
	@echo "make clean      - remove build outputs"

setup:
	@KERNEL="$(KERNEL)" IJAVA_FLAGS="$(IJAVA_FLAGS)" scripts/setup.sh

build:
	$(MVN) -q -DskipTests package

# every module's unit tests: lib/ (the library, the CLI), bench/ (the benchmark harness) and spark/
# (sweeps and distributed scoring in Spark's local mode)
unit:
	$(MVN) package

# the native-library profiles: default = CPU natives bundled, -Pgpu = none (README "GPU build")
profiles:
	MVN="$(MVN)" scripts/check-profiles.sh

test: setup unit profiles
	OODLAB_QUICK=1 scripts/run-notebooks.sh build/notebooks-quick

notebooks: setup build
	scripts/run-notebooks.sh build/notebooks
	@echo "Executed notebooks: $(CURDIR)/build/notebooks (*.ipynb and *.html)"

# The same run as 'make notebooks', with a table of wall times in build/notebooks/bench.md.
bench-notebooks: setup build
	scripts/bench-notebooks.sh build/notebooks

lab: setup build
	cd notebooks && jupyter notebook

clean:
	$(MVN) -q clean
	rm -rf build
