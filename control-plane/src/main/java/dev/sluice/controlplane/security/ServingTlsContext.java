package dev.sluice.controlplane.security;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tomcat's view of a JDK TLS context for the mutual-TLS port: the control plane's own key manager
 * (renewed in place, so no reload is needed), and a trust manager that takes any client certificate,
 * because {@link ClientCertificates} checks it against Sluice's CA per request and answers 401 with a
 * reason in the audit log, rather than a handshake failure that tells the caller nothing.
 */
final class ServingTlsContext implements org.apache.tomcat.util.net.SSLContext {
  private final X509KeyManager keyManager;
  private final javax.net.ssl.SSLContext context;

  ServingTlsContext(X509KeyManager keyManager) throws NoSuchAlgorithmException, KeyManagementException {
    this.keyManager = keyManager;
    this.context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager}, new TrustManager[] {new AnyClient()}, new SecureRandom());
  }

  @Override
  public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) {
    // Made complete in the constructor; Tomcat's own managers are not used.
  }

  @Override
  public void destroy() {}

  @Override
  public SSLSessionContext getServerSessionContext() {
    return context.getServerSessionContext();
  }

  @Override
  public SSLEngine createSSLEngine() {
    return context.createSSLEngine();
  }

  @Override
  public SSLServerSocketFactory getServerSocketFactory() {
    return context.getServerSocketFactory();
  }

  @Override
  public SSLParameters getSupportedSSLParameters() {
    return context.getSupportedSSLParameters();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return keyManager.getCertificateChain(alias);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  /** Lets every client certificate through the handshake; each request's filter decides. */
  private static final class AnyClient implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a server-side context");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
