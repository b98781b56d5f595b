//! The deployment artefacts in `deploy/`, checked without Docker, Kubernetes or Helm
//! (none can run here): the Helm charts rendered by a Go-template renderer and their
//! manifests checked, the charts' values schemas validated as JSON Schema draft 7 (Python's
//! `jsonschema`), the compose file and Dockerfiles parsed, the systemd unit verified by
//! `systemd-analyze` when present, the Keycloak realm export read — and every setting they
//! give the hub or the agent loaded by the hub's and the agent's own configuration loaders.

mod chart;
mod docker;
mod gotmpl;
mod helm;
mod keycloak;
mod loaders;
mod onyxia;
mod systemd;
