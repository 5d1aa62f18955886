# syntax=docker/dockerfile:1
# plimsoll as a container image: a static (musl) binary on an empty base, run as a non-root user.
#   docker run --rm -v "$PWD:/work" ghcr.io/plimsoll-lint/plimsoll check .
# The release workflow (.github/workflows/publish-docker.yml) builds it for linux/amd64 and linux/arm64 and pushes
# it; CI lints this file with plimsoll itself.

FROM rust:1.91-alpine3.22 AS build
# The C compiler and musl headers for tree-sitter's parser; on Alpine the Rust target is musl, linked statically.
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --locked --profile dist --bin plimsoll \
    && cp target/dist/plimsoll /usr/local/bin/plimsoll \
    && /usr/local/bin/plimsoll --version

FROM scratch
COPY --from=build /usr/local/bin/plimsoll /usr/local/bin/plimsoll
ENV PATH=/usr/local/bin
# No shell, no package manager, no users file: a numeric non-root user and group.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["plimsoll"]
CMD ["check", "."]
