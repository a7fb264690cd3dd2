package dev.sluice.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.security.ApiRules;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every REST rule that needs more than a login maps to one SubjectAccessReview question. */
class RestAccessReviewsTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      GET    | /api/v1/modelroutes                           | modelroutes     | list   | ''
      GET    | /api/v1/namespaces/ml/modelroutes             | modelroutes     | list   | ml
      GET    | /api/v1/namespaces/ml/modelroutes/r           | modelroutes     | get    | ml
      GET    | /api/v1/namespaces/ml/modelroutes/r/envoy     | modelroutes     | get    | ml
      PUT    | /api/v1/namespaces/ml/modelroutes/r           | modelroutes     | update | ml
      PATCH  | /api/v1/namespaces/ml/modelroutes/r           | modelroutes     | patch  | ml
      DELETE | /api/v1/namespaces/ml/modelroutes/r           | modelroutes     | delete | ml
      PUT    | /api/v1/namespaces/ml/modelroutes/r/weights   | modelroutes     | update | ml
      POST   | /api/v1/namespaces/ml/modelroutes/r/rollback  | modelroutes     | update | ml
      POST   | /api/v1/namespaces/ml/bootstrap               | bootstraptokens | create | ml
      GET    | /api/v1/tokens                                | bootstraptokens | list   | ''
      GET    | /api/v1/tokens/t                              | bootstraptokens | get    | ''
      DELETE | /api/v1/tokens/t                              | bootstraptokens | delete | ''
      GET    | /api/v1/proxies/p                             | modelroutes     | list   | ''
      """)
  void resourceRules(String method, String path, String resource, String verb, String namespace) {
    Map.Entry<ApiRules.Rule, Map<String, String>> rule = ApiRules.match(method, path).orElseThrow();
    RestAccessReviews.Attributes a = RestAccessReviews.of(rule.getKey().access(), method, path, rule.getValue());
    assertThat(a.nonResource()).isNull();
    assertThat(a.resource().getGroup()).isEqualTo("sluice.dev");
    assertThat(a.resource().getResource()).isEqualTo(resource);
    assertThat(a.resource().getVerb()).isEqualTo(verb);
    assertThat(a.resource().getNamespace()).isEqualTo(namespace);
  }

  @ParameterizedTest
  @CsvSource({"GET, /actuator/info, get", "POST, /actuator/loggers/sluice, post"})
  void actuator_isANonResourceUrl(String method, String path, String verb) {
    Map.Entry<ApiRules.Rule, Map<String, String>> rule = ApiRules.match(method, path).orElseThrow();
    RestAccessReviews.Attributes a = RestAccessReviews.of(rule.getKey().access(), method, path, rule.getValue());
    assertThat(a.resource()).isNull();
    assertThat(a.nonResource().getPath()).isEqualTo(path);
    assertThat(a.nonResource().getVerb()).isEqualTo(verb);
  }
}
