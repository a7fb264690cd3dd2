/**
 * Who may use the REST API: every request proves who it is (an API token today) and each endpoint
 * says what it needs ({@link dev.sluice.controlplane.security.ApiRules}): a role (viewer, editor,
 * admin) in the namespace of its path, or across all namespaces. Whatever is not listed is refused.
 */
package dev.sluice.controlplane.security;
