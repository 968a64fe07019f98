package org.fadkd.runner.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import ai.djl.ndarray.NDArray;
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

    /**
     * DJL's {@code NDArray.mul(Number)} and its kin free their operand's memory before the backward
     * pass reads it, so the gradient is garbage once the garbage collector ran (see {@code
     * org.fadkd.flow.Scalars}); {@code Scalars} is the one way to combine an array with a constant.
     */
    @Test
    void testNoDjlScalarOperandsWhoseMemoryTheBackwardPassReads() {
        noClasses().should().callMethod(NDArray.class, "mul", Number.class)
                .orShould().callMethod(NDArray.class, "muli", Number.class)
                .orShould().callMethod(NDArray.class, "div", Number.class)
                .orShould().callMethod(NDArray.class, "divi", Number.class)
                .orShould().callMethod(NDArray.class, "pow", Number.class)
                .orShould().callMethod(NDArray.class, "powi", Number.class)
                .orShould().callMethod(NDArray.class, "maximum", Number.class)
                .orShould().callMethod(NDArray.class, "minimum", Number.class)
                .orShould().callMethod(NDArray.class, "cbrt")
                .because("DJL frees the constant before the backward pass reads it; use org.fadkd.flow.Scalars")
                .check(classes);
    }
}
