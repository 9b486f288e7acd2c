# Convenience entry points; CMake does the real work.
#   make demo   install deps, build, generate the demo recording, process it
#   make check  install deps, build with -Werror, run all tests, again under ASan+UBSan
#   make test-tsan  the tests that start threads, under ThreadSanitizer (CI runs it after check)
#   make fuzz   build the libFuzzer targets (clang) and run each FUZZ_SECONDS
#   make bench  run the pipeline benchmark (long; not part of check)
#   make bench-enhance  the denoiser against speexdsp and afftdn: real noise first, then generated (long)
#   make bench-beats-real  beat tracking on real loops and rendered MIDI, against aubio (~1 min)
JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps build demo check test test-asan test-tsan fuzz bench bench-enhance \
	bench-fillers-real bench-beats-real bench-text-real bench-guide graph clean

all: build

deps:
	scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAVE_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	mkdir -p demo
	@test -f demo/talk.mp4 || scripts/make-demo.sh demo/talk.mp4
	$(BUILD)/ai-video-editor process demo/talk.mp4 --output demo/output
	@echo "demo results: $(CURDIR)/demo/output/ (video/edited.mp4, timeline.json, analytics/performance_metrics.json)"

# The library's folders and who calls whom (from the object files), drawn
# with Graphviz: $(BUILD)/layers.svg. Fails, like lint.layers, on a call up
# a layer, between stages, or a cycle.
graph: build
	python3 scripts/check-layers.py $(BUILD) . --dot $(BUILD)/layers.dot
	dot -Tsvg $(BUILD)/layers.dot -o $(BUILD)/layers.svg
	@echo "drawn: $(CURDIR)/$(BUILD)/layers.svg"

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAVE_WERROR=ON -DAVE_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --output-on-failure -j$(JOBS)

# Only the threaded tests are registered in this build (tests/CMakeLists.txt).
# halt_on_error: the first race fails the test; second_deadlock_stack gives
# both stacks of a lock-order report.
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAVE_WERROR=ON -DAVE_TSAN=ON >/dev/null
	cmake --build $(TSAN_BUILD) -j$(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --output-on-failure -j$(JOBS)

check: test test-asan

# Own build folder: the whole library is rebuilt by clang with coverage hooks.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DAVE_WERROR=ON \
	  -DAVE_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BUILD)

bench: build
	bench/bench_process.sh $(BUILD)/ai-video-editor

# The cuts on real recordings (issue 18): fillers removed, real words damaged.
bench-fillers-real: build
	bench/bench_fillers_real.sh $(BUILD)

# Beats on real loops and real sampled instruments (issue 20), aubio alongside.
bench-beats-real: build
	bench/bench_beats_real.sh $(BUILD)

# Publishable text on real recordings (issue 23): share of title/tag/headline
# words in the reference transcripts.
bench-text-real: build
	bench/bench_text_real.sh $(BUILD)

# The original tool's guide's benchmark (long: SCALE=0.1 for a short run).
bench-guide: build
	bench/guide_benchmark.sh $(BUILD)

# Real noise (issue 20, ../shared/media/real-dev) first, then the generated corpus.
bench-enhance: build
	bench/bench_denoise_real.sh $(BUILD)/bench_enhance
	bench/bench_enhance.sh $(BUILD)/bench_enhance

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
