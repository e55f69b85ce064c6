package dev.hearth.startd.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/** Sends every INFO-and-above log event of the daemon to its {@link LogStore}. */
public final class LogStoreAppender extends AppenderBase<ILoggingEvent> {
  private final LogStore store;

  private LogStoreAppender(LogStore store) {
    this.store = store;
  }

  /** Attaches a new appender for {@code store} to the root logger. */
  public static LogStoreAppender install(LogStore store) {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var appender = new LogStoreAppender(store);
    appender.setContext(context);
    appender.setName("log-store");
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  /** Detaches it again (shutdown). */
  public void uninstall() {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(this);
    stop();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
      return;
    }
    String logger = event.getLoggerName();
    String shortLogger = logger.substring(logger.lastIndexOf('.') + 1);
    String message = event.getLevel() + " " + shortLogger + ": " + event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      message += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
    store.append(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(), message);
  }
}
