{{/* The chart name, or nameOverride. */}}
{{- define "agora-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* `<release>-<chart>`, or fullnameOverride; the release name alone when it holds the chart name. */}}
{{- define "agora-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "agora-agent.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "agora-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "agora-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agora-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{/* The Secret with the tokens: the existing one, or the one this chart makes. */}}
{{- define "agora-agent.secretName" -}}
{{- default (include "agora-agent.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* Whether a Secret with tokens is there to read. */}}
{{- define "agora-agent.hasSecret" -}}
{{- if or .Values.existingSecret .Values.token .Values.mlflow.token .Values.git.token }}true{{ end }}
{{- end }}

{{/* Whether the agent talks to the Kubernetes API with its service account. */}}
{{- define "agora-agent.usesCluster" -}}
{{- if .Values.jobs.enabled }}true{{ end }}
{{- end }}

{{/* agent.toml. Values are written with toJson: a JSON string or list is a TOML one. */}}
{{- define "agora-agent.toml" -}}
hub_url = {{ .Values.hubUrl | toJson }}
{{- with .Values.organisation }}
organisation = {{ . | toJson }}
{{- end }}
spool_dir = "/var/lib/agora-agent"
interval = {{ .Values.interval | toJson }}
batch_size = {{ .Values.batchSize }}
request_timeout = {{ .Values.requestTimeout | toJson }}
max_backoff = {{ .Values.maxBackoff | toJson }}
{{- if .Values.mlflow.enabled }}

[[sources]]
name = {{ .Values.mlflow.name | toJson }}
type = "mlflow"
url = {{ required "mlflow.url is required when mlflow.enabled is true" .Values.mlflow.url | toJson }}
visibility = {{ .Values.mlflow.visibility | toJson }}
full_every = {{ .Values.mlflow.fullEvery | toJson }}
{{- if or .Values.existingSecret .Values.mlflow.token }}
token_env = "MLFLOW_TOKEN"
{{- end }}
{{- end }}
{{- if .Values.git.enabled }}

[[sources]]
name = {{ .Values.git.name | toJson }}
type = "git"
{{- if or .Values.existingSecret .Values.git.token }}
token_env = "GIT_TOKEN"
username = {{ .Values.git.username | toJson }}
{{- end }}
{{- range .Values.git.repositories }}
[[sources.repositories]]
url = {{ .url | toJson }}
{{- with .branch }}
branch = {{ . | toJson }}
{{- end }}
{{- with .name }}
name = {{ . | toJson }}
{{- end }}
{{- end }}
{{- end }}
{{- if .Values.jobs.enabled }}

[jobs]
executors = [{{ .Values.jobs.executor | toJson }}]
max_concurrent = {{ .Values.jobs.maxConcurrent }}
gpu_types = {{ .Values.jobs.gpuTypes | toJson }}
allowed_images = {{ .Values.jobs.allowedImages | toJson }}
allowed_commands = {{ .Values.jobs.allowedCommands | toJson }}
drain_timeout = {{ .Values.jobs.drainTimeout | toJson }}
{{- with .Values.jobs.datasets }}

[jobs.datasets]
{{- range $name, $path := . }}
{{ $name | toJson }} = {{ $path | toJson }}
{{- end }}
{{- end }}
{{- if eq .Values.jobs.executor "kubernetes" }}

[jobs.kubernetes]
api_url = "https://kubernetes.default.svc"
namespace = {{ default .Release.Namespace .Values.jobs.kubernetes.namespace | toJson }}
ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
mount_datasets = {{ .Values.jobs.kubernetes.mountDatasets }}
{{- with .Values.jobs.kubernetes.image }}
image = {{ . | toJson }}
{{- end }}
{{- else if eq .Values.jobs.executor "argo" }}

[jobs.argo]
server_url = {{ required "jobs.argo.serverUrl is required when jobs.executor is argo" .Values.jobs.argo.serverUrl | toJson }}
namespace = {{ default .Release.Namespace .Values.jobs.argo.namespace | toJson }}
token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token"
{{- with .Values.jobs.argo.image }}
image = {{ . | toJson }}
{{- end }}
{{- else }}
{{- fail "jobs.executor must be kubernetes or argo" }}
{{- end }}
{{- end }}
{{- end }}
