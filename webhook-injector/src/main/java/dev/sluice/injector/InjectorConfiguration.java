package dev.sluice.injector;

import dev.sluice.injector.inject.Injector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The injector and its trust bundle, from {@link InjectorProperties}. */
@Configuration(proxyBeanMethods = false)
class InjectorConfiguration {
  private static final Logger log = LoggerFactory.getLogger(InjectorConfiguration.class);

  @Bean
  Injector injector(InjectorProperties properties) {
    Injector injector = new Injector(properties.settings(SidecarModes.resolve(properties.sidecarMode())));
    var s = injector.settings();
    log.info("injecting {} sidecars ({}), capture {} by default, xDS at {}:{}, control-plane namespace {}",
        s.sidecarMode(), s.proxyImage(), s.captureMode(), s.xdsHost(), s.xdsPort(), s.controlPlaneNamespace());
    return injector;
  }

  @Bean
  TrustBundleFile trustBundle(InjectorProperties properties) {
    return new TrustBundleFile(properties.trustBundleFile());
  }
}
