package dev.livestate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the compiled main classes of every
 * module: the core is plain Java, the protocol needs only the core and Jackson, adapters never
 * reach into each other or into a store implementation, nothing depends on the server, and the
 * testkit, test support for every module, needs only the core, the protocol, Jackson and JUnit,
 * while no main code needs the testkit.
 */
class ArchitectureTest {
  private static final String[] CORE = {"dev.livestate.cluster..", "dev.livestate.conflict..",
      "dev.livestate.engine..",
      "dev.livestate.op..", "dev.livestate.presence..", "dev.livestate.room..",
      "dev.livestate.state..", "dev.livestate.stream..", "dev.livestate.sync..",
      "dev.livestate.store"};

  private static JavaClasses main;

  /** The core's packages (the store SPI's among them, not the stores'), and {@code others}. */
  private static String[] coreAnd(String... others) {
    return Stream.concat(Stream.of(CORE), Stream.of(others)).toArray(String[]::new);
  }

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.livestate");
  }

  @Test
  void theCoreUsesNothingButTheJdk() {
    classes().that().resideInAnyPackage(coreAnd())
        .should().onlyDependOnClassesThat().resideInAnyPackage(coreAnd("java.."))
        .check(main);
  }

  @Test
  void theProtocolNeedsOnlyTheCoreAndJackson() {
    classes().that().resideInAPackage("dev.livestate.protocol..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            coreAnd("java..", "com.fasterxml.jackson..", "dev.livestate.protocol.."))
        .check(main);
  }

  @Test
  void adaptersNeverImportEachOther() {
    slices().matching("dev.livestate.server.adapter.(*)..").should().notDependOnEachOther()
        .check(main);
  }

  @Test
  void adaptersNeverImportAStoreImplementation() {
    noClasses().that().resideInAPackage("dev.livestate.server.adapter..")
        .should().dependOnClassesThat().resideInAPackage("dev.livestate.store.jdbc..")
        .check(main);
  }

  @Test
  void theTestkitNeedsOnlyTheCoreTheProtocolJacksonAndJUnit() {
    classes().that().resideInAPackage("dev.livestate.testkit..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(coreAnd("java..",
            "com.fasterxml.jackson..", "org.junit..", "dev.livestate.protocol..",
            "dev.livestate.testkit.."))
        .check(main);
  }

  @Test
  void noMainCodeDependsOnTheTestkit() {
    nothingOutsideUses("dev.livestate.testkit..");
  }

  @Test
  void nothingDependsOnTheServer() {
    nothingOutsideUses("dev.livestate.server..");
  }

  /** No main class outside {@code packages} uses one inside them. */
  private static void nothingOutsideUses(String packages) {
    noClasses().that().resideOutsideOfPackage(packages)
        .should().dependOnClassesThat().resideInAPackage(packages)
        .check(main);
  }
}
