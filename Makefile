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
# Debian packages the tests drive: real peers and media tools.
TEST_PACKAGES := ffmpeg python3-venv openssl coturn chromium chromium-driver \
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly \
	gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi

.PHONY: run test build release deps test-deps venv clean

## run: build a release binary and serve Config/peergate.yaml with the channel "demo"
run: deps release
	@echo "peergate: serving $(CONFIG) with the signaling channel \"demo\" (Ctrl-C stops)"
	@echo "  control plane + signaling: http://127.0.0.1:8080  (WebSocket ws://127.0.0.1:8080)"
	@echo "  health: http://127.0.0.1:8080/healthz   metrics: http://127.0.0.1:8080/metrics"
	@echo "  generated access key: data/credentials, e.g."
	@echo "    AWS_SHARED_CREDENTIALS_FILE=data/credentials aws kinesisvideo list-signaling-channels \\"
	@echo "      --endpoint-url http://127.0.0.1:8080 --region us-east-1"
	.build/release/peergate serve --config $(CONFIG) --create-channel demo

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

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

deps:
	@$(call install_missing,$(BUILD_PACKAGES))

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
