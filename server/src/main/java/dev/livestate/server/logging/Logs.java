package dev.livestate.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.livestate.server.config.OperationsSettings.LogFormat;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up the process's logs once, at start: the JDK's loggers (the core logs through
 * {@code System.Logger}, which the JDK sends to java.util.logging, as does the Socket.IO
 * library) go to SLF4J, and in JSON format every line is one JSON object — time, level,
 * thread, logger, the message as formatted, and its key-values such as {@code room} and
 * {@code client}.
 */
public final class Logs {
  private Logs() {}

  public static void setUp(LogFormat format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    // without it, every java.util.logging call would be formatted before SLF4J dropped it
    LevelChangePropagator levels = new LevelChangePropagator();
    levels.setContext(context);
    levels.setResetJUL(true);
    levels.start();
    context.addListener(levels);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    if (format == LogFormat.JSON) {
      Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAndStopAllAppenders();
      root.addAppender(jsonLines(context));
    }
  }

  private static ConsoleAppender<ILoggingEvent> jsonLines(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("json");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
