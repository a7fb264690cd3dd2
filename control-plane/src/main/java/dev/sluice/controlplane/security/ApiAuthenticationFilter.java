package dev.sluice.controlplane.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A client certificate (on the mutual-TLS port) authenticates the request by its SPIFFE ID, or fails
 * it. Otherwise reads {@code Authorization: Bearer <token>}. An API token, or else a token the {@link ExternalCallers}
 * (Kubernetes' TokenReview) accept, authenticates the request; a header that
 * is malformed or names no token answers 401 at once and counts as a failure of the source address,
 * whose requests get 429 once it has failed too often. No header leaves the request anonymous (public
 * endpoints answer; the others get 401), unless {@code anonymous-loopback} makes a loopback caller admin.
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {
  static final ApiPrincipal LOOPBACK = new ApiPrincipal("anonymous-loopback", ApiPrincipal.Kind.ANONYMOUS_LOOPBACK,
      List.of(Grant.everywhere(Role.ADMIN)));

  private final ApiCallers callers;
  private final ClientCertificates certificates;
  private final FailedAuthentications failures;
  private final boolean anonymousLoopback;

  /** @param certificates callers with a client certificate (the mutual-TLS port); null when that port is off */
  ApiAuthenticationFilter(ApiCallers callers, ClientCertificates certificates, FailedAuthentications failures,
      boolean anonymousLoopback) {
    this.callers = callers;
    this.certificates = certificates;
    this.failures = failures;
    this.anonymousLoopback = anonymousLoopback;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String address = request.getRemoteAddr();
    if (certificates != null && request.getAttribute(ClientCertificates.ATTRIBUTE) instanceof X509Certificate[] peer
        && peer.length > 0) {
      // A certificate cannot be guessed, so the failed-authentication limit does not hold it back.
      proceedAs(certificates.authenticate(peer), request, response, chain);
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null) {
      if (anonymousLoopback && loopback(address) && !forwarded(request)) {
        authenticated(request, LOOPBACK);
      }
      chain.doFilter(request, response);
      return;
    }
    long blocked = failures.blockedForSeconds(address);
    if (blocked > 0) {
      ProblemResponses.tooMany(request, response, blocked);
      return;
    }
    proceedAs(callers.authenticateHeader(header), request, response, chain);
  }

  /** On as {@code principal}; without one, 401 and a failure counted against the address. */
  private void proceedAs(Optional<ApiPrincipal> principal, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    if (principal.isEmpty()) {
      failures.failed(request.getRemoteAddr());
      ProblemResponses.unauthorized(request, response);
      return;
    }
    authenticated(request, principal.get());
    chain.doFilter(request, response);
  }

  private static void authenticated(HttpServletRequest request, ApiPrincipal principal) {
    request.setAttribute(ApiPrincipal.ATTRIBUTE, principal);
    var context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(new ApiAuthentication(principal));
    SecurityContextHolder.setContext(context);
  }

  /** A request a proxy passed on (its headers say so) did not start on this host, whatever its socket says. */
  private static boolean forwarded(HttpServletRequest request) {
    return request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null;
  }

  private static boolean loopback(String address) {
    // getRemoteAddr() is a literal address, so this resolves nothing.
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
