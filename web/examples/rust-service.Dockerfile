# syntax=docker/dockerfile:1
# A Rust service: dependencies built once, a small glibc runtime.
FROM rust:1.90-bookworm AS build
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/app/target \
    cargo build --release --locked && cp target/release/service /service

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /service /service
USER 65532:65532
EXPOSE 3000
ENTRYPOINT ["/service"]
