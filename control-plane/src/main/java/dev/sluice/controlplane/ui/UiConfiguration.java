package dev.sluice.controlplane.ui;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The rollout page at {@code /ui/}: static files ({@code static/ui/}) that read the REST API from
 * the browser with the caller's own token. The files hold no data, so anyone may load them
 * ({@link dev.sluice.controlplane.security.ApiRules}); the API still decides what each caller sees.
 */
@Configuration(proxyBeanMethods = false)
class UiConfiguration implements WebMvcConfigurer {

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    // The page's relative links (ui.js, ui.css) resolve under /ui/ only, so /ui is sent there.
    registry.addRedirectViewController("/ui", "/ui/");
    registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
  }
}
