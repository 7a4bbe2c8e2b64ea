package dev.livestate.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * How the server lets the JVM give back heap it no longer needs, set at start through the JVM's
 * manageable flags so that the packaged jar needs no -XX options: a server that once held a
 * burst of connections should not keep the heap the burst grew. A flag given on the command line
 * is left as it is.
 */
final class HeapReturn {
  private HeapReturn() {}

  /**
   * {@code maxFreePercent}: the free share of the heap above which a collection that resizes it
   * (a full one, or the end of a concurrent cycle) hands the rest back; 0 keeps the JVM's. When
   * the server goes quiet, {@link IdleCollection} starts such a collection.
   */
  static void configure(int maxFreePercent) {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (maxFreePercent > 0 && isDefault("MaxHeapFreeRatio") && isDefault("MinHeapFreeRatio")) {
      // the minimum must not exceed the maximum, so it goes down first
      vm.setVMOption("MinHeapFreeRatio", String.valueOf(Math.min(maxFreePercent, 40) / 2));
      vm.setVMOption("MaxHeapFreeRatio", String.valueOf(Math.min(maxFreePercent, 100)));
    }
  }

  /** Whether nobody set {@code flag}; false when this JVM has no such flag. */
  static boolean isDefault(String flag) {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(flag)
          .getOrigin() == VMOption.Origin.DEFAULT;
    } catch (IllegalArgumentException noSuchFlag) {
      return false;
    }
  }
}
