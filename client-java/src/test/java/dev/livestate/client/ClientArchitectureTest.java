package dev.livestate.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The SDK's rule of docs/architecture.md, checked here because the server's ArchitectureTest
 * cannot see this module (its tests need the server, so the server cannot need it): the client
 * needs the JDK, Jackson, the protocol and the core's value types only, never the server.
 */
class ClientArchitectureTest {
  @Test
  void theClientNeedsOnlyTheJdkJacksonTheProtocolAndTheCore() {
    JavaClasses client = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.livestate.client");
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..",
        "com.fasterxml.jackson..", "dev.livestate.client..", "dev.livestate.protocol..",
        "dev.livestate.op..", "dev.livestate.room..", "dev.livestate.conflict..")
        .check(client);
  }
}
