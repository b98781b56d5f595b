# syntax=docker/dockerfile:1
# The Agora hub: `docker build -f deploy/docker/hub.Dockerfile -t agora-hub .` from the
# repository root. Two stages: the workspace is compiled on the Rust image, and only the
# binary goes into a slim Debian image that runs as an unprivileged user.

ARG RUST_VERSION=1.95
ARG DEBIAN=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN} AS builder
WORKDIR /src
# The whole workspace: Cargo needs every member's manifest, and the hub embeds its
# migrations, templates, static files and demo data at compile time.
COPY Cargo.toml Cargo.lock ./
COPY schemas schemas
COPY hub hub
COPY agent agent
COPY tests tests
COPY migrations migrations
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p agora-hub --bin agora-hub \
    && install -D -m 0755 target/release/agora-hub /out/agora-hub

FROM debian:${DEBIAN}-slim AS runtime
# ca-certificates: TLS to the OpenID provider, the SMTP server and PostgreSQL;
# curl: the health check below. Nothing else is needed (TLS is rustls, linked in).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 agora \
    && useradd --system --uid 10001 --gid agora --home-dir /var/lib/agora --shell /usr/sbin/nologin agora \
    && install -d -o agora -g agora -m 0750 /var/lib/agora /var/lib/agora/index
COPY --from=builder /out/agora-hub /usr/local/bin/agora-hub
# Listen on every interface inside the container; the search index is derived data
# (rebuilt from PostgreSQL when missing), so a plain volume or emptyDir is enough.
ENV AGORA_LISTEN=0.0.0.0:8080 \
    AGORA_INDEX_DIR=/var/lib/agora/index \
    AGORA_LOG_FORMAT=json \
    RUST_LOG=info
VOLUME ["/var/lib/agora"]
WORKDIR /var/lib/agora
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz >/dev/null || exit 1
ENTRYPOINT ["/usr/local/bin/agora-hub"]
CMD ["serve"]
