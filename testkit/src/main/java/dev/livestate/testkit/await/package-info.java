/**
 * Waiting in tests without fixed sleeps: {@link dev.livestate.testkit.await.Await#until} checks a
 * condition until it holds, within a bound that fails the test.
 */
package dev.livestate.testkit.await;
