package dev.sluice.controlplane.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the audit logger to a file of its own ({@code sluice.audit.file}): each line the bare JSON
 * message, and no longer through the application's appenders. Undone by {@link #close()}.
 *
 * <p>Configured in code rather than in a {@code logback-spring.xml}, which would replace Spring
 * Boot's whole default logging set-up to add one optional appender.
 */
final class AuditFile implements AutoCloseable {
  static final String APPENDER = "sluice-audit-file";

  private final Logger logger;
  private final FileAppender<ILoggingEvent> appender;

  private AuditFile(Logger logger, FileAppender<ILoggingEvent> appender) {
    this.logger = logger;
    this.appender = appender;
  }

  static AuditFile open(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("sluice.audit.file needs Logback as the logging system, found "
          + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    Path absolute = file.toAbsolutePath();
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sluice.audit.file (" + absolute + "): cannot create its folder", e);
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setFile(absolute.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalStateException("sluice.audit.file (" + absolute + "): cannot open it for appending");
    }
    Logger logger = context.getLogger(AuditLog.LOGGER);
    logger.detachAppender(APPENDER); // one file per JVM, even when a previous context left one
    logger.addAppender(appender);
    logger.setAdditive(false);
    return new AuditFile(logger, appender);
  }

  @Override
  public void close() {
    if (logger.getAppender(APPENDER) == appender) {
      logger.detachAppender(appender);
      logger.setAdditive(true);
    }
    appender.stop();
  }
}
