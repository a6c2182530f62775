// Package deploy checks the deployment files at the repository root
// (docker-compose.yml, Dockerfile) against the binary's real configuration;
// it has tests only.
package deploy
