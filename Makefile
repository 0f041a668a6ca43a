# The commands the README promises. Each first installs missing Debian packages.
#   make demo   - set up, build, run vigil on the bundled benign demo data
#   make check  - set up, build twice (plain -Werror, then clang ASan+UBSan with the
#                 fuzz harnesses), run every CTest test on both builds
#   make bench  - build and run the benchmarks (see bench/README.md)
#   make fuzz   - run each libFuzzer harness for FUZZ_SECONDS (default 300)
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 300
CMAKE_GEN   := -G Ninja

.PHONY: all bootstrap build build-asan demo check test test-asan bench fuzz clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B build $(CMAKE_GEN) -DVG_WERROR=ON >/dev/null
	@cmake --build build -j $(JOBS)

build-asan: bootstrap
	@cmake -S . -B build-asan $(CMAKE_GEN) -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_BUILD_TYPE=Debug -DVG_WERROR=ON -DVG_SANITIZE=ON -DVG_FUZZ=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)

test: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

check: test test-asan

demo: build
	@scripts/demo build/src/vigil

bench: build
	@scripts/bench build

fuzz: build-asan
	@scripts/fuzz build-asan $(FUZZ_SECONDS)

clean:
	rm -rf build build-asan
