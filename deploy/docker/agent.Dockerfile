# syntax=docker/dockerfile:1
# The Agora agent: `docker build -f deploy/docker/agent.Dockerfile -t agora-agent .` from
# the repository root. It depends on agora-schemas only: no PostgreSQL or search index is
# compiled in.

ARG RUST_VERSION=1.95
ARG DEBIAN=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN} AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY schemas schemas
COPY hub hub
COPY agent agent
COPY tests tests
COPY migrations migrations
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p agora-agent --bin agora-agent \
    && install -D -m 0755 target/release/agora-agent /out/agora-agent

FROM debian:${DEBIAN}-slim AS runtime
# ca-certificates: TLS to the hub, MLflow and git forges; libssl3: libgit2's https
# transport (git sources over https); zlib1g, which libgit2 links too, is in the base image.
# git repositories are read by the linked libgit2, so no git binary is needed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 agora \
    && useradd --system --uid 10001 --gid agora --home-dir /var/lib/agora-agent --shell /usr/sbin/nologin agora \
    && install -d -o agora -g agora -m 0750 /var/lib/agora-agent \
    && install -d -m 0755 /etc/agora-agent
COPY --from=builder /out/agora-agent /usr/local/bin/agora-agent
# The spool (batches waiting for the hub), the sync state and git clones: keep it on a
# volume so a restart replays what waited and re-sends nothing.
ENV AGORA_AGENT_CONFIG=/etc/agora-agent/agent.toml \
    AGORA_AGENT_SPOOL_DIR=/var/lib/agora-agent \
    RUST_LOG=info
VOLUME ["/var/lib/agora-agent"]
WORKDIR /var/lib/agora-agent
USER 10001:10001
# The agent serves no HTTP: a stuck hub or source shows in `agora-agent check` and on the
# hub's agent pages, not in a container health check.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/agora-agent"]
CMD ["run"]
