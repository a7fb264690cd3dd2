package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The rollout page ({@code /ui/}) in a real headless Chromium against a running control plane: what
 * a person sees, asked of the page's own elements, with the API driven from outside through REST.
 */
class RolloutPageTest {
  private static final String ROUTE = "/api/v1/namespaces/ml/modelroutes/fraud-scorer";
  /** Longer than several 1 s polls, short enough to fail fast when the page does not update. */
  private static final Duration PAGE_UPDATE = Duration.ofSeconds(10);

  @TempDir static Path store;
  static ControlPlane cp;
  static HeadlessChromium chromium;

  @BeforeAll
  static void start() {
    chromium = HeadlessChromium.start();
    cp = ControlPlane.start(store);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void withoutAToken_thePageSays401_andWithTheAdminToken_listsTheRoutes() {
    assertThat(cp.put("/api/v1/namespaces/ml/modelroutes/ranker", "application/json", """
        {"spec": {"hosts": ["ranker.ml"], "port": 8080, "protocol": "HTTP",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["127.0.0.1:9"]}]}}
        """).status()).isIn(200, 201);
    ChromeDriver page = openPage();

    wait(page).until(ExpectedConditions.attributeToBe(By.id("api-status"), "data-status", "401"));
    assertThat(page.findElement(By.id("api-status")).getText()).contains("401 Unauthorized").contains("token");

    enterToken(page, "sluice_not-a-token");
    wait(page).until(ExpectedConditions.textToBePresentInElementLocated(By.id("api-status"), "was refused"));

    enterToken(page, bearerToken());
    wait(page).until(ExpectedConditions.attributeToBe(By.id("api-status"), "data-status", "ok"));
    wait(page).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-route='ml/ranker']")));
    assertThat(page.findElement(By.cssSelector("[data-route='ml/ranker']")).getText()).contains("ranker").contains("v1=100");
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  @Test
  void aRunningRollout_showsItsStep_andARollbackAppears_withoutAReload() {
    assertThat(cp.put(ROUTE, "application/json", """
        {"spec": {"hosts": ["fraud-scorer.ml"], "port": 8080, "protocol": "HTTP",
          "versions": [{"name": "v1", "weight": 100, "endpoints": ["127.0.0.1:9"]},
                       {"name": "v2", "weight": 0, "endpoints": ["127.0.0.1:9"]}],
          "rollout": {"canary": "v2", "steps": [5, 25, 50], "interval": "30s"}}}
        """).status()).isIn(200, 201);
    awaitRolloutStarted(); // the first tick starts it; before that its page would show a 404 reason
    ChromeDriver page = openPage();
    enterToken(page, bearerToken());
    wait(page).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-route='ml/fraud-scorer']"))).click();

    wait(page).until(ExpectedConditions.attributeToBe(By.id("rollout-phase"), "data-phase", "Progressing"));
    assertThat(page.findElement(By.id("rollout-step")).getText()).isEqualTo("step 1 of 3, canary v2 at 5 %");
    assertThat(page.findElement(By.cssSelector("[data-action=abort]")).isEnabled()).isTrue();
    page.executeScript("window.sluiceLoaded = 'the page loaded once'");

    assertThat(cp.post(ROUTE + "/rollout/abort", "").status()).isEqualTo(200);

    wait(page).until(ExpectedConditions.attributeToBe(By.id("rollout-phase"), "data-phase", "RolledBack"));
    assertThat(page.executeScript("return window.sluiceLoaded")).as("no reload, no navigation")
        .isEqualTo("the page loaded once");
    assertThat(page.findElement(By.id("rollout-step")).getText()).startsWith("rolled back");
    assertThat(page.findElement(By.id("rollout-reason")).isDisplayed()).isTrue();
    assertThat(page.findElement(By.cssSelector("[data-action=abort]")).isEnabled()).isFalse();
    assertThat(page.findElement(By.cssSelector("[data-route='ml/fraud-scorer'] [data-phase]")).getAttribute("data-phase"))
        .isEqualTo("RolledBack");
    chromium.screenshot(Path.of("target", "rollout-page.png"));
    assertThat(unexpectedConsoleErrors()).isEmpty();
  }

  private ChromeDriver openPage() {
    ChromeDriver page = chromium.driver();
    page.get("http://127.0.0.1:" + cp.restPort() + "/ui/");
    page.executeScript("sessionStorage.clear()");
    page.navigate().refresh();
    return page;
  }

  private static void enterToken(WebDriver page, String token) {
    page.findElement(By.id("token")).clear();
    page.findElement(By.id("token")).sendKeys(token);
    page.findElement(By.cssSelector("#token-form button[type=submit]")).click();
  }

  private static String bearerToken() {
    return cp.authorization().substring("Bearer ".length());
  }

  private static WebDriverWait wait(WebDriver page) {
    return new WebDriverWait(page, PAGE_UPDATE);
  }

  /**
   * Console errors other than the browser's own note of each refused API call, which the page asks
   * before a token is entered (the refusal is what the page shows; the console line is Chromium's).
   */
  private static List<String> unexpectedConsoleErrors() {
    return chromium.consoleErrors().stream()
        .filter(m -> !(m.contains("/api/v1/") && m.contains("status of 401")))
        .toList();
  }

  private void awaitRolloutStarted() {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (cp.get(ROUTE + "/rollout").status() != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the rollout did not start within 10 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
