# racine: `make run` and `make test` are all a newcomer needs (README.md).
# Every target installs what is missing first (scripts/deps.sh, Debian packages only).

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 5
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: deps deps-test build build-tests test run bench sanitize fuzz fuzz-smoke format format-check clean install uninstall deb fresh-check

# What building and running need (compiler, CMake, the libraries racine links against).
deps:
	@bash scripts/deps.sh build

# That, plus what the tests drive: GoogleTest, clang-14 (fuzzers, sanitizers), chromium,
# LibreOffice, PostgreSQL, Alertmanager, nginx, wrk, clang-format, Node.js, and the npm
# tools of the committed lockfiles tests/npm/*/ (npm ci). docs/packaging.md: the sizes.
deps-test:
	@bash scripts/deps.sh test

# The binary alone (no test dependency is needed or built).
build: deps
	@cmake --preset release -DRACINE_TESTS=OFF >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-tests: deps-test
	@cmake --preset release -DRACINE_TESTS=ON >/dev/null
	@cmake --build --preset release -j $(JOBS)

# Serves the portal's API on 127.0.0.1:8080 with its store in racine-data/ (git-ignored).
# On the first start it imports the built-in matrix (its lint findings are printed: the
# seed's RAC202 and RAC201) and prints an admin token once. Stop with Ctrl-C.
RUN_LISTEN ?= 127.0.0.1:8080
run: build
	@./build/racine serve --listen $(RUN_LISTEN) --data racine-data

test: build-tests
	@ctest --preset release -j $(JOBS)
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory fuzz-smoke FUZZ_SECONDS=$(FUZZ_SECONDS)

# ASan+UBSan over the whole suite, then ThreadSanitizer over the tests that exercise
# threads: every test whose name contains "Concurrent" (docs/testing.md).
sanitize: deps-test
	@cmake --preset sanitize >/dev/null
	@cmake --build --preset sanitize -j $(JOBS)
	@ctest --preset sanitize -j $(JOBS)
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS)
	@ctest --preset tsan -j $(JOBS) --no-tests=error

# The binary, the kubectl plugin (kubectl-raci, a link to it), its man page and its shell
# completions (generated from the binary's own command-line definition) under
# $(DESTDIR)$(PREFIX), by CMake's install rules (cmake/packaging.cmake).
install: build
	DESTDIR=$(DESTDIR) cmake --install build --prefix $(PREFIX)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/racine $(DESTDIR)$(PREFIX)/bin/kubectl-raci \
	  $(DESTDIR)$(PREFIX)/share/man/man1/racine.1.gz $(DESTDIR)$(PREFIX)/share/man/man1/racine.1 \
	  $(DESTDIR)$(PREFIX)/share/man/fr/man1/racine.1.gz \
	  $(DESTDIR)$(PREFIX)/share/locale/fr/LC_MESSAGES/racine.mo \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/racine \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_racine \
	  $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_racine \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/racine.fish

# A Debian package of the release build, build/racine_VERSION_ARCH.deb (CPack; its
# Depends are the runtime libraries, found by dpkg-shlibdeps). docs/packaging.md.
deb: build
	@cd build && cpack -G DEB

# A few seconds of libFuzzer on each reader; `make fuzz FUZZ_SECONDS=600` for longer.
fuzz-smoke fuzz: deps-test
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: deps-test
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS)
	@bash bench/run.sh build-bench

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

# Fails (and names the files) when a source is not formatted as .clang-format says.
format-check:
	@clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.h')

# The README's two commands in a clean Debian 12 root made with debootstrap (as root;
# downloads Debian packages; see docs/testing.md).
fresh-check:
	@bash scripts/fresh-check.sh

clean:
	@rm -rf build build-debug build-sanitize build-tsan build-fuzz build-bench
