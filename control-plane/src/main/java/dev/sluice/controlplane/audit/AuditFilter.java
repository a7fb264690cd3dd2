package dev.sluice.controlplane.audit;

import dev.sluice.controlplane.metrics.SluiceMetrics;
import dev.sluice.controlplane.security.ApiPrincipal;
import dev.sluice.controlplane.store.RouteStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Audits every write request exactly once, whatever becomes of it: the request is matched against
 * {@link AuditedWrites} before any handler runs, and one line is written when it ends, accepted,
 * refused or failed. The same ending counts {@code sluice_store_writes_total}, so the audit log and
 * the metric always agree.
 *
 * <p>For a ModelRoute, the stored generation is read first: a refused write reports it as both
 * before and after (it changed nothing), while a write that went through reports what the store
 * returned.
 */
final class AuditFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);

  /** Refused for the caller's credentials or too many failed ones: never reached the store. */
  private static final java.util.Set<Integer> DENIED = java.util.Set.of(401, 403, 429);

  private final RouteStore store;
  private final SluiceMetrics metrics;
  private final Clock clock;

  AuditFilter(RouteStore store, SluiceMetrics metrics, Clock clock) {
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<AuditedWrites.Match> match = AuditedWrites.match(request);
    if (match.isEmpty()) {
      chain.doFilter(request, response);
      if (DENIED.contains(response.getStatus())) {
        // A read refused for its credentials is audited as well; reads that pass are not.
        finish(new AuditEntry(AuditedWrites.read(request), null, request.getRequestURI(), false), request,
            response.getStatus(), null);
      }
      return;
    }
    AuditEntry entry = open(match.get(), request);
    request.setAttribute(AuditEntry.ATTRIBUTE, entry);
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      finish(entry, request, failure == null ? response.getStatus() : 500, failure);
    }
  }

  private AuditEntry open(AuditedWrites.Match match, HttpServletRequest request) {
    boolean modelRoute = match.write().kind().equals(AuditedWrites.MODEL_ROUTE);
    AuditEntry entry = new AuditEntry(match.write(), match.namespace(), match.name(),
        modelRoute && "All".equals(request.getParameter("dryRun")));
    if (modelRoute) {
      try {
        store.get(match.namespace(), match.name()).ifPresent(entry::current);
      } catch (RuntimeException e) {
        log.warn("could not read ModelRoute {}/{} for its audit line", match.namespace(), match.name(), e);
      }
    }
    return entry;
  }

  private void finish(AuditEntry entry, HttpServletRequest request, int status, Throwable failure) {
    try {
      String result = status >= 500 ? "failed" : status >= 400 ? "rejected" : entry.unchanged && !entry.dryRun ? "unchanged" : "ok";
      if (status >= 400 && entry.reason == null) {
        HttpStatus known = HttpStatus.resolve(status);
        entry.reason = failure != null ? "the server failed: " + failure.getClass().getName()
            : known != null ? known.getReasonPhrase() : "HTTP " + status;
      }
      String action = entry.write.action().equals(AuditedWrites.CREATE_OR_UPDATE)
          ? entry.generationBefore == null ? "create" : "update"
          : entry.write.action();
      Principal principal = request.getAttribute(ApiPrincipal.ATTRIBUTE) instanceof ApiPrincipal p ? p
          : request.getUserPrincipal();
      AuditLog.write(new AuditLog.Line(clock.instant(), request.getRemoteAddr(), principal == null ? null : principal.getName(),
          action, result, status, entry));
      if (entry.write.kind().equals(AuditedWrites.MODEL_ROUTE) && !entry.dryRun && !DENIED.contains(status)) {
        metrics.storeWrite(storeWriteResult(result, status, action));
      }
    } catch (RuntimeException e) {
      log.error("could not write the audit line of {} {}", request.getMethod(), request.getRequestURI(), e);
    }
  }

  static String storeWriteResult(String result, int status, String action) {
    return switch (result) {
      case "failed" -> SluiceMetrics.FAILED;
      case "rejected" -> status == 409 ? SluiceMetrics.CONFLICT : SluiceMetrics.REJECTED;
      case "unchanged" -> SluiceMetrics.UNCHANGED;
      default -> action.equals("create") ? SluiceMetrics.CREATED
          : action.equals("delete") ? SluiceMetrics.DELETED : SluiceMetrics.UPDATED;
    };
  }
}
