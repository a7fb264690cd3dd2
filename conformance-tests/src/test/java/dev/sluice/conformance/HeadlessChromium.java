package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver of the same version
 * ({@code peers/install chromium}). Both paths are given to Selenium, so Selenium Manager neither
 * looks for nor downloads a driver or a browser. Its console is kept for {@link #consoleErrors()}.
 */
final class HeadlessChromium implements AutoCloseable {
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /** A new browser, or the test ends for want of one ({@link Peers#missing}). */
  static HeadlessChromium start() {
    Path chromium = Peers.chromium().orElseThrow(
        () -> Peers.missing("no chromium on the PATH (Debian's chromium package)"));
    Path chromedriver = Peers.chromedriver().orElseThrow(
        () -> Peers.missing("no chromedriver on the PATH (Debian's chromium-driver package)"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogFile(Path.of("target", "chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage",
        "--window-size=1280,1200");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    try {
      return new HeadlessChromium(service, new ChromeDriver(service, options));
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** The page as it is drawn now, as a PNG at {@code file}. */
  void screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the browser's console printed at level error (SEVERE) since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
