package dev.livestate.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Marks a core test class whose tests run in milliseconds: a manual clock, direct lanes, no
 * sleeps. A test of it still running after two seconds waits for something that will not come
 * (a lost wake-up, a sleep, a loop that does not end), and fails rather than hanging the build.
 * Every core test class carries it ({@code dev.livestate.FastTestsTest} checks).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Timeout(value = 2, unit = TimeUnit.SECONDS)
public @interface Fast {}
