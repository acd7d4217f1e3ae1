# temoin: `make demo` shows it working, `make test` proves it. Both install what they need.
SWIFT ?= swift
PREFIX ?= /usr/local
BIN := .build/debug/temoin
# Linux: link the Swift runtime and Foundation statically; a command then starts in ~10 ms instead of
# ~40 ms (measured in docs/BENCHMARKS.md), and the installed binary needs no Swift toolchain.
# --disable-local-rpath: the binary finds nothing through a build-time RPATH (the Debian package
# forbids one; the portable folder sets its own).
RELEASE_FLAGS := $(if $(filter Linux,$(shell uname -s)),--static-swift-stdlib --disable-local-rpath,)

.PHONY: all deps build release test lint format help-snapshots demo bench bench-baseline harden fuzz install clean bundle-docs tools dist deb

all: build

deps:
	@scripts/ensure-deps.sh

# Bundles (temoin export --out) carry these docs; the binary ships copies as resources. The reference
# verifier is kept once, in the resources: docs/verify_reference.py is a link to it (SwiftPM copies a
# linked resource as a dangling link, so the real file must be the resource).
bundle-docs:
	@cp docs/FORMAT.md docs/TRUST.md Sources/TemoinKit/Resources/bundle/

# Tools the tests use to check our output with other people's code: warcio (PyPI) validates WARC files;
# dkimpy signs e-mails and dnslib serves their keys on 127.0.0.1 (scripts/dkim_mail.py; pynacl for
# dkimpy's ed25519-sha256); aiosmtpd is the mail server slot alerts are sent to.
TOOLS_VENV := .venv-tools
TOOLS_PACKAGES := warcio dkimpy dnslib pynacl aiosmtpd
tools: $(TOOLS_VENV)/.installed

$(TOOLS_VENV)/.installed: Makefile
	python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet $(TOOLS_PACKAGES)
	touch $@

build: deps bundle-docs
	$(SWIFT) build

# The shipped products only: a plain `swift build -c release` would also compile Tests/TestSupport, a
# plain target that imports Testing, which release builds do not have.
release: deps bundle-docs
	$(SWIFT) build -c release $(RELEASE_FLAGS) --product temoin
	$(SWIFT) build -c release $(RELEASE_FLAGS) --product temoin-bench

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Fuzz Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Fuzz Package.swift

# The tests drive the real binary too, so build everything first; the packaging tests unpack the
# portable folder and install the Debian package made from the one release build (TEMOIN_DIST).
test: deps lint bundle-docs tools dist deb
	$(SWIFT) build --build-tests
	TEMOIN_DIST=$(CURDIR)/dist $(SWIFT) test --skip-build

# The `--help` snapshots (Tests/TemoinCLITests/Snapshots/help/{en,fr}/), rewritten from the built binary
# after a help text changed; review the diff before committing it.
help-snapshots:
	$(SWIFT) build --build-tests
	TEMOIN_UPDATE_HELP_SNAPSHOTS=1 $(SWIFT) test --skip-build --filter HelpSnapshotTests

demo: build tools
	@scripts/demo.sh $(BIN)

bench: release
	@BASELINE_DIR="$(BASELINE_DIR)" BASELINE_NAME="$(BASELINE_NAME)" scripts/bench.sh .build/release/temoin

# An earlier build to compare with in the same run (goals 7 and 8):
#   make bench BASELINE_DIR=$(scripts/bench-baseline.sh 76822b7) BASELINE_NAME=76822b7
# 76822b7 is the reference of issues 13, 14 and 19; `make bench-baseline BASELINE_REF=…` builds another.
BASELINE_REF ?= 76822b7
bench-baseline:
	@scripts/bench-baseline.sh $(BASELINE_REF)

# Fault injection, tamper fuzzing, concurrency, full and read-only disks, hostile inputs (about an hour
# on 2 cores; needs root for the tmpfs mounts). Figures: docs/HARDENING.md; logs: .build/harden/.
harden: build
	@scripts/harden/run-all $(BIN)

# libFuzzer on the page analysis for FUZZ_SECONDS (docs/HARDENING.md). Instruments TemoinKit in
# .build; the next plain build recompiles it. Findings go to .build/fuzz/artifacts/.
FUZZ_SECONDS ?= 300
FUZZ_RSS_MB ?= 2048
fuzz:
	@scripts/fuzz-analysis.sh $(FUZZ_SECONDS) $(FUZZ_RSS_MB)

# The manual and the shell completions are generated from the argument parser, so they never
# disagree with `temoin --help` (scripts/manpage.py turns its description into mdoc).
install: release
	install -d $(DESTDIR)$(PREFIX)/lib/temoin $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/temoin $(DESTDIR)$(PREFIX)/lib/temoin/temoin
	cp -R .build/release/temoin_TemoinKit.resources $(DESTDIR)$(PREFIX)/lib/temoin/
	ln -sf ../lib/temoin/temoin $(DESTDIR)$(PREFIX)/bin/temoin
	@scripts/install-docs.sh .build/release/temoin "$(DESTDIR)$(PREFIX)"

# The portable folder (USB stick, any folder, no install) and its .tar.gz, in dist/ (scripts/dist.sh).
dist: release
	@bash scripts/dist.sh .build/release/temoin dist

# The Debian package, in dist/ (scripts/deb.sh): apt install ./dist/temoin_*.deb
deb: release
	@bash scripts/deb.sh .build/release/temoin dist

clean:
	rm -rf .build dist
