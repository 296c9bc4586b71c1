# Build stage: compile the release binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p clientele-gateway

# Runtime stage: a small Debian with the binary and curl for health checks.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/clientele clientele \
    && mkdir -p /var/lib/clientele && chown clientele /var/lib/clientele
COPY --from=build /src/target/release/clientele /usr/local/bin/clientele
USER clientele
WORKDIR /var/lib/clientele
EXPOSE 8080
ENV CLIENTELE_LISTEN=0.0.0.0:8080
CMD ["clientele", "serve"]
