{{/* The chart's name, overridable. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The control plane's objects' name: the release name, with "-sluice" unless it holds "sluice". */}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "sluice.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "sluice.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "sluice.injectorName" -}}
{{- printf "%s-injector" (include "sluice.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "sluice.injectorTlsSecret" -}}
{{- printf "%s-injector-tls" (include "sluice.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "sluice.trustBundle" -}}
{{- printf "%s-trust-bundle" (include "sluice.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "sluice.xdsService" -}}
{{- printf "%s-xds" (include "sluice.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries; "component" is control-plane or injector. */}}
{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: sluice
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "sluice.selectorLabels" . }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* An image reference; the tag defaults to the chart's appVersion. */}}
{{- define "sluice.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Pod anti-affinity by the component's selector labels: soft, hard or none. */}}
{{- define "sluice.antiAffinity" -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "sluice.selectorLabels" . | fromYaml)) }}
{{- if eq .mode "hard" }}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
  - {{ toYaml $term | nindent 4 | trim }}
{{- else if eq .mode "soft" }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 100
    podAffinityTerm:
      {{- toYaml $term | nindent 6 }}
{{- end }}
{{- end }}
