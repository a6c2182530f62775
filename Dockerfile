# The one loanflow binary; docker-compose.yml runs it as migrate, serve and worker.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/loanflow ./cmd/loanflow

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/loanflow /usr/local/bin/loanflow
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/loanflow"]
