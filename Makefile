# peergate — build, run and test. `make run` and `make test` work on a fresh Debian 12
# machine: missing Debian packages are installed first (nothing is installed when all are
# present), then Swift builds.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SWIFT ?= swift
CONFIG ?= Config/peergate.yaml
VENV := .venv-test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages peergate builds and links against.
BUILD_PACKAGES := pkg-config libavformat-dev libavcodec-dev libavutil-dev libswresample-dev \
	libsrtp2-dev libssl-dev libsqlite3-dev
# Debian packages `make run` uses: the ffmpeg CLI makes the demo clip.
RUN_PACKAGES := ffmpeg
# Debian packages the tests drive: real peers and media tools.
TEST_PACKAGES := ffmpeg python3-venv openssl coturn chromium chromium-driver \
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly \
	gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi

.PHONY: run test build release deps run-deps test-deps venv clean fuzz fuzz-build test-asan test-tsan

## run: build a release binary and serve Config/peergate.yaml with the demo: a test clip
## (made once with ffmpeg) republished into channel "demo" and recorded; prints the
## console's URL and login
run: deps run-deps release data/demo.mp4
	@.build/release/peergate serve --config $(CONFIG) --create-channel demo \
		--set publishers.0.channel=demo --set publishers.0.source=data/demo.mp4 --set publishers.0.loop=true \
		--set publishers.0.onDemand=false --set recorders.0.channel=demo & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' INT TERM; \
	for _ in $$(seq 300); do [ -s data/ports.json ] && break; sleep 0.1; done; \
	port=$$(sed -n 's/.*"http" *: *\([0-9]*\).*/\1/p' data/ports.json); \
	echo; echo "peergate is running (Ctrl-C stops): channel \"demo\" republishes data/demo.mp4 and is recorded"; \
	echo "  web console:  http://127.0.0.1:$$port/console/"; \
	if [ -f data/credentials ]; then \
		echo "    access key id:     $$(sed -n 's/^aws_access_key_id = //p' data/credentials)"; \
		echo "    secret access key: $$(sed -n 's/^aws_secret_access_key = //p' data/credentials)"; \
	else echo "    log in with a key of auth.credentials"; fi; \
	echo "  control plane + signaling: http://127.0.0.1:$$port  (WebSocket ws://127.0.0.1:$$port)"; \
	echo "  recordings API: http://127.0.0.1:$$port/v1/recordings  (OpenAPI: /openapi.yaml)"; \
	echo "  AWS CLI: AWS_SHARED_CREDENTIALS_FILE=data/credentials aws kinesisvideo list-signaling-channels --endpoint-url http://127.0.0.1:$$port --region us-east-1"; \
	echo; wait $$server

## data/demo.mp4: the demo clip (30 s, 720p H.264 baseline with a keyframe every 2 s, Opus)
data/demo.mp4:
	@mkdir -p data
	ffmpeg -v error -y -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 30 \
		-c:v libx264 -profile:v baseline -pix_fmt yuv420p -bf 0 -g 60 -b:v 1500k -c:a libopus -b:a 64k $@

## test: install what the tests need, build, run every test (none may be skipped)
test: deps test-deps venv
	$(SWIFT) build --build-tests
	@# Unit and in-process tests in parallel, then the end-to-end tests one at a time: they
	@# drive real peers (Chromium, aiortc, coturn's clients) whose frame and loss counts must
	@# not depend on how many others share the cores at that moment.
	$(SWIFT) test --skip EndToEndTests 2>&1 | tee .build/test-output.log
	$(SWIFT) test --filter EndToEndTests --no-parallel 2>&1 | tee -a .build/test-output.log
	@if grep -E "skipped|Skipped" .build/test-output.log | grep -vE " 0 skipped"; then \
		echo "make test: a test was skipped; every test must run" >&2; exit 1; fi
	@# A short libFuzzer run of every fuzz target (the corpora also run in the unit tests).
	$(MAKE) --no-print-directory fuzz SECONDS=3

## test-asan, test-tsan: the whole test suite under AddressSanitizer or ThreadSanitizer,
## each in a build folder of its own (.build-address, .build-thread)
test-asan: SANITIZER = address
test-tsan: SANITIZER = thread
SANITIZER_ENV_address := ASAN_OPTIONS=detect_leaks=0
# TSan writes each process's reports (the test runner's and every peergate it starts) to
# .build-thread/tsan-report.<pid>; any such file fails the target.
SANITIZER_ENV_thread := TSAN_OPTIONS="halt_on_error=0 report_signal_unsafe=0 suppressions=$(CURDIR)/Tests/Sanitizers/tsan-suppressions.txt log_path=$(CURDIR)/.build-thread/tsan-report"
test-asan test-tsan: deps test-deps venv
	$(SWIFT) build --build-tests --sanitize=$(SANITIZER) --scratch-path .build-$(SANITIZER)
	rm -f .build-$(SANITIZER)/tsan-report.*
	@status=0; \
	$(SANITIZER_ENV_$(SANITIZER)) $(SWIFT) test --skip-build --sanitize=$(SANITIZER) --scratch-path .build-$(SANITIZER) --skip EndToEndTests || status=1; \
	$(SANITIZER_ENV_$(SANITIZER)) $(SWIFT) test --skip-build --sanitize=$(SANITIZER) --scratch-path .build-$(SANITIZER) \
		--filter EndToEndTests --no-parallel || status=1; \
	if ls .build-$(SANITIZER)/tsan-report.* >/dev/null 2>&1; then \
		echo "ThreadSanitizer reports:"; grep -h "^SUMMARY" .build-$(SANITIZER)/tsan-report.* | sort | uniq -c; status=1; fi; \
	exit $$status

# Fuzzing: every sans-I/O parser and state machine has a libFuzzer target
# (Sources/FuzzTargets); its seeds are Tests/FuzzTargetsTests/Corpus/<target>/.
FUZZ_TARGETS = $(notdir $(wildcard Tests/FuzzTargetsTests/Corpus/*))
FUZZ_SCRATCH := .build-fuzz
SECONDS ?= 60

## fuzz-build: peergate-fuzz built with libFuzzer and AddressSanitizer (release, so fast)
fuzz-build: deps
	@# swiftc keeps only the last -sanitize= flag, hence fuzzer,address in one; the last
	@# -enforce-exclusivity too: the fuzzed release build keeps the checks the packet path's
	@# release modules leave out (Package.swift).
	$(SWIFT) build -c release --scratch-path $(FUZZ_SCRATCH) --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
		-Xswiftc -enforce-exclusivity=checked -Xswiftc -DFUZZING --product peergate-fuzz 2>&1 | grep -v "Cannot export local symbol" || true
	@test -x $(FUZZ_SCRATCH)/release/peergate-fuzz

## fuzz: runs every fuzz target for SECONDS seconds (default 60) and prints executions,
## coverage and findings per target; new inputs go to .build-fuzz/corpus/<target>, a finding
## to .build-fuzz/findings/<target>-crash-… (and `make fuzz` fails)
fuzz: fuzz-build
	@mkdir -p $(FUZZ_SCRATCH)/findings; failed=""; \
	printf "%-20s %12s %10s %8s %8s %s\n" target executions exec/s coverage corpus findings; \
	for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_SCRATCH)/corpus/$$target; log=$(FUZZ_SCRATCH)/$$target.log; \
		if SWIFT_BACKTRACE=enable=no PEERGATE_FUZZ_TARGET=$$target $(FUZZ_SCRATCH)/release/peergate-fuzz -max_total_time=$(SECONDS) -timeout=10 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_SCRATCH)/findings/$$target- \
			$(FUZZ_SCRATCH)/corpus/$$target Tests/FuzzTargetsTests/Corpus/$$target >$$log 2>&1; then found=0; \
		else found=1; failed="$$failed $$target"; fi; \
		printf "%-20s %12s %10s %8s %8s %s\n" $$target \
			"$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log)" "$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log)" \
			"$$(grep -o 'cov: [0-9]*' $$log | tail -1 | cut -d' ' -f2)" "$$(ls $(FUZZ_SCRATCH)/corpus/$$target | wc -l)" $$found; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: findings in$$failed (logs: $(FUZZ_SCRATCH)/<target>.log)" >&2; exit 1; fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

deps:
	@$(call install_missing,$(BUILD_PACKAGES))

run-deps:
	@$(call install_missing,$(RUN_PACKAGES))

test-deps:
	@$(call install_missing,$(TEST_PACKAGES))

## venv: the Python virtual environment of the test peers (Tests/Peers/requirements.txt)
venv: $(VENV)/.installed

$(VENV)/.installed: Tests/Peers/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/Peers/requirements.txt
	touch $@

clean:
	rm -rf .build $(VENV)

# Installs the Debian packages of $(1) that are not installed yet.
define install_missing
	missing=""; \
	for package in $(1); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef
