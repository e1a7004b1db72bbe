# racine in a container: `docker build -t racine .` then `docker run --rm -v "$PWD:/work"
# -w /work racine lint FILE...`. Also the image of the GitHub Action (action.yml).
# docs/packaging.md says how it is built and what is (and is not) tested.

# Stage 1: Debian 12 builds racine with the project's own scripts: scripts/deps.sh build
# installs what building needs (Debian packages only, no test tool), `make deb` builds
# the release binary and packages it (cmake/packaging.cmake).
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN bash scripts/deps.sh build && make deb

# Stage 2: a plain Debian 12 with the package installed: apt resolves its Depends (the
# runtime libraries only), so the image holds the binary, its libraries, the man page
# and the completions, and no compiler.
FROM debian:12
COPY --from=build /src/build/racine_*.deb /tmp/
COPY packaging/action-entrypoint.sh /usr/local/bin/racine-action
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/racine_*.deb \
  && rm -rf /var/lib/apt/lists/* /tmp/racine_*.deb \
  && racine --version
WORKDIR /work
ENTRYPOINT ["racine"]
