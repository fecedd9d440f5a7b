package dev.vitcap.layers;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core's packages form layers: no two packages (with their sub-packages) depend on each other in a
 * cycle, the model depends on the kernel contract and the JDK only, and the settings' ranges on the JDK only.
 */
class LayeringTest {
    static final JavaClasses CORE = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.vitcap");

    @Test
    void noCyclesBetweenPackages() {
        assertTrue(CORE.size() > 150, "core's classes were found: " + CORE.size());
        slices().matching("dev.vitcap.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void modelUsesOnlyTheKernelAndTheJdk() {
        noClasses().that().resideInAPackage("dev.vitcap.model..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.vitcap.model..", "dev.vitcap.kernel..", "java..")
                .check(CORE);
    }

    @Test
    void theSettingsUseOnlyTheJdk() {
        noClasses().that().resideInAPackage("dev.vitcap.settings..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.vitcap.settings..", "java..")
                .check(CORE);
    }

    @Test
    void theKernelContractUsesOnlyTheJdk() {
        noClasses().that().resideInAPackage("dev.vitcap.kernel..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.vitcap.kernel..", "java..", "org.slf4j..")
                .check(CORE);
    }
}
