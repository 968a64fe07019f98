package org.fadkd.runner.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the main classes of every module (the runner's
 * test class path holds them all): arrows point down only, and plugins see the shared API alone.
 */
class TestLayering {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.fadkd");
    }

    @Test
    void testNoPackageCycles() {
        slices().matching("org.fadkd.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void testPluginsDependOnTheSharedApiOnly() {
        noClasses().that().resideInAnyPackage("org.fadkd.distill..", "org.fadkd.vision..")
                .should().dependOnClassesThat().resideInAnyPackage("org.fadkd.engine..", "org.fadkd.runner..")
                .check(classes);
    }

    @Test
    void testSharedApiDependsOnNoHostCode() {
        noClasses().that().resideInAnyPackage("org.fadkd.api..", "org.fadkd.flow..")
                .should().dependOnClassesThat().resideInAnyPackage("org.fadkd.engine..", "org.fadkd.runner..",
                        "org.fadkd.distill..", "org.fadkd.vision..")
                .check(classes);
        noClasses().that().resideInAPackage("org.fadkd.api..")
                .should().dependOnClassesThat().resideInAPackage("org.fadkd.flow..")
                .check(classes);
    }

    @Test
    void testEngineKnowsNoRunnerNoPluginAndNoCommandLine() {
        noClasses().that().resideInAPackage("org.fadkd.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.fadkd.runner..", "org.fadkd.distill..",
                        "org.fadkd.vision..", "com.google.inject..", "picocli..", "org.mlflow..")
                .check(classes);
    }
}
